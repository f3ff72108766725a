"""The search API and page: filters from the query string, access rule, logging."""

from __future__ import annotations

import sqlalchemy as sa
from fastapi.testclient import TestClient

from archive.catalog.access import AccessLogEntry
from archive.services.indexing import index_dossier
from archive.settings import Settings
from tests.conftest import World, login
from tests.search.catalog_records import Doc, Folder, add_dossier


def _seed(world: World, settings: Settings) -> dict[str, str]:
    ids = {}
    with world.session() as session:
        for name, folder in (
            (
                "nghean",
                Folder(
                    "000.00.01.H41.2021.05",
                    "Hồ sơ tổ chức Đại hội thể dục thể thao",
                    documents=[Doc("Quyết định tổ chức Đại hội", "15", "QĐ-UBND")],
                ),
            ),
            (
                "hanoi",
                Folder(
                    "000.00.00.H26.2021.09",
                    "Hồ sơ Đại hội thể thao Hà Nội",
                    agency="000.00.00.H26",
                    documents=[Doc("Kế hoạch tổ chức Đại hội", "16", "KH-UBND", type_name="10")],
                ),
            ),
        ):
            dossier_id, doc_ids = add_dossier(session, folder)
            index_dossier(session, settings, dossier_id)
            ids[name], ids[f"{name}.doc"] = dossier_id, doc_ids[0]
    return ids


def test_search_api_answers_hits_facets_and_cursor(
    client: TestClient, world: World, settings: Settings
) -> None:
    ids = _seed(world, settings)
    headers = login(client, "official")
    response = client.get("/api/v1/search", params={"q": "dai hoi", "limit": 1}, headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["total"] == 2
    assert {f["value"]: f["count"] for f in body["facets"]["agency"]} == {"000.00.01.H41": 2}
    assert body["hits"][0]["id"] in {ids["nghean"], ids["nghean.doc"]}
    assert "<mark>" in body["hits"][0]["snippet"]
    second = client.get(
        "/api/v1/search",
        params={"q": "dai hoi", "limit": 1, "cursor": body["next_cursor"]},
        headers=headers,
    ).json()
    assert {body["hits"][0]["id"], second["hits"][0]["id"]} == {ids["nghean"], ids["nghean.doc"]}
    assert second["next_cursor"] is None

    symbol = client.get("/api/v1/search", params={"q": "15/QĐ-UBND"}, headers=headers).json()
    assert [(h["id"], h["codeNotation"]) for h in symbol["hits"]] == [
        (ids["nghean.doc"], "QĐ-UBND")
    ]

    admin = login(client, "admin")
    filtered = client.get(
        "/api/v1/search",
        params=[("q", "dai hoi"), ("agency", "000.00.00.H26"), ("type", "10")],
        headers=admin,
    ).json()
    assert [h["id"] for h in filtered["hits"]] == [ids["hanoi.doc"]]

    with world.session() as session:
        logged = session.scalars(
            sa.select(AccessLogEntry).where(AccessLogEntry.action == "search")
        ).all()
        assert len(logged) == 4
        assert logged[-1].detail is not None
        assert logged[-1].detail["filters"] == {"agencies": ["000.00.00.H26"], "types": ["10"]}


def test_search_api_rejects_bad_parameters_and_qlvb_keys(client: TestClient, world: World) -> None:
    headers = login(client, "official")
    bad_mode = client.get("/api/v1/search", params={"mode": "09"}, headers=headers)
    assert bad_mode.status_code == 400
    assert bad_mode.headers["content-type"].startswith("application/problem+json")
    bad_cursor = client.get("/api/v1/search", params={"cursor": "!!"}, headers=headers)
    assert bad_cursor.status_code == 400
    qlvb = client.get(
        "/api/v1/search", headers={"Authorization": f"Bearer {world.api_keys['hanoi']}"}
    )
    assert qlvb.status_code == 403


def test_search_page_shows_results_in_vietnamese(
    client: TestClient, world: World, settings: Settings
) -> None:
    from archive.web.search_page import search_router

    client.app.include_router(search_router)  # type: ignore[attr-defined]
    _seed(world, settings)
    login(client, "official")
    client.post("/login", data={"username": "official", "password": "mật-khẩu-thử-1234"})
    page = client.get("/search", params={"q": "đại hội"})
    assert page.status_code == 200
    assert "Tìm thấy 2 kết quả" in page.text
    assert "<mark>Đại</mark>" in page.text and "Hà Nội" not in page.text
