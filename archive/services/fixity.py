"""Fixity audits: re-read every stored copy, repair what is damaged, report what is lost.

An audit covers one location, one dossier, or everything. It takes copies least recently
checked first (nulls first, as the DSpace checker does) and stamps each copy's
``last_fixity_at`` as soon as that object is done, in the same transaction as its events and the
audit's ``cursor``. A copy stamped after the audit started is therefore never taken again by the
same audit: an audit that crashed or was interrupted continues where it stopped when it runs
again. A scheduled audit only takes the copies that are due (not checked for the location's
``audit_interval_days``); an audit someone asked for takes every copy in its scope.

A healthy object is read once, on the audited location only. Only when something is wrong is
the object verified everywhere and repaired from a location whose copy still matches
(:func:`storage.fixity.verify_and_repair`); every check, repair and loss is an event with the
expected and actual digests, and the administrator is alerted (archive.services.alerts).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from archive.catalog.base import utcnow
from archive.catalog.engine import session_scope
from archive.catalog.preservation import FixityAudit
from archive.catalog.records import Dossier, DossierStatus, StorageCopy
from archive.errors import InvalidInput, NotFound, ServiceUnavailable
from archive.jobs.queue import Dispatch, enqueue
from archive.logs import get_logger
from archive.services import alerts
from archive.services.accounts import Principal
from archive.services.events import EventOutcome, record_event
from archive.services.locations import location_config
from archive.settings import Settings, StorageLocationSettings
from storage.errors import StorageError, TransientStorageError
from storage.factory import open_store
from storage.fixity import FileRepair, RepairStatus, Throttle, verify_and_repair
from storage.interfaces import ObjectStore
from storage.ocfl import FileCheck, ObjectVerification, verify_object

AUDIT_JOB = "fixity.audit"
AUDIT_AGENT = "software:luutru-fixity"
SCHEDULER_AGENT = "software:luutru-scheduler"
END_CURSOR = "end"  # the audit walked its whole scope
log = get_logger(__name__)


class AuditState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class CopyOutcome(StrEnum):
    """What ``StorageCopy.last_fixity_outcome`` says after a check."""

    OK = "ok"
    REPAIRED = "repaired"  # was damaged, now verified good again
    DAMAGED = "damaged"  # still damaged: the repair failed or could not be attempted
    LOST = "lost"  # no location holds a good copy of some file


@dataclass(frozen=True)
class AuditProgress:
    audit_id: str
    objects_done: int
    objects_total: int
    bytes_checked: int
    last_object: str | None


ThrottleFactory = Callable[[float], Throttle]
ProgressCallback = Callable[[AuditProgress], None]


# --- asking for audits --------------------------------------------------------------------


def _location(settings: Settings, name: str) -> StorageLocationSettings:
    for location in settings.locations:
        if location.name == name:
            return location
    known = ", ".join(loc.name for loc in settings.locations)
    raise InvalidInput(f"không có kho lưu trữ / unknown storage location {name!r} (known: {known})")


def resolve_dossier(session: Session, reference: str, principal: Principal | None) -> Dossier:
    """A dossier by id or by fileCode; 404 for one the caller may not see."""
    dossier = session.get(Dossier, reference)
    if dossier is None:
        dossier = session.scalars(
            sa.select(Dossier).where(Dossier.file_code == reference).order_by(Dossier.created_at)
        ).first()
    if dossier is None or (
        principal is not None and not principal.can_see_agency(dossier.agency_id)
    ):
        raise NotFound(f"không tìm thấy hồ sơ / dossier {reference} not found")
    return dossier


def create_audit(
    session: Session,
    settings: Settings,
    *,
    requested_by: str,
    location: str | None = None,
    dossier: str | None = None,
    principal: Principal | None = None,
) -> FixityAudit:
    if location is not None:
        _location(settings, location)
    dossier_id = resolve_dossier(session, dossier, principal).id if dossier else None
    audit = FixityAudit(
        location=location,
        dossier_id=dossier_id,
        requested_by=requested_by,
        state=AuditState.QUEUED.value,
        objects_checked=0,
        files_checked=0,
        bytes_checked=0,
        mismatches=0,
        repaired=0,
        lost=0,
    )
    session.add(audit)
    session.flush()
    record_event(
        session,
        "fixity audit request",
        agent=requested_by,
        outcome=EventOutcome.SUCCESS,
        detail={"audit_id": audit.id, "location": location, "dossier_id": dossier_id},
        dossier_id=dossier_id,
    )
    return audit


def request_audit(
    session: Session,
    settings: Settings,
    dispatch: Dispatch,
    principal: Principal,
    *,
    location: str | None,
    dossier: str | None,
) -> FixityAudit:
    """An audit run by the worker (API): created here, started after the caller commits."""
    audit = create_audit(
        session,
        settings,
        requested_by=principal.agent,
        location=location,
        dossier=dossier,
        principal=principal,
    )
    enqueue(session, dispatch, AUDIT_JOB, {"audit_id": audit.id}, dedupe_key=f"fixity:{audit.id}")
    return audit


def unfinished_audit(
    session: Session, *, location: str | None, dossier_id: str | None
) -> FixityAudit | None:
    """The latest audit of exactly this scope that stopped before walking all of it."""
    query = (
        sa.select(FixityAudit)
        .where(FixityAudit.state.in_([AuditState.RUNNING.value, AuditState.FAILED.value]))
        .where(sa.or_(FixityAudit.cursor.is_(None), FixityAudit.cursor != END_CURSOR))
        .where(FixityAudit.started_at.is_not(None))
        .where(
            FixityAudit.location.is_(None) if location is None else FixityAudit.location == location
        )
        .where(
            FixityAudit.dossier_id.is_(None)
            if dossier_id is None
            else FixityAudit.dossier_id == dossier_id
        )
        .order_by(FixityAudit.created_at.desc())
    )
    return session.scalars(query).first()


def get_audit(session: Session, principal: Principal, audit_id: str) -> FixityAudit:
    audit = session.get(FixityAudit, audit_id)
    if audit is None or not _visible(session, principal, audit):
        raise NotFound(f"không tìm thấy đợt kiểm tra / fixity audit {audit_id} not found")
    return audit


def _visible(session: Session, principal: Principal, audit: FixityAudit) -> bool:
    if audit.dossier_id is None or principal.visible_agency_ids is None:
        return True
    agency_id = session.scalar(sa.select(Dossier.agency_id).where(Dossier.id == audit.dossier_id))
    return agency_id is not None and principal.can_see_agency(agency_id)


def list_audits(
    session: Session,
    principal: Principal,
    *,
    state: AuditState | None = None,
    location: str | None = None,
    limit: int = 100,
) -> list[FixityAudit]:
    query = sa.select(FixityAudit).order_by(FixityAudit.created_at.desc(), FixityAudit.id)
    if state is not None:
        query = query.where(FixityAudit.state == state.value)
    if location is not None:
        query = query.where(FixityAudit.location == location)
    if principal.visible_agency_ids is not None:
        visible = sa.select(Dossier.id).where(Dossier.agency_id.in_(principal.visible_agency_ids))
        query = query.where(
            sa.or_(FixityAudit.dossier_id.is_(None), FixityAudit.dossier_id.in_(visible))
        )
    return list(session.scalars(query.limit(limit)))


# --- the schedule -------------------------------------------------------------------------


def _live_copies() -> sa.Select[Any]:
    return (
        sa.select(StorageCopy)
        .join(Dossier, Dossier.id == StorageCopy.dossier_id)
        .where(Dossier.ocfl_object_id.is_not(None))
        .where(Dossier.status != DossierStatus.DESTROYED.value)
    )


def due_locations(
    session: Session, settings: Settings, now: dt.datetime | None = None
) -> list[str]:
    """Locations holding a copy not checked for their ``audit_interval_days`` and with no
    audit of their own queued or running."""
    now = now or utcnow()
    due: list[str] = []
    for location in settings.locations:
        busy = session.scalar(
            sa.select(sa.func.count())
            .select_from(FixityAudit)
            .where(FixityAudit.location == location.name, FixityAudit.dossier_id.is_(None))
            .where(FixityAudit.state.in_([AuditState.QUEUED.value, AuditState.RUNNING.value]))
        )
        if busy:
            continue
        cutoff = now - dt.timedelta(days=location.audit_interval_days)
        stale = session.scalar(
            _live_copies()
            .with_only_columns(StorageCopy.id)
            .where(StorageCopy.location == location.name)
            .where(
                sa.or_(StorageCopy.last_fixity_at.is_(None), StorageCopy.last_fixity_at < cutoff)
            )
            .limit(1)
        )
        if stale is not None:
            due.append(location.name)
    return due


def schedule_due_audits(
    session: Session, settings: Settings, dispatch: Dispatch, now: dt.datetime | None = None
) -> list[FixityAudit]:
    """What Celery beat runs: one audit job for each location that is due."""
    audits: list[FixityAudit] = []
    for name in due_locations(session, settings, now):
        audit = create_audit(session, settings, requested_by=SCHEDULER_AGENT, location=name)
        enqueue(
            session, dispatch, AUDIT_JOB, {"audit_id": audit.id}, dedupe_key=f"fixity:{audit.id}"
        )
        audits.append(audit)
    return audits


# --- running an audit ---------------------------------------------------------------------


@dataclass
class _ObjectCheck:
    """What happened to one object, before anything is written to the catalog."""

    before: dict[str, ObjectVerification] = field(default_factory=dict)
    after: dict[str, ObjectVerification] = field(default_factory=dict)
    repairs: list[FileRepair] = field(default_factory=list)
    broken: dict[str, str] = field(default_factory=dict)  # location -> why it could not be read
    unavailable: dict[str, str] = field(default_factory=dict)


def _cutoff(audit: FixityAudit, settings: Settings) -> dt.datetime:
    assert audit.started_at is not None
    if audit.requested_by == SCHEDULER_AGENT and audit.location is not None:
        interval = _location(settings, audit.location).audit_interval_days
        return audit.started_at - dt.timedelta(days=interval)
    return audit.started_at


def _pending(audit: FixityAudit, targets: Sequence[str], cutoff: dt.datetime) -> sa.Select[Any]:
    query = (
        _live_copies()
        .where(StorageCopy.location.in_(targets))
        .where(sa.or_(StorageCopy.last_fixity_at.is_(None), StorageCopy.last_fixity_at < cutoff))
    )
    if audit.dossier_id is not None:
        query = query.where(StorageCopy.dossier_id == audit.dossier_id)
    return query


def _next_dossier(session: Session, pending: sa.Select[Any]) -> tuple[Dossier, list[str]] | None:
    first = session.scalars(
        pending.order_by(
            sa.case((StorageCopy.last_fixity_at.is_(None), 0), else_=1),
            StorageCopy.last_fixity_at,
            StorageCopy.id,
        ).limit(1)
    ).first()
    if first is None:
        return None
    dossier = session.get(Dossier, first.dossier_id)
    assert dossier is not None
    locations = session.scalars(
        pending.where(StorageCopy.dossier_id == dossier.id).with_only_columns(StorageCopy.location)
    ).all()
    return dossier, sorted(locations)


def _check_object(
    stores: dict[str, ObjectStore],
    object_id: str,
    targets: Sequence[str],
    throttles: dict[str, Throttle],
    thorough: bool = False,
) -> _ObjectCheck:
    outcome = _ObjectCheck()
    for name in targets:
        try:
            outcome.before[name] = verify_object(
                stores[name], object_id, on_chunk=throttles[name].consume, thorough=thorough
            )
        except TransientStorageError as exc:
            outcome.unavailable[name] = str(exc)
        except StorageError as exc:  # storage root or inventory unusable: repair will tell
            outcome.broken[name] = str(exc)
    if outcome.unavailable:
        return outcome
    if not outcome.broken and all(v.ok for v in outcome.before.values()):
        outcome.after = dict(outcome.before)
        return outcome
    result = verify_and_repair(list(stores.values()), object_id, throttle=throttles[targets[0]])
    outcome.before, outcome.after = dict(result.before), dict(result.after)
    outcome.repairs = list(result.repairs)
    outcome.unavailable = dict(result.unavailable)
    if result.unavailable:
        # A file may be good on the location that did not answer: not lost, only unrepaired.
        outcome.repairs = [
            FileRepair(r.location, r.path, RepairStatus.FAILED, r.source, "source unavailable")
            if r.status is RepairStatus.LOST
            else r
            for r in outcome.repairs
        ]
    return outcome


def _file_detail(check: FileCheck) -> dict[str, Any]:
    return {
        "path": check.path,
        "kind": check.kind,
        "status": check.status.value,
        "expected": check.expected,
        "actual": check.actual,
        "size": check.size,
        **({"detail": check.detail} if check.detail else {}),
    }


def _copy_outcome(name: str, check: _ObjectCheck) -> CopyOutcome:
    mine = [r for r in check.repairs if r.location == name]
    if any(r.status is RepairStatus.LOST for r in mine):
        return CopyOutcome.LOST
    after = check.after.get(name)
    if after is None or not after.ok or any(r.status is RepairStatus.FAILED for r in mine):
        return CopyOutcome.DAMAGED
    if any(r.status is RepairStatus.REPAIRED for r in mine):
        return CopyOutcome.REPAIRED
    return CopyOutcome.OK


def _record_object(
    session: Session,
    audit: FixityAudit,
    dossier: Dossier,
    targets: Sequence[str],
    check: _ObjectCheck,
) -> None:
    object_id = dossier.ocfl_object_id or ""
    now = utcnow()
    linked = [{"type": "ocfl object", "value": object_id}]
    verified = sorted(set(check.before) | set(check.broken))
    for name in verified:
        before = check.before.get(name)
        bad = [*before.bad_files, *before.bad_metadata] if before else []
        ok = before is not None and before.ok
        record_event(
            session,
            "fixity check",
            agent=AUDIT_AGENT,
            outcome=EventOutcome.SUCCESS if ok else EventOutcome.FAILURE,
            detail={
                "audit_id": audit.id,
                "location": name,
                "object_id": object_id,
                "version": before.head if before else None,
                "inventory_sha512": before.inventory_sha512 if before else None,
                "files": [_file_detail(c) for c in before.files] if before else [],
                "problems": [_file_detail(c) for c in bad],
                "unexpected": before.unexpected if before else [],
                "error": check.broken.get(name),
            },
            dossier_id=dossier.id,
            linked_objects=[*linked, {"type": "storage location", "value": name}],
            at=now,
        )
        for bad_check in bad:
            alerts.fixity_mismatch(
                name,
                object_id,
                bad_check.path,
                bad_check.status.value,
                bad_check.expected,
                bad_check.actual,
                audit_id=audit.id,
            )
        audit.mismatches += len(bad) + (1 if name in check.broken else 0)
        if name in targets and before is not None:
            audit.files_checked += len(before.files)
            audit.bytes_checked += sum(c.size or 0 for c in before.files)

    lost_paths: set[str] = set()
    for repair in check.repairs:
        before_check = (
            check.before[repair.location].check(repair.path)
            if repair.location in check.before
            else None
        )
        after_check = (
            check.after[repair.location].check(repair.path)
            if repair.location in check.after
            else None
        )
        repaired = repair.status is RepairStatus.REPAIRED
        record_event(
            session,
            "repair",
            agent=AUDIT_AGENT,
            outcome=EventOutcome.SUCCESS if repaired else EventOutcome.FAILURE,
            detail={
                "audit_id": audit.id,
                "location": repair.location,
                "object_id": object_id,
                "path": repair.path,
                "status": repair.status.value,
                "source": repair.source,
                "expected": before_check.expected if before_check else {},
                "actual_before": before_check.actual if before_check else {},
                "actual_after": after_check.actual if after_check else {},
                "detail": repair.detail,
            },
            dossier_id=dossier.id,
            linked_objects=[*linked, {"type": "storage location", "value": repair.location}],
            at=now,
        )
        if repaired:
            audit.repaired += 1
            alerts.file_repaired(
                repair.location, object_id, repair.path, repair.source, audit_id=audit.id
            )
        elif repair.status is RepairStatus.LOST:
            lost_paths.add(repair.path)
            alerts.file_lost(
                repair.location, object_id, repair.path, dossier_id=dossier.id, audit_id=audit.id
            )
        else:
            alerts.repair_failed(
                repair.location, object_id, repair.path, repair.detail, audit_id=audit.id
            )
    audit.lost += len(lost_paths)

    copies = session.scalars(
        sa.select(StorageCopy).where(
            StorageCopy.dossier_id == dossier.id, StorageCopy.location.in_(verified)
        )
    ).all()
    for copy in copies:
        copy.last_fixity_at = now
        copy.last_fixity_outcome = _copy_outcome(copy.location, check).value
    audit.objects_checked += 1
    audit.cursor = dossier.id


def _open_stores(settings: Settings) -> dict[str, ObjectStore]:
    return {loc.name: open_store(location_config(loc)) for loc in settings.locations}


def _problems(session: Session, audit: FixityAudit, started: dt.datetime) -> list[str]:
    """Copies this audit left damaged or lost."""
    rows = session.execute(
        sa.select(StorageCopy.location, StorageCopy.last_fixity_outcome, sa.func.count())
        .where(StorageCopy.last_fixity_at >= started)
        .where(
            StorageCopy.last_fixity_outcome.in_([CopyOutcome.DAMAGED.value, CopyOutcome.LOST.value])
        )
        .where(StorageCopy.dossier_id == audit.dossier_id if audit.dossier_id else sa.true())
        .group_by(StorageCopy.location, StorageCopy.last_fixity_outcome)
    ).all()
    return [f"{count} {outcome} on {location}" for location, outcome, count in rows]


def _fail(engine: sa.Engine, audit_id: str, error: str) -> None:
    """Record that the audit could not finish; best effort (the catalog may be the problem)."""
    try:
        with session_scope(engine) as session:
            audit = session.get(FixityAudit, audit_id)
            if audit is None:
                return
            audit.state = AuditState.FAILED.value
            audit.error = error
            audit.finished_at = utcnow()
            record_event(
                session,
                "fixity audit",
                agent=AUDIT_AGENT,
                outcome=EventOutcome.FAILURE,
                detail={
                    "audit_id": audit_id,
                    "step": "failed",
                    "error": error,
                    "cursor": audit.cursor,
                    "objects_checked": audit.objects_checked,
                },
                dossier_id=audit.dossier_id,
            )
    except Exception as exc:  # the original error matters more than this one
        log.error("could not record the failed fixity audit", audit_id=audit_id, error=str(exc))
    alerts.audit_failed(audit_id, error)


def run_audit(
    engine: sa.Engine,
    settings: Settings,
    audit_id: str,
    *,
    on_progress: ProgressCallback | None = None,
    throttle_factory: ThrottleFactory = Throttle,
    thorough: bool = False,
) -> FixityAudit:
    """Run (or resume) the audit to its end; returns the finished row (detached).

    Routine audits (the default) check every file against the manifest's sha512, one hash per
    byte; ``thorough`` also recomputes the sha256 fixity values (see
    :func:`storage.ocfl.verify_object`).  Damaged objects are always re-verified thoroughly
    before they are repaired.

    Raises whatever stopped it (a crash, a full disk, a location that does not answer) after
    recording the failure on the audit row; an audit is never left looking successful.
    """
    with session_scope(engine) as session:
        audit = session.get(FixityAudit, audit_id)
        if audit is None:
            raise NotFound(f"fixity audit {audit_id} not found")
        if audit.cursor == END_CURSOR:
            return audit  # already walked everything (e.g. a redelivered job)
        resumed = audit.started_at is not None
        audit.state = AuditState.RUNNING.value
        audit.error = None
        audit.finished_at = None
        if audit.started_at is None:
            audit.started_at = utcnow()
        record_event(
            session,
            "fixity audit",
            agent=AUDIT_AGENT,
            outcome=EventOutcome.SUCCESS,
            detail={
                "audit_id": audit.id,
                "step": "resumed" if resumed else "started",
                "cursor": audit.cursor,
                "location": audit.location,
            },
            dossier_id=audit.dossier_id,
        )
    try:
        return _walk(engine, settings, audit_id, on_progress, throttle_factory, thorough)
    except BaseException as exc:
        reason = "interrupted" if isinstance(exc, KeyboardInterrupt) else str(exc)
        _fail(engine, audit_id, f"{type(exc).__name__}: {reason}".strip())
        raise


def _walk(
    engine: sa.Engine,
    settings: Settings,
    audit_id: str,
    on_progress: ProgressCallback | None,
    throttle_factory: ThrottleFactory,
    thorough: bool = False,
) -> FixityAudit:
    stores = _open_stores(settings)
    throttles = {loc.name: throttle_factory(loc.throttle_mb_per_s) for loc in settings.locations}
    with session_scope(engine) as session:
        audit = session.get(FixityAudit, audit_id)
        assert audit is not None and audit.started_at is not None
        if audit.location is not None:
            _location(settings, audit.location)
        targets = [audit.location] if audit.location else list(stores)
        cutoff = _cutoff(audit, settings)
        started = audit.started_at
        remaining = session.scalar(
            _pending(audit, targets, cutoff)
            .with_only_columns(sa.func.count(sa.distinct(StorageCopy.dossier_id)))
            .order_by(None)
        )
        total = audit.objects_checked + int(remaining or 0)
    while True:
        with session_scope(engine) as session:
            audit = session.get(FixityAudit, audit_id)
            assert audit is not None
            chosen = _next_dossier(session, _pending(audit, targets, cutoff))
            if chosen is None:
                break
            dossier, locations = chosen
            object_id = dossier.ocfl_object_id or ""
            check = _check_object(stores, object_id, locations, throttles, thorough)
            if check.unavailable and not check.before:
                reasons = "; ".join(f"{k}: {v}" for k, v in check.unavailable.items())
                raise ServiceUnavailable(
                    f"kho lưu trữ không phản hồi / location unavailable: {reasons}"
                )
            _record_object(session, audit, dossier, locations, check)
            progress = AuditProgress(
                audit.id, audit.objects_checked, max(total, audit.objects_checked),
                audit.bytes_checked, dossier.id,
            )  # fmt: skip
        if on_progress is not None:
            on_progress(progress)
    with session_scope(engine) as session:
        audit = session.get(FixityAudit, audit_id)
        assert audit is not None
        problems = _problems(session, audit, started)
        audit.cursor = END_CURSOR
        audit.finished_at = utcnow()
        audit.state = (AuditState.FAILED if problems else AuditState.SUCCEEDED).value
        audit.error = ("; ".join(problems)) if problems else None
        summary = {
            "audit_id": audit.id,
            "step": "finished",
            "state": audit.state,
            "objects_checked": audit.objects_checked,
            "files_checked": audit.files_checked,
            "bytes_checked": audit.bytes_checked,
            "mismatches": audit.mismatches,
            "repaired": audit.repaired,
            "lost": audit.lost,
            "error": audit.error,
        }
        record_event(
            session,
            "fixity audit",
            agent=AUDIT_AGENT,
            outcome=EventOutcome.FAILURE if problems else EventOutcome.SUCCESS,
            detail=summary,
            dossier_id=audit.dossier_id,
        )
    if problems:
        alerts.audit_failed(audit_id, audit.error or "")
    log.info("fixity audit finished", **summary)
    return audit
