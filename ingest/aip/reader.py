"""Read an AIP_hoso back (from any storage, through ``open_file``) into an AipDescription.

Used to rebuild the catalog from storage alone, and by the archive right after writing, so the
rows made either way are the same.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from typing import IO

from lxml import etree

from ingest.aip.ead import read_simpledc
from ingest.aip.errors import AipError
from ingest.aip.files import evidence_path, known_format, load_json, role_of, signers_from_evidence
from ingest.aip.model import (
    DOCUMENTATION,
    EAD,
    PREMIS,
    REP,
    REP_METS,
    REP_PREMIS,
    ROOT_METS,
    SIP_DIR,
    AipDescription,
    AipDocument,
    AipFile,
    FormatInfo,
)
from ingest.aip.premis import PREMIS_NS, read_premis
from ingest.package.reader import resolve_href
from metadata_schemas.xml import parse_xml

Opener = Callable[[str], AbstractContextManager[IO[bytes]]]
_NS = {
    "mets": "http://www.loc.gov/METS/",
    "xlink": "http://www.w3.org/1999/xlink",
    "premis": PREMIS_NS,
}
_HREF = "{http://www.w3.org/1999/xlink}href"


def _xml(open_file: Opener, path: str) -> etree._Element:
    with open_file(path) as stream:
        return parse_xml(stream.read()).getroot()


def _fields(open_file: Opener, path: str) -> dict[str, str]:
    with open_file(path) as stream:
        return read_simpledc(stream)


def _documents_of(mets: etree._Element, folder: str) -> list[tuple[int, str, str, list[str]]]:
    """(order, label, EAD_doc path, file paths) per document div of a representation METS."""
    hrefs = {
        dmd.get("ID"): ref.get(_HREF, "")
        for dmd in mets.findall("mets:dmdSec", _NS)
        for ref in dmd.findall("mets:mdRef", _NS)
    }
    files = {
        item.get("ID"): locat.get(_HREF, "")
        for item in mets.iterfind(".//mets:fileSec//mets:file", _NS)
        for locat in item.findall("mets:FLocat", _NS)
    }
    found = []
    data = mets.find(".//mets:structMap/mets:div/mets:div[@LABEL='Data']", _NS)
    for position, div in enumerate(data if data is not None else [], 1):
        order = int(div.get("ORDER") or position)
        ead = resolve_href(folder, hrefs.get(div.get("DMDID"), "")) or ""
        paths = [
            resolve_href(folder, files.get(ptr.get("FILEID"), "")) or ""
            for ptr in div.findall("mets:fptr", _NS)
        ]
        found.append((order, div.get("LABEL") or "", ead, paths))
    return found


def _formats(premis: etree._Element, mimes: Mapping[str, str]) -> dict[str, FormatInfo]:
    formats: dict[str, FormatInfo] = {}
    for obj in premis.findall("premis:object", _NS):
        ident = obj.findtext("premis:objectIdentifier/premis:objectIdentifierValue", "", _NS)
        fmt = obj.find("premis:objectCharacteristics/premis:format", _NS)
        if fmt is None:
            continue
        name = fmt.findtext("premis:formatDesignation/premis:formatName", "", _NS)
        formats[ident] = FormatInfo(
            fmt.findtext("premis:formatRegistry/premis:formatRegistryKey", None, _NS),
            None if name == "unknown" else name,
            fmt.findtext("premis:formatDesignation/premis:formatVersion", None, _NS),
            mimes.get(ident),
        )
    return formats


def read_aip(open_file: Opener, files: Mapping[str, tuple[int, str]]) -> AipDescription:
    """``files``: every logical path of the AIP with its size and SHA-256 (from the inventory)."""
    for required in (ROOT_METS, EAD, PREMIS, REP_METS):
        if required not in files:
            raise AipError("not an AIP_hoso: a required file is missing", path=required)
    root = _xml(open_file, ROOT_METS)
    objid = root.get("OBJID") or ""
    if not objid.startswith("urn:uuid:"):
        raise AipError("the AIP METS OBJID is not urn:uuid:<UUID>", objid=objid)
    header = root.find("mets:metsHdr", _NS)
    if header is None:
        raise AipError("the AIP METS has no metsHdr")
    alt = {el.get("TYPE"): (el.text or "") for el in header.findall("mets:altRecordID", _NS)}
    owner = header.find("mets:agent[@ROLE='IPOWNER']", _NS)
    agency_name = owner.findtext("mets:name", None, _NS) if owner is not None else None
    agency_code = owner.findtext("mets:note", None, _NS) if owner is not None else None

    rep_mets = _xml(open_file, REP_METS)
    mimes = {
        resolve_href(REP, locat.get(_HREF, "")) or "": item.get("MIMETYPE", "")
        for item in rep_mets.iterfind(".//mets:fileSec//mets:file", _NS)
        for locat in item.findall("mets:FLocat", _NS)
    }
    sip_rep = f"{SIP_DIR}/{REP_METS}"
    sip_eads: dict[int, str] = {}
    if sip_rep in files:
        for order, _, ead, _ in _documents_of(_xml(open_file, sip_rep), REP):
            sip_eads[order] = f"{SIP_DIR}/{ead}"
    documents: list[AipDocument] = []
    sequence_of: dict[str, int] = {}
    main_files: list[str] = []
    attachments: list[str] = []
    for order, label, ead_path, paths in _documents_of(rep_mets, REP):
        fields = _fields(open_file, ead_path)
        sip_path = sip_eads.get(order, "")
        sip_fields = _fields(open_file, sip_path) if sip_path in files else {}
        signers = []
        for logical in paths:
            evidence = evidence_path(logical)
            if evidence in files:
                with open_file(evidence) as stream:
                    signers.extend(signers_from_evidence(logical, load_json(stream.read())))
        documents.append(
            AipDocument(
                order,
                sip_fields.get("docId") or label,
                ead_path,
                fields,
                sip_fields,
                tuple(paths),
                tuple(signers),
            )
        )
        sequence_of[ead_path] = order
        for logical in paths:
            sequence_of[logical] = order
        main_files.extend(paths[:1])
        attachments.extend(paths[1:])

    formats: dict[str, FormatInfo] = {}
    if REP_PREMIS in files:
        formats = _formats(_xml(open_file, REP_PREMIS), mimes)
    with open_file(PREMIS) as stream:
        events, agents = read_premis(stream)
    aip_files = []
    receipt = None
    for logical, (size, sha256) in sorted(files.items()):
        role = role_of(logical, main_files, attachments)
        fmt = formats.get(logical) if role in ("document", "attachment") else None
        aip_files.append(
            AipFile(
                logical, role, size, sha256, fmt or known_format(logical), sequence_of.get(logical)
            )
        )
        if logical.startswith(DOCUMENTATION + "/") and logical.endswith(".json"):
            with open_file(logical) as stream:
                receipt = load_json(stream.read())
    sip_dossier = f"{SIP_DIR}/{EAD}"
    created = header.get("CREATEDATE") or ""
    return AipDescription(
        object_id=objid,
        uuid=objid.removeprefix("urn:uuid:"),
        created=dt.datetime.fromisoformat(created),
        arc_file_code=alt.get("ARCFILECODE", ""),
        file_code=alt.get("FILECODE", ""),
        agency_code=agency_code,
        agency_name=agency_name,
        submission_id=alt.get("SUBMISSION"),
        sip_objid=alt.get("SIP"),
        dossier_fields=_fields(open_file, EAD),
        sip_dossier_fields=_fields(open_file, sip_dossier) if sip_dossier in files else {},
        documents=sorted(documents, key=lambda d: d.sequence),
        files=aip_files,
        events=events,
        agents=agents,
        receipt=receipt,
    )
