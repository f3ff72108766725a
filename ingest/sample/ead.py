"""The descriptive metadata of a SIP_hoso: dossier ``EAD.xml`` and document ``EAD_doc_<n>.xml``.

Both are ``<simpledc>`` documents without a namespace, elements in the order of the TT05 field
tables (metadata_schemas "EAD_SIP" and "EAD_doc_SIP"). A value of ``None`` leaves the optional
element out. The records are plain data so that a broken variant can change one field and write
the file again.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from lxml import etree

XSI = "http://www.w3.org/2001/XMLSchema-instance"


@dataclass(frozen=True)
class DossierRecord:
    """The 18 elements of the dossier-level EAD.xml (TT 05/2025 Phụ lục III)."""

    fileCode: str
    title: str
    maintenance: str
    mode: str
    language: str
    startDate: str
    endDate: str
    keyword: str | None
    totalDoc: str
    numberOfPaper: str | None
    numberOfPage: str
    format: str | None
    inforSign: str | None
    confidenceLevel: str
    paperFileCode: str | None
    riskRecovery: str
    riskRecoveryStatus: str | None
    description: str | None


@dataclass(frozen=True)
class DocumentRecord:
    """The 21 elements of a SIP EAD_doc."""

    docId: str
    docCode: str
    maintenance: str
    typeName: str
    codeNumber: str | None
    codeNotation: str | None
    issuedDate: str
    organName: str
    subject: str
    language: str
    numberOfPage: str
    inforSign: str | None
    keyword: str | None
    mode: str
    confidenceLevel: str
    autograph: str | None
    format: str | None
    riskRecovery: str
    riskRecoveryStatus: str | None
    process: str
    description: str | None


def dossier_xml(record: DossierRecord) -> bytes:
    return _simpledc(record, "../../schemas/EAD.xsd")


def document_xml(record: DocumentRecord) -> bytes:
    return _simpledc(record, "../../../../schemas/EAD_doc.xsd")


def _simpledc(record: DossierRecord | DocumentRecord, schema_location: str) -> bytes:
    root = etree.Element("simpledc", nsmap={"xsi": XSI})
    root.set(f"{{{XSI}}}noNamespaceSchemaLocation", schema_location)
    for field in dataclasses.fields(record):
        value = getattr(record, field.name)
        if value is not None:
            etree.SubElement(root, field.name).text = value
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))
