"""The OpenSearch backend: index mapping, query building (as plain data, unit-tested), bulk
writes, and an alias so that a rebuild writes a new index and swaps the alias at the end.

Folding is the same as search.folding: a char_filter maps đ/Đ to d/D (asciifolding alone
would too, but the mapping keeps it explicit and ICU-free), then lowercase + asciifolding.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from search.errors import SearchUnavailable
from search.folding import symbol_tokens
from search.interface import AccessScope
from search.query import ParsedQuery, parse_query
from search.spec import (
    FACETS,
    Cursor,
    FacetValue,
    IndexRow,
    SearchFilters,
    SearchHit,
    SearchRequest,
    SearchResult,
)
from search.texts import meta_text

ALIAS = "luutru-records"
FACET_FIELDS = {
    "kind": "kind",
    "agency": "agency_code",
    "year": "year",
    "type": "type_name",
    "maintenance": "maintenance",
    "mode": "mode",
    "status": "status",
}
_FOLDED = {
    "type": "text",
    "analyzer": "vi_folded",
    "fields": {"exact": {"type": "text", "analyzer": "vi_exact"}},
}
_KEYWORD = {"type": "keyword"}
TEXT_FIELDS = ("title^4", "subject^4", "meta^2", "symbol^2", "body")
EXACT_FIELDS = ("title.exact^2", "subject.exact^2", "body.exact")

INDEX_BODY: dict[str, Any] = {
    "settings": {
        "analysis": {
            "char_filter": {"vi_d": {"type": "mapping", "mappings": ["đ => d", "Đ => D"]}},
            "analyzer": {
                "vi_folded": {
                    "type": "custom",
                    "tokenizer": "standard",
                    "char_filter": ["vi_d"],
                    "filter": ["lowercase", "asciifolding"],
                },
                "vi_exact": {"type": "custom", "tokenizer": "standard", "filter": ["lowercase"]},
            },
        }
    },
    "mappings": {
        "dynamic": "strict",
        "properties": {
            **dict.fromkeys(
                (
                    "record_id",
                    "kind",
                    "dossier_id",
                    "document_id",
                    "agency_code",
                    "status",
                    "mode",
                    "dossier_mode",
                    "maintenance",
                    "type_name",
                    "sort_date",
                    "file_code",
                    "code_number",
                    "code_notation",
                    "issued_date",
                ),
                _KEYWORD,
            ),
            "agency_id": {"type": "integer"},
            "year": {"type": "integer"},
            "title": _FOLDED,
            "subject": _FOLDED,
            "meta": {"type": "text", "analyzer": "vi_folded"},
            "symbol": {"type": "text", "analyzer": "whitespace"},
            "body": _FOLDED,
        },
    },
}


def document_for(row: IndexRow) -> dict[str, Any]:
    """The OpenSearch source of one index row (text unfolded; the analysers fold it)."""
    return {
        **row.record_fields(),
        "title": row.title,
        "subject": row.subject if row.subject != row.title else None,
        "meta": meta_text(row),
        "symbol": " ".join(symbol_tokens(row.code_number, row.code_notation)),
        "body": None if row.tombstone else row.text,
    }


def _terms(field: str, values: Sequence[str] | frozenset[str]) -> dict[str, Any]:
    return {"terms": {field: sorted(values)}}


def access_filter(scope: AccessScope) -> dict[str, Any]:
    """archive.services.visibility's rule as an OpenSearch filter."""
    if not scope.may_read:
        return {"match_none": {}}
    agency = (
        []
        if scope.agency_ids is None
        else [_terms("agency_id", [str(a) for a in scope.agency_ids])]
    )
    if scope.all_modes:
        return {"bool": {"filter": agency}} if agency else {"match_all": {}}

    def readable(mode_field: str, *granted: dict[str, Any]) -> dict[str, Any]:
        conditional = {
            "bool": {
                "filter": [{"term": {mode_field: "02"}}],
                "should": list(granted),
                "minimum_should_match": 1,
            }
        }
        return {
            "bool": {
                "should": [{"term": {mode_field: "01"}}, conditional],
                "minimum_should_match": 1,
            }
        }

    dossier_grant = _terms("dossier_id", scope.granted_dossiers)
    document_grant = _terms("document_id", scope.granted_documents)
    dossier = {"bool": {"filter": [{"term": {"kind": "dossier"}}, readable("mode", dossier_grant)]}}
    document = {
        "bool": {
            "filter": [
                {"term": {"kind": "document"}},
                readable("dossier_mode", dossier_grant),
                readable("mode", document_grant, dossier_grant),
            ]
        }
    }
    return {
        "bool": {
            "filter": agency,
            "must_not": [{"term": {"status": "destroyed"}}],
            "should": [dossier, document],
            "minimum_should_match": 1,
        }
    }


