"""Full and minimal instances of every TT05 descriptive schema are accepted."""

from __future__ import annotations

import pytest

from metadata_schemas.schemas import validate
from metadata_schemas.xml import parse_xml
from tests.metadata_schemas.ead_samples import SAMPLES, to_xml

REQUIRED: dict[str, set[str]] = {
    "EAD_SIP": {
        "fileCode", "title", "maintenance", "mode", "language", "startDate", "endDate",
        "totalDoc", "numberOfPage", "confidenceLevel", "riskRecovery",
    },
    "EAD_AIP": {
        "arcFileCode", "title", "maintenance", "mode", "language", "startDate", "endDate",
        "totalDoc", "numberOfPage", "format", "confidenceLevel", "riskRecovery",
    },
    "EAD_doc_SIP": {
        "docId", "docCode", "maintenance", "typeName", "issuedDate", "organName", "subject",
        "language", "numberOfPage", "mode", "confidenceLevel", "riskRecovery", "process",
    },
    "EAD_doc_AIP": {
        "arcFileCode", "mode", "language", "numberOfPage", "confidenceLevel", "docCode",
        "docOrdinal", "typeName", "issuedDate", "organName", "subject", "process",
    },
    "EAD_doc_DIP": {
        "docId", "arcDocCode", "maintenance", "typeName", "issuedDate", "subject", "language",
        "numberOfPage", "mode", "confidenceLevel", "riskRecovery", "process",
    },
    "EAD_pic": {
        "docCode", "maintenance", "typePic", "imageTitle", "colour", "mode", "riskRecovery",
    },
    "EAD_media": {
        "docCode", "maintenance", "typeMedia", "movieTitle", "language", "mode", "riskRecovery",
    },
    "EAD_DIP_request": {"requestID", "requestDate", "purpose", "feeObjectType"},
}  # fmt: skip


@pytest.mark.parametrize("schema", sorted(SAMPLES))
def test_full_instance_is_valid(schema: str) -> None:
    assert validate(schema, parse_xml(to_xml(SAMPLES[schema]))) == []


@pytest.mark.parametrize("schema", sorted(SAMPLES))
def test_instance_with_only_required_elements_is_valid(schema: str) -> None:
    minimal = {name: value for name, value in SAMPLES[schema].items() if name in REQUIRED[schema]}
    assert set(minimal) == REQUIRED[schema]
    assert validate(schema, parse_xml(to_xml(minimal))) == []


@pytest.mark.parametrize(
    ("schema", "element"),
    [(schema, element) for schema, required in sorted(REQUIRED.items()) for element in required],
)
def test_missing_required_element_is_rejected(schema: str, element: str) -> None:
    fields = {name: value for name, value in SAMPLES[schema].items() if name != element}
    errors = validate(schema, parse_xml(to_xml(fields)))
    assert errors, f"{element} should be required in {schema}"
    assert any(element in error.message for error in errors)
    assert all(error.line > 0 for error in errors)


def test_several_languages_are_space_separated() -> None:
    fields = dict(SAMPLES["EAD_doc_SIP"], language="01 02 11")
    assert validate("EAD_doc_SIP", parse_xml(to_xml(fields))) == []
