"""TT05 dates: DD/MM/YYYY everywhere, MM/YYYY and YYYY also in AIP descriptions."""

from __future__ import annotations

import datetime as dt

import pytest

from metadata_schemas.dates import PartialDate, format_date, parse_date, parse_partial_date
from metadata_schemas.errors import InvalidValueError


def test_day_month_year() -> None:
    assert parse_date("05/01/2025") == dt.date(2025, 1, 5)
    assert format_date(dt.date(2025, 1, 5)) == "05/01/2025"


@pytest.mark.parametrize(
    "text", ["2025/01/05", "2025-01-05", "5/1/2025", "30/02/2025", "01/13/2025", "00/01/2025"]
)
def test_bad_full_date_is_rejected(text: str) -> None:
    with pytest.raises(InvalidValueError):
        parse_date(text)


@pytest.mark.parametrize(
    ("text", "expected", "earliest", "latest"),
    [
        ("29/02/2024", PartialDate(2024, 2, 29), dt.date(2024, 2, 29), dt.date(2024, 2, 29)),
        ("02/2025", PartialDate(2025, 2), dt.date(2025, 2, 1), dt.date(2025, 2, 28)),
        ("1975", PartialDate(1975), dt.date(1975, 1, 1), dt.date(1975, 12, 31)),
    ],
)
def test_partial_dates(
    text: str, expected: PartialDate, earliest: dt.date, latest: dt.date
) -> None:
    parsed = parse_partial_date(text)
    assert parsed == expected
    assert (parsed.earliest(), parsed.latest()) == (earliest, latest)
    assert str(parsed) == text


@pytest.mark.parametrize("text", ["13/2025", "2025/02", "29/02/2025", "75", "0000"])
def test_bad_partial_date_is_rejected(text: str) -> None:
    with pytest.raises(InvalidValueError):
        parse_partial_date(text)
