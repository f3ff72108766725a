"""From an index row to the texts the SQL backends store, and snippets with <mark>."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from metadata_schemas.codelists import TYPE_NAME
from search.folding import fold, symbol_tokens, token_text
from search.query import ParsedQuery
from search.spec import IndexRow

_WORD = re.compile(r"[^\W_]+")
_TYPE_LABELS = {item.code: item.vi for item in TYPE_NAME.codes}


@dataclass(frozen=True)
class IndexTexts:
    """Normalised token texts: folded fields weighted title > metadata/symbol > body, and the
    unfolded text for the exact-diacritics boost."""

    f_title: str
    f_meta: str
    f_symbol: str
    f_body: str
    x_text: str


def _join(*parts: str | None) -> str:
    return " ".join(p for p in parts if p)


def meta_text(row: IndexRow) -> str:
    notation = f"{row.code_number}/{row.code_notation}" if row.code_number else row.code_notation
    type_label = _TYPE_LABELS.get(row.type_name or "")
    return _join(row.file_code, notation, type_label, row.organ_name, row.signer, row.keywords)


def index_texts(row: IndexRow) -> IndexTexts:
    title = _join(row.title, row.subject)
    body = None if row.tombstone else row.text
    return IndexTexts(
        f_title=token_text(title),
        f_meta=token_text(meta_text(row)),
        f_symbol=" ".join(symbol_tokens(row.code_number, row.code_notation)),
        f_body=token_text(body or ""),
        x_text=token_text(_join(title, meta_text(row), body), folded=False),
    )


def _marks(word: str, terms: frozenset[str], prefixes: tuple[str, ...]) -> bool:
    folded = fold(word)
    return folded in terms or any(folded.startswith(p) for p in prefixes)


def snippet(text: str | None, query: ParsedQuery, width: int = 220) -> str | None:
    """An HTML-safe excerpt around the first matching word, matches wrapped in <mark>."""
    if not text:
        return None
    terms, prefixes = query.highlight_terms()
    words = list(_WORD.finditer(text))
    hits = [m for m in words if _marks(m.group(), terms, prefixes)]
    if not hits and not query.is_empty:
        return None
    start = 0
    if hits:
        start = max(0, hits[0].start() - width // 3)
        while start > 0 and not text[start - 1].isspace():
            start -= 1
    end = min(len(text), start + width)
    while end < len(text) and not text[end].isspace():
        end += 1
    out: list[str] = ["…" if start > 0 else ""]
    position = start
    for match in hits:
        if match.start() < start:
            continue
        if match.end() > end:
            break
        out.append(html.escape(text[position : match.start()]))
        out.append(f"<mark>{html.escape(match.group())}</mark>")
        position = match.end()
    out.append(html.escape(text[position:end]))
    out.append("…" if end < len(text) else "")
    return " ".join("".join(out).split())
