"""Root and representation METS.xml of a SIP_hoso, as ``ingest/package/LAYOUT.md`` prescribes.

E-ARK CSIP 2.0 on METS 1.12. Sizes and SHA-256 checksums are read from the files on disk
(streamed), so a METS written after a file changed describes the file as it is now.
``csip:OAISPACKAGETYPE`` is written on ``mets`` (LAYOUT.md) and on ``metsHdr`` (CSIP9 puts it
there); both are allowed by METS' ``anyAttribute``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

METS = "http://www.loc.gov/METS/"
XLINK = "http://www.w3.org/1999/xlink"
CSIP = "https://DILCIS.eu/XML/METS/CSIPExtensionMETS"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
PROFILE = "https://earkcsip.dilcis.eu/profile/E-ARK-CSIP.xml"
CONTENT_TYPE = "TT05/2025-SIP_hoso"
CHUNK = 1024 * 1024
_NSMAP = {"mets": METS, "xlink": XLINK, "csip": CSIP, "xsi": XSI}


@dataclass(frozen=True)
class Software:
    name: str
    version: str


@dataclass(frozen=True)
class MetsFile:
    """One file a METS lists: ``href`` is relative to the METS file, ``path`` is on disk."""

    id: str
    href: str
    path: Path
    mimetype: str
    created: str  # xs:dateTime with +07:00


@dataclass(frozen=True)
class MetsDocument:
    """A document of the representation: its EAD_doc and its files (main file first).

    ``ead`` None or ``files`` empty only occur in broken variants.
    """

    sequence: int
    doc_id: str
    ead: MetsFile | None
    files: tuple[MetsFile, ...]


def digest(path: Path) -> tuple[int, str]:
    """(size in bytes, lower-case hex SHA-256), reading the file in chunks."""
    sha = hashlib.sha256()
    size = 0
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            sha.update(chunk)
            size += len(chunk)
    return size, sha.hexdigest()


def _q(namespace: str, name: str) -> str:
    return f"{{{namespace}}}{name}"


def _mets_root(objid: str, label: str, schema_prefix: str) -> etree._Element:
    root = etree.Element(_q(METS, "mets"), nsmap=_NSMAP)
    root.set("OBJID", objid)
    root.set("LABEL", label)
    root.set("TYPE", "Mixed")
    root.set("PROFILE", PROFILE)
    root.set(_q(CSIP, "CONTENTINFORMATIONTYPE"), "OTHER")
    root.set(_q(CSIP, "OTHERCONTENTINFORMATIONTYPE"), CONTENT_TYPE)
    root.set(_q(CSIP, "OAISPACKAGETYPE"), "SIP")
    root.set(
        _q(XSI, "schemaLocation"),
        f"{METS} {schema_prefix}METS.xsd {XLINK} {schema_prefix}xlink.xsd "
        f"{CSIP} {schema_prefix}DILCISExtensionMETS.xsd",
    )
    return root


def _header(
    root: etree._Element,
    created: str,
    software: Software,
    agency_name: str,
    agency_code: str,
    submission_agreement: str | None,
) -> None:
    header = etree.SubElement(root, _q(METS, "metsHdr"), CREATEDATE=created)
    header.set("RECORDSTATUS", "NEW")
    header.set(_q(CSIP, "OAISPACKAGETYPE"), "SIP")
    tool = etree.SubElement(
        header, _q(METS, "agent"), ROLE="CREATOR", TYPE="OTHER", OTHERTYPE="SOFTWARE"
    )
    etree.SubElement(tool, _q(METS, "name")).text = software.name
    note = etree.SubElement(tool, _q(METS, "note"))
    note.set(_q(CSIP, "NOTETYPE"), "SOFTWARE VERSION")
    note.text = software.version
    organisation = etree.SubElement(header, _q(METS, "agent"), ROLE="CREATOR", TYPE="ORGANIZATION")
    etree.SubElement(organisation, _q(METS, "name")).text = agency_name
    code = etree.SubElement(organisation, _q(METS, "note"))
    code.set(_q(CSIP, "NOTETYPE"), "IDENTIFICATIONCODE")
    code.text = agency_code
    if submission_agreement:
        record = etree.SubElement(header, _q(METS, "altRecordID"), TYPE="SUBMISSIONAGREEMENT")
        record.text = submission_agreement


def _checksummed(element: etree._Element, item: MetsFile) -> None:
    size, checksum = digest(item.path)
    element.set("MIMETYPE", item.mimetype)
    element.set("SIZE", str(size))
    element.set("CREATED", item.created)
    element.set("CHECKSUM", checksum)
    element.set("CHECKSUMTYPE", "SHA-256")


def _dmd_sec(parent: etree._Element, dmd_id: str, item: MetsFile, other_type: str) -> None:
    section = etree.SubElement(parent, _q(METS, "dmdSec"), ID=dmd_id, CREATED=item.created)
    reference = etree.SubElement(section, _q(METS, "mdRef"), LOCTYPE="URL", MDTYPE="OTHER")
    reference.set("OTHERMDTYPE", other_type)
    reference.set(_q(XLINK, "type"), "simple")
    reference.set(_q(XLINK, "href"), item.href)
    _checksummed(reference, item)


def _file_group(parent: etree._Element, use: str, group_id: str) -> etree._Element:
    return etree.SubElement(parent, _q(METS, "fileGrp"), ID=group_id, USE=use)


def _file(group: etree._Element, item: MetsFile) -> None:
    element = etree.SubElement(group, _q(METS, "file"), ID=item.id)
    _checksummed(element, item)
    location = etree.SubElement(element, _q(METS, "FLocat"), LOCTYPE="URL")
    location.set(_q(XLINK, "type"), "simple")
    location.set(_q(XLINK, "href"), item.href)


def _div(parent: etree._Element, div_id: str, label: str, **attributes: str) -> etree._Element:
    div = etree.SubElement(parent, _q(METS, "div"), ID=div_id, LABEL=label)
    for name, value in attributes.items():
        div.set(name, value)
    return div


def _fptr(div: etree._Element, file_id: str) -> None:
    etree.SubElement(div, _q(METS, "fptr"), FILEID=file_id)


def _serialise(root: etree._Element) -> bytes:
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def root_mets(
    *,
    objid: str,
    label: str,
    created: str,
    software: Software,
    agency_name: str,
    agency_code: str,
    submission_agreement: str | None,
    ead: MetsFile,
    schemas: Sequence[MetsFile],
    representation: MetsFile,
) -> bytes:
    """The package METS.xml: header, the dossier EAD, schemas, and the pointer to rep1."""
    root = _mets_root(objid, label, "schemas/")
    _header(root, created, software, agency_name, agency_code, submission_agreement)
    _dmd_sec(root, "dmd-ead", ead, "EAD")
    file_section = etree.SubElement(root, _q(METS, "fileSec"), ID="filesec")
    schema_group = _file_group(file_section, "Schemas", "grp-schemas")
    for schema in schemas:
        _file(schema_group, schema)
    rep_group = _file_group(file_section, "Representations/rep1", "grp-rep1")
    rep_group.set(_q(CSIP, "CONTENTINFORMATIONTYPE"), "OTHER")
    rep_group.set(_q(CSIP, "OTHERCONTENTINFORMATIONTYPE"), CONTENT_TYPE)
    _file(rep_group, representation)
    struct_map = etree.SubElement(
        root, _q(METS, "structMap"), ID="structmap-csip", TYPE="PHYSICAL", LABEL="CSIP"
    )
    package = _div(struct_map, "div-package", objid)
    _div(package, "div-metadata", "Metadata", DMDID="dmd-ead")
    schema_div = _div(package, "div-schemas", "Schemas")
    for schema in schemas:
        _fptr(schema_div, schema.id)
    rep_div = _div(package, "div-rep1", "Representations/rep1")
    pointer = etree.SubElement(rep_div, _q(METS, "mptr"), LOCTYPE="URL")
    pointer.set(_q(XLINK, "type"), "simple")
    pointer.set(_q(XLINK, "href"), representation.href)
    return _serialise(root)


def representation_mets(
    *,
    objid: str,
    label: str,
    created: str,
    software: Software,
    agency_name: str,
    agency_code: str,
    documents: Sequence[MetsDocument],
) -> bytes:
    """rep1/METS.xml: one dmdSec, one structMap div per document; main file first."""
    root = _mets_root(objid, label, "../../schemas/")
    _header(root, created, software, agency_name, agency_code, None)
    described = [document for document in documents if document.ead is not None]
    for document in documents:
        if document.ead is not None:
            _dmd_sec(root, f"dmd-doc-{document.sequence}", document.ead, "EAD_doc")
    file_section = etree.SubElement(root, _q(METS, "fileSec"), ID="filesec-rep1")
    data_group = _file_group(file_section, "Data", "grp-data")
    for document in documents:
        for item in document.files:
            _file(data_group, item)
    struct_map = etree.SubElement(
        root, _q(METS, "structMap"), ID="structmap-rep1", TYPE="PHYSICAL", LABEL="CSIP"
    )
    representation = _div(struct_map, "div-rep1", "rep1")
    if described:
        dmd_ids = " ".join(f"dmd-doc-{document.sequence}" for document in described)
        _div(representation, "div-rep1-metadata", "Metadata", DMDID=dmd_ids)
    data = _div(representation, "div-rep1-data", "Data")
    for document in documents:
        div = _div(data, f"div-doc-{document.sequence}", document.doc_id)
        if document.ead is not None:
            div.set("DMDID", f"dmd-doc-{document.sequence}")
        div.set("ORDER", str(document.sequence))
        for item in document.files:
            _fptr(div, item.id)
    return _serialise(root)
