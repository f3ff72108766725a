"""Search over the catalog's records, for one caller: the backend chosen in settings, the
access rule of archive.services.visibility inside the query, one access-log row per search."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from archive.catalog.access import AccessGrant, AccessLogEntry, DocumentText
from archive.catalog.base import utcnow
from archive.catalog.records import Document, Dossier, DossierStatus
from archive.catalog.search_index import SearchEntry
from archive.errors import InvalidInput, ServiceUnavailable
from archive.services.accounts import Principal
from archive.services.visibility import (
    document_condition,
    dossier_condition,
    may_read_records,
    sees_everything_of_agency,
)
from archive.settings import Settings
from search import sql as fts
from search.errors import InvalidSearch, SearchUnavailable
from search.interface import AccessScope, SearchReader, SearchWriter
from search.query import ParsedQuery, parse_query
from search.spec import Cursor, FacetValue, IndexRow, SearchHit, SearchRequest, SearchResult
from search.texts import index_texts, snippet

E = SearchEntry
COLUMNS = fts.IndexColumns(
    record_id=E.record_id,
    kind=E.kind,
    agency_code=E.agency_code,
    year=E.year,
    type_name=E.type_name,
    maintenance=E.maintenance,
    mode=E.mode,
    status=Dossier.status,  # the catalog's, so that a status change needs no reindex
    sort_date=E.sort_date,
)


class SqlIndexWriter:
    """The index table inside the catalog; the caller's session owns the transaction."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def replace(
        self, dossier_ids: Sequence[str], rows: Sequence[IndexRow], target: str | None = None
    ) -> None:
        if dossier_ids:
            self.session.execute(sa.delete(E).where(E.dossier_id.in_(list(dossier_ids))))
        if rows:
            now = utcnow()
            self.session.execute(sa.insert(E), [_entry(row, now) for row in rows])

    def begin_rebuild(self, resume: str | None) -> str:
        return resume or utcnow().isoformat()

    def finish_rebuild(self, token: str) -> None:
        started = dt.datetime.fromisoformat(token)
        self.session.execute(sa.delete(E).where(E.indexed_at < started))


def _entry(row: IndexRow, now: dt.datetime) -> dict[str, Any]:
    texts = index_texts(row)
    return {
        "record_id": row.record_id,
        "kind": row.kind,
        "dossier_id": row.dossier_id,
        "document_id": row.document_id,
        "agency_id": row.agency_id,
        "agency_code": row.agency_code,
        "status": row.status,
        "mode": row.mode,
        "maintenance": row.maintenance,
        "type_name": row.type_name,
        "year": row.year,
        "sort_date": row.sort_date,
        "file_code": row.file_code,
        "title": row.title,
        "subject": row.subject,
        "code_number": row.code_number,
        "code_notation": row.code_notation,
        "issued_date": row.issued_date,
        "f_title": texts.f_title,
        "f_meta": texts.f_meta,
        "f_symbol": texts.f_symbol,
        "f_body": texts.f_body,
        "x_text": texts.x_text,
        "indexed_at": now,
    }


