"""Turn an accepted, unpacked SIP_hoso into an AIP_hoso folder (TT05 Phụ lục I).

The submitted data files are not copied: the result lists them at their unpacked location, so
the storage writer streams them straight from there. Everything the archive writes (METS, EAD,
PREMIS, the report, copies of the submitted metadata and the signature evidence) goes into
``dest``. Nothing here knows of the catalog or of storage backends.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest.aip import ead as ead_xml
from ingest.aip.errors import AipError
from ingest.aip.files import (
    evidence_path,
    known_format,
    role_of,
    signers_from_evidence,
)
from ingest.aip.mets import MetsHeader, RootMetsFiles, write_rep_mets, write_root_mets
from ingest.aip.model import (
    DOCUMENTATION,
    EAD,
    EVIDENCE_DIR,
    PREMIS,
    REP_DESCRIPTIVE,
    REP_METS,
    REP_PREMIS,
    REPORT,
    ROOT_METS,
    SIP_DIR,
    AipAgent,
    AipDescription,
    AipDocument,
    AipFile,
    FormatInfo,
    PremisEventRecord,
)
from ingest.aip.premis import PremisObject, write_premis
from ingest.package.model import Package
from metadata_schemas.schemas import XSD_DIR
from storage.digests import digest_file

# schemas/ of the AIP: name in the package → shipped XSD.
AIP_SCHEMAS = {
    "METS.xsd": "METS.xsd",
    "xlink.xsd": "xlink.xsd",
    "DILCISExtensionMETS.xsd": "DILCISExtensionMETS.xsd",
    "EAD.xsd": "EAD_AIP_hoso.xsd",
    "EAD_doc.xsd": "EAD_doc_AIP.xsd",
    "codelists.xsd": "codelists.xsd",
    "common.xsd": "common.xsd",
}
# Events about the representation's files, repeated in PREMIS_rep1.xml.
REPRESENTATION_EVENTS = frozenset(
    {"virus check", "format identification", "digital signature validation", "validation"}
)


@dataclass(frozen=True)
class AipInput:
    package: Package  # read from the unpacked SIP (ingest.package.read_package)
    object_uuid: str
    created: dt.datetime
    archive_code: str
    archive_name: str
    agency_name: str | None
    agency_code: str | None
    submission_id: str
    report: Mapping[str, Any]  # the validation report (JSON form)
    events: Sequence[PremisEventRecord]  # every event so far, the package creation included
    agents: Sequence[AipAgent]
    software: str = "luutru"
    software_version: str = "0"
    evidence_dir: Path | None = None  # the staging evidence/ folder of signature validation
    documentation: Sequence[tuple[str, Path]] = ()  # (file name, local file), e.g. the receipt


@dataclass
class BuiltAip:
    folder: Path
    files: list[tuple[str, Path]]  # (logical path, local file) for storage.ocfl.write_object
    description: AipDescription
    digests: dict[str, str] = field(default_factory=dict)  # logical path → sha256


def _aip_file(
    logical: str, local: Path, role: str, fmt: FormatInfo, sequence: int | None = None
) -> AipFile:
    digests = digest_file(local)
    return AipFile(logical, role, digests.size, digests.sha256, fmt, sequence)


def _formats_from_report(report: Mapping[str, Any]) -> dict[str, FormatInfo]:
    formats: dict[str, FormatInfo] = {}
    for finding in report.get("findings", []):
        detail = finding.get("detail") or {}
        path = finding.get("path")
        if path and detail.get("puid") and path not in formats:
            formats[path] = FormatInfo(
                str(detail["puid"]),
                detail.get("format_name"),
                detail.get("format_version") or None,
                detail.get("mime") or None,
            )
    return formats


def _copy(source: Path, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, dest)


class _Collector:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.files: dict[str, AipFile] = {}
        self.local: dict[str, Path] = {}

    def add(
        self,
        logical: str,
        local: Path,
        role: str,
        fmt: FormatInfo | None = None,
        sequence: int | None = None,
    ) -> AipFile:
        item = _aip_file(logical, local, role, fmt or known_format(logical), sequence)
        self.files[logical] = item
        self.local[logical] = local
        return item

    def write_json(self, logical: str, data: Any, role: str) -> AipFile:
        path = self.folder / logical
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True, default=str) + "\n",
            encoding="utf-8",
        )
        return self.add(logical, path, role)


def build_aip(source: AipInput, dest: Path) -> BuiltAip:
    """Write the AIP's own files into ``dest`` (emptied first) and describe the whole AIP."""
    package = source.package
    if package.mets is None or package.representation is None or package.dossier is None:
        raise AipError("the submitted package cannot be read (METS or EAD missing)")
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    out = _Collector(dest)
    file_code = package.dossier.file_code
    arc_code = ead_xml.arc_file_code(source.archive_code, file_code)
    objid = f"urn:uuid:{source.object_uuid}"

    schemas = []
    for name, shipped in AIP_SCHEMAS.items():
        _copy(XSD_DIR / shipped, dest / "schemas" / name)
        schemas.append(out.add(f"schemas/{name}", dest / "schemas" / name, "metadata"))

    submitted = []
    sip_sources = [package.mets.path, package.representation.path, package.dossier.path]
    sip_sources += [doc.ead_path for doc in package.documents if doc.ead_path]
    for relative in sip_sources:
        logical = f"{SIP_DIR}/{relative}"
        _copy(package.root / relative, dest / logical)
        submitted.append(out.add(logical, dest / logical, "metadata"))

    preservation = [out.write_json(REPORT, dict(source.report), "report")]
    if source.evidence_dir is not None and source.evidence_dir.is_dir():
        for path in sorted(p for p in source.evidence_dir.rglob("*") if p.is_file()):
            logical = f"{EVIDENCE_DIR}/{path.relative_to(source.evidence_dir).as_posix()}"
            _copy(path, dest / logical)
            preservation.append(out.add(logical, dest / logical, "report"))

    documentation = []
    for name, local in source.documentation:
        logical = f"{DOCUMENTATION}/{name}"
        _copy(local, dest / logical)
        documentation.append(out.add(logical, dest / logical, "documentation"))

    dossier_sip = dict(package.dossier.fields)
    dossier_fields = ead_xml.aip_dossier_fields(dossier_sip, arc_code)
    ead_xml.write_validated(
        ead_xml.simpledc(dossier_fields, ead_xml.DOSSIER_ELEMENTS, "../../schemas/EAD.xsd"),
        "EAD_AIP",
        dest / EAD,
    )
    ead_file = out.add(EAD, dest / EAD, "metadata")

    formats = _formats_from_report(source.report)
    documents: list[AipDocument] = []
    main_files: list[str] = []
    attachment_files: list[str] = []
    for document in package.documents:
        paths = [ref.path for ref in document.files if ref.path]
        if not paths:
            raise AipError("a document has no file", document=document.doc_id)
        main_files.append(paths[0])
        attachment_files.extend(paths[1:])
        ead_path = f"{REP_DESCRIPTIVE}/EAD_doc_{document.sequence}.xml"
        fields = ead_xml.aip_document_fields(
            document.fields, dossier_sip, arc_code, document.sequence
        )
        ead_xml.write_validated(
            ead_xml.simpledc(fields, ead_xml.DOCUMENT_ELEMENTS, "../../../../schemas/EAD_doc.xsd"),
            "EAD_doc_AIP",
            dest / ead_path,
        )
        out.add(ead_path, dest / ead_path, "metadata", sequence=document.sequence)
        signers: list[dict[str, Any]] = []
        for logical in paths:
            evidence = dest / evidence_path(logical)
            if evidence.is_file():
                data = json.loads(evidence.read_text(encoding="utf-8"))
                signers.extend(signers_from_evidence(logical, data))
        documents.append(
            AipDocument(
                sequence=document.sequence,
                doc_id=document.doc_id,
                ead_path=ead_path,
                fields=fields,
                sip_fields=dict(document.fields),
                files=tuple(paths),
                signers=tuple(signers),
            )
        )
        for index, ref in enumerate(document.files):
            if ref.path is None:
                continue
            fmt = formats.get(ref.path) or FormatInfo(None, None, None, ref.mimetype)
            if fmt.mime is None:
                fmt = FormatInfo(fmt.puid, fmt.name, fmt.version, ref.mimetype)
            role = "document" if index == 0 else "attachment"
            out.add(ref.path, package.root / ref.path, role, fmt, document.sequence)

    data_files = [out.files[p] for p in main_files + attachment_files]
    objects = [
        package_objects(objid)[1],
        *(
            PremisObject(
                "file",
                "local",
                item.logical_path,
                item,
                original_name=item.logical_path.rsplit("/", 1)[-1],
            )
            for item in data_files
        ),
    ]
    rep_events = [e for e in source.events if e.type in REPRESENTATION_EVENTS]
    write_premis(dest / REP_PREMIS, objects, rep_events, source.agents)
    rep_premis = out.add(REP_PREMIS, dest / REP_PREMIS, "metadata")
    write_premis(dest / PREMIS, package_objects(objid), source.events, source.agents)
    premis_file = out.add(PREMIS, dest / PREMIS, "metadata")

    header = MetsHeader(
        created=source.created,
        modified=None,
        software=source.software,
        software_version=source.software_version,
        archive_name=source.archive_name,
        archive_code=source.archive_code,
        agency_name=source.agency_name,
        agency_code=source.agency_code,
        alt_ids=alt_ids(arc_code, file_code, package.objid, source.submission_id),
    )
    title = dossier_fields["title"]
    write_rep_mets(
        dest / REP_METS, objid, f"{file_code} rep1", header, documents, out.files, rep_premis
    )
    rep_mets = out.add(REP_METS, dest / REP_METS, "metadata")
    write_root_mets(
        dest / ROOT_METS,
        objid,
        title,
        header,
        RootMetsFiles(
            ead=ead_file,
            premis=premis_file,
            rep_mets=rep_mets,
            schemas=schemas,
            documentation=documentation,
            preservation=preservation,
            submitted=submitted,
        ),
    )
    out.add(ROOT_METS, dest / ROOT_METS, "metadata")

    receipt = None
    for name, local in source.documentation:
        if name.endswith(".json"):
            receipt = json.loads(local.read_text(encoding="utf-8"))
    description = AipDescription(
        object_id=objid,
        uuid=source.object_uuid,
        created=source.created,
        arc_file_code=arc_code,
        file_code=file_code,
        agency_code=source.agency_code,
        agency_name=source.agency_name,
        submission_id=source.submission_id,
        sip_objid=package.objid,
        dossier_fields=dossier_fields,
        sip_dossier_fields=dossier_sip,
        documents=documents,
        files=sorted(out.files.values(), key=lambda f: f.logical_path),
        events=list(source.events),
        agents=list(source.agents),
        receipt=receipt,
    )
    for item in description.files:  # the roles the reader will derive must agree
        assert item.role == role_of(item.logical_path, main_files, attachment_files), item
    files = sorted(out.local.items())
    return BuiltAip(dest, files, description, {p: f.sha256 for p, f in out.files.items()})


def package_objects(objid: str) -> list[PremisObject]:
    """The intellectual entity (the dossier) and its one representation."""
    return [
        PremisObject(
            "intellectualEntity", "URN", objid, related=(("has part", "local", f"{objid}:rep1"),)
        ),
        PremisObject(
            "representation", "local", f"{objid}:rep1", related=(("is part of", "URN", objid),)
        ),
    ]


def alt_ids(
    arc_code: str, file_code: str, sip_objid: str | None, submission_id: str | None
) -> tuple[tuple[str, str], ...]:
    ids = [("ARCFILECODE", arc_code), ("FILECODE", file_code)]
    if sip_objid:
        ids.append(("SIP", sip_objid))
    if submission_id:
        ids.append(("SUBMISSION", submission_id))
    return tuple(ids)
