"""Plain data describing an AIP_hoso: what the builder writes and the reader gives back.

The same :class:`AipDescription` comes out of a freshly built AIP and out of one read back from
storage, so the catalog rows made from either are identical (``luutru rebuild-catalog``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

# Logical paths inside the AIP (the OCFL object's content), TT05 Phụ lục I on E-ARK CSIP.
ROOT_METS = "METS.xml"
EAD = "metadata/descriptive/EAD.xml"
PREMIS = "metadata/preservation/PREMIS.xml"
REPORT = "metadata/preservation/validation-report.json"
EVIDENCE_DIR = "metadata/preservation/signature-evidence"
SIP_DIR = "metadata/other/SIP_hoso"  # the submitted METS and EAD files, unchanged
REP = "representations/rep1"
REP_METS = f"{REP}/METS.xml"
REP_PREMIS = f"{REP}/metadata/preservation/PREMIS_rep1.xml"
REP_DESCRIPTIVE = f"{REP}/metadata/descriptive"
DOCUMENTATION = "documentation"

AIP_PROFILE = "http://www.ra.ee/METS/v01/IP.xml"  # TT05: PROFILE of the AIP root METS
CSIP_PROFILE = "https://earkcsip.dilcis.eu/profile/E-ARK-CSIP.xml"
CONTENT_TYPE = "TT05/2025-AIP_hoso"


@dataclass(frozen=True)
class FormatInfo:
    """A file format as identified at ingest (PRONOM) or known by construction."""

    puid: str | None
    name: str | None
    version: str | None = None
    mime: str | None = None


@dataclass(frozen=True)
class AipFile:
    """One file of the AIP. ``role``: document | attachment | metadata | report | documentation."""

    logical_path: str
    role: str
    size: int
    sha256: str
    format: FormatInfo
    document_sequence: int | None = None


@dataclass(frozen=True)
class AipDocument:
    sequence: int
    doc_id: str
    ead_path: str  # the AIP EAD_doc
    fields: dict[str, str]  # AIP EAD_doc elements
    sip_fields: dict[str, str]  # the submitted EAD_doc elements
    files: tuple[str, ...]  # logical paths: main file first, then attachments
    signers: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True)
class AipAgent:
    identifier: str  # "software:luutru-ingest", "user:archivist", "apikey:3", "organization:…"
    name: str
    type: str  # software | person | organization
    note: str | None = None  # software version, agency code


@dataclass(frozen=True)
class PremisEventRecord:
    identifier: str  # uuid
    type: str
    time: dt.datetime
    agent: str
    outcome: str
    detail: dict[str, Any]
    linked_objects: tuple[dict[str, str], ...] = ()


@dataclass
class AipDescription:
    object_id: str  # urn:uuid:<uuid>
    uuid: str
    created: dt.datetime
    arc_file_code: str
    file_code: str
    agency_code: str | None
    agency_name: str | None
    submission_id: str | None
    sip_objid: str | None
    dossier_fields: dict[str, str]  # AIP EAD
    sip_dossier_fields: dict[str, str]  # the submitted EAD
    documents: list[AipDocument] = field(default_factory=list)
    files: list[AipFile] = field(default_factory=list)
    events: list[PremisEventRecord] = field(default_factory=list)
    agents: list[AipAgent] = field(default_factory=list)
    receipt: dict[str, Any] | None = None

    def file(self, logical_path: str) -> AipFile | None:
        for item in self.files:
            if item.logical_path == logical_path:
                return item
        return None