class SqlSearch:
    """Full text inside the catalog: SQLite FTS5 or PostgreSQL tsvector, same tokens."""

    def __init__(self, session: Session, principal: Principal, now: dt.datetime) -> None:
        self.session = session
        self.principal = principal
        self.now = now
        self.dialect = session.get_bind().dialect.name

    def _visible(self) -> sa.ColumnElement[bool]:
        return sa.or_(
            sa.and_(E.kind == "dossier", dossier_condition(self.principal, self.now)),
            sa.and_(
                E.kind == "document",
                Dossier.status != DossierStatus.DESTROYED.value,
                document_condition(self.principal, self.now),
            ),
        )

    def _from(self, query: ParsedQuery) -> tuple[Any, list[sa.ColumnElement[bool]], Any]:
        """FROM clause, WHERE conditions and the score expression for the words."""
        source: Any = sa.join(E, Dossier, Dossier.id == E.dossier_id).outerjoin(
            Document, Document.id == E.document_id
        )
        conditions: list[sa.ColumnElement[bool]] = []
        score: Any = sa.literal(0.0, sa.Float)
        if self.dialect == "sqlite":
            match = fts.fts5_match(query)
            if match:
                table = sa.table(fts.FTS_TABLE, sa.column("rowid"))
                source = source.join(table, table.c.rowid == E.id)
                fts_column: Any = sa.literal_column(fts.FTS_TABLE)
                conditions.append(fts_column.op("MATCH")(match))
                score = -sa.func.bm25(fts_column, *fts.BM25_WEIGHTS)
        else:
            match = fts.pg_match_tsquery(query)
            if match:
                tsv: Any = sa.literal_column("search_entries.tsv")
                conditions.append(tsv.op("@@")(fts.tsquery(match)))
                rank_query = fts.pg_rank_tsquery(query) or match
                score = sa.func.ts_rank(
                    sa.literal_column(f"'{fts.PG_WEIGHTS}'::float4[]"),
                    tsv,
                    fts.tsquery(rank_query),
                    1,
                )
                if exact := fts.pg_exact_tsquery(query):
                    exact_rank = sa.func.ts_rank(
                        sa.literal_column("search_entries.tsv_exact"), fts.tsquery(exact), 1
                    )
                    score = score + fts.PG_EXACT_BOOST * exact_rank
                score = sa.cast(score, sa.Double)
        return source, conditions, score

    def search(self, request: SearchRequest) -> SearchResult:
        query = parse_query(request.text)
        sort = request.effective_sort
        source, conditions, score = self._from(query)
        conditions += [self._visible(), *fts.filter_conditions(COLUMNS, request.filters)]
        page = (
            sa.select(
                E.record_id,
                E.kind,
                E.dossier_id,
                E.document_id,
                E.file_code,
                E.title,
                E.subject,
                E.code_number,
                E.code_notation,
                E.issued_date,
                E.agency_code,
                Dossier.status,
                E.mode,
                score.label("score"),
                E.sort_date,
            )
            .select_from(source)
            .where(*conditions)
        )
        if request.cursor:
            page = page.where(fts.after_cursor(COLUMNS, score, Cursor.decode(request.cursor, sort)))
        page = page.order_by(*fts.order_by(COLUMNS, score, sort)).limit(request.limit + 1)
        rows = self.session.execute(page).all()
        more = len(rows) > request.limit
        rows = rows[: request.limit]
        hits = self._hits(rows, query)
        next_cursor = None
        if more and rows:
            last = rows[-1]
            key: float | str = float(last.score) if sort == "relevance" else (last.sort_date or "")
            next_cursor = Cursor(sort, key, last.record_id).encode()
        facets = self._facets(source, conditions) if request.facets else {}
        total = sum(v.count for v in facets["kind"]) if facets else None
        return SearchResult(hits=hits, facets=facets, total=total, next_cursor=next_cursor)

    def _hits(self, rows: Sequence[Any], query: ParsedQuery) -> list[SearchHit]:
        doc_ids = [r.document_id for r in rows if r.document_id]
        texts = (
            dict(
                self.session.execute(
                    sa.select(DocumentText.document_id, DocumentText.text).where(
                        DocumentText.document_id.in_(doc_ids)
                    )
                ).all()
            )
            if doc_ids
            else {}
        )
        hits = []
        for r in rows:
            tombstone = r.status == DossierStatus.DESTROYED.value
            source_text = " ".join(
                x for x in (r.title, r.subject if r.subject != r.title else None) if x
            )
            excerpt = None
            if not tombstone and not query.is_empty:
                excerpt = (
                    snippet(source_text, query)
                    or snippet(texts.get(r.document_id), query)
                    or html.escape(source_text[:220])
                )
            hits.append(
                SearchHit(
                    kind=r.kind,
                    record_id=r.record_id,
                    dossier_id=r.dossier_id,
                    document_id=r.document_id,
                    file_code=r.file_code,
                    title=r.title,
                    subject=r.subject,
                    code_number=r.code_number,
                    code_notation=r.code_notation,
                    issued_date=r.issued_date,
                    agency_code=r.agency_code,
                    status=r.status,
                    mode=r.mode,
                    score=round(float(r.score), 6),
                    snippet=excerpt,
                    tombstone=tombstone,
                )
            )
        return hits

    def _facets(
        self, source: Any, conditions: list[sa.ColumnElement[bool]]
    ) -> dict[str, list[FacetValue]]:
        """Counts of every facet over the same visible, filtered hits, in one statement."""
        facet_columns = COLUMNS.facets()
        matched = (
            sa.select(*(col.label(name) for name, col in facet_columns.items()))
            .select_from(source)
            .where(*conditions)
            .cte("matched")
        )
        parts = [
            sa.select(
                sa.literal(name).label("facet"),
                sa.cast(matched.c[name], sa.String).label("value"),
                sa.func.count().label("n"),
            ).group_by(matched.c[name])
            for name in facet_columns
        ]
        out: dict[str, list[FacetValue]] = {name: [] for name in facet_columns}
        for facet, value, count in self.session.execute(sa.union_all(*parts)):
            if value is not None:
                out[facet].append(FacetValue(str(value), int(count)))
        for name in out:
            out[name].sort(key=lambda v: (-v.count, v.value))
        return out


