"""Vietnamese text folding: one function for what is indexed and what is asked.

``fold`` drops every diacritic and maps đ/Đ to d (Unicode gives đ no decomposition, so
``unicodedata`` and SQLite's ``remove_diacritics`` both keep it), then lower-cases. ``exact``
keeps the diacritics (NFC, lower-case) for the boost given to hits typed exactly as asked.
Tokens are runs of letters and digits; everything else separates them.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_TOKEN = re.compile(r"[^\W_]+")
_D = str.maketrans({"đ": "d", "Đ": "D"})


@lru_cache(maxsize=100_000)
def _fold_piece(piece: str) -> str:
    if piece.isascii():
        return piece.lower()
    decomposed = unicodedata.normalize("NFD", piece.translate(_D))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped).lower()


def fold(text: str) -> str:
    # Piece by piece between spaces, cached: indexing folds the same few thousand words over
    # and over. A space never joins a combining sequence, so the result is the same.
    return " ".join(_fold_piece(piece) for piece in text.split(" "))


def exact(text: str) -> str:
    return unicodedata.normalize("NFC", text).lower()


def tokens(text: str) -> list[str]:
    """The tokens of already-normalised text."""
    return _TOKEN.findall(text)


def folded_tokens(text: str) -> list[str]:
    return tokens(fold(text))


def exact_tokens(text: str) -> list[str]:
    return tokens(exact(text))


def token_text(text: str, *, folded: bool = True) -> str:
    """Text as the SQL backends store it: normalised tokens joined by single spaces, so that
    SQLite's unicode61 and PostgreSQL's ``simple`` parser split it the same way."""
    return " ".join(folded_tokens(text) if folded else exact_tokens(text))


def symbol_key(symbol: str) -> str:
    """One token for a whole document symbol: ``15/QĐ-UBND`` → ``15qdubnd``."""
    return "".join(folded_tokens(symbol))


def symbol_tokens(code_number: str | None, code_notation: str | None) -> list[str]:
    """What makes a symbol findable: the whole (``15qdubnd``), the notation alone
    (``qdubnd``), the number, and each part (``qd``, ``ubnd``)."""
    number = (code_number or "").strip()
    notation = (code_notation or "").strip()
    if not number and not notation:
        return []
    out: list[str] = []
    if number and notation:
        out.append(symbol_key(f"{number}/{notation}"))
    if notation:
        out.append(symbol_key(notation))
    out.extend(folded_tokens(number))
    out.extend(folded_tokens(notation))
    return list(dict.fromkeys(t for t in out if t))
