"""The query language: words in any order, "exact phrases", document symbols, prefix*.

Words and prefixes are optional (a record matching any of them is a hit, ranked by how well
it matches); phrases and symbols are required. ``15/QĐ-UBND`` is recognised as a symbol and
looked up as one token; its parts typed alone ("UBND", "qd") are ordinary words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from search.folding import exact, exact_tokens, fold, folded_tokens, symbol_key

MAX_TERMS = 32
_PART = re.compile(r'"([^"]*)"?|(\S+)')
_SYMBOL = re.compile(r"[^\W_]+(?:[/-][^\W_]+)+")
_HAS_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class Phrase:
    folded: tuple[str, ...]
    exact: tuple[str, ...]


@dataclass
class ParsedQuery:
    text: str = ""
    words: list[str] = field(default_factory=list)  # folded
    exact_words: list[str] = field(default_factory=list)  # as typed (lower-case), for the boost
    prefixes: list[str] = field(default_factory=list)  # folded
    phrases: list[Phrase] = field(default_factory=list)
    symbols: list[str] = field(default_factory=list)  # symbol keys (``15qdubnd``)

    @property
    def is_empty(self) -> bool:
        return not (self.words or self.prefixes or self.phrases or self.symbols)

    @property
    def has_required(self) -> bool:
        return bool(self.phrases or self.symbols)

    def highlight_terms(self) -> tuple[frozenset[str], tuple[str, ...]]:
        """Folded tokens to mark in a snippet, and folded prefixes."""
        terms = set(self.words)
        for phrase in self.phrases:
            terms.update(phrase.folded)
        return frozenset(terms), tuple(self.prefixes)


def _is_symbol(part: str) -> bool:
    return bool(_SYMBOL.fullmatch(part)) and bool(_HAS_LETTER.search(part))


def parse_query(text: str) -> ParsedQuery:
    query = ParsedQuery(text=text.strip())
    typed_diacritics = exact(text) != fold(text)
    for match in _PART.finditer(text):
        quoted, bare = match.group(1), match.group(2)
        if quoted is not None:
            folded = tuple(folded_tokens(quoted))
            if folded:
                query.phrases.append(Phrase(folded, tuple(exact_tokens(quoted))))
            continue
        part = bare.strip(".,;:!?()[]{}'")
        if _is_symbol(part):
            query.symbols.append(symbol_key(part))
        elif part.endswith("*") and folded_tokens(part):
            *whole, last = folded_tokens(part)
            query.words.extend(whole)
            query.prefixes.append(last)
        else:
            query.words.extend(folded_tokens(part))
            if typed_diacritics:
                query.exact_words.extend(exact_tokens(part))
    query.words = list(dict.fromkeys(query.words))[:MAX_TERMS]
    query.exact_words = list(dict.fromkeys(query.exact_words))[:MAX_TERMS]
    query.prefixes = list(dict.fromkeys(query.prefixes))[:MAX_TERMS]
    query.symbols = list(dict.fromkeys(query.symbols))[:MAX_TERMS]
    query.phrases = query.phrases[:MAX_TERMS]
    return query
