"""Fixity audits over archived dossiers on two local locations, on SQLite and PostgreSQL:
damage is found and repaired from the good copy, loss is reported loudly, the least recently
checked copies go first, an interrupted audit resumes, the throttle is consulted, and the API
and the schedule start audits."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
import structlog
from fastapi.testclient import TestClient
from prometheus_client import REGISTRY

from archive.catalog.accounts import Agency
from archive.catalog.base import utcnow
from archive.catalog.engine import session_scope
from archive.catalog.events import Event
from archive.catalog.jobs import Job
from archive.catalog.preservation import FixityAudit
from archive.catalog.records import Dossier, StorageCopy
from archive.jobs.broker import make_celery
from archive.jobs.registry import JobContext, handler_for
from archive.services import fixity
from archive.services.fixity_jobs import SCHEDULE_TASK
from archive.services.locations import open_locations
from archive.settings import Settings, StorageLocationSettings
from storage.fixity import MB, Throttle
from storage.interfaces import ObjectStore
from storage.ocfl import object_root, verify_object, write_object
from tests.conftest import World, login

WHEN = dt.datetime(2026, 1, 5, 8, 0, tzinfo=dt.UTC)
PDF = "representations/rep1/data/{code}.1.pdf"


@dataclass
class Archived:
    dossier_id: str
    object_id: str
    file_code: str


def archive_dossier(
    engine: sa.Engine,
    settings: Settings,
    number: int,
    *,
    agency_code: str = "000.00.01.H41",
    size: int = 64 * 1024,
    tmp: Path,
) -> Archived:
    """What accession will do: one OCFL object on every location, and the catalog rows."""
    file_code = f"{agency_code}.2025.{number:02d}.VP"
    object_id = f"urn:luutru:{file_code}"
    folder = tmp / f"src-{number}"
    folder.mkdir(parents=True, exist_ok=True)
    pdf = folder / "doc.pdf"
    pdf.write_bytes(b"%PDF-1.7\n" + os.urandom(size))
    ead = folder / "EAD.xml"
    ead.write_text(f"<ead><fileCode>{file_code}</fileCode></ead>", encoding="utf-8")
    files = [(PDF.format(code=file_code), pdf), ("metadata/descriptive/EAD.xml", ead)]
    stores = open_locations(settings, create=True)
    for store in stores:
        write_object(store, object_id, files, "accession", "archivist", created=WHEN)
    with session_scope(engine) as session:
        agency_id = session.scalar(sa.select(Agency.id).where(Agency.code == agency_code))
        dossier = Dossier(
            agency_id=agency_id,
            file_code=file_code,
            title=f"Hồ sơ số {number}",
            maintenance="06",
            retention_years=10,
            mode="01",
            confidence_level="01",
            end_year=2025,
            ocfl_object_id=object_id,
            ocfl_version=1,
            archived_at=utcnow(),
        )
        session.add(dossier)
        session.flush()
        for store in stores:
            session.add(
                StorageCopy(
                    dossier_id=dossier.id, location=store.name, ocfl_version=1, verified_at=utcnow()
                )
            )
        return Archived(dossier.id, object_id, file_code)


def content_file(settings: Settings, location: str, archived: Archived) -> Path:
    store = _store(settings, location)
    root = object_root(store, archived.object_id)
    loc = next(loc for loc in settings.locations if loc.name == location)
    assert loc.path is not None
    return loc.path / root / "v1" / "content" / PDF.format(code=archived.file_code)


def _store(settings: Settings, name: str) -> ObjectStore:
    return next(s for s in open_locations(settings) if s.name == name)


def _metric(name: str, location: str) -> float:
    return REGISTRY.get_sample_value(name, {"location": location}) or 0.0


def _events(engine: sa.Engine, event_type: str, audit_id: str) -> list[Event]:
    with session_scope(engine) as session:
        events = session.scalars(
            sa.select(Event).where(Event.event_type == event_type).order_by(Event.seq)
        ).all()
        return [e for e in events if e.detail.get("audit_id") == audit_id]


def _new_audit(
    engine: sa.Engine, settings: Settings, location: str | None = None, dossier: str | None = None
) -> str:
    with session_scope(engine) as session:
        return fixity.create_audit(
            session, settings, requested_by="user:test", location=location, dossier=dossier
        ).id


def _copy(engine: sa.Engine, dossier_id: str, location: str) -> StorageCopy:
    with session_scope(engine) as session:
        copy = session.scalar(
            sa.select(StorageCopy).where(
                StorageCopy.dossier_id == dossier_id, StorageCopy.location == location
            )
        )
        assert copy is not None
        return copy


def test_flipped_byte_is_found_and_repaired_from_the_other_copy(
    world: World, settings: Settings, tmp_path: Path
) -> None:
    engine = world.engine
    archived = archive_dossier(engine, settings, 1, tmp=tmp_path)
    damaged = content_file(settings, "replica", archived)
    data = bytearray(damaged.read_bytes())
    data[len(data) // 2] ^= 0x01
    damaged.write_bytes(bytes(data))
    repairs_before = _metric("luutru_fixity_repairs_total", "replica")
    mismatches_before = _metric("luutru_fixity_mismatches_total", "replica")

    audit_id = _new_audit(engine, settings, location="replica")
    audit = fixity.run_audit(engine, settings, audit_id)

    assert audit.state == "succeeded", audit.error
    assert (audit.objects_checked, audit.mismatches, audit.repaired, audit.lost) == (1, 1, 1, 0)
    for name in ("primary", "replica"):
        assert verify_object(_store(settings, name), archived.object_id).ok
    assert _metric("luutru_fixity_repairs_total", "replica") == repairs_before + 1
    assert _metric("luutru_fixity_mismatches_total", "replica") == mismatches_before + 1

    (repair,) = _events(engine, "repair", audit_id)
    assert repair.outcome == "success" and repair.dossier_id == archived.dossier_id
    assert repair.detail["source"] == "primary" and repair.detail["location"] == "replica"
    expected = repair.detail["expected"]["sha512"]
    assert repair.detail["actual_before"]["sha512"] != expected
    assert repair.detail["actual_after"]["sha512"] == expected
    checks = {e.detail["location"]: e for e in _events(engine, "fixity check", audit_id)}
    assert checks["replica"].outcome == "failure"
    (problem,) = checks["replica"].detail["problems"]
    assert problem["status"] == "mismatch"
    assert problem["expected"]["sha512"] == expected != problem["actual"]["sha512"]
    assert checks["primary"].outcome == "success"
    good = checks["primary"].detail["files"]
    assert all(f["expected"]["sha512"] == f["actual"]["sha512"] for f in good) and len(good) == 2

    copy = _copy(engine, archived.dossier_id, "replica")
    assert copy.last_fixity_outcome == "repaired" and copy.last_fixity_at is not None
    assert _copy(engine, archived.dossier_id, "primary").last_fixity_outcome == "ok"

    # The next audit finds both copies clean.
    again = fixity.run_audit(engine, settings, _new_audit(engine, settings))
    assert (again.state, again.mismatches, again.objects_checked) == ("succeeded", 0, 1)


def test_a_file_missing_everywhere_is_reported_lost(
    world: World, settings: Settings, tmp_path: Path
) -> None:
    engine = world.engine
    archived = archive_dossier(engine, settings, 2, tmp=tmp_path)
    for name in ("primary", "replica"):
        content_file(settings, name, archived).unlink()
    lost_before = _metric("luutru_files_lost_total", "primary")
    audit_id = _new_audit(engine, settings, location="primary")

    with structlog.testing.capture_logs() as logs:
        audit = fixity.run_audit(engine, settings, audit_id)

    assert audit.state == "failed" and audit.lost == 1 and audit.repaired == 0
    assert audit.error and "lost" in audit.error
    assert _metric("luutru_files_lost_total", "primary") == lost_before + 1
    errors = [e for e in logs if e["log_level"] == "error" and e.get("alert") == "file_lost"]
    assert {e["location"] for e in errors} == {"primary", "replica"}
    assert all(e["dossier_id"] == archived.dossier_id for e in errors)
    losses = _events(engine, "repair", audit_id)
    assert losses and all(e.outcome == "failure" for e in losses)
    assert {e.detail["status"] for e in losses} == {"lost"}
    assert losses[0].detail["expected"]["sha512"] and losses[0].detail["actual_before"] == {}
    (finished,) = [
        e for e in _events(engine, "fixity audit", audit_id) if e.detail["step"] == "finished"
    ]
    assert finished.outcome == "failure"
    assert _copy(engine, archived.dossier_id, "primary").last_fixity_outcome == "lost"


def test_least_recently_checked_copies_go_first(
    world: World, settings: Settings, tmp_path: Path
) -> None:
    engine = world.engine
    a, b, c = (archive_dossier(engine, settings, n, size=1024, tmp=tmp_path) for n in (3, 4, 5))
    now = utcnow()
    with session_scope(engine) as session:
        for archived, checked in (
            (a, now - dt.timedelta(days=10)),
            (b, None),
            (c, now - dt.timedelta(days=100)),
        ):
            session.execute(
                sa.update(StorageCopy)
                .where(StorageCopy.dossier_id == archived.dossier_id)
                .values(last_fixity_at=checked)
            )
    order: list[str | None] = []
    audit = fixity.run_audit(
        engine,
        settings,
        _new_audit(engine, settings, location="primary"),
        on_progress=lambda p: order.append(p.last_object),
    )
    assert order == [b.dossier_id, c.dossier_id, a.dossier_id]
    assert audit.objects_checked == 3 and audit.state == "succeeded"


def test_an_interrupted_audit_resumes_where_it_stopped(
    world: World, settings: Settings, tmp_path: Path
) -> None:
    engine = world.engine
    for n in range(6, 10):
        archive_dossier(engine, settings, n, size=2048, tmp=tmp_path)
    audit_id = _new_audit(engine, settings)
    first: list[str | None] = []

    def stop_after_two(progress: fixity.AuditProgress) -> None:
        first.append(progress.last_object)
        if progress.objects_done == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        fixity.run_audit(engine, settings, audit_id, on_progress=stop_after_two)
    with session_scope(engine) as session:
        stopped = session.get(FixityAudit, audit_id)
        assert stopped is not None
        assert (stopped.state, stopped.objects_checked) == ("failed", 2)
        assert stopped.error == "KeyboardInterrupt: interrupted"
        assert stopped.cursor == first[-1]
        resumable = fixity.unfinished_audit(session, location=None, dossier_id=None)
        assert resumable is not None and resumable.id == audit_id

    second: list[str | None] = []
    audit = fixity.run_audit(
        engine, settings, audit_id, on_progress=lambda p: second.append(p.last_object)
    )
    assert audit.state == "succeeded" and audit.objects_checked == 4 and audit.error is None
    assert len(second) == 2 and not set(first) & set(second)
    checks = _events(engine, "fixity check", audit_id)
    assert len(checks) == 8  # each dossier on each location exactly once
    assert len({(e.dossier_id, e.detail["location"]) for e in checks}) == 8
    steps = [e.detail["step"] for e in _events(engine, "fixity audit", audit_id)]
    assert steps == ["started", "failed", "resumed", "finished"]


def test_a_crash_is_recorded_and_never_reported_as_success(
    world: World, settings: Settings, tmp_path: Path
) -> None:
    engine = world.engine
    archive_dossier(engine, settings, 10, size=1024, tmp=tmp_path)
    archive_dossier(engine, settings, 11, size=1024, tmp=tmp_path)
    audit_id = _new_audit(engine, settings, location="primary")

    def disk_full(progress: fixity.AuditProgress) -> None:
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        fixity.run_audit(engine, settings, audit_id, on_progress=disk_full)
    with session_scope(engine) as session:
        audit = session.get(FixityAudit, audit_id)
        assert audit is not None and audit.state == "failed"
        assert audit.error is not None and "No space left on device" in audit.error
    failures = [e for e in _events(engine, "fixity audit", audit_id) if e.outcome == "failure"]
    assert len(failures) == 1 and "No space left" in failures[0].detail["error"]


def test_the_throttle_of_the_location_is_consulted(
    world: World, tmp_path: Path, catalog_url: str
) -> None:
    settings = Settings(
        environment="test",
        data_dir=tmp_path / "var",
        database_url=catalog_url,
        storage_locations=[
            StorageLocationSettings(name="primary", path=tmp_path / "p", throttle_mb_per_s=5.0),
            StorageLocationSettings(name="replica", path=tmp_path / "r"),
        ],
    )
    engine = world.engine
    archive_dossier(engine, settings, 12, size=300 * 1024, tmp=tmp_path)
    archive_dossier(engine, settings, 13, size=200 * 1024, tmp=tmp_path)
    clock = [0.0]
    made: dict[float, Throttle] = {}

    def sleep(seconds: float) -> None:
        clock[0] += seconds

    def factory(rate: float) -> Throttle:
        made[rate] = Throttle(rate, clock=lambda: clock[0], sleep=sleep)
        return made[rate]

    audit = fixity.run_audit(
        engine, settings, _new_audit(engine, settings, location="primary"), throttle_factory=factory
    )
    assert audit.bytes_checked > 500 * 1024
    # Reading N bytes at 5 MB/s may not take less than N / 5 MB seconds.
    assert made[5.0].slept == pytest.approx(audit.bytes_checked / (5.0 * MB))
    assert made[0.0].slept == 0


def test_audits_through_the_api_and_the_job(
    world: World, settings: Settings, client: TestClient, tmp_path: Path
) -> None:
    engine = world.engine
    mine = archive_dossier(engine, settings, 14, size=1024, tmp=tmp_path)
    archivist = login(client, "archivist")

    answer = client.post(
        "/api/v1/fixity/audits", json={"dossier": mine.file_code}, headers=archivist
    )
    assert answer.status_code == 202, answer.text
    audit_id = answer.json()["id"]
    assert answer.headers["location"].endswith(f"/api/v1/fixity/audits/{audit_id}")
    assert (
        client.get(f"/api/v1/fixity/audits/{audit_id}", headers=archivist).json()["state"]
        == "queued"
    )

    with session_scope(engine) as session:
        job = session.scalar(sa.select(Job).where(Job.dedupe_key == f"fixity:{audit_id}"))
        assert job is not None
        kind, payload, job_id = job.kind, dict(job.payload), job.id
    context = JobContext(job_id, 1, settings, engine, lambda: None, lambda j, c: None)
    result = handler_for(kind)(context, payload)
    assert result is not None and result["state"] == "succeeded"

    report = client.get(f"/api/v1/fixity/audits/{audit_id}", headers=archivist).json()
    assert report["state"] == "succeeded" and report["objects_checked"] == 1
    assert report["dossier_id"] == mine.dossier_id and report["files_checked"] == 4
    listed = client.get("/api/v1/fixity/audits", headers=login(client, "auditor"))
    assert [a["id"] for a in listed.json()] == [audit_id]

    # Roles and scope.
    for user in ("admin", "auditor"):
        ok = client.post(
            "/api/v1/fixity/audits", json={"location": "replica"}, headers=login(client, user)
        )
        assert ok.status_code == 202, ok.text
    official = client.post("/api/v1/fixity/audits", json={}, headers=login(client, "official"))
    assert official.status_code == 403
    qlvb = {"Authorization": f"Bearer {world.api_keys['hanoi']}"}
    assert client.post("/api/v1/fixity/audits", json={}, headers=qlvb).status_code == 403
    hanoi = login(client, "archivist_hn")
    other = client.post("/api/v1/fixity/audits", json={"dossier": mine.dossier_id}, headers=hanoi)
    assert other.status_code == 404
    assert client.get(f"/api/v1/fixity/audits/{audit_id}", headers=hanoi).status_code == 404
    assert audit_id not in [
        a["id"] for a in client.get("/api/v1/fixity/audits", headers=hanoi).json()
    ]
    unknown = client.post("/api/v1/fixity/audits", json={"location": "tape"}, headers=archivist)
    assert unknown.status_code == 400
    assert unknown.headers["content-type"] == "application/problem+json"


def test_the_schedule_follows_each_locations_cadence(
    world: World, settings: Settings, tmp_path: Path
) -> None:
    engine = world.engine
    archived = archive_dossier(engine, settings, 15, size=1024, tmp=tmp_path)
    celery = make_celery(settings)
    entry = celery.conf.beat_schedule["fixity-audits"]
    assert entry["task"] == SCHEDULE_TASK
    celery.finalize()
    assert SCHEDULE_TASK in celery.tasks

    sent: list[str] = []
    with session_scope(engine) as session:
        first = fixity.schedule_due_audits(session, settings, lambda j, c: sent.append(j))
        assert sorted(a.location or "" for a in first) == ["primary", "replica"]
        assert fixity.schedule_due_audits(session, settings, lambda j, c: None) == []  # busy
        ids = [a.id for a in first]
    assert len(sent) == 2
    for audit_id in ids:
        assert fixity.run_audit(engine, settings, audit_id).state == "succeeded"
    with session_scope(engine) as session:
        assert fixity.due_locations(session, settings) == []
        session.execute(
            sa.update(StorageCopy)
            .where(StorageCopy.dossier_id == archived.dossier_id)
            .values(last_fixity_at=utcnow() - dt.timedelta(days=120))
        )
    with session_scope(engine) as session:
        # primary every 90 days, replica every 180.
        assert fixity.due_locations(session, settings) == ["primary"]
