"""Archived dossiers in the catalog: made from an AIP description (at archiving and when the
catalog is rebuilt from storage, so both give the same rows), and read under the visibility
rule (always inside the query)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from archive.catalog.base import utcnow
from archive.catalog.events import Event
from archive.catalog.records import Document, Dossier, File, StorageCopy
from archive.errors import NotFound
from archive.services.accounts import Principal
from archive.services.visibility import document_condition, dossier_condition
from ingest.aip import AipDescription
from metadata_schemas.dates import parse_partial_date
from metadata_schemas.enums import Maintenance
from metadata_schemas.errors import InvalidValueError
from metadata_schemas.retention import Years, retention_from_code, review_due

_IDS = uuid.UUID("0d5c6f62-1d3f-5d0e-8a0b-6c7f2a9e4b11")  # namespace of derived row ids


def document_row_id(dossier_id: str, sequence: int) -> str:
    """Row ids derived from the AIP, so a catalog rebuilt from storage keeps them."""
    return str(uuid.uuid5(_IDS, f"{dossier_id}/document/{sequence}"))


def file_row_id(dossier_id: str, logical_path: str) -> str:
    return str(uuid.uuid5(_IDS, f"{dossier_id}/file/{logical_path}"))


def retention_years(maintenance: str) -> int | None:
    try:
        retention = retention_from_code(Maintenance(maintenance))
    except (ValueError, InvalidValueError):
        return None  # permanent, or 07 "Khác" whose value the EAD does not carry
    return retention.years if isinstance(retention, Years) else None


def end_year(end_date: str) -> int | None:
    try:
        return parse_partial_date(end_date).year
    except InvalidValueError:
        return None


def apply_dossier_fields(dossier: Dossier, fields: Mapping[str, str]) -> None:
    dossier.title = fields.get("title", "")
    dossier.maintenance = fields.get("maintenance", "")
    dossier.mode = fields.get("mode", "")
    dossier.language = fields.get("language", "") or "01"
    dossier.start_date = fields.get("startDate") or None
    dossier.end_date = fields.get("endDate") or None
    dossier.confidence_level = fields.get("confidenceLevel", "")
    dossier.total_doc = int(fields.get("totalDoc") or 0)
    dossier.number_of_page = int(fields.get("numberOfPage") or 0)
    dossier.retention_years = retention_years(dossier.maintenance)
    dossier.end_year = end_year(dossier.end_date or "")
    dossier.review_due = (
        review_due(dossier.end_year, dossier.retention_years)
        if dossier.end_year and dossier.retention_years
        else None
    )


@dataclass(frozen=True)
class CopyRecord:
    location: str
    verified_at: dt.datetime


def record_dossier(
    session: Session,
    description: AipDescription,
    *,
    agency_id: int,
    submission_id: str | None,
    ocfl_version: int,
    sha512: Mapping[str, str],
    copies: Sequence[CopyRecord],
) -> Dossier:
    """Dossier, documents, files and copies of one AIP. ``archived_at`` is the AIP's creation."""
    dossier = Dossier(
        id=description.uuid,
        agency_id=agency_id,
        submission_id=submission_id,
        file_code=description.file_code,
        arc_file_code=description.arc_file_code,
        ocfl_object_id=description.object_id,
        ocfl_version=ocfl_version,
        metadata_json={**description.sip_dossier_fields, **description.dossier_fields},
        archived_at=description.created.astimezone(dt.UTC),
        created_at=description.created.astimezone(dt.UTC),
    )
    apply_dossier_fields(dossier, description.dossier_fields)
    session.add(dossier)
    session.flush()
    for item in description.documents:
        fields, sip = item.fields, item.sip_fields
        person = next((s for s in item.signers if s.get("role") == "person"), None)
        session.add(
            Document(
                id=document_row_id(dossier.id, item.sequence),
                dossier_id=dossier.id,
                sequence=item.sequence,
                doc_id=item.doc_id,
                doc_code=fields.get("docCode") or None,
                type_name=fields.get("typeName") or None,
                code_number=fields.get("codeNumber") or None,
                code_notation=fields.get("codeNotation") or None,
                issued_date=fields.get("issuedDate") or None,
                organ_name=fields.get("organName") or None,
                subject=fields.get("subject") or None,
                mode=fields.get("mode") or dossier.mode,
                maintenance=sip.get("maintenance") or dossier.maintenance,
                confidence_level=fields.get("confidenceLevel") or None,
                number_of_page=int(fields.get("numberOfPage") or 0),
                metadata_json={
                    **sip,
                    **fields,
                    "signer": person["name"] if person else None,
                    "signers": list(item.signers),
                },
            )
        )
    session.flush()
    for aip_file in description.files:
        sequence = aip_file.document_sequence
        session.add(
            File(
                id=file_row_id(dossier.id, aip_file.logical_path),
                dossier_id=dossier.id,
                document_id=(
                    document_row_id(dossier.id, sequence)
                    if sequence is not None and aip_file.role in ("document", "attachment")
                    else None
                ),
                logical_path=aip_file.logical_path,
                role=aip_file.role,
                size=aip_file.size,
                sha256=aip_file.sha256,
                sha512=sha512.get(aip_file.logical_path),
                puid=aip_file.format.puid,
                format_name=aip_file.format.name,
                mime_type=aip_file.format.mime,
            )
        )
    for copy in copies:
        session.add(
            StorageCopy(
                dossier_id=dossier.id,
                location=copy.location,
                ocfl_version=ocfl_version,
                verified_at=copy.verified_at,
            )
        )
    session.flush()
    return dossier


