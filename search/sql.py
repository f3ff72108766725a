"""SQL pieces of the embedded search, independent of the catalog models: full-text match and
rank expressions for SQLite FTS5 and PostgreSQL tsquery, filters, facets and keyset cursors.

Both backends see the same normalised tokens (search.texts), so for the same query they
match the same rows; only the rank formula differs (FTS5 ``bm25()`` with column weights,
PostgreSQL ``ts_rank`` over setweight A/B/D plus a boost from the unfolded text).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import TSQUERY

from search.query import ParsedQuery
from search.spec import Cursor, SearchFilters, Sort

FTS_TABLE = "search_fts"
FOLDED_COLUMNS = "{f_title f_meta f_symbol f_body}"
# bm25() weights for f_title, f_meta, f_symbol, f_body, x_text (title and subject weigh most;
# x_text only holds words typed with their diacritics, so its weight is the exact-match boost).
BM25_WEIGHTS = (8.0, 3.0, 3.0, 1.0, 2.0)
# ts_rank weights for D, C, B, A (body, -, metadata and symbol, title and subject).
PG_WEIGHTS = "{0.1, 0.2, 0.4, 1.0}"
PG_EXACT_BOOST = 0.5


def quote(token: str) -> str:
    """A token as an FTS5 string."""
    return '"' + token.replace('"', '""') + '"'


def fts5_match(query: ParsedQuery) -> str | None:
    """An FTS5 MATCH expression: required phrases/symbols AND any of the words."""
    required = [quote(" ".join(p.folded)) for p in query.phrases]
    required += [f"f_symbol : {quote(s)}" for s in query.symbols]
    optional = [quote(w) for w in query.words] + [f"{quote(p)} *" for p in query.prefixes]
    exact = [quote(w) for w in query.exact_words]
    if not required and not optional:
        return None
    folded_any = f"{FOLDED_COLUMNS} : ({' OR '.join(optional)})" if optional else None
    boost = f"x_text : ({' OR '.join(exact)})" if exact else None
    if not required:
        return " OR ".join(x for x in (folded_any, boost) if x)
    required_all = f"{FOLDED_COLUMNS} : ({' AND '.join(required)})"
    if not optional:
        return required_all
    # Repeating the required part inside the OR keeps the words optional while bm25() still
    # sees them.
    return f"{required_all} AND ({' OR '.join(x for x in (folded_any, boost, required_all) if x)})"


def lexeme(token: str) -> str:
    """A token as a tsquery lexeme."""
    return "'" + token.replace("'", "''").replace("\\", "\\\\") + "'"


def _pg_parts(query: ParsedQuery) -> tuple[list[str], list[str]]:
    required = ["(" + " <-> ".join(lexeme(t) for t in p.folded) + ")" for p in query.phrases]
    required += [lexeme(s) for s in query.symbols]
    optional = [lexeme(w) for w in query.words] + [f"{lexeme(p)}:*" for p in query.prefixes]
    return required, optional


def pg_match_tsquery(query: ParsedQuery) -> str | None:
    required, optional = _pg_parts(query)
    if required:
        return " & ".join(required)
    return " | ".join(optional) or None


def pg_rank_tsquery(query: ParsedQuery) -> str | None:
    required, optional = _pg_parts(query)
    return " | ".join(required + optional) or None


def pg_exact_tsquery(query: ParsedQuery) -> str | None:
    return " | ".join(lexeme(w) for w in query.exact_words) or None


MAX_POSITION = 16383  # PostgreSQL's last word position; later words all share it
MAX_POSITIONS = 255  # positions kept per lexeme
MAX_LEXEME_BYTES = 2047  # to_tsvector skips longer words


_LABELS: dict[str, list[str]] = {}


def _labels(weight: str) -> list[str]:
    """Position labels ``1A`` … ``16383A`` (unmarked for D), made once: indexing writes
    hundreds of them per row."""
    labels = _LABELS.get(weight)
    if labels is None:
        mark = "" if weight == "D" else weight
        labels = _LABELS[weight] = [""] + [f"{p}{mark}" for p in range(1, MAX_POSITION + 1)]
    return labels


def tsvector_literal(fields: Sequence[tuple[str, str]]) -> str:
    """The text form of ``setweight(to_tsvector('simple', f1), w1) || …`` for fields of
    already-normalised tokens (search.texts): built here so that indexing does not make
    PostgreSQL parse every text again, and so that the tsvector holds exactly the lexemes
    the queries are built from. Weight ``D`` is the unmarked default."""
    positions: dict[str, list[str]] = {}
    offset = 0
    for text, weight in fields:
        tokens = text.split()
        labels = _labels(weight)
        start = min(offset + 1, MAX_POSITION)
        row = labels[start : start + len(tokens)]
        if len(row) < len(tokens):  # past the last position: the rest share it
            row += [labels[MAX_POSITION]] * (len(tokens) - len(row))
        for token, label in zip(tokens, row, strict=True):
            slots = positions.get(token)
            if slots is None:
                positions[token] = [label]
            else:
                slots.append(label)
        offset += len(tokens)
    parts = []
    for word in sorted(positions):
        if len(word) * 4 > MAX_LEXEME_BYTES and len(word.encode()) > MAX_LEXEME_BYTES:
            continue
        slots = positions[word]
        quoted = word if word.isalnum() else lexeme(word)[1:-1]
        parts.append(f"'{quoted}':{','.join(slots[:MAX_POSITIONS])}")
    return " ".join(parts)


def tsquery(text: str) -> sa.ColumnElement[str]:
    """A tsquery from lexemes already normalised in Python (no second parse)."""
    return sa.cast(sa.literal(text), TSQUERY)


Column = Any  # a column expression: a Core column or an ORM attribute


@dataclass(frozen=True)
class IndexColumns:
    """The columns of the flat index that filters, facets and cursors use."""

    record_id: Column
    kind: Column
    agency_code: Column
    year: Column
    type_name: Column
    maintenance: Column
    mode: Column
    status: Column
    sort_date: Column

    def facets(self) -> dict[str, Column]:
        return {
            "kind": self.kind,
            "agency": self.agency_code,
            "year": self.year,
            "type": self.type_name,
            "maintenance": self.maintenance,
            "mode": self.mode,
            "status": self.status,
        }

    def date_key(self) -> Column:
        return sa.func.coalesce(self.sort_date, "")


def filter_conditions(cols: IndexColumns, filters: SearchFilters) -> list[sa.ColumnElement[bool]]:
    conditions: list[sa.ColumnElement[bool]] = []
    for column, values in (
        (cols.agency_code, filters.agencies),
        (cols.type_name, filters.types),
        (cols.maintenance, filters.maintenance),
        (cols.mode, filters.modes),
        (cols.status, filters.statuses),
        (cols.kind, filters.kinds),
    ):
        if values:
            conditions.append(column.in_(values))
    if filters.year_from is not None:
        conditions.append(cols.year >= filters.year_from)
    if filters.year_to is not None:
        conditions.append(cols.year <= filters.year_to)
    return conditions


def after_cursor(cols: IndexColumns, score: Column, cursor: Cursor) -> sa.ColumnElement[bool]:
    """Rows strictly after the cursor in (key descending, record id ascending) order."""
    key: Column = score if cursor.sort == "relevance" else cols.date_key()
    return sa.or_(key < cursor.key, sa.and_(key == cursor.key, cols.record_id > cursor.record_id))


def order_by(cols: IndexColumns, score: Column, sort: Sort) -> list[Column]:
    key: Column = score if sort == "relevance" else cols.date_key()
    return [key.desc(), cols.record_id.asc()]
