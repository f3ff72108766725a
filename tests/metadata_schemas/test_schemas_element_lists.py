"""Each XSD declares the TT05 element list: the counts, the order, and the samples are full."""

from __future__ import annotations

import pytest
from lxml import etree

from metadata_schemas.schemas import SCHEMA_FILES, XSD_DIR
from tests.metadata_schemas.ead_samples import SAMPLES

SEQUENCE_ELEMENTS = etree.XPath(
    "/xs:schema/xs:element[@name='simpledc']/xs:complexType/xs:sequence/xs:element/@name",
    namespaces={"xs": "http://www.w3.org/2001/XMLSchema"},
)
COUNTS = {
    "EAD_SIP": 18,
    "EAD_AIP": 18,
    "EAD_doc_SIP": 21,
    "EAD_doc_AIP": 19,
    "EAD_doc_DIP": 20,
    "EAD_pic": 18,
    "EAD_media": 19,
    "EAD_DIP_request": 7,
}


def declared_elements(schema: str) -> list[str]:
    return list(SEQUENCE_ELEMENTS(etree.parse(str(XSD_DIR / SCHEMA_FILES[schema]))))


@pytest.mark.parametrize("schema", sorted(COUNTS))
def test_element_count_and_samples_cover_every_element(schema: str) -> None:
    elements = declared_elements(schema)
    assert len(elements) == COUNTS[schema]
    assert list(SAMPLES[schema]) == elements


def test_aip_document_order_is_tt05s() -> None:
    assert declared_elements("EAD_doc_AIP") == [
        "arcFileCode", "mode", "language", "keyword", "numberOfPage", "format", "inforSign",
        "confidenceLevel", "description", "docCode", "docOrdinal", "typeName", "codeNumber",
        "codeNotation", "issuedDate", "organName", "subject", "autograph", "process",
    ]  # fmt: skip


def test_dip_document_list_is_the_sip_list_with_arc_doc_code_and_without_organ_name() -> None:
    sip = declared_elements("EAD_doc_SIP")
    expected = [("arcDocCode" if name == "docCode" else name) for name in sip]
    expected.remove("organName")
    assert declared_elements("EAD_doc_DIP") == expected


def test_sip_and_aip_dossier_lists_differ_only_in_the_code_element() -> None:
    sip, aip = declared_elements("EAD_SIP"), declared_elements("EAD_AIP")
    assert sip[0] == "fileCode" and aip[0] == "arcFileCode"
    assert sip[1:] == aip[1:]
