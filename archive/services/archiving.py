"""The archiving job (``accession.archive``): accepted submission → AIP_hoso → one OCFL object
on every storage location → every file read back and compared → catalog → receipt → callback.

Nothing is marked archived before every location holds a verified copy (and at least
``min_verified_copies``). A storage error fails the attempt and the job is retried with
backoff; the staging copy is kept until the end. The AIP is built once per submission into
the staging folder (its identity, time and receipt are kept in ``aip-state.json``), so a
retry writes exactly the same object and a location that already holds it is left alone.
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.metadata
import json
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import sqlalchemy as sa
from pypdf import PdfReader
from sqlalchemy.orm import Session

from archive.catalog.access import DocumentText
from archive.catalog.accounts import Agency, ApiKey
from archive.catalog.base import utcnow
from archive.catalog.engine import session_scope
from archive.catalog.events import Event, EventChainHead
from archive.catalog.jobs import Job
from archive.catalog.preservation import Receipt
from archive.catalog.records import Dossier, File, Submission, SubmissionStatus
from archive.errors import InvalidInput, NotFound, ServiceUnavailable
from archive.jobs.registry import JobContext, job_handler
from archive.logs import get_logger
from archive.services import dossiers as dossier_rows
from archive.services.accession import ARCHIVE_JOB, schedule_callback
from archive.services.events import EventOutcome, chain_hash, record_event
from archive.services.locations import open_locations
from archive.services.receipt import JSON_NAME, PDF_NAME, ReceiptFacts, item_of, make_receipt
from archive.services.staging import remove_submission_bytes, submission_dir
from archive.services.submissions import set_status
from archive.settings import Settings
from ingest.aip import (
    AipAgent,
    AipDescription,
    AipError,
    AipInput,
    BuiltAip,
    PremisEventRecord,
    build_aip,
    read_aip,
)
from ingest.aip.correction import apply_correction
from ingest.package import Package, read_package
from ingest.unpack import unpack
from storage.digests import Digests, digest_file
from storage.errors import ObjectNotFound, StorageError
from storage.interfaces import ObjectStore
from storage.ocfl import (
    INVENTORY,
    ensure_storage_root,
    purge_object,
    read_inventory,
    verify_object,
    write_object,
)

log = get_logger(__name__)
AGENT = "software:luutru-archiving"
STATE_FILE = "aip-state.json"
READ_BACK_WORKERS = 2  # files hashed at once when reading a new version back
TOOLS = ("luutru", "pyhanko", "pikepdf", "lxml", "pypdf", "reportlab")


class ArchivingFailed(Exception):
    """Archiving cannot succeed by retrying (bad configuration, unreadable package)."""


def software_version(name: str = "luutru") -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def record_event_as(session: Session, event_uuid: str, event_type: str, **kwargs: Any) -> Event:
    """record_event, keeping an identifier already written into the AIP's PREMIS, so catalog
    and AIP name the same event (the chain hash covers the identifier, so it is re-made)."""
    existing = session.scalar(sa.select(Event).where(Event.event_uuid == event_uuid))
    if existing is not None:
        return existing
    event = record_event(session, event_type, **kwargs)
    event.event_uuid = event_uuid
    event.hash = chain_hash(event.prev_hash, event)
    session.execute(
        sa.update(EventChainHead).where(EventChainHead.id == 1).values(last_hash=event.hash)
    )
    session.flush()
    return event


# -- the AIP, built once --------------------------------------------------------------------


def _agent_for(identifier: str, session: Session) -> AipAgent:
    kind, _, name = identifier.partition(":")
    if kind == "software":
        return AipAgent(identifier, name, "software", software_version())
    if kind == "user":
        return AipAgent(identifier, name, "person")
    if kind == "apikey" and name.isdigit():
        key = session.get(ApiKey, int(name))
        return AipAgent(identifier, key.name if key else identifier, "organization", None)
    return AipAgent(identifier, identifier, "organization")


def _premis_event(event: Event) -> PremisEventRecord:
    return PremisEventRecord(
        identifier=event.event_uuid,
        type=event.event_type,
        time=event.event_time,
        agent=event.agent,
        outcome=event.outcome,
        detail=dict(event.detail),
        linked_objects=tuple(dict(x) for x in event.linked_objects),
    )


def _event_to_json(event: PremisEventRecord) -> dict[str, Any]:
    return {
        **event.__dict__,
        "time": event.time.isoformat(),
        "linked_objects": list(event.linked_objects),
    }


def _event_from_json(data: dict[str, Any]) -> PremisEventRecord:
    return PremisEventRecord(
        **{
            **data,
            "time": dt.datetime.fromisoformat(data["time"]),
            "linked_objects": tuple(data["linked_objects"]),
        }
    )


@dataclass
class Staged:
    submission_id: str
    folder: Path
    package: Package
    built: BuiltAip
    creation_event: PremisEventRecord
    receipt_pdf: Path
    receipt_json: Path


def _unpacked(folder: Path, zip_path: Path) -> Package:
    work = folder / "work" / "package"
    if not work.is_dir():
        if not zip_path.is_file():
            raise ArchivingFailed(f"the staged package is gone: {zip_path}")
        result = unpack(zip_path, work)
        if result.root is None:
            raise ArchivingFailed("the staged package cannot be unpacked again")
    roots = [p for p in work.iterdir() if p.is_dir()]
    package, _ = read_package(roots[0] if len(roots) == 1 else work)
    return package


def _receipt_facts(
    sub: Submission,
    agency: Agency,
    package: Package,
    receipt_id: str,
    object_uuid: str,
    created: dt.datetime,
    archive_code: str,
) -> ReceiptFacts:
    fields = package.dossier_fields
    files = sum(len(d.files) for d in package.documents)
    return ReceiptFacts(
        receipt_id=receipt_id,
        submission_id=sub.id,
        created=created,
        agency_name=agency.name,
        agency_code=agency.code,
        accepted_by=sub.decided_by,
        file_code=package.file_code or "",
        arc_file_code=f"{archive_code}.{package.file_code}",
        title=fields.get("title", ""),
        start_date=fields.get("startDate", ""),
        end_date=fields.get("endDate", ""),
        dossiers=1,
        files=files,
        documents=len(package.documents),
        pages=sum(int(d.fields.get("numberOfPage") or 0) for d in package.documents),
        condition=_condition(fields.get("format", "")),
        items=[item_of(d.sequence, d.fields) for d in package.documents],
    )


def _condition(text: str) -> str:
    from ingest.aip.ead import condition_code

    return condition_code(text) or "01"


def stage_aip(context: JobContext, submission_id: str) -> Staged:
    """Build (or rebuild, identically) the AIP in the staging folder."""
    settings = context.settings
    folder = submission_dir(settings.staging, submission_id)
    state_path = folder / STATE_FILE
    with session_scope(context.engine) as session:
        sub = session.get(Submission, submission_id)
        assert sub is not None
        agency = session.get(Agency, sub.agency_id)
        assert agency is not None
        package = _unpacked(folder, Path(sub.staging_path or ""))
        if package.dossier is None or package.mets is None:
            raise ArchivingFailed("the staged package cannot be read again")
        if not state_path.exists():
            created = utcnow().replace(microsecond=0)
            object_uuid = str(uuid.uuid4())
            history = session.scalars(
                sa.select(Event).where(Event.submission_id == submission_id).order_by(Event.seq)
            ).all()
            creation = PremisEventRecord(
                identifier=str(uuid.uuid4()),
                type="information package creation",
                time=created,
                agent=AGENT,
                outcome=EventOutcome.SUCCESS.value,
                detail={
                    "package": "AIP_hoso",
                    "from": package.objid,
                    "object": f"urn:uuid:{object_uuid}",
                },
                linked_objects=(
                    {"type": "package", "id": sub.package_sha256, "role": "source"},
                    {"type": "URN", "id": f"urn:uuid:{object_uuid}", "role": "outcome"},
                ),
            )
            events = [_premis_event(e) for e in history] + [creation]
            agent_ids = sorted({e.agent for e in events})
            agents = [_agent_for(a, session) for a in agent_ids]
            agents += [
                AipAgent(f"software:{t}", t, "software", software_version(t))
                for t in TOOLS
                if f"software:{t}" not in agent_ids
            ]
            receipt_id = str(uuid.uuid4())
            make_receipt(
                settings,
                _receipt_facts(
                    sub, agency, package, receipt_id, object_uuid, created, settings.archive_code
                ),
                folder / "receipt",
            )
            state = {
                "object_uuid": object_uuid,
                "created": created.isoformat(),
                "receipt_id": receipt_id,
                "events": [_event_to_json(e) for e in events],
                "agents": [a.__dict__ for a in agents],
            }
            tmp = state_path.with_suffix(".part")
            tmp.write_text(json.dumps(state, ensure_ascii=False, indent=1), encoding="utf-8")
            tmp.replace(state_path)
        state = json.loads(state_path.read_text(encoding="utf-8"))
        report = dict(sub.report or {})
        agency_name, agency_code = agency.name, agency.code
    events = [_event_from_json(e) for e in state["events"]]
    receipt_dir = folder / "receipt"
    built = build_aip(
        AipInput(
            package=package,
            object_uuid=state["object_uuid"],
            created=dt.datetime.fromisoformat(state["created"]),
            archive_code=settings.archive_code,
            archive_name=settings.archive_name,
            agency_name=agency_name,
            agency_code=agency_code,
            submission_id=submission_id,
            report=report,
            events=events,
            agents=[AipAgent(**a) for a in state["agents"]],
            software_version=software_version(),
            evidence_dir=folder / "evidence",
            documentation=[
                (PDF_NAME, receipt_dir / PDF_NAME),
                (JSON_NAME, receipt_dir / JSON_NAME),
            ],
        ),
        folder / "aip",
    )
    return Staged(
        submission_id,
        folder,
        package,
        built,
        events[-1],
        receipt_dir / PDF_NAME,
        receipt_dir / JSON_NAME,
    )


# -- writing to every location and reading it back ---------------------------------------------


@dataclass(frozen=True)
class Replica:
    location: str
    written: bool  # False: the location already held this exact version
    inventory_sha512: str | None = None


def _held_version(store: ObjectStore, object_id: str) -> dict[str, str] | None:
    """logical path → sha512 of the head version the location holds, None if no object."""
    root = ensure_storage_root(store).object_root(object_id)
    if not store.exists(f"{root}/{INVENTORY}"):
        return None
    inventory = read_inventory(store, object_id)
    return inventory.versions[inventory.head].logical_paths()


def replicate(
    store: ObjectStore,
    object_id: str,
    files: Sequence[tuple[str, Path]],
    digests: dict[str, Digests],
    *,
    version: int,
    message: str,
    user: str,
    created: dt.datetime,
) -> Replica:
    """Write the version to ``store`` unless it holds it already.

    ``digests`` (logical path → digests) is shared by the locations of one version: filled in
    by the first write (or when a held version must be compared), then only verified.
    """
    held = _held_version(store, object_id)
    if held is not None:
        for logical, local in files:
            if logical not in digests:
                digests[logical] = digest_file(local, parallel=True)
        sha512 = {logical: digests[logical].sha512 for logical, _ in files}
        if held == sha512:
            inventory = read_inventory(store, object_id)
            if inventory.head_number == version:
                return Replica(store.name, written=False)
        if read_inventory(store, object_id).head_number >= version:
            raise ArchivingFailed(
                f"location {store.name} already holds another version {version} of {object_id}"
            )
    written = write_object(store, object_id, files, message, user, created=created, digests=digests)
    digests.update(written.digests)
    return Replica(store.name, written=True, inventory_sha512=written.inventory_sha512)


@dataclass(frozen=True)
class StorageOutcome:
    verified: list[str]
    failures: dict[str, str]  # location → error


def store_everywhere(
    settings: Settings,
    engine: sa.Engine,
    heartbeat: Callable[[], None],
    object_id: str,
    files: Sequence[tuple[str, Path]],
    *,
    version: int,
    message: str,
    user: str,
    created: dt.datetime,
    submission_id: str | None,
    dossier_id: str | None,
) -> StorageOutcome:
    """Write the version to every location, then re-read every file of every location."""
    digests: dict[str, Digests] = {}
    failures: dict[str, str] = {}
    stores = open_locations(settings)
    for store in stores:
        heartbeat()
        try:
            replica = replicate(
                store,
                object_id,
                files,
                digests,
                version=version,
                message=message,
                user=user,
                created=created,
            )
            outcome = EventOutcome.SUCCESS
            detail: dict[str, Any] = {"written": replica.written}
        except StorageError as exc:
            failures[store.name] = str(exc)
            outcome, detail = EventOutcome.FAILURE, {"error": str(exc)}
        with session_scope(engine) as session:
            record_event(
                session,
                "replication",
                agent=AGENT,
                outcome=outcome,
                detail={
                    "location": store.name,
                    "object": object_id,
                    "version": f"v{version}",
                    **detail,
                },
                submission_id=submission_id,
                dossier_id=dossier_id,
            )
    verified: list[str] = []
    results: dict[str, Any] = {}
    for store in stores:
        if store.name in failures:
            continue
        heartbeat()
        try:
            check = verify_object(store, object_id, workers=READ_BACK_WORKERS)
            ok = check.ok and check.head == f"v{version}"
            results[store.name] = {
                "ok": ok,
                "files": len(check.files),
                "bad": [f.path for f in check.bad_files + check.bad_metadata],
            }
            if ok:
                verified.append(store.name)
            else:
                failures[store.name] = f"read-back differs: {results[store.name]['bad']}"
                if version == 1:  # never archived yet: remove it so the retry writes afresh
                    purge_object(store, object_id)
        except StorageError as exc:
            failures[store.name] = str(exc)
            results[store.name] = {"ok": False, "error": str(exc)}
    with session_scope(engine) as session:
        record_event(
            session,
            "fixity check",
            agent=AGENT,
            outcome=EventOutcome.FAILURE if failures else EventOutcome.SUCCESS,
            detail={"object": object_id, "version": f"v{version}", "read_back": results},
            submission_id=submission_id,
            dossier_id=dossier_id,
        )
    return StorageOutcome(verified, failures)


# -- the job --------------------------------------------------------------------------------


def _pdf_text(paths: Sequence[Path]) -> str:
    parts: list[str] = []
    for path in paths:
        try:
            reader = PdfReader(path)
            parts.extend(page.extract_text() or "" for page in reader.pages)
        except Exception as exc:  # an unreadable text layer is not a reason to stop archiving
            log.warning("no text extracted", path=str(path), error=str(exc))
    return "\n".join(p.strip() for p in parts if p.strip())


def _last_attempt(session: Session, context: JobContext) -> bool:
    job = session.get(Job, context.job_id)
    return job is not None and job.attempts >= job.max_attempts


def _fail(context: JobContext, submission_id: str, reason: str, *, final: bool) -> None:
    with session_scope(context.engine) as session:
        sub = session.get(Submission, submission_id)
        assert sub is not None
        final = final or _last_attempt(session, context)
        record_event(
            session,
            "ingestion end" if final else "information package storage",
            agent=AGENT,
            outcome=EventOutcome.FAILURE,
            detail={"reason": reason, "final": final, "attempt": context.attempt},
            submission_id=submission_id,
        )
        if final:
            set_status(session, sub, SubmissionStatus.FAILED)
            schedule_callback(
                session, context.dispatch, context.settings.public_url, sub, {"reason": reason}
            )


def _queue_indexing(session: Session, context: JobContext, dossier_id: str) -> None:
    try:
        indexing = importlib.import_module("archive.services.indexing")
        queue = indexing.queue_dossier_indexing
    except (ImportError, AttributeError):
        log.warning(
            "search indexing unavailable: archive.services.indexing."
            "queue_dossier_indexing not found; the dossier is not indexed",
            dossier_id=dossier_id,
        )
        return
    queue(session, context.dispatch, dossier_id)


def _commit(context: JobContext, staged: Staged, verified: list[str]) -> dict[str, Any]:
    description: AipDescription = staged.built.description
    sha512 = {logical: digest_file(local).sha512 for logical, local in staged.built.files}
    texts = {
        doc.sequence: _pdf_text([staged.package.root / p for p in doc.files])
        for doc in description.documents
    }
    now = utcnow()
    with session_scope(context.engine) as session:
        sub = session.get(Submission, staged.submission_id)
        assert sub is not None
        record_event_as(
            session,
            staged.creation_event.identifier,
            staged.creation_event.type,
            agent=staged.creation_event.agent,
            outcome=staged.creation_event.outcome,
            detail=staged.creation_event.detail,
            linked_objects=staged.creation_event.linked_objects,
            submission_id=sub.id,
            at=staged.creation_event.time,
        )
        dossier = dossier_rows.record_dossier(
            session,
            description,
            agency_id=sub.agency_id,
            submission_id=sub.id,
            ocfl_version=1,
            sha512=sha512,
            copies=[dossier_rows.CopyRecord(name, now) for name in verified],
        )
        for doc in description.documents:
            session.add(
                DocumentText(
                    document_id=dossier_rows.document_row_id(dossier.id, doc.sequence),
                    text=texts[doc.sequence],
                )
            )
        content = json.loads(staged.receipt_json.read_text(encoding="utf-8"))
        pdf = staged.receipt_pdf.read_bytes()  # a one-page receipt
        session.add(
            Receipt(
                id=content["id"],
                submission_id=sub.id,
                dossier_id=dossier.id,
                content=content,
                pdf=pdf,
                pdf_sha256=digest_file(staged.receipt_pdf).sha256,
                created_at=dt.datetime.fromisoformat(content["created_at"]),
            )
        )
        if not content["signature"]["signed"]:
            record_event(
                session,
                "receipt creation",
                agent=AGENT,
                outcome=EventOutcome.WARNING,
                detail={
                    "receipt": content["id"],
                    "signed": False,
                    "reason": content["signature"]["reason_en"],
                },
                submission_id=sub.id,
                dossier_id=dossier.id,
            )
        else:
            record_event(
                session,
                "receipt creation",
                agent=AGENT,
                outcome=EventOutcome.SUCCESS,
                detail={"receipt": content["id"], "signed": True},
                submission_id=sub.id,
                dossier_id=dossier.id,
            )
        sub.dossier_id = dossier.id
        set_status(session, sub, SubmissionStatus.ARCHIVED)
        record_event(
            session,
            "ingestion end",
            agent=AGENT,
            outcome=EventOutcome.SUCCESS,
            detail={
                "object": description.object_id,
                "copies": verified,
                "files": len(description.files),
            },
            submission_id=sub.id,
            dossier_id=dossier.id,
            linked_objects=[{"type": "URN", "id": description.object_id, "role": "outcome"}],
        )
        _queue_indexing(session, context, dossier.id)
        base = (context.settings.public_url or "").rstrip("/")
        schedule_callback(
            session,
            context.dispatch,
            context.settings.public_url,
            sub,
            {
                "receipt_url": f"{base}/api/v1/submissions/{sub.id}/receipt",
                "dossier_url": f"{base}/api/v1/dossiers/{dossier.id}",
            },
        )
        dossier_id = dossier.id
    return {"status": "archived", "dossier_id": dossier_id, "copies": verified}


@job_handler(ARCHIVE_JOB)
def archive_submission(context: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
    submission_id = str(payload["submission_id"])
    settings = context.settings
    with session_scope(context.engine) as session:
        sub = session.get(Submission, submission_id)
        if sub is None:
            return {"skipped": "submission not found"}
        if sub.status not in (SubmissionStatus.ACCEPTED, SubmissionStatus.ARCHIVING):
            return {"skipped": f"already {sub.status}"}
        set_status(session, sub, SubmissionStatus.ARCHIVING)
    if len(settings.locations) < settings.min_verified_copies:
        reason = (
            f"{len(settings.locations)} storage locations configured, "
            f"{settings.min_verified_copies} verified copies required"
        )
        _fail(context, submission_id, reason, final=True)
        return {"status": "failed", "reason": reason}
    try:
        staged = stage_aip(context, submission_id)
    except ArchivingFailed as exc:
        _fail(context, submission_id, str(exc), final=True)
        return {"status": "failed", "reason": str(exc)}
    except Exception as exc:
        _fail(context, submission_id, f"{type(exc).__name__}: {exc}", final=False)
        raise
    description = staged.built.description
    outcome = store_everywhere(
        settings,
        context.engine,
        context.heartbeat,
        description.object_id,
        staged.built.files,
        version=1,
        message="AIP_hoso: tiếp nhận hồ sơ / accession",
        user=AGENT,
        created=description.created,
        submission_id=submission_id,
        dossier_id=None,
    )
    if outcome.failures or len(outcome.verified) < settings.min_verified_copies:
        reason = "; ".join(f"{name}: {error}" for name, error in outcome.failures.items())
        _fail(context, submission_id, reason or "too few verified copies", final=False)
        raise StorageError("archiving incomplete, will retry", failures=outcome.failures)
    result = _commit(context, staged, outcome.verified)
    remove_submission_bytes(settings.staging, submission_id)
    log.info("submission archived", submission_id=submission_id, dossier_id=result["dossier_id"])
    return result


# -- corrections: a new OCFL version, never a rewrite ------------------------------------------


@contextmanager
def _opened(store: ObjectStore, object_id: str, path: str) -> Iterator[IO[bytes]]:
    from storage.ocfl import open_file

    with open_file(store, object_id, path) as stream:
        yield stream  # type: ignore[misc]


def download_head(settings: Settings, object_id: str, dest: Path) -> list[tuple[str, Path]]:
    """Stream every file of the head version from the first location that answers."""
    last: Exception | None = None
    for store in open_locations(settings):
        try:
            inventory = read_inventory(store, object_id)
            files = []
            for logical in sorted(inventory.versions[inventory.head].logical_paths()):
                target = dest / logical
                target.parent.mkdir(parents=True, exist_ok=True)
                with _opened(store, object_id, logical) as source, target.open("wb") as out:
                    shutil.copyfileobj(source, out, 1024 * 1024)
                files.append((logical, target))
            return files
        except (StorageError, ObjectNotFound) as exc:
            last = exc
    raise StorageError("no location could serve the object", object_id=object_id, error=str(last))


def correct_metadata(
    settings: Settings,
    engine: sa.Engine,
    dossier_id: str,
    changes: Mapping[str, str],
    actor: str,
    *,
    reason: str,
) -> int:
    """Correct the dossier's EAD as the next OCFL version on every location (the earlier
    versions stay readable), with a PREMIS "metadata modification" event; returns the version.
    The catalog follows only once every location holds the new version, verified."""
    with session_scope(engine) as session:
        dossier = session.get(Dossier, dossier_id)
        if dossier is None or dossier.ocfl_object_id is None:
            raise NotFound(f"dossier {dossier_id} not found")
        object_id, version = dossier.ocfl_object_id, dossier.ocfl_version + 1
    now = utcnow()
    settings.staging.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=settings.staging, prefix="correction-") as scratch:
        folder = Path(scratch)
        files = download_head(settings, object_id, folder)
        local = dict(files)
        digests = {logical: digest_file(path) for logical, path in files}
        description = read_aip(
            lambda logical: local[logical].open("rb"),
            {logical: (d.size, d.sha256) for logical, d in digests.items()},
        )
        old = description.dossier_fields
        event = PremisEventRecord(
            identifier=str(uuid.uuid4()),
            type="metadata modification",
            time=now,
            agent=actor,
            outcome=EventOutcome.SUCCESS.value,
            detail={
                "version": f"v{version}",
                "reason": reason,
                "changes": {k: {"from": old.get(k, ""), "to": v} for k, v in changes.items()},
            },
            linked_objects=({"type": "URN", "id": object_id, "role": "outcome"},),
        )
        try:
            fields = apply_correction(
                folder,
                description,
                changes,
                event,
                modified=now,
                archive_name=settings.archive_name,
                archive_code=settings.archive_code,
                software="luutru",
                software_version=software_version(),
            )
        except AipError as exc:
            raise InvalidInput(
                f"không sửa được đặc tả / cannot correct: {exc}", **exc.details
            ) from exc
        outcome = store_everywhere(
            settings,
            engine,
            lambda: None,
            object_id,
            files,
            version=version,
            message=f"Sửa đặc tả hồ sơ / metadata correction: {reason}",
            user=actor,
            created=now,
            submission_id=None,
            dossier_id=dossier_id,
        )
        if outcome.failures:
            raise ServiceUnavailable(
                "bản sửa chưa ghi được vào mọi kho / the correction is not on every location",
                failures=outcome.failures,
            )
        changed = {logical: digest_file(path) for logical, path in files}
    with session_scope(engine) as session:
        dossier = session.get(Dossier, dossier_id)
        assert dossier is not None
        dossier_rows.apply_dossier_fields(dossier, fields)
        dossier.metadata_json = {**(dossier.metadata_json or {}), **fields}
        dossier.ocfl_version = version
        for row in session.scalars(sa.select(File).where(File.dossier_id == dossier_id)):
            new = changed.get(row.logical_path)
            if new is not None and new.sha256 != row.sha256:
                row.sha256, row.sha512, row.size = new.sha256, new.sha512, new.size
        for copy in dossier_rows.copies_of(session, dossier_id):
            if copy.location in outcome.verified:
                copy.ocfl_version, copy.verified_at = version, now
        record_event_as(
            session,
            event.identifier,
            event.type,
            agent=actor,
            outcome=event.outcome,
            detail=event.detail,
            linked_objects=event.linked_objects,
            dossier_id=dossier_id,
            at=now,
        )
    return version
