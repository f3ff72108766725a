"""Document number/symbol (số và ký hiệu) splits into number, type abbreviation and issuer."""

from __future__ import annotations

import pytest

from metadata_schemas.document_numbers import parse_code_notation, parse_document_number
from metadata_schemas.enums import CopyForm, TypeName
from metadata_schemas.errors import InvalidValueError


def test_decision_of_a_peoples_committee() -> None:
    number = parse_document_number("15/QĐ-UBND")
    assert number.number == "15" and number.year is None
    assert number.notation.type_abbreviation == "QĐ"
    assert number.notation.type_name is TypeName.QUYET_DINH
    assert number.notation.issuer_parts == ("UBND",)
    assert str(number) == "15/QĐ-UBND"


def test_official_letter_has_no_type_abbreviation() -> None:
    notation = parse_document_number("05/BNV-VP").notation
    assert notation.type_abbreviation is None and notation.type_name is None
    assert notation.issuer_parts == ("BNV", "VP")


def test_mixed_case_abbreviations() -> None:
    assert parse_code_notation("QyĐ-BNV").type_name is TypeName.QUY_DINH
    assert parse_code_notation("TTr-SNV").type_name is TypeName.TO_TRINH


def test_copy_abbreviation() -> None:
    notation = parse_code_notation("SY-UBND")
    assert notation.copy_form is CopyForm.SAO_Y and notation.type_name is None
    assert notation.issuer_parts == ("UBND",)


def test_normative_document_with_year() -> None:
    number = parse_document_number("30/2020/NĐ-CP")
    assert (number.number, number.year) == ("30", 2020)
    assert number.notation.issuer_parts == ("NĐ", "CP")


@pytest.mark.parametrize(
    ("text", "part"),
    [
        ("5/QĐ-UBND", "number"),  # numbers below 10 are zero-padded
        ("QĐ-UBND", "number"),
        ("123456789012/QĐ-UBND", "number"),
        ("15/QĐUBND", "symbol"),  # one group only
        ("15/QĐ--UBND", "symbol"),
        ("15/QĐ - UBND", "symbol"),
        ("15/QĐ-" + "A" * 30, "symbol"),
    ],
)
def test_wrong_part_is_named(text: str, part: str) -> None:
    with pytest.raises(InvalidValueError) as wrong:
        parse_document_number(text)
    assert wrong.value.part == part
