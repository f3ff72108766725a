"""Find state-secret marks (NĐ 30/2020 Phụ lục I: TUYỆT MẬT, TỐI MẬT, MẬT) in free text.

Matching is case-insensitive and works on NFC-normalised text. A mark is found when:

* a line consists of the mark alone (the stamp as it appears in extracted text, or a
  metadata value such as ``Mật``), punctuation and spaces around it ignored;
* a labelled field names it: ``Độ mật: Tối mật``, ``Mức độ mật - MẬT``;
* the two-word marks ``tuyệt mật`` / ``tối mật`` appear anywhere as whole words.

The bare word ``mật`` inside running text is deliberately not a mark: Vietnamese uses it in
ordinary compounds (``mật khẩu``, ``bảo mật``, ``bí mật``, ``mật độ``, ``mật thiết``), and a
subject line such as "Quy chế bảo vệ bí mật nhà nước" is not itself classified.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from metadata_schemas.enums import SecrecyMark

_MARK = r"(tuyệt\s+mật|tối\s+mật|mật)"
_STANDALONE = re.compile(rf"^[\W_]*{_MARK}[\W_]*$", re.IGNORECASE | re.MULTILINE)
_LABELLED = re.compile(rf"\b(?:mức\s+)?độ\s+mật\s*[:\-–]\s*{_MARK}\b", re.IGNORECASE)
# "mật" followed by one of these words is an ordinary compound ("buổi tối mật ong"), not a mark.
_COMPOUND_TAIL = r"\s+(?:khẩu|mã|độ|ong|thiết|thư|báo|thám|ngữ)\b"
_TWO_WORD = re.compile(rf"(?<!\w)(tuyệt\s+mật|tối\s+mật)(?!\w)(?!{_COMPOUND_TAIL})", re.IGNORECASE)


@dataclass(frozen=True)
class SecrecyMarkFound:
    mark: SecrecyMark
    start: int  # offsets into the NFC-normalised text
    end: int


def _as_mark(words: str) -> SecrecyMark:
    return SecrecyMark(" ".join(words.upper().split()))


def find_secrecy_marks(text: str) -> list[SecrecyMarkFound]:
    """Every secrecy mark in ``text``, in order of position, each span reported once."""
    normalised = unicodedata.normalize("NFC", text)
    found: dict[tuple[int, int], SecrecyMark] = {}
    for pattern in (_STANDALONE, _LABELLED, _TWO_WORD):
        for match in pattern.finditer(normalised):
            found.setdefault(match.span(1), _as_mark(match[1]))
    return [SecrecyMarkFound(mark, start, end) for (start, end), mark in sorted(found.items())]


def is_secret(text: str) -> bool:
    return bool(find_secrecy_marks(text))
