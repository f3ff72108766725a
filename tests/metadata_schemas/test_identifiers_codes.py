"""fileCode, docId and docCode: composition, parsing and the part that is wrong."""

from __future__ import annotations

import pytest

from metadata_schemas.errors import InvalidValueError
from metadata_schemas.identifiers import (
    DocCode,
    doc_id_within_limit,
    parse_doc_code,
    parse_doc_id,
    parse_file_code,
)


def test_file_code_parts() -> None:
    file_code = parse_file_code("000.00.00.H41.2025.01.TCCB")
    assert str(file_code.organisation) == "000.00.00.H41"
    assert file_code.year == 2025
    assert file_code.dossier_number == "01.TCCB"
    assert str(file_code) == "000.00.00.H41.2025.01.TCCB"


@pytest.mark.parametrize(
    ("text", "part"),
    [
        ("000.00.00.H41.2025", "file_code"),  # no dossier number
        ("000.00.00.H41.25.01.TCCB", "year"),
        ("000.00.00.H41.0000.01.TCCB", "year"),
        ("000.00.00.X41.2025.01.TCCB", "organisation_code.level1"),
        ("H49.64.33.2001.160", "organisation_code"),  # TT05 sample order, level 1 first
        ("000.00.00.H41.2025.TCCB", "dossier_number"),  # must start with its number
        ("000.00.00.H41.2025.01.TỔ CHỨC", "dossier_number"),
        ("000.00.00.H41.2025.01.ABCDEFGHIJKLMNOPQRS", "dossier_number"),  # 22 > 20
        ("000.00.00.H41.2025." + "1" * 90, "file_code"),  # > 100
    ],
)
def test_wrong_file_code_part_is_named(text: str, part: str) -> None:
    with pytest.raises(InvalidValueError) as wrong:
        parse_file_code(text)
    assert wrong.value.part == part


def test_doc_id_is_file_code_and_sequence() -> None:
    doc_id = parse_doc_id("000.00.00.H41.2025.01.TCCB.12")
    assert doc_id.sequence == 12
    assert str(doc_id.file_code) == "000.00.00.H41.2025.01.TCCB"
    assert str(doc_id) == "000.00.00.H41.2025.01.TCCB.12"


@pytest.mark.parametrize("text", ["000.00.00.H41.2025.01.TCCB.0", "000.00.00.H41.2025.01.TCCB.x"])
def test_doc_id_sequence_must_be_positive(text: str) -> None:
    with pytest.raises(InvalidValueError) as wrong:
        parse_doc_id(text)
    assert wrong.value.part == "sequence"


def test_doc_id_length_limit_is_a_separate_check() -> None:
    real = "000.00.00.H41.2025.01.TCCB.1"  # a valid composition, 28 characters
    assert parse_doc_id(real).sequence == 1
    assert not doc_id_within_limit(real)
    assert doc_id_within_limit("000.00.00.H41.2025.1.1")


def test_doc_code_pads_the_sequence_to_seven_digits() -> None:
    doc_code = parse_doc_code("000.00.00.H41.2025.01.TCCB.0000012")
    assert doc_code.sequence == 12
    assert str(doc_code) == "000.00.00.H41.2025.01.TCCB.0000012"
    assert str(DocCode(doc_code.file_code, 3)).endswith(".TCCB.0000003")


@pytest.mark.parametrize(
    ("text", "part"),
    [
        ("000.00.00.H41.2025.01.TCCB.12", "sequence"),
        ("000.00.00.H41.2025.01.TCCB.0000000", "sequence"),
        ("000.00.00.H41.2025.01.TCCB.00000012", "sequence"),
        ("000.00.00.H41.20X5.01.TCCB.0000012", "year"),
        ("0000012", "doc_code"),
    ],
)
def test_wrong_doc_code_part_is_named(text: str, part: str) -> None:
    with pytest.raises(InvalidValueError) as wrong:
        parse_doc_code(text)
    assert wrong.value.part == part
