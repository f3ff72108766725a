"""Organisation codes per QĐ 20/2020: LLL.KK.JJ.Xnn, letter groups A–K, parent codes."""

from __future__ import annotations

import pytest

from metadata_schemas.errors import InvalidValueError
from metadata_schemas.identifiers import parse_organisation_code


def test_levels_are_parsed() -> None:
    code = parse_organisation_code("001.02.04.H41")
    assert (code.level4, code.level3, code.level2, code.level1) == ("001", "02", "04", "H41")
    assert code.group == "H"
    assert code.depth == 4
    assert str(code) == "001.02.04.H41"


@pytest.mark.parametrize(
    ("code", "parent"),
    [
        ("000.00.04.G14", "000.00.00.G14"),
        ("001.02.04.H41", "000.02.04.H41"),
        ("000.02.04.H41", "000.00.04.H41"),
    ],
)
def test_parent_is_one_level_up(code: str, parent: str) -> None:
    found = parse_organisation_code(code).parent()
    assert found is not None and str(found) == parent


def test_level1_body_has_no_parent() -> None:
    code = parse_organisation_code("000.00.00.H41")
    assert code.parent() is None and code.depth == 1


@pytest.mark.parametrize(
    ("text", "part"),
    [
        ("000.00.00", "organisation_code"),
        ("H49.64.33.000", "organisation_code"),  # level 1 written first
        ("00.00.00.H41", "organisation_code.level4"),
        ("000.0A.00.H41", "organisation_code.level3"),
        ("000.00.4.H41", "organisation_code.level2"),
        ("000.00.00.L41", "organisation_code.level1"),  # no group L
        ("000.00.00.h41", "organisation_code.level1"),
        ("000.00.00.H4", "organisation_code.level1"),
        ("000.02.00.H41", "organisation_code.level3"),  # level 3 under an unused level 2
        ("001.00.04.H41", "organisation_code.level4"),
    ],
)
def test_wrong_part_is_named(text: str, part: str) -> None:
    with pytest.raises(InvalidValueError) as wrong:
        parse_organisation_code(text)
    assert wrong.value.part == part