def access_scope(session: Session, principal: Principal, now: dt.datetime) -> AccessScope:
    """visibility.py's rule as data, for a backend outside the catalog."""
    if not may_read_records(principal):
        return AccessScope(may_read=False, agency_ids=frozenset(), all_modes=False)
    if sees_everything_of_agency(principal):
        return AccessScope(True, principal.visible_agency_ids, all_modes=True)
    grants = session.execute(
        sa.select(AccessGrant.dossier_id, AccessGrant.document_id).where(
            AccessGrant.user_id == principal.user_id,
            AccessGrant.revoked_at.is_(None),
            AccessGrant.valid_until > now,
        )
    ).all()
    return AccessScope(
        True,
        principal.visible_agency_ids,
        all_modes=False,
        granted_dossiers=frozenset(g.dossier_id for g in grants if g.dossier_id),
        granted_documents=frozenset(g.document_id for g in grants if g.document_id),
    )


def _opensearch(settings: Settings) -> Any:
    if not settings.opensearch_url:
        raise SearchUnavailable("LUUTRU_OPENSEARCH_URL is not set")
    from search.opensearch import client_for

    return client_for(settings.opensearch_url)


def open_reader(settings: Settings, session: Session, principal: Principal) -> SearchReader:
    now = utcnow()
    if settings.search_backend == "opensearch":
        from search.opensearch import OpenSearchReader

        return OpenSearchReader(_opensearch(settings), access_scope(session, principal, now))
    return SqlSearch(session, principal, now)


def open_writer(settings: Settings, session: Session) -> SearchWriter:
    if settings.search_backend == "opensearch":
        from search.opensearch import OpenSearchWriter

        return OpenSearchWriter(_opensearch(settings))
    return SqlIndexWriter(session)


def search_records(
    session: Session,
    settings: Settings,
    principal: Principal,
    request: SearchRequest,
    *,
    channel: str,
    client_address: str | None = None,
    user_agent: str | None = None,
) -> SearchResult:
    """Run one search for the caller and log it (one access-log row per search)."""
    try:
        result = open_reader(settings, session, principal).search(request)
    except InvalidSearch as exc:
        raise InvalidInput(str(exc)) from exc
    except SearchUnavailable as exc:
        raise ServiceUnavailable(str(exc)) from exc
    session.add(
        AccessLogEntry(
            actor=principal.agent,
            agency_id=principal.agency_id,
            action="search",
            channel=channel,
            client_address=client_address,
            user_agent=(user_agent or "")[:300] or None,
            detail={
                "q": request.text,
                "filters": request.filters.as_dict(),
                "sort": request.sort,
                "page": "next" if request.cursor else "first",
                "hits": len(result.hits),
                "total": result.total,
            },
        )
    )
    return result


def build_request(**params: Any) -> SearchRequest:
    """Parameters of the API or the web form, validated into one request."""
    try:
        return SearchRequest.from_params(**params)
    except InvalidSearch as exc:
        raise InvalidInput(str(exc)) from exc
