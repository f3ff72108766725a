"""Retention values (thời hạn lưu trữ) and their TT05 maintenance codes.

A retention is permanent, a number of years, or a condition in words ("Đến khi văn bản hết
hiệu lực thi hành"). Codes 01–06 carry a fixed value; everything else (5 or 15 years, any
condition) is code 07 "Khác" with its own value beside it (REFERENCE.md §4.2).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from metadata_schemas.codelists import MAINTENANCE
from metadata_schemas.enums import Maintenance
from metadata_schemas.errors import InvalidValueError


@dataclass(frozen=True)
class Permanent:
    def __str__(self) -> str:
        return "permanent"


@dataclass(frozen=True)
class Years:
    years: int

    def __post_init__(self) -> None:
        if self.years < 1:
            raise InvalidValueError("retention", f"{self.years} is not a number of years")

    def __str__(self) -> str:
        return f"years:{self.years}"


@dataclass(frozen=True)
class Conditional:
    condition: str

    def __post_init__(self) -> None:
        if not self.condition.strip():
            raise InvalidValueError("retention", "a conditional retention needs its condition")

    def __str__(self) -> str:
        return f"conditional:{self.condition}"


Retention = Permanent | Years | Conditional

_YEARS_BY_CODE = {Maintenance(item.code): item.years for item in MAINTENANCE.codes if item.years}
_CODE_BY_YEARS = {years: code for code, years in _YEARS_BY_CODE.items()}


def parse_retention(text: str) -> Retention:
    """The stored form: ``permanent``, ``years:<n>`` or ``conditional:<text>``."""
    kind, _, value = text.partition(":")
    if kind == "permanent" and not value:
        return Permanent()
    if kind == "years" and value.isdigit():
        return Years(int(value))
    if kind == "conditional":
        return Conditional(value)
    raise InvalidValueError("retention", f"{text!r} is not permanent, years:<n> or conditional:…")


def maintenance_code(retention: Retention) -> Maintenance:
    if isinstance(retention, Permanent):
        return Maintenance.PERMANENT
    if isinstance(retention, Years):
        return _CODE_BY_YEARS.get(retention.years, Maintenance.OTHER)
    return Maintenance.OTHER


def retention_from_code(code: Maintenance, other: Years | Conditional | None = None) -> Retention:
    """The retention a code stands for; code 07 needs its own value in ``other``."""
    if code is Maintenance.PERMANENT:
        return Permanent()
    if code is Maintenance.OTHER:
        if other is None:
            raise InvalidValueError("retention", "code 07 (Khác) needs its years or condition")
        return other
    return Years(_YEARS_BY_CODE[code])


def label_vi(retention: Retention) -> str:
    if isinstance(retention, Permanent):
        return "Vĩnh viễn"
    if isinstance(retention, Years):
        return f"{retention.years} năm"
    return retention.condition


def is_longer(first: Retention, second: Retention) -> bool | None:
    """Whether ``first`` outlasts ``second``; None when a condition makes it undecidable."""
    if isinstance(first, Conditional) or isinstance(second, Conditional):
        return None
    if isinstance(second, Permanent):
        return False
    if isinstance(first, Permanent):
        return True
    return first.years > second.years


def review_due(end_year: int, years: int) -> dt.date:
    """1 January of ``end_year + years + 1``: the first day a dossier whose work ended in
    ``end_year`` has been kept ``years`` full calendar years (REFERENCE.md §4.3)."""
    return dt.date(end_year + years + 1, 1, 1)
