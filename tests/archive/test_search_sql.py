"""Search inside the catalog: the same questions give the same records on SQLite FTS5 and
PostgreSQL, and the access rule holds in hits and in facet counts."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from archive.catalog.access import AccessLogEntry
from archive.catalog.accounts import User
from archive.catalog.base import utcnow
from archive.services import accounts
from archive.services.indexing import index_dossier
from archive.services.search_service import search_records
from archive.settings import Settings
from search.spec import SearchRequest, SearchResult
from tests.conftest import World
from tests.search.catalog_records import Doc, Folder, add_dossier, grant

NGHE_AN_DEPT = "000.00.01.H41"
HANOI = "000.00.00.H26"


class Catalog:
    def __init__(self, world: World, settings: Settings) -> None:
        self.world, self.settings = world, settings
        self.ids: dict[str, str] = {}

    def add(self, name: str, folder: Folder) -> tuple[str, list[str]]:
        with self.world.session() as session:
            dossier_id, doc_ids = add_dossier(session, folder)
            index_dossier(session, self.settings, dossier_id)
        self.ids[name] = dossier_id
        for n, doc_id in enumerate(doc_ids):
            self.ids[f"{name}.{n}"] = doc_id
        return dossier_id, doc_ids

    def search(self, username: str, q: str = "", **params: object) -> SearchResult:
        with self.world.session() as session:
            user = session.scalar(sa.select(User).where(User.username == username))
            assert user is not None
            principal = accounts.principal_for_user(session, user)
            request = SearchRequest.from_params(q=q, **params)  # type: ignore[arg-type]
            return search_records(session, self.settings, principal, request, channel="api")

    def names(self, result: SearchResult) -> set[str]:
        by_id = {v: k for k, v in self.ids.items()}
        return {by_id[h.record_id] for h in result.hits}


@pytest.fixture
def catalog(world: World, settings: Settings) -> Catalog:
    c = Catalog(world, settings)
    c.add(
        "qd",
        Folder(
            "000.00.01.H41.2021.01",
            "Hồ sơ quy hoạch sử dụng đất tỉnh Đồng Nai",
            documents=[
                Doc(
                    "Quyết định phê duyệt quy hoạch sử dụng đất",
                    "15",
                    "QĐ-UBND",
                    text="Căn cứ Luật Đất đai; xét đề nghị của Sở Tài nguyên và Môi trường",
                    signer="Nguyễn Văn Bình",
                ),
                Doc("Báo cáo tình hình thực hiện kế hoạch", "20", "BC-SNV", type_name="14"),
            ],
        ),
    )
    c.add(
        "hanoi",
        Folder(
            "000.00.00.H26.2020.07",
            "Hồ sơ quyết định thành lập trường học",
            agency=HANOI,
            end_year=2020,
            documents=[
                Doc("Quyết định thành lập trường", "07", "QĐ-UBND", issued_date="01/02/2020")
            ],
        ),
    )
    c.add(
        "secret",
        Folder(
            "000.00.01.H41.2019.03",
            "Hồ sơ thanh tra đất đai",
            mode="02",
            end_year=2019,
            documents=[
                Doc(
                    "Kết luận thanh tra đất đai",
                    "33",
                    "KL-TTr",
                    type_name="32",
                    issued_date="10/05/2019",
                    mode="02",
                )
            ],
        ),
    )
    return c


def test_folded_words_find_vietnamese_text(catalog: Catalog) -> None:
    assert catalog.names(catalog.search("official", "quyet dinh")) == {"qd.0"}
    assert catalog.names(catalog.search("official", "dong nai")) == {"qd"}
    assert catalog.names(catalog.search("official", "Đồng Nai")) == {"qd"}
    assert catalog.names(catalog.search("official", "nguyen van binh")) == {"qd.0"}
    assert catalog.names(catalog.search("official", "dat dai")) == {"qd", "qd.0"}


def test_document_symbols_are_found_whole_and_by_parts(catalog: Catalog) -> None:
    assert catalog.names(catalog.search("official", "15/QĐ-UBND")) == {"qd.0"}
    assert catalog.names(catalog.search("official", "15/qd-ubnd")) == {"qd.0"}
    assert catalog.names(catalog.search("official", "UBND")) >= {"qd.0"}
    assert "qd.0" in catalog.names(catalog.search("official", "qd"))
    assert "qd.0" in catalog.names(catalog.search("official", "QĐ"))
    assert catalog.names(catalog.search("admin", "QĐ-UBND")) == {"qd.0", "hanoi.0"}


def test_phrase_and_prefix(catalog: Catalog) -> None:
    assert catalog.names(catalog.search("official", '"su dung dat"')) == {"qd", "qd.0"}
    assert catalog.names(catalog.search("official", '"dat su dung"')) == set()
    assert catalog.names(catalog.search("official", "quy*")) == {"qd", "qd.0"}
    result = catalog.search("official", "quyet")
    assert all("<mark>" in (h.snippet or "") for h in result.hits)


def test_any_word_matches_and_more_words_rank_higher(catalog: Catalog) -> None:
    result = catalog.search("admin", "thành lập trường quy hoạch")
    names = [catalog.names(SearchResult([h], {}, None, None)).pop() for h in result.hits]
    assert set(names) >= {"hanoi", "hanoi.0", "qd", "qd.0"}
    assert set(names[:2]) == {"hanoi", "hanoi.0"}  # three of the words in their titles


def test_exact_diacritics_rank_above_folded_matches(catalog: Catalog) -> None:
    catalog.add("dong", Folder("000.00.01.H41.2022.01", "Hồ sơ cánh đồng lúa", end_year=2022))
    catalog.add("dong2", Folder("000.00.01.H41.2022.02", "Hồ sơ cánh đông lúa", end_year=2022))
    typed = catalog.search("official", "đồng lúa", kind=["dossier"])
    assert catalog.names(typed) >= {"dong", "dong2"}
    assert typed.hits[0].record_id == catalog.ids["dong"]
    other = catalog.search("official", "đông lúa", kind=["dossier"])
    assert other.hits[0].record_id == catalog.ids["dong2"]


def test_filters_and_facet_counts(catalog: Catalog) -> None:
    result = catalog.search("admin", "quyet dinh")
    assert catalog.names(result) == {"qd.0", "hanoi", "hanoi.0"}
    facets = {name: {v.value: v.count for v in values} for name, values in result.facets.items()}
    assert facets["agency"] == {NGHE_AN_DEPT: 1, HANOI: 2}
    assert facets["kind"] == {"dossier": 1, "document": 2}
    assert facets["year"] == {"2021": 1, "2020": 2}
    assert facets["type"] == {"02": 2}
    assert facets["status"] == {"archived": 3}
    assert result.total == 3
    by_year = catalog.search("admin", "quyet dinh", year_from=2021, year_to=2021)
    assert catalog.names(by_year) == {"qd.0"}
    by_agency = catalog.search("admin", "quyet dinh", agency=[HANOI], type=["02"])
    assert catalog.names(by_agency) == {"hanoi.0"}
    assert catalog.names(catalog.search("admin", "", maintenance=["04"], mode=["02"])) == {
        "secret",
        "secret.0",
    }
    assert catalog.names(catalog.search("admin", "", status=["on_hold"])) == set()


def test_cursor_pagination_is_stable(catalog: Catalog) -> None:
    for n in range(7):
        catalog.add(f"extra{n}", Folder(f"000.00.01.H41.2023.{n:02d}", "Hồ sơ kế hoạch công tác"))
    for sort in ("relevance", "date"):
        everything = catalog.search("admin", "ke hoach", sort=sort, limit=100)
        seen: list[str] = []
        cursor = None
        while True:
            page = catalog.search("admin", "ke hoach", sort=sort, limit=3, cursor=cursor)
            seen += [h.record_id for h in page.hits]
            cursor = page.next_cursor
            if cursor is None:
                break
        assert seen == [h.record_id for h in everything.hits]
        assert len(seen) == len(set(seen)) == len(everything.hits) >= 8


def test_official_sees_only_own_agencies_public_records(catalog: Catalog) -> None:
    result = catalog.search("official", "quyet dinh dat dai thanh tra")
    assert catalog.names(result) == {"qd", "qd.0"}
    counts = {v.value: v.count for v in result.facets["agency"]}
    assert counts == {NGHE_AN_DEPT: 2}
    assert {v.value for v in result.facets["mode"]} == {"01"}
    hanoi = catalog.search("archivist_hn", "quyet dinh")
    assert catalog.names(hanoi) == {"hanoi", "hanoi.0"}


def test_grants_open_conditional_records_while_valid(catalog: Catalog, world: World) -> None:
    assert "secret" not in catalog.names(catalog.search("official", "thanh tra"))
    with world.session() as session:
        grant(session, "official", dossier_id=catalog.ids["secret"], days=-1)
        grant(session, "official", dossier_id=catalog.ids["secret"], revoked=True)
    expired = catalog.search("official", "thanh tra")
    assert catalog.names(expired) == set() and expired.total == 0
    with world.session() as session:
        grant(session, "official", dossier_id=catalog.ids["secret"])
    granted = catalog.search("official", "thanh tra")
    assert catalog.names(granted) == {"secret", "secret.0"}
    assert {v.value: v.count for v in granted.facets["mode"]} == {"02": 2}


def test_destroyed_dossiers_are_tombstones_for_archivists_only(
    catalog: Catalog, world: World
) -> None:
    from archive.catalog.records import Dossier

    assert catalog.names(catalog.search("archivist", '"xet de nghi"')) == {"qd.0"}
    with world.session() as session:
        dossier = session.get(Dossier, catalog.ids["qd"])
        assert dossier is not None
        dossier.status = "destroyed"
        index_dossier(session, catalog.settings, dossier.id)
    assert catalog.names(catalog.search("official", "quy hoach")) == set()
    archivist = catalog.search("archivist", "quy hoach")
    assert catalog.names(archivist) == {"qd"}
    assert archivist.hits[0].tombstone and archivist.hits[0].snippet is None
    assert catalog.names(catalog.search("archivist", '"xet de nghi"')) == set()  # text purged
    assert {v.value for v in archivist.facets["status"]} == {"destroyed"}


def test_each_search_is_logged_once(catalog: Catalog, world: World) -> None:
    catalog.search("official", "quyet dinh", year_from=2020)
    with world.session() as session:
        rows = session.scalars(sa.select(AccessLogEntry).where(AccessLogEntry.action == "search"))
        entries = list(rows)
    assert len(entries) == 1
    assert entries[0].actor == "user:official" and entries[0].channel == "api"
    assert entries[0].detail is not None
    assert entries[0].detail["q"] == "quyet dinh"
    assert entries[0].detail["filters"] == {"year_from": 2020}
    assert entries[0].at <= utcnow()


def test_postgres_tsvectors_built_in_python_equal_the_sql_expression(
    engine: sa.Engine, world: World, settings: Settings
) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("tsvectors exist on PostgreSQL only")
    from search import sql as fts

    fields = ("quyết định phê duyệt quy hoạch đất", "15qdubnd qdubnd 15 qd ubnd", "", "dat a dat")
    weights = ("A", "B", "B", "D")
    expression = " || ".join(
        f"setweight(to_tsvector('simple', :f{n}), '{w}')" for n, w in enumerate(weights)
    )
    with engine.connect() as conn:
        built, expected = conn.execute(
            sa.text(f"SELECT CAST(:built AS tsvector)::text, ({expression})::text"),
            {
                "built": fts.tsvector_literal(list(zip(fields, weights, strict=True))),
                **{f"f{n}": text for n, text in enumerate(fields)},
            },
        ).one()
    assert built == expected


def test_broad_matches_rank_the_rarest_words_first_and_still_page_through_all(
    catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    from archive.services.search_service import SqlSearch

    for n in range(6):
        catalog.add(f"plan{n}", Folder(f"000.00.01.H41.2023.{n:02d}", "Hồ sơ kế hoạch công tác"))
    catalog.add("dyke", Folder("000.00.01.H41.2023.50", "Hồ sơ kế hoạch đê điều"))
    everything = catalog.search("admin", "ke hoach de dieu", limit=100)
    monkeypatch.setattr(SqlSearch, "candidates", 2)  # every match here counts as broad
    narrowed = catalog.search("admin", "ke hoach de dieu", limit=100)
    assert narrowed.hits[0].record_id == catalog.ids["dyke"]
    assert {h.record_id for h in narrowed.hits} == {h.record_id for h in everything.hits}
    assert narrowed.facets == everything.facets and narrowed.total == everything.total
    assert len(everything.hits) >= 8
    seen: list[str] = []
    cursor = None
    while True:
        page = catalog.search("admin", "ke hoach de dieu", limit=2, cursor=cursor)
        seen += [h.record_id for h in page.hits]
        if (cursor := page.next_cursor) is None:
            break
    assert seen == [h.record_id for h in narrowed.hits]
