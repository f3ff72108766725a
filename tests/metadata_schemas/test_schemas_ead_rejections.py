"""Each kind of bad value is rejected by the schema, with the line of the offending element."""

from __future__ import annotations

import pytest

from metadata_schemas.schemas import validate
from metadata_schemas.xml import parse_xml
from tests.metadata_schemas.ead_samples import SAMPLES, line_of, to_xml

BAD_VALUES = [
    # code outside its list
    ("EAD_SIP", "maintenance", "08"),
    ("EAD_AIP", "mode", "04"),
    ("EAD_AIP", "format", "Tốt"),  # the AIP stores the physical-condition code
    ("EAD_doc_SIP", "typeName", "33"),
    ("EAD_doc_AIP", "confidenceLevel", "04"),
    ("EAD_doc_DIP", "riskRecoveryStatus", "03"),
    ("EAD_pic", "typePic", "03"),
    ("EAD_pic", "colour", "03"),
    ("EAD_media", "typeMedia", "03"),
    ("EAD_DIP_request", "purpose", "04"),
    ("EAD_DIP_request", "feeObjectType", "11"),
    ("EAD_SIP", "language", "12"),
    ("EAD_SIP", "language", "01,02"),
    # too long
    ("EAD_SIP", "title", "x" * 1001),
    ("EAD_SIP", "description", "x" * 2001),
    ("EAD_doc_SIP", "subject", "x" * 501),
    ("EAD_doc_SIP", "codeNumber", "1" * 12),
    ("EAD_doc_SIP", "codeNotation", "Q" * 31),
    ("EAD_doc_AIP", "organName", "x" * 201),
    ("EAD_pic", "imageTitle", "x" * 501),
    ("EAD_DIP_request", "researchTopic", "x" * 251),
    ("EAD_SIP", "totalDoc", "12345678901"),
    ("EAD_doc_SIP", "numberOfPage", "12345"),
    # dates in the wrong format
    ("EAD_SIP", "startDate", "2025/01/05"),
    ("EAD_SIP", "endDate", "12/30/2025"),
    ("EAD_doc_SIP", "issuedDate", "01/2025"),  # partial dates only in AIP/DIP
    ("EAD_AIP", "endDate", "2025-12"),
    ("EAD_DIP_request", "requestDate", "2025-12-01"),
    ("EAD_media", "playTime", "75:00"),
    # booleans, numbers and blanks
    ("EAD_SIP", "riskRecovery", "2"),
    ("EAD_doc_DIP", "process", "yes"),
    ("EAD_doc_AIP", "docOrdinal", "0"),
    ("EAD_SIP", "numberOfPage", "-1"),
    ("EAD_SIP", "title", "   "),
]


@pytest.mark.parametrize(("schema", "element", "value"), BAD_VALUES)
def test_bad_value_is_rejected_with_its_line(schema: str, element: str, value: str) -> None:
    fields = dict(SAMPLES[schema], **{element: value})
    errors = validate(schema, parse_xml(to_xml(fields)))
    assert errors, f"{element}={value!r} should be rejected by {schema}"
    assert {error.line for error in errors} == {line_of(fields, element)}
    assert all(error.path.endswith(f"/{element}") for error in errors)


def test_all_errors_are_gathered() -> None:
    fields = dict(SAMPLES["EAD_doc_SIP"], typeName="99", issuedDate="2025-01-15", process="2")
    errors = validate("EAD_doc_SIP", parse_xml(to_xml(fields)))
    lines = {error.line for error in errors}
    assert lines == {line_of(fields, name) for name in ("typeName", "issuedDate", "process")}


def test_elements_out_of_order_are_rejected() -> None:
    fields = dict(SAMPLES["EAD_SIP"])
    reordered = {"title": fields.pop("title"), **fields}
    assert validate("EAD_SIP", parse_xml(to_xml(reordered)))


def test_unknown_element_is_rejected() -> None:
    fields = dict(SAMPLES["EAD_DIP_request"], requesterName="Nguyễn Văn A")
    errors = validate("EAD_DIP_request", parse_xml(to_xml(fields)))
    assert [error.line for error in errors] == [line_of(fields, "requesterName")]
