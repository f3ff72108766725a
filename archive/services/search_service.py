"""Search over the catalog's records, for one caller: the backend chosen in settings, the
access rule of archive.services.visibility inside the query, one access-log row per search.

The SQL backend reads the access rule's inputs from the index rows themselves (agency, the
dossier's status and mode, the record's mode; see migration 0005), so a search touches the
index table and, for officials, their own valid grants; it never joins dossiers/documents.
"""

from __future__ import annotations

import datetime as dt
import html
import itertools
import time
from collections.abc import Iterator, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import UnaryExpression

from archive.catalog.access import AccessGrant, AccessLogEntry, DocumentText
from archive.catalog.base import utcnow
from archive.catalog.records import DossierStatus
from archive.catalog.search_index import SearchEntry
from archive.errors import InvalidInput, ServiceUnavailable
from archive.services.accounts import Principal
from archive.services.visibility import (
    CONDITIONAL,
    PUBLIC,
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
    status=E.status,  # kept in step with the catalog by migration 0005's triggers
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
            # One statement per dossier: each is an index lookup whatever the statistics say
            # (one IN list of hundreds of ids was planned as a scan of the whole table while
            # a rebuild was filling it).
            self.session.connection().execute(
                sa.delete(E).where(E.dossier_id == sa.bindparam("d")),
                [{"d": dossier_id} for dossier_id in dossier_ids],
            )
        if not rows:
            return
        now = utcnow()
        if self.session.get_bind().dialect.name == "postgresql":
            _copy_entries(self.session, (_pg_entry(row, now) for row in rows))
        else:
            self.session.execute(sa.insert(E), [_entry(row, now) for row in rows])

    def begin_rebuild(self, resume: str | None) -> str:
        return resume or utcnow().isoformat()

    def finish_rebuild(self, token: str) -> None:
        started = dt.datetime.fromisoformat(token)
        self.session.execute(sa.delete(E).where(E.indexed_at < started))


def _pg_entry(row: IndexRow, now: dt.datetime) -> dict[str, Any]:
    entry = _entry(row, now)
    entry["tsv"] = fts.tsvector_literal(
        [
            (entry["f_title"], "A"),
            (entry["f_meta"], "B"),
            (entry["f_symbol"], "B"),
            (entry["f_body"], "D"),
        ]
    )
    entry["tsv_exact"] = fts.tsvector_literal([(entry["x_text"], "D")])
    return entry


def _copy_entries(session: Session, entries: Iterator[dict[str, Any]]) -> None:
    """COPY into the index inside the session's transaction (tsvectors as text). Entries are
    built while the stream is sent, so PostgreSQL stores rows while the next are prepared."""
    first = next(entries)
    columns = list(first)
    driver = session.connection().connection.driver_connection
    with driver.cursor() as cursor:  # type: ignore[union-attr]
        statement = f"COPY search_entries ({', '.join(columns)}) FROM STDIN"
        with cursor.copy(statement) as copy:
            for entry in itertools.chain([first], entries):
                copy.write_row([entry[c] for c in columns])


def _entry(row: IndexRow, now: dt.datetime) -> dict[str, Any]:
    texts = index_texts(row)
    return {
        **row.record_fields(),
        "title": row.title,
        "subject": row.subject,
        "f_title": texts.f_title,
        "f_meta": texts.f_meta,
        "f_symbol": texts.f_symbol,
        "f_body": texts.f_body,
        "x_text": texts.x_text,
        "indexed_at": now,
    }


_DISPLAY = (
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
    E.status,
    E.mode,
    E.sort_date,
)
_PG_STATS_SECONDS = 300.0
_pg_stats: dict[str, tuple[float, dict[str, float]]] = {}


def _pg_frequencies(session: Session) -> dict[str, float]:
    """Lexeme frequencies of ``search_entries.tsv`` from pg_stats, cached for a while per
    database (they only move with ANALYZE)."""
    key = str(session.get_bind().engine.url)
    now = time.monotonic()
    cached = _pg_stats.get(key)
    if cached is not None and now - cached[0] < _PG_STATS_SECONDS:
        return cached[1]
    row = session.execute(
        sa.text(
            "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
            "WHERE tablename = 'search_entries' AND attname = 'tsv'"
        )
    ).first()
    frequencies: dict[str, float] = {}
    if row is not None and row[0] is not None:
        frequencies = dict(zip(row[0], row[1], strict=False))
    _pg_stats[key] = (now, frequencies)
    return frequencies


def _after(score: Any, record_id: Any, cursor: Cursor) -> sa.ColumnElement[bool]:
    return sa.or_(score < cursor.key, sa.and_(score == cursor.key, record_id > cursor.record_id))


class SqlSearch:
    """Full text inside the catalog: SQLite FTS5 or PostgreSQL tsvector, same tokens."""

    candidates = 1000  # rows ranked for a broad match (see _narrowing)

    def __init__(self, session: Session, principal: Principal, now: dt.datetime) -> None:
        self.session = session
        self.principal = principal
        self.now = now
        self.dialect = session.get_bind().dialect.name
        self.fts_drives = False

    def _c(self, column: Any) -> Any:
        """``column``, or ``+column`` (the same value, no index) when FTS5 should drive."""
        if not self.fts_drives:
            return column
        return UnaryExpression(column, operator=operators.custom_op("+"), type_=column.type)

    def _visible(self) -> sa.ColumnElement[bool]:
        """archive.services.visibility's rule over the index row's own columns. Documents of a
        destroyed dossier are never shown (the dossier stays as a tombstone for those who may
        see tombstones)."""
        principal = self.principal
        if not may_read_records(principal):
            return sa.false()
        conditions: list[sa.ColumnElement[bool]] = []
        if principal.visible_agency_ids is not None:
            conditions.append(self._c(E.agency_id).in_(sorted(principal.visible_agency_ids)))
        destroyed = DossierStatus.DESTROYED.value
        if sees_everything_of_agency(principal):
            conditions.append(sa.or_(E.kind == "dossier", E.status != destroyed))
            return sa.and_(sa.true(), *conditions)
        valid = (
            AccessGrant.user_id == principal.user_id,
            AccessGrant.revoked_at.is_(None),
            AccessGrant.valid_until > self.now,
        )
        # Uncorrelated: evaluated once per search (a hashed subplan), not once per row.
        granted_dossiers = sa.select(AccessGrant.dossier_id).where(
            *valid, AccessGrant.dossier_id.is_not(None)
        )
        granted_documents = sa.select(AccessGrant.document_id).where(
            *valid, AccessGrant.document_id.is_not(None)
        )
        dossier_granted = self._c(E.dossier_id).in_(granted_dossiers.scalar_subquery())
        document_granted = self._c(E.record_id).in_(granted_documents.scalar_subquery())
        conditions += [
            E.status != destroyed,
            sa.or_(
                E.dossier_mode == PUBLIC, sa.and_(E.dossier_mode == CONDITIONAL, dossier_granted)
            ),
            sa.or_(
                E.mode == PUBLIC,
                sa.and_(E.mode == CONDITIONAL, sa.or_(dossier_granted, document_granted)),
            ),
        ]
        return sa.and_(*conditions)

    def _from(
        self, query: ParsedQuery, narrow: Sequence[str] = ()
    ) -> tuple[Any, list[sa.ColumnElement[bool]], Any]:
        """FROM clause, the full-text condition and the relevance in [0, 1) for the words.
        ``narrow``: words a row must also hold (see ``_narrowing``)."""
        source: Any = E.__table__
        conditions: list[sa.ColumnElement[bool]] = []
        raw: Any = None
        if self.dialect == "sqlite":
            match = fts.fts5_match(query)
            if match:
                if narrow:
                    words = " AND ".join(fts.quote(w) for w in narrow)
                    match = f"({match}) AND {fts.FOLDED_COLUMNS} : ({words})"
                table = sa.table(fts.FTS_TABLE, sa.column("rowid"))
                source = source.join(table, table.c.rowid == E.id)
                fts_column: Any = sa.literal_column(fts.FTS_TABLE)
                conditions.append(fts_column.op("MATCH")(match))
                raw = -sa.func.bm25(fts_column, *fts.BM25_WEIGHTS)
        else:
            match = fts.pg_match_tsquery(query)
            if match:
                if narrow:
                    match = f"({match}) & " + " & ".join(fts.lexeme(w) for w in narrow)
                tsv: Any = sa.literal_column("search_entries.tsv")
                conditions.append(tsv.op("@@")(fts.tsquery(match)))
                rank_query = fts.pg_rank_tsquery(query) or match
                raw = sa.func.ts_rank(
                    sa.literal_column(f"'{fts.PG_WEIGHTS}'::float4[]"),
                    tsv,
                    fts.tsquery(rank_query),
                    1,
                )
                if exact := fts.pg_exact_tsquery(query):
                    exact_rank = sa.func.ts_rank(
                        sa.literal_column("search_entries.tsv_exact"), fts.tsquery(exact), 1
                    )
                    raw = raw + fts.PG_EXACT_BOOST * exact_rank
                raw = sa.cast(raw, sa.Double)
        # Squashed into [0, 1) so that rows among the candidates (+1) rank above the others.
        score = sa.literal(0.0, sa.Double) if raw is None else raw / (raw + 1.0)
        return source, conditions, score

    def _count_upto(self, source: Any, conditions: list[sa.ColumnElement[bool]]) -> int:
        limited = sa.select(sa.literal(1)).select_from(source).where(*conditions)
        inner = limited.limit(self.candidates + 1).subquery()
        return self.session.scalar(sa.select(sa.func.count()).select_from(inner)) or 0

    def _frequencies(self, words: Sequence[str]) -> dict[str, float]:
        """Share of index rows holding each word: FTS5's vocabulary table on SQLite, the
        tsvector statistics ANALYZE keeps on PostgreSQL (a word missing there is rare)."""
        if self.dialect == "sqlite":
            vocab = sa.table("search_fts_vocab", sa.column("term"), sa.column("doc"))
            rows = self.session.execute(
                sa.select(vocab.c.term, vocab.c.doc).where(vocab.c.term.in_(list(words)))
            ).all()
            return {term: float(doc) for term, doc in rows}
        return {w: f for w, f in _pg_frequencies(self.session).items() if w in set(words)}

    def _narrowing(
        self, query: ParsedQuery, filters: list[sa.ColumnElement[bool]], total: int | None
    ) -> list[str] | None:
        """Words that cut a broad match down to at most ``candidates`` rows to rank, rarest
        first; None when the whole match is small enough to rank. Ranking computes a score
        per matched row, so over hundreds of thousands of rows it, not matching, is what
        costs; rows holding the rarest words are the ones that rank first anyway."""
        if total is None:
            source, match, _ = self._from(query)
            total = self._count_upto(source, [*match, *filters])
        if total <= self.candidates:
            return None
        frequency = self._frequencies(query.words)
        chosen: list[str] = []
        for word in sorted(query.words, key=lambda w: (frequency.get(w, 0.0), w)):
            chosen.append(word)
            source, match, _ = self._from(query, chosen)
            if self._count_upto(source, [*match, *filters]) <= self.candidates:
                break
        return chosen

    def _page(
        self,
        query: ParsedQuery,
        request: SearchRequest,
        filters: list[sa.ColumnElement[bool]],
        total: int | None,
    ) -> list[Any]:
        """The page's rows, ordered by (score descending, record id).

        For relevance over a broad match, the candidates are the newest ``candidates`` rows
        holding the narrowing words; they score 1 + relevance and all other matched rows just
        their relevance, one total order, so cursors page through every hit."""
        sort = request.effective_sort
        cursor = Cursor.decode(request.cursor, sort) if request.cursor else None
        wanted = request.limit + 1
        source, match, score = self._from(query)
        narrow = None
        if sort == "relevance" and match:
            narrow = self._narrowing(query, filters, total)
        if narrow is None:
            return self._ranked(source, [*match, *filters], score, sort, cursor, wanted)
        n_source, n_match, n_score = self._from(query, narrow)
        candidates = (
            sa.select(E.id)
            .select_from(n_source)
            .where(*n_match, *filters)
            .order_by(E.id.desc())
            .limit(self.candidates)
        )
        rows: list[Any] = []
        if cursor is None or float(cursor.key) >= 1.0:
            inner = (
                sa.select(*_DISPLAY, E.id, (n_score + 1.0).label("score"))
                .select_from(n_source)
                .where(*n_match, *filters)
                .order_by(E.id.desc())
                .limit(self.candidates)
                .subquery()
            )
            top = sa.select(*(c for c in inner.c if c.name != "id"))
            if cursor is not None:
                top = top.where(_after(inner.c.score, inner.c.record_id, cursor))
            top = top.order_by(inner.c.score.desc(), inner.c.record_id).limit(wanted)
            rows = list(self.session.execute(top).all())
            if len(rows) == wanted:
                return rows
            cursor = None
        rest = [*match, *filters, E.id.not_in(candidates.scalar_subquery())]
        return rows + self._ranked(source, rest, score, sort, cursor, wanted - len(rows))

    def _ranked(
        self,
        source: Any,
        conditions: list[sa.ColumnElement[bool]],
        score: Any,
        sort: str,
        cursor: Cursor | None,
        wanted: int,
    ) -> list[Any]:
        page = sa.select(*_DISPLAY, score.label("score")).select_from(source).where(*conditions)
        if cursor is not None:
            page = page.where(fts.after_cursor(COLUMNS, score, cursor))
        order = fts.order_by(COLUMNS, score, "date" if sort == "date" else "relevance")
        return list(self.session.execute(page.order_by(*order).limit(wanted)).all())

    def search(self, request: SearchRequest) -> SearchResult:
        query = parse_query(request.text)
        sort = request.effective_sort
        if self.dialect == "postgresql":
            # For this transaction only: bitmaps of broad words stay exact (no lossy pages to
            # recheck) and facet counts hash in memory; no JIT, whose compiling costs more
            # than these short queries gain. With words, no sequential scan: for words in
            # most rows the planner prefers one, which reads and decompresses every row's
            # tsvector, while the GIN index answers exactly without touching one.
            self.session.execute(
                sa.text(
                    "SELECT set_config('work_mem', '64MB', true), set_config('jit', 'off', true),"
                    " set_config('enable_seqscan', :seqscan, true)"
                ),
                {"seqscan": "on" if query.is_empty else "off"},
            )
        # SQLite would rather walk an index on a filter column and run the full-text query
        # once per row it finds; without those indexes FTS5 drives and each row is a rowid
        # lookup.
        self.fts_drives = self.dialect == "sqlite" and not query.is_empty
        columns = COLUMNS
        if self.fts_drives:
            columns = fts.IndexColumns(
                **{name: self._c(getattr(COLUMNS, name)) for name in COLUMNS.__dataclass_fields__}
            )
        filters = [self._visible(), *fts.filter_conditions(columns, request.filters)]
        facets: dict[str, list[FacetValue]] = {}
        total = None
        if request.facets:
            source, match, _ = self._from(query)
            facets = self._facets(source, [*match, *filters])
            total = sum(v.count for v in facets["kind"])
        rows = self._page(query, request, filters, total)
        more = len(rows) > request.limit
        rows = rows[: request.limit]
        hits = self._hits(rows, query)
        next_cursor = None
        if more and rows:
            last = rows[-1]
            key: float | str = float(last.score) if sort == "relevance" else (last.sort_date or "")
            next_cursor = Cursor(sort, key, last.record_id).encode()
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
        """Counts of every facet over the same visible, filtered hits, in one statement and one
        pass over the hits: group them once by all facet columns together (few distinct
        combinations), then add those groups up per facet."""
        facet_columns = COLUMNS.facets()
        combos = (
            sa.select(
                *(col.label(name) for name, col in facet_columns.items()),
                sa.func.count().label("n"),
            )
            .select_from(source)
            .where(*conditions)
            .group_by(*facet_columns.values())
            .cte("combos")
        )
        parts = [
            sa.select(
                sa.literal(name).label("facet"),
                sa.cast(combos.c[name], sa.String).label("value"),
                sa.func.sum(combos.c.n).label("n"),
            ).group_by(combos.c[name])
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
