"""A metadata correction of an archived AIP: the dossier's EAD rewritten (validated), a PREMIS
"metadata modification" event added, and the root METS re-made to reference the new files.
Applied to a local copy of the head version; the caller stores it as the next OCFL version."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path

from ingest.aip import ead as ead_xml
from ingest.aip.builder import alt_ids, package_objects
from ingest.aip.errors import AipError
from ingest.aip.files import known_format
from ingest.aip.mets import MetsHeader, RootMetsFiles, write_root_mets
from ingest.aip.model import (
    DOCUMENTATION,
    EAD,
    EVIDENCE_DIR,
    PREMIS,
    REP_METS,
    REPORT,
    ROOT_METS,
    SIP_DIR,
    AipDescription,
    AipFile,
    PremisEventRecord,
)
from ingest.aip.premis import write_premis
from storage.digests import digest_file

# The dossier elements an archivist may correct; codes, counts and arcFileCode stay as ingested.
CORRECTABLE = frozenset(
    {
        "title",
        "maintenance",
        "mode",
        "language",
        "startDate",
        "endDate",
        "keyword",
        "numberOfPaper",
        "format",
        "inforSign",
        "paperFileCode",
        "riskRecovery",
        "riskRecoveryStatus",
        "description",
    }
)


def apply_correction(
    folder: Path,
    description: AipDescription,
    changes: Mapping[str, str],
    event: PremisEventRecord,
    *,
    modified: dt.datetime,
    archive_name: str,
    archive_code: str,
    software: str,
    software_version: str,
) -> dict[str, str]:
    """Rewrite EAD.xml, PREMIS.xml and METS.xml under ``folder`` (a copy of the head version);
    returns the new dossier fields."""
    unknown = set(changes) - CORRECTABLE
    if unknown:
        raise AipError("these elements cannot be corrected", elements=sorted(unknown))
    fields = {**description.dossier_fields, **{k: v.strip() for k, v in changes.items()}}
    fields = {
        name: fields.get(name, "")
        for name, required in ead_xml.DOSSIER_ELEMENTS
        if fields.get(name) or required
    }
    ead_xml.write_validated(
        ead_xml.simpledc(fields, ead_xml.DOSSIER_ELEMENTS, "../../schemas/EAD.xsd"),
        "EAD_AIP",
        folder / EAD,
    )
    write_premis(
        folder / PREMIS,
        package_objects(description.object_id),
        [*description.events, event],
        description.agents,
    )

    def current(logical: str) -> AipFile:
        old = description.file(logical)
        digests = digest_file(folder / logical)
        role = old.role if old else "metadata"
        return AipFile(logical, role, digests.size, digests.sha256, known_format(logical))

    paths = sorted(p.logical_path for p in description.files)
    header = MetsHeader(
        created=description.created,
        modified=modified,
        software=software,
        software_version=software_version,
        archive_name=archive_name,
        archive_code=archive_code,
        agency_name=description.agency_name,
        agency_code=description.agency_code,
        alt_ids=alt_ids(
            description.arc_file_code,
            description.file_code,
            description.sip_objid,
            description.submission_id,
        ),
    )
    write_root_mets(
        folder / ROOT_METS,
        description.object_id,
        fields["title"],
        header,
        RootMetsFiles(
            ead=current(EAD),
            premis=current(PREMIS),
            rep_mets=current(REP_METS),
            schemas=[current(p) for p in paths if p.startswith("schemas/")],
            documentation=[current(p) for p in paths if p.startswith(DOCUMENTATION + "/")],
            preservation=[
                current(p) for p in paths if p == REPORT or p.startswith(EVIDENCE_DIR + "/")
            ],
            submitted=[current(p) for p in paths if p.startswith(SIP_DIR + "/")],
        ),
    )
    return fields
