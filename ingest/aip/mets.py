"""The AIP's root and representation METS (E-ARK CSIP 2.0.4 as TT05 Phụ lục I uses it).

Root: ``OBJID`` ``urn:uuid:…``, ``PROFILE`` the AIP profile, ``csip:OAISPACKAGETYPE="AIP"``,
``altRecordID``s for arcFileCode, the SIP's fileCode and OBJID and the submission, the
archive and the submitting agency as agents; every other file of the package is referenced
with its size and SHA-256. Both files validate against metadata_schemas "METS" when written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from ingest.aip.errors import AipError
from ingest.aip.model import (
    AIP_PROFILE,
    CONTENT_TYPE,
    CSIP_PROFILE,
    EAD,
    PREMIS,
    REP,
    REP_METS,
    REP_PREMIS,
    AipDocument,
    AipFile,
)
from metadata_schemas.schemas import validate

METS_NS = "http://www.loc.gov/METS/"
XLINK_NS = "http://www.w3.org/1999/xlink"
CSIP_NS = "https://DILCIS.eu/XML/METS/CSIPExtensionMETS"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
NSMAP = {"mets": METS_NS, "xlink": XLINK_NS, "csip": CSIP_NS, "xsi": XSI_NS}
VIETNAM = dt.timezone(dt.timedelta(hours=7))


def mets_time(moment: dt.datetime) -> str:
    """TT05: ``YYYY-MM-DDThh:mm:ss.sTZD`` in Vietnam time."""
    local = moment.astimezone(VIETNAM)
    return local.strftime("%Y-%m-%dT%H:%M:%S.") + f"{local.microsecond // 1000:03d}+07:00"


def _m(parent: etree._Element, name: str, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{METS_NS}}}{name}")
    for key, value in attrs.items():
        element.set(key, value)
    return element


def _x(name: str) -> str:
    return f"{{{XLINK_NS}}}{name}"


def _c(name: str) -> str:
    return f"{{{CSIP_NS}}}{name}"


def _relative(path: str, base: str) -> str:
    return path[len(base) + 1 :] if base and path.startswith(base + "/") else path


def _ref(element: etree._Element, item: AipFile, created: str) -> None:
    element.set("MIMETYPE", item.format.mime or "application/octet-stream")
    element.set("SIZE", str(item.size))
    element.set("CREATED", created)
    element.set("CHECKSUM", item.sha256)
    element.set("CHECKSUMTYPE", "SHA-256")


def _md_ref(
    parent: etree._Element, item: AipFile, href: str, created: str, mdtype: str, other: str = ""
) -> None:
    ref = _m(parent, "mdRef", LOCTYPE="URL", MDTYPE=mdtype)
    if other:
        ref.set("OTHERMDTYPE", other)
    ref.set(_x("type"), "simple")
    ref.set(_x("href"), href)
    _ref(ref, item, created)


def _file(parent: etree._Element, file_id: str, item: AipFile, href: str, created: str) -> None:
    element = _m(parent, "file", ID=file_id)
    _ref(element, item, created)
    locat = _m(element, "FLocat", LOCTYPE="URL")
    locat.set(_x("type"), "simple")
    locat.set(_x("href"), href)


def _root(objid: str, label: str, profile: str, schema_base: str) -> etree._Element:
    root = etree.Element(f"{{{METS_NS}}}mets", nsmap=NSMAP)
    root.set("OBJID", objid)
    root.set("LABEL", label)
    root.set("TYPE", "Mixed")
    root.set("PROFILE", profile)
    root.set(_c("CONTENTINFORMATIONTYPE"), "OTHER")
    root.set(_c("OTHERCONTENTINFORMATIONTYPE"), CONTENT_TYPE)
    root.set(_c("OAISPACKAGETYPE"), "AIP")
    root.set(
        f"{{{XSI_NS}}}schemaLocation",
        f"{METS_NS} {schema_base}schemas/METS.xsd {XLINK_NS} {schema_base}schemas/xlink.xsd "
        f"{CSIP_NS} {schema_base}schemas/DILCISExtensionMETS.xsd",
    )
    return root


@dataclass(frozen=True)
class MetsHeader:
    created: dt.datetime
    modified: dt.datetime | None
    software: str
    software_version: str
    archive_name: str
    archive_code: str
    agency_name: str | None
    agency_code: str | None
    alt_ids: tuple[tuple[str, str], ...]  # (TYPE, value)


def _header(root: etree._Element, header: MetsHeader, with_alt_ids: bool) -> str:
    created = mets_time(header.created)
    hdr = _m(root, "metsHdr", CREATEDATE=created, RECORDSTATUS="NEW")
    if header.modified is not None:
        hdr.set("LASTMODDATE", mets_time(header.modified))
    hdr.set(_c("OAISPACKAGETYPE"), "AIP")
    software = _m(hdr, "agent", ROLE="CREATOR", TYPE="OTHER", OTHERTYPE="SOFTWARE")
    _m(software, "name").text = header.software
    _m(software, "note").text = header.software_version
    software[-1].set(_c("NOTETYPE"), "SOFTWARE VERSION")
    archive = _m(hdr, "agent", ROLE="ARCHIVIST", TYPE="ORGANIZATION")
    _m(archive, "name").text = header.archive_name
    _m(archive, "note").text = header.archive_code
    archive[-1].set(_c("NOTETYPE"), "IDENTIFICATIONCODE")
    if header.agency_name:
        owner = _m(hdr, "agent", ROLE="IPOWNER", TYPE="ORGANIZATION")
        _m(owner, "name").text = header.agency_name
        if header.agency_code:
            _m(owner, "note").text = header.agency_code
            owner[-1].set(_c("NOTETYPE"), "IDENTIFICATIONCODE")
    if with_alt_ids:
        for alt_type, value in header.alt_ids:
            _m(hdr, "altRecordID", TYPE=alt_type).text = value
    return created


def _write(root: etree._Element, path: Path) -> None:
    tree = etree.ElementTree(root)
    errors = validate("METS", tree)
    if errors:
        raise AipError(
            "the AIP METS does not validate",
            path=str(path),
            errors=[f"line {e.line}: {e.message}" for e in errors],
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    tree.write(str(path), xml_declaration=True, encoding="UTF-8", pretty_print=True)


@dataclass(frozen=True)
class RootMetsFiles:
    ead: AipFile
    premis: AipFile
    rep_mets: AipFile
    schemas: Sequence[AipFile]
    documentation: Sequence[AipFile]
    preservation: Sequence[AipFile]  # validation report, signature evidence (digiprovMD)
    submitted: Sequence[AipFile]  # the SIP's own METS and EAD files, superseded


def write_root_mets(
    path: Path, objid: str, title: str, header: MetsHeader, files: RootMetsFiles
) -> None:
    root = _root(objid, title, AIP_PROFILE, "")
    created = _header(root, header, with_alt_ids=True)
    dmd = _m(root, "dmdSec", ID="dmd-ead", CREATED=created, STATUS="CURRENT")
    _md_ref(dmd, files.ead, EAD, created, "OTHER", "EAD")
    for index, item in enumerate(files.submitted, 1):
        old = _m(root, "dmdSec", ID=f"dmd-sip-{index}", CREATED=created, STATUS="SUPERSEDED")
        _md_ref(old, item, item.logical_path, created, "OTHER", "SIP_hoso")
    amd = _m(root, "amdSec", ID="amd")
    premis = _m(amd, "digiprovMD", ID="digiprov-premis", STATUS="CURRENT")
    _md_ref(premis, files.premis, PREMIS, created, "PREMIS")
    amd_ids = ["digiprov-premis"]
    for index, item in enumerate(files.preservation, 1):
        ident = f"digiprov-{index}"
        amd_ids.append(ident)
        record = _m(amd, "digiprovMD", ID=ident, STATUS="CURRENT")
        kind = "validation-report" if item.role == "report" else "signature-evidence"
        _md_ref(record, item, item.logical_path, created, "OTHER", kind)
    file_sec = _m(root, "fileSec", ID="filesec")
    groups: list[tuple[str, str, Sequence[AipFile]]] = [
        ("grp-schemas", "Schemas", files.schemas),
        ("grp-documentation", "Documentation", files.documentation),
    ]
    file_ids: dict[str, list[str]] = {}
    for group_id, use, members in groups:
        if not members:
            continue
        group = _m(file_sec, "fileGrp", ID=group_id, USE=use)
        for index, item in enumerate(members, 1):
            file_id = f"{group_id}-{index}"
            file_ids.setdefault(use, []).append(file_id)
            _file(group, file_id, item, item.logical_path, created)
    rep = _m(file_sec, "fileGrp", ID="grp-rep1", USE="Representations/rep1")
    rep.set(_c("CONTENTINFORMATIONTYPE"), "OTHER")
    rep.set(_c("OTHERCONTENTINFORMATIONTYPE"), CONTENT_TYPE)
    _file(rep, "rep1-mets", files.rep_mets, REP_METS, created)
    struct = _m(root, "structMap", ID="structmap-csip", TYPE="PHYSICAL", LABEL="CSIP")
    package = _m(struct, "div", ID="div-package", LABEL=objid)
    _m(
        package,
        "div",
        ID="div-metadata",
        LABEL="Metadata",
        DMDID="dmd-ead",
        ADMID=" ".join(amd_ids),
    )
    for use, ids in file_ids.items():
        div = _m(package, "div", ID=f"div-{use.lower()}", LABEL=use)
        for file_id in ids:
            _m(div, "fptr", FILEID=file_id)
    rep_div = _m(package, "div", ID="div-rep1", LABEL="Representations/rep1")
    pointer = _m(rep_div, "mptr", LOCTYPE="URL")
    pointer.set(_x("type"), "simple")
    pointer.set(_x("href"), REP_METS)
    _write(root, path)


def _file_id(sequence: int, index: int) -> str:
    return f"file-{sequence}" if index == 0 else f"file-{sequence}-{index}"


def write_rep_mets(
    path: Path,
    objid: str,
    label: str,
    header: MetsHeader,
    documents: Sequence[AipDocument],
    files: dict[str, AipFile],
    premis: AipFile,
) -> None:
    root = _root(f"{objid}:rep1", label, CSIP_PROFILE, "../../")
    created = _header(root, header, with_alt_ids=False)
    for document in documents:
        dmd = _m(root, "dmdSec", ID=f"dmd-doc-{document.sequence}", CREATED=created)
        _md_ref(
            dmd,
            files[document.ead_path],
            _relative(document.ead_path, REP),
            created,
            "OTHER",
            "EAD_doc",
        )
    amd = _m(root, "amdSec", ID="amd-rep1")
    digiprov = _m(amd, "digiprovMD", ID="digiprov-premis-rep1", STATUS="CURRENT")
    _md_ref(digiprov, premis, _relative(REP_PREMIS, REP), created, "PREMIS")
    file_sec = _m(root, "fileSec", ID="filesec-rep1")
    group = _m(file_sec, "fileGrp", ID="grp-data", USE="Data")
    for document in documents:
        for index, logical in enumerate(document.files):
            _file(
                group,
                _file_id(document.sequence, index),
                files[logical],
                _relative(logical, REP),
                created,
            )
    struct = _m(root, "structMap", ID="structmap-rep1", TYPE="PHYSICAL", LABEL="CSIP")
    rep = _m(struct, "div", ID="div-rep1", LABEL="rep1")
    dmd_ids = " ".join(f"dmd-doc-{d.sequence}" for d in documents)
    _m(
        rep,
        "div",
        ID="div-rep1-metadata",
        LABEL="Metadata",
        DMDID=dmd_ids,
        ADMID="digiprov-premis-rep1",
    )
    data = _m(rep, "div", ID="div-rep1-data", LABEL="Data")
    for document in documents:
        div = _m(
            data,
            "div",
            ID=f"div-doc-{document.sequence}",
            LABEL=document.doc_id,
            DMDID=f"dmd-doc-{document.sequence}",
            ORDER=str(document.sequence),
        )
        for index in range(len(document.files)):
            _m(div, "fptr", FILEID=_file_id(document.sequence, index))
    _write(root, path)
