"""The OpenSearch mapping and queries, checked as data (no server needed)."""

from __future__ import annotations

from search.interface import AccessScope
from search.opensearch import INDEX_BODY, access_filter, document_for, search_body
from search.spec import Cursor, IndexRow, SearchRequest


def test_mapping_folds_d_bar_without_icu() -> None:
    analysis = INDEX_BODY["settings"]["analysis"]
    assert analysis["char_filter"]["vi_d"]["mappings"] == ["đ => d", "Đ => D"]
    assert analysis["analyzer"]["vi_folded"]["filter"] == ["lowercase", "asciifolding"]
    assert "icu" not in str(INDEX_BODY)
    assert (
        INDEX_BODY["mappings"]["properties"]["title"]["fields"]["exact"]["analyzer"] == "vi_exact"
    )


def test_document_source_has_symbol_tokens_and_no_text_for_tombstones() -> None:
    row = IndexRow(
        record_id="d1",
        kind="document",
        dossier_id="s1",
        document_id="d1",
        agency_id=3,
        agency_code="A",
        status="archived",
        mode="02",
        maintenance="04",
        type_name="02",
        year=2021,
        sort_date="2021-03-15",
        file_code="F",
        title="Quyết định",
        code_number="15",
        code_notation="QĐ-UBND",
        text="nội dung",
        dossier_mode="01",
    )
    source = document_for(row)
    assert source["symbol"] == "15qdubnd qdubnd 15 qd ubnd"
    assert source["dossier_mode"] == "01" and source["body"] == "nội dung"
    gone = IndexRow(**{**row.__dict__, "status": "destroyed"})
    assert document_for(gone)["body"] is None


def test_official_access_filter_mirrors_the_visibility_rule() -> None:
    scope = AccessScope(
        True,
        frozenset({2, 1}),
        all_modes=False,
        granted_dossiers=frozenset({"s9"}),
        granted_documents=frozenset({"d7"}),
    )
    rule = access_filter(scope)["bool"]
    assert rule["filter"] == [{"terms": {"agency_id": ["1", "2"]}}]
    assert rule["must_not"] == [{"term": {"status": "destroyed"}}]
    dossier, document = rule["should"]
    assert {"term": {"kind": "dossier"}} in dossier["bool"]["filter"]
    doc_checks = document["bool"]["filter"]
    assert doc_checks[1]["bool"]["should"][0] == {"term": {"dossier_mode": "01"}}
    granted = doc_checks[2]["bool"]["should"][1]["bool"]["should"]
    assert granted == [{"terms": {"document_id": ["d7"]}}, {"terms": {"dossier_id": ["s9"]}}]
    assert access_filter(AccessScope(False, frozenset(), False)) == {"match_none": {}}
    assert access_filter(AccessScope(True, None, True)) == {"match_all": {}}


def test_search_body_filters_facets_boost_and_cursor() -> None:
    cursor = Cursor("relevance", 1.5, "x").encode()
    request = SearchRequest.from_params(
        q='Đồng Nai "quy hoạch" 15/QĐ-UBND', agency=["A"], year_from=2020, cursor=cursor, limit=5
    )
    body = search_body(request, AccessScope(True, None, True))
    text = body["query"]["bool"]["must"][0]["bool"]
    assert {"term": {"symbol": "15qdubnd"}} in text["must"]
    assert text["must"][0]["multi_match"]["type"] == "phrase"
    exact = [c for c in text["should"] if "title.exact^2" in c["multi_match"]["fields"]]
    assert exact[0]["multi_match"]["query"] == "đồng nai"
    filters = body["query"]["bool"]["filter"]
    assert {"terms": {"agency_code": ["A"]}} in filters
    assert {"range": {"year": {"gte": 2020}}} in filters
    assert body["search_after"] == [1.5, "x"] and body["size"] == 6
    assert set(body["aggs"]) == {"kind", "agency", "year", "type", "maintenance", "mode", "status"}
    assert body["highlight"]["pre_tags"] == ["<mark>"]
