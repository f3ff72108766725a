"""Against a real OpenSearch cluster, only when LUUTRU_OPENSEARCH_URL points at one."""

from __future__ import annotations

import os
import uuid
from typing import Any

import pytest

from search.interface import AccessScope
from search.opensearch import OpenSearchReader, OpenSearchWriter, client_for
from search.spec import IndexRow, SearchRequest

URL = os.environ.get("LUUTRU_OPENSEARCH_URL")
pytestmark = pytest.mark.skipif(
    not URL,
    reason="SKIPPED: LUUTRU_OPENSEARCH_URL is not set, so no OpenSearch cluster to test against "
    "(none can be installed here); the query and mapping JSON is tested as data instead",
)


def test_folded_symbol_and_access_on_a_real_cluster() -> None:
    assert URL is not None
    client = client_for(URL)
    alias = f"luutru-test-{uuid.uuid4().hex[:8]}"
    writer = OpenSearchWriter(client, alias)
    token = writer.begin_rebuild(None)
    base: dict[str, Any] = {
        "kind": "document",
        "agency_code": "A",
        "status": "archived",
        "maintenance": "04",
        "type_name": "02",
        "year": 2021,
        "sort_date": "2021-03-15",
        "file_code": "F",
    }
    rows = [
        IndexRow(
            record_id="d1",
            dossier_id="s1",
            document_id="d1",
            agency_id=1,
            mode="01",
            title="Quyết định quy hoạch Đồng Nai",
            code_number="15",
            code_notation="QĐ-UBND",
            **base,
        ),
        IndexRow(
            record_id="d2",
            dossier_id="s2",
            document_id="d2",
            agency_id=2,
            mode="02",
            title="Quyết định thanh tra",
            **base,
        ),
    ]
    try:
        writer.replace(["s1", "s2"], rows, target=token)
        writer.finish_rebuild(token)
        client.indices.refresh(index=alias)
        official = OpenSearchReader(client, AccessScope(True, frozenset({1, 2}), False), alias)
        for q in ("quyet dinh", "dong nai", "15/QĐ-UBND", "UBND", "qd"):
            hits = official.search(SearchRequest(text=q)).hits
            assert [h.record_id for h in hits] == ["d1"], q
    finally:
        client.indices.delete(index=token, ignore_unavailable=True)
