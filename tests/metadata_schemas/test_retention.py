"""Retention values map to maintenance codes; review falls due on 1 January after N years."""

from __future__ import annotations

import datetime as dt

import pytest

from metadata_schemas.enums import Maintenance
from metadata_schemas.errors import InvalidValueError
from metadata_schemas.retention import (
    Conditional,
    Permanent,
    Retention,
    Years,
    is_longer,
    label_vi,
    maintenance_code,
    parse_retention,
    retention_from_code,
    review_due,
)


@pytest.mark.parametrize(
    ("retention", "code"),
    [
        (Permanent(), Maintenance.PERMANENT),
        (Years(70), Maintenance.YEARS_70),
        (Years(10), Maintenance.YEARS_10),
        (Years(15), Maintenance.OTHER),
        (Years(5), Maintenance.OTHER),
        (Conditional("Đến khi văn bản hết hiệu lực thi hành"), Maintenance.OTHER),
    ],
)
def test_retention_to_code(retention: Retention, code: Maintenance) -> None:
    assert maintenance_code(retention) is code


def test_code_to_retention() -> None:
    assert retention_from_code(Maintenance.PERMANENT) == Permanent()
    assert retention_from_code(Maintenance.YEARS_20) == Years(20)
    assert retention_from_code(Maintenance.OTHER, Years(15)) == Years(15)
    with pytest.raises(InvalidValueError):
        retention_from_code(Maintenance.OTHER)


@pytest.mark.parametrize("text", ["permanent", "years:20", "conditional:Theo tuổi thọ công trình"])
def test_stored_form_round_trips(text: str) -> None:
    assert str(parse_retention(text)) == text


@pytest.mark.parametrize("text", ["forever", "years:", "years:-3", "years:0", "conditional: "])
def test_bad_stored_form_is_rejected(text: str) -> None:
    with pytest.raises(InvalidValueError):
        parse_retention(text)


def test_vietnamese_labels() -> None:
    assert label_vi(Permanent()) == "Vĩnh viễn"
    assert label_vi(Years(15)) == "15 năm"


def test_comparison() -> None:
    assert is_longer(Permanent(), Years(70)) is True
    assert is_longer(Years(10), Years(20)) is False
    assert is_longer(Years(20), Permanent()) is False
    assert is_longer(Conditional("x"), Years(5)) is None


def test_review_due_is_first_of_january_after_n_full_years() -> None:
    assert review_due(2025, 10) == dt.date(2036, 1, 1)
    assert review_due(2020, 5) == dt.date(2026, 1, 1)