# -- reading ----------------------------------------------------------------------------------


def visible_dossier(session: Session, principal: Principal, dossier_id: str) -> Dossier:
    dossier = session.scalar(
        sa.select(Dossier).where(Dossier.id == dossier_id, dossier_condition(principal, utcnow()))
    )
    if dossier is None:
        raise NotFound(f"dossier {dossier_id} not found")
    return dossier


def visible_documents(session: Session, principal: Principal, dossier: Dossier) -> list[Document]:
    return list(
        session.scalars(
            sa.select(Document)
            .join(Dossier, Dossier.id == Document.dossier_id)
            .where(Document.dossier_id == dossier.id, document_condition(principal, utcnow()))
            .order_by(Document.sequence)
        )
    )


def visible_document(
    session: Session, principal: Principal, dossier_id: str, document_id: str
) -> Document:
    document = session.scalar(
        sa.select(Document)
        .join(Dossier, Dossier.id == Document.dossier_id)
        .where(
            Document.id == document_id,
            Document.dossier_id == dossier_id,
            document_condition(principal, utcnow()),
        )
    )
    if document is None:
        raise NotFound(f"document {document_id} not found")
    return document


@dataclass(frozen=True)
class Page:
    items: list[Dossier]
    total: int


def list_visible(
    session: Session,
    principal: Principal,
    *,
    offset: int,
    limit: int,
    agency_id: int | None = None,
    year: int | None = None,
    file_code: str | None = None,
) -> Page:
    condition = dossier_condition(principal, utcnow())
    filters: list[sa.ColumnElement[bool]] = [condition]
    if agency_id is not None:
        filters.append(Dossier.agency_id == agency_id)
    if year is not None:
        filters.append(Dossier.end_year == year)
    if file_code:
        filters.append(Dossier.file_code == file_code)
    total = session.scalar(sa.select(sa.func.count()).select_from(Dossier).where(*filters)) or 0
    items = session.scalars(
        sa.select(Dossier)
        .where(*filters)
        .order_by(Dossier.archived_at.desc(), Dossier.id)
        .offset(offset)
        .limit(limit)
    ).all()
    return Page(list(items), total)


def main_file(session: Session, document: Document) -> File:
    found = session.scalar(
        sa.select(File).where(File.document_id == document.id, File.role == "document")
    )
    if found is None:
        raise NotFound(f"document {document.id} has no file")
    return found


def document_files(session: Session, document: Document) -> list[File]:
    """Main file first, then attachments in name order."""
    files = session.scalars(sa.select(File).where(File.document_id == document.id)).all()
    return sorted(files, key=lambda f: (f.role != "document", f.logical_path))


def copies_of(session: Session, dossier_id: str) -> list[StorageCopy]:
    return list(
        session.scalars(
            sa.select(StorageCopy)
            .where(StorageCopy.dossier_id == dossier_id)
            .order_by(StorageCopy.location)
        )
    )


def events_of(session: Session, dossier: Dossier, limit: int = 500) -> list[Event]:
    """The dossier's events and those of the submission it came from, oldest first."""
    match = Event.dossier_id == dossier.id
    if dossier.submission_id:
        match = sa.or_(match, Event.submission_id == dossier.submission_id)
    return list(session.scalars(sa.select(Event).where(match).order_by(Event.seq).limit(limit)))


def dossier_summary(dossier: Dossier) -> dict[str, Any]:
    return {
        "id": dossier.id,
        "fileCode": dossier.file_code,
        "arcFileCode": dossier.arc_file_code,
        "title": dossier.title,
        "maintenance": dossier.maintenance,
        "retention_years": dossier.retention_years,
        "mode": dossier.mode,
        "startDate": dossier.start_date,
        "endDate": dossier.end_date,
        "totalDoc": dossier.total_doc,
        "numberOfPage": dossier.number_of_page,
        "status": dossier.status,
        "review_due": dossier.review_due.isoformat() if dossier.review_due else None,
        "ocfl_version": dossier.ocfl_version,
        "archived_at": dossier.archived_at.isoformat() if dossier.archived_at else None,
    }