def filter_clauses(filters: SearchFilters) -> list[dict[str, Any]]:
    clauses = [
        _terms(field, values)
        for field, values in (
            ("agency_code", filters.agencies),
            ("type_name", filters.types),
            ("maintenance", filters.maintenance),
            ("mode", filters.modes),
            ("status", filters.statuses),
            ("kind", filters.kinds),
        )
        if values
    ]
    years = {
        k: v for k, v in (("gte", filters.year_from), ("lte", filters.year_to)) if v is not None
    }
    if years:
        clauses.append({"range": {"year": years}})
    return clauses


def text_query(query: ParsedQuery) -> dict[str, Any] | None:
    """Required phrases and symbols, any of the words; typed diacritics add a boost."""
    must: list[dict[str, Any]] = [
        {
            "multi_match": {
                "query": " ".join(p.folded),
                "type": "phrase",
                "fields": list(TEXT_FIELDS),
            }
        }
        for p in query.phrases
    ]
    must += [{"term": {"symbol": s}} for s in query.symbols]
    should: list[dict[str, Any]] = []
    if query.words:
        should.append(
            {
                "multi_match": {
                    "query": " ".join(query.words),
                    "fields": list(TEXT_FIELDS),
                    "operator": "or",
                }
            }
        )
    should += [
        {"multi_match": {"query": p, "type": "phrase_prefix", "fields": list(TEXT_FIELDS)}}
        for p in query.prefixes
    ]
    if not must and not should:
        return None
    boost = []
    if query.exact_words:
        boost.append(
            {"multi_match": {"query": " ".join(query.exact_words), "fields": list(EXACT_FIELDS)}}
        )
    if must:
        return {"bool": {"must": must, "should": should + boost}}
    matched = {"bool": {"should": should, "minimum_should_match": 1}}
    return {"bool": {"must": [matched], "should": boost}} if boost else matched


def search_body(request: SearchRequest, scope: AccessScope) -> dict[str, Any]:
    query = parse_query(request.text)
    sort = request.effective_sort
    text = text_query(query)
    body: dict[str, Any] = {
        "size": request.limit + 1,
        "track_total_hits": True,
        "query": {
            "bool": {
                "must": [text] if text else [{"match_all": {}}],
                "filter": [access_filter(scope), *filter_clauses(request.filters)],
            }
        },
        "sort": (
            [{"_score": "desc"}, {"record_id": "asc"}]
            if sort == "relevance"
            else [{"sort_date": {"order": "desc", "missing": "_last"}}, {"record_id": "asc"}]
        ),
        "_source": {"excludes": ["body", "meta", "symbol"]},
        "highlight": {
            "pre_tags": ["<mark>"],
            "post_tags": ["</mark>"],
            "encoder": "html",
            "fields": {
                "title": {},
                "subject": {},
                "body": {"fragment_size": 220, "number_of_fragments": 1},
            },
        },
    }
    if request.cursor:
        cursor = Cursor.decode(request.cursor, sort)
        body["search_after"] = [cursor.key, cursor.record_id]
    if request.facets:
        body["aggs"] = {
            name: {"terms": {"field": FACET_FIELDS[name], "size": 100}} for name in FACETS
        }
    return body


