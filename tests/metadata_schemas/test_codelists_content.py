"""The code lists say what TT05 and NĐ 30/2020 say (REFERENCE.md §2.7, §2.8, §3.4)."""

from __future__ import annotations

from metadata_schemas.codelists import (
    CONFIDENCE_LEVEL,
    LANGUAGE,
    MAINTENANCE,
    MODE,
    PHYSICAL_CONDITION,
    SECRECY_MARK,
    TYPE_NAME,
    URGENCY_MARK,
)
from metadata_schemas.enums import TypeName


def numbered(count: int) -> tuple[str, ...]:
    return tuple(f"{number:02d}" for number in range(1, count + 1))


def test_list_sizes_and_codes() -> None:
    assert MAINTENANCE.code_values() == numbered(7)
    assert MODE.code_values() == numbered(3)
    assert LANGUAGE.code_values() == numbered(11)
    assert CONFIDENCE_LEVEL.code_values() == numbered(3)
    assert PHYSICAL_CONDITION.code_values() == numbered(3)
    assert TYPE_NAME.code_values() == numbered(32)


def test_maintenance_years() -> None:
    assert [item.years for item in MAINTENANCE.codes] == [None, 70, 50, 30, 20, 10, None]
    assert MAINTENANCE.by_code("01").vi == "Vĩnh viễn"


def test_type_abbreviations_follow_nd30_appendix_iii() -> None:
    abbreviations = {item.code: item.abbreviation for item in TYPE_NAME.codes}
    assert abbreviations[TypeName.QUYET_DINH] == "QĐ"
    assert abbreviations[TypeName.QUY_DINH] == "QyĐ"
    assert abbreviations[TypeName.TO_TRINH] == "TTr"
    without = {code for code, abbreviation in abbreviations.items() if abbreviation is None}
    assert without == {"22", "29", "30", "31", "32"}  # công văn, thư công, bản đồ, bản vẽ, khác
    assert "CV" not in abbreviations.values()


def test_marks() -> None:
    assert SECRECY_MARK.code_values() == ("TUYỆT MẬT", "TỐI MẬT", "MẬT")
    assert URGENCY_MARK.code_values() == ("HỎA TỐC", "THƯỢNG KHẨN", "KHẨN")
