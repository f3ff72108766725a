"""Rebuild the catalog's dossiers, documents, files, copies, texts, receipts and events from
preservation storage alone: walk the OCFL storage root of one location, read each AIP's METS,
EAD, EAD_doc and PREMIS, and make the same rows archiving made (ids are derived from the AIP).

Dossiers already in the catalog are left alone, so the command can be run again after an
interruption. Copies are recorded for every location that holds the same head version,
verified by reading it back.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import sqlalchemy as sa
from pypdf import PdfReader
from sqlalchemy.orm import Session

from archive.catalog.access import DocumentText
from archive.catalog.accounts import Agency
from archive.catalog.base import utcnow
from archive.catalog.engine import session_scope
from archive.catalog.preservation import Receipt
from archive.catalog.records import Dossier, Submission
from archive.errors import InvalidInput
from archive.logs import get_logger
from archive.services import dossiers
from archive.services.archiving import record_event_as
from archive.services.events import EventOutcome, record_event
from archive.services.locations import open_locations
from archive.settings import Settings
from ingest.aip import AipDescription, AipError, read_aip
from ingest.aip.model import DOCUMENTATION
from storage.errors import StorageError
from storage.interfaces import ObjectStore
from storage.ocfl import list_objects, object_root, open_file, read_inventory, verify_object

log = get_logger(__name__)
AGENT = "software:luutru-rebuild"


@dataclass
class RebuildReport:
    location: str
    objects: int = 0
    dossiers: int = 0
    skipped: int = 0
    problems: list[str] = field(default_factory=list)


def _opener(store: ObjectStore, object_id: str) -> Callable[[str], Iterator[IO[bytes]]]:
    @contextmanager
    def opened(logical: str) -> Iterator[IO[bytes]]:
        with open_file(store, object_id, logical) as stream:
            yield stream  # type: ignore[misc]

    return opened  # type: ignore[return-value]


def _text(store: ObjectStore, object_id: str, paths: tuple[str, ...], scratch: Path) -> str:
    parts: list[str] = []
    for index, logical in enumerate(paths):
        local = scratch / f"{index}.pdf"
        with open_file(store, object_id, logical) as source, local.open("wb") as out:
            while chunk := source.read(1024 * 1024):
                out.write(chunk)
        try:
            parts.extend(page.extract_text() or "" for page in PdfReader(local).pages)
        except Exception as exc:  # same tolerance as at archiving
            log.warning("no text extracted", path=logical, error=str(exc))
    return "\n".join(p.strip() for p in parts if p.strip())


def _describe(store: ObjectStore, object_id: str) -> tuple[AipDescription, int, dict[str, str]]:
    inventory = read_inventory(store, object_id)
    state = inventory.versions[inventory.head].logical_paths()
    sha256 = inventory.fixity_for("sha256")
    root = object_root(store, object_id)
    files: dict[str, tuple[int, str]] = {}
    for logical, digest in state.items():
        content = inventory.content_path(digest)
        size = store.head(f"{root}/{content}").size
        files[logical] = (size, sha256.get(content) or "")
    opener = _opener(store, object_id)
    return read_aip(opener, files), inventory.head_number, state  # type: ignore[arg-type]


def rebuild_catalog(settings: Settings, engine: sa.Engine, location: str) -> RebuildReport:
    stores = open_locations(settings)
    source = next((s for s in stores if s.name == location), None)
    if source is None:
        raise InvalidInput(
            f"không có kho lưu trữ {location} / no storage location named {location}; "
            f"known: {', '.join(s.name for s in stores)}"
        )
    report = RebuildReport(location)
    for stored in list_objects(source):
        report.objects += 1
        if stored.problem or stored.object_id is None:
            report.problems.append(f"{stored.object_root}: {stored.problem}")
            continue
        try:
            _rebuild_one(settings, engine, stores, source, stored.object_id, report)
        except (AipError, StorageError) as exc:
            report.problems.append(f"{stored.object_id}: {exc}")
    with session_scope(engine) as session:
        record_event(
            session,
            "catalog rebuild",
            agent=AGENT,
            outcome=EventOutcome.WARNING if report.problems else EventOutcome.SUCCESS,
            detail={
                "location": location,
                "objects": report.objects,
                "dossiers": report.dossiers,
                "skipped": report.skipped,
                "problems": report.problems,
            },
        )
    return report


def _rebuild_one(
    settings: Settings,
    engine: sa.Engine,
    stores: list[ObjectStore],
    source: ObjectStore,
    object_id: str,
    report: RebuildReport,
) -> None:
    description, version, state = _describe(source, object_id)
    with session_scope(engine) as session:
        if session.get(Dossier, description.uuid) is not None:
            report.skipped += 1
            return
        agency_id = session.scalar(
            sa.select(Agency.id).where(Agency.code == description.agency_code)
        )
    if agency_id is None:
        report.problems.append(
            f"{object_id}: agency {description.agency_code} is not in the catalog"
        )
        return
    copies = []
    for store in stores:
        try:
            check = verify_object(store, object_id)
        except StorageError as exc:
            log.warning("copy not verified", location=store.name, error=str(exc))
            continue
        if check.ok and check.head == f"v{version}":
            copies.append(dossiers.CopyRecord(store.name, utcnow()))
    settings.staging.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=settings.staging, prefix="rebuild-") as scratch:
        texts = {
            doc.sequence: _text(source, object_id, doc.files, Path(scratch))
            for doc in description.documents
        }
    with session_scope(engine) as session:
        submission_id = description.submission_id
        if submission_id and session.get(Submission, submission_id) is None:
            submission_id = None
        dossier = dossiers.record_dossier(
            session,
            description,
            agency_id=agency_id,
            submission_id=submission_id,
            ocfl_version=version,
            sha512=state,
            copies=copies,
        )
        for doc in description.documents:
            session.add(
                DocumentText(
                    document_id=dossiers.document_row_id(dossier.id, doc.sequence),
                    text=texts[doc.sequence],
                )
            )
        for event in description.events:
            record_event_as(
                session,
                event.identifier,
                event.type,
                agent=event.agent,
                outcome=event.outcome,
                detail=event.detail,
                linked_objects=event.linked_objects,
                submission_id=submission_id,
                dossier_id=dossier.id,
                at=event.time,
            )
        _restore_receipt(session, source, description, submission_id, dossier.id)
    report.dossiers += 1


def _restore_receipt(
    session: Session,
    store: ObjectStore,
    description: AipDescription,
    submission_id: str | None,
    dossier_id: str,
) -> None:
    receipt = description.receipt
    if receipt is None or submission_id is None:
        return
    if session.get(Receipt, str(receipt["id"])) is not None:
        return
    pdf_path = next(
        (
            f.logical_path
            for f in description.files
            if f.logical_path.startswith(DOCUMENTATION + "/") and f.logical_path.endswith(".pdf")
        ),
        None,
    )
    if pdf_path is None:
        return
    with open_file(store, description.object_id, pdf_path) as stream:
        pdf = stream.read()  # the one-page receipt
    session.add(
        Receipt(
            id=receipt["id"],
            submission_id=submission_id,
            dossier_id=dossier_id,
            content=receipt,
            pdf=pdf,
            pdf_sha256=hashlib.sha256(pdf).hexdigest(),
            created_at=dt.datetime.fromisoformat(receipt["created_at"]),
        )
    )
