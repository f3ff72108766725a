"""TT05 descriptive dates: ``DD/MM/YYYY``, and in archival (AIP) descriptions also ``MM/YYYY``
or ``YYYY``, parsed into typed values."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from metadata_schemas.errors import InvalidValueError

_DAY_MONTH_YEAR = re.compile(r"(\d{2})/(\d{2})/(\d{4})")
_MONTH_YEAR = re.compile(r"(\d{2})/(\d{4})")
_YEAR = re.compile(r"\d{4}")


@dataclass(frozen=True)
class PartialDate:
    """A date known to the day, the month or only the year."""

    year: int
    month: int | None = None
    day: int | None = None

    def earliest(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    def latest(self) -> dt.date:
        month = self.month or 12
        return dt.date(self.year, month, self.day or calendar.monthrange(self.year, month)[1])

    def __str__(self) -> str:
        if self.day is not None and self.month is not None:
            return f"{self.day:02d}/{self.month:02d}/{self.year:04d}"
        if self.month is not None:
            return f"{self.month:02d}/{self.year:04d}"
        return f"{self.year:04d}"


def _checked_year(text: str) -> int:
    year = int(text)
    if year < 1:
        raise InvalidValueError("year", f"{text!r} is not a year")
    return year


def parse_date(text: str) -> dt.date:
    """A ``DD/MM/YYYY`` date (zero-padded, a real calendar day), as SIP and DIP requests use."""
    match = _DAY_MONTH_YEAR.fullmatch(text)
    if match is None:
        raise InvalidValueError("date", f"{text!r} is not DD/MM/YYYY")
    day, month, year = int(match[1]), int(match[2]), _checked_year(match[3])
    try:
        return dt.date(year, month, day)
    except ValueError as error:
        raise InvalidValueError("date", f"{text!r}: {error}") from None


def parse_partial_date(text: str) -> PartialDate:
    """A ``DD/MM/YYYY``, ``MM/YYYY`` or ``YYYY`` date, as AIP descriptions allow."""
    if _DAY_MONTH_YEAR.fullmatch(text):
        full = parse_date(text)
        return PartialDate(full.year, full.month, full.day)
    match = _MONTH_YEAR.fullmatch(text)
    if match is not None:
        month = int(match[1])
        if not 1 <= month <= 12:
            raise InvalidValueError("date", f"{text!r}: month must be 01–12")
        return PartialDate(_checked_year(match[2]), month)
    if _YEAR.fullmatch(text):
        return PartialDate(_checked_year(text))
    raise InvalidValueError("date", f"{text!r} is not DD/MM/YYYY, MM/YYYY or YYYY")


def format_date(value: dt.date) -> str:
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"
