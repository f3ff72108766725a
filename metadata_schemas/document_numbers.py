"""Document number and symbol (số và ký hiệu), as printed: ``15/QĐ-UBND``, ``05/BNV-VP``.

NĐ 30/2020: the number (zero-padded below 10) and the symbol are joined by "/", symbol groups by
"-". The symbol is the type abbreviation (Phụ lục III) + the issuer's abbreviation; a công văn
has no type abbreviation, only issuer + drafting unit. Normative documents also carry the year
(``30/2020/NĐ-CP``); their types (NĐ, TT …) are not in the TT05 typeName list, so for them
every group is reported as an issuer part.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from metadata_schemas.codelists import COPY_FORM, TYPE_NAME
from metadata_schemas.enums import CopyForm, TypeName
from metadata_schemas.errors import InvalidValueError

CODE_NUMBER_MAX_LENGTH = 11  # TT05 codeNumber
CODE_NOTATION_MAX_LENGTH = 30  # TT05 codeNotation

_NUMBER_AND_SYMBOL = re.compile(r"(?P<number>\d+)(?:/(?P<year>\d{4}))?/(?P<symbol>.*)")
_NUMBER = re.compile(r"\d{2,}")
_GROUP = re.compile(r"[^\W\d_][\w&]*")
_TYPE_ABBREVIATIONS = {
    item.abbreviation: TypeName(item.code) for item in TYPE_NAME.codes if item.abbreviation
}
_COPY_ABBREVIATIONS = {
    item.abbreviation: CopyForm(item.code) for item in COPY_FORM.codes if item.abbreviation
}


@dataclass(frozen=True)
class CodeNotation:
    """A symbol split into its groups: ``QĐ-UBND`` → type QĐ, issuer parts (UBND,)."""

    text: str
    type_abbreviation: str | None
    type_name: TypeName | None
    copy_form: CopyForm | None
    issuer_parts: tuple[str, ...]


@dataclass(frozen=True)
class DocumentNumber:
    number: str
    year: int | None
    notation: CodeNotation

    def __str__(self) -> str:
        year = "" if self.year is None else f"/{self.year:04d}"
        return f"{self.number}{year}/{self.notation.text}"


def parse_code_notation(text: str) -> CodeNotation:
    if len(text) > CODE_NOTATION_MAX_LENGTH:
        raise InvalidValueError("symbol", f"longer than {CODE_NOTATION_MAX_LENGTH} characters")
    groups = tuple(text.split("-"))
    if len(groups) < 2 or not all(_GROUP.fullmatch(group) for group in groups):
        raise InvalidValueError(
            "symbol", f"{text!r} is not abbreviations joined by '-' (e.g. QĐ-UBND, BNV-VP)"
        )
    first = groups[0]
    type_name = _TYPE_ABBREVIATIONS.get(first)
    copy_form = _COPY_ABBREVIATIONS.get(first)
    if type_name is None and copy_form is None:
        return CodeNotation(text, None, None, None, groups)
    return CodeNotation(text, first, type_name, copy_form, groups[1:])


def parse_document_number(text: str) -> DocumentNumber:
    """Split ``15/QĐ-UBND`` (or ``30/2020/NĐ-CP``) into number, year and symbol parts."""
    match = _NUMBER_AND_SYMBOL.fullmatch(text)
    if match is None:
        raise InvalidValueError("number", f"{text!r} does not start with a number and '/'")
    number = match["number"]
    if not _NUMBER.fullmatch(number) or len(number) > CODE_NUMBER_MAX_LENGTH:
        raise InvalidValueError(
            "number",
            f"{number!r} must be zero-padded to 2 digits, at most {CODE_NUMBER_MAX_LENGTH}",
        )
    year = None if match["year"] is None else int(match["year"])
    return DocumentNumber(number, year, parse_code_notation(match["symbol"]))