def parse_response(response: dict[str, Any], request: SearchRequest) -> SearchResult:
    sort = request.effective_sort
    raw = response["hits"]["hits"]
    page = raw[: request.limit]
    hits = []
    for item in page:
        src = item["_source"]
        marks = item.get("highlight", {})
        excerpt = next((marks[f][0] for f in ("title", "subject", "body") if f in marks), None)
        tombstone = src["status"] == "destroyed"
        hits.append(
            SearchHit(
                kind=src["kind"],
                record_id=src["record_id"],
                dossier_id=src["dossier_id"],
                document_id=src.get("document_id"),
                file_code=src["file_code"],
                title=src["title"],
                subject=src.get("subject") or (src["title"] if src["kind"] == "document" else None),
                code_number=src.get("code_number"),
                code_notation=src.get("code_notation"),
                issued_date=src.get("issued_date"),
                agency_code=src["agency_code"],
                status=src["status"],
                mode=src["mode"],
                score=float(item.get("_score") or 0.0),
                snippet=None if tombstone else excerpt,
                tombstone=tombstone,
            )
        )
    next_cursor = None
    if len(raw) > request.limit and page:
        key, record_id = page[-1]["sort"]
        next_cursor = Cursor(
            sort, float(key) if sort == "relevance" else str(key or ""), record_id
        ).encode()
    facets = {
        name: [FacetValue(str(b["key"]), int(b["doc_count"])) for b in agg["buckets"]]
        for name, agg in response.get("aggregations", {}).items()
    }
    total = response["hits"]["total"]
    return SearchResult(
        hits=hits,
        facets=facets,
        total=total["value"] if isinstance(total, dict) else int(total),
        next_cursor=next_cursor,
    )


def client_for(url: str) -> Any:
    from opensearchpy import OpenSearch

    return OpenSearch(hosts=[url], timeout=30)


class OpenSearchReader:
    def __init__(self, client: Any, scope: AccessScope, alias: str = ALIAS) -> None:
        self.client, self.scope, self.alias = client, scope, alias

    def search(self, request: SearchRequest) -> SearchResult:
        from opensearchpy.exceptions import ConnectionError as OsConnectionError

        try:
            response = self.client.search(index=self.alias, body=search_body(request, self.scope))
        except OsConnectionError as exc:
            raise SearchUnavailable(f"OpenSearch unreachable: {exc}") from exc
        return parse_response(response, request)


def bulk_actions(index: str, dossier_rows: Sequence[IndexRow]) -> list[dict[str, Any]]:
    return [
        {"_op_type": "index", "_index": index, "_id": row.record_id, "_source": document_for(row)}
        for row in dossier_rows
    ]


class OpenSearchWriter:
    def __init__(self, client: Any, alias: str = ALIAS) -> None:
        self.client, self.alias = client, alias

    def ensure_index(self) -> None:
        if not self.client.indices.exists_alias(name=self.alias):
            token = self.begin_rebuild(None)
            self.finish_rebuild(token)

    def replace(
        self, dossier_ids: Sequence[str], rows: Sequence[IndexRow], target: str | None = None
    ) -> None:
        from opensearchpy import helpers

        index = target or self.alias
        if target is None:
            self.ensure_index()
        if dossier_ids:
            self.client.delete_by_query(
                index=index,
                body={"query": {"terms": {"dossier_id": list(dossier_ids)}}},
                refresh=True,
                conflicts="proceed",
            )
        if rows:
            helpers.bulk(self.client, bulk_actions(index, rows), refresh="wait_for")

    def begin_rebuild(self, resume: str | None) -> str:
        if resume:
            return resume
        name = f"{self.alias}-{dt.datetime.now(dt.UTC):%Y%m%d%H%M%S%f}"
        self.client.indices.create(index=name, body=INDEX_BODY)
        return name

    def finish_rebuild(self, token: str) -> None:
        old: list[str] = []
        if self.client.indices.exists_alias(name=self.alias):
            old = list(self.client.indices.get_alias(name=self.alias))
        actions = [{"remove": {"index": index, "alias": self.alias}} for index in old]
        actions.append({"add": {"index": token, "alias": self.alias}})
        self.client.indices.update_aliases(body={"actions": actions})
        for index in old:
            if index != token:
                self.client.indices.delete(index=index)
