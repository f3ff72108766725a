"""The validation job on real sample packages: statuses, reports, events, callbacks, and what
is deleted (state secrets, viruses) and what is kept."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from archive.catalog.events import Event
from archive.catalog.jobs import Job
from archive.catalog.records import Submission
from archive.jobs.registry import JobContext
from archive.services import trust
from archive.services.validation import validate_submission
from archive.settings import Settings
from ingest.sample.agencies import SO_NOI_VU_NGHE_AN
from ingest.sample.broken import BROKEN_RULES
from ingest.sample.package import PackageSpec, agency_pki, build_package
from ops.services.clamav import build_test_database
from tests.conftest import World


@pytest.fixture
def checked_settings(settings: Settings, tmp_path: Path) -> Settings:
    if shutil.which("clamscan") is None:
        pytest.skip("ClamAV (clamscan) is not installed; ./ops/test installs it from Debian")
    database = build_test_database(tmp_path / "clamav-db")
    return settings.model_copy(update={"clamav_database_dir": database})


@pytest.fixture
def trusted_world(world: World, tmp_path: Path) -> World:
    pki, _ = agency_pki(SO_NOI_VU_NGHE_AN, 2025, tmp_path / "pki")
    with world.session() as session:
        trust.add_trust_anchors(session, pki.root_pem.read_bytes(), actor="test")
    return world


def _submit(client: TestClient, world: World, zip_path: Path, **headers: str) -> str:
    response = client.post(
        "/api/v1/submissions",
        content=zip_path.read_bytes(),
        headers={
            "Authorization": f"Bearer {world.api_keys['nghean_sonv']}",
            "content-type": "application/zip",
            **headers,
        },
    )
    assert response.status_code == 202, response.text
    return str(response.json()["id"])


def _run_job(world: World, settings: Settings, submission_id: str) -> dict:  # type: ignore[type-arg]
    sent: list[tuple[str, float]] = []
    context = JobContext(
        job_id="test",
        attempt=1,
        settings=settings,
        engine=world.engine,
        heartbeat=lambda: None,
        dispatch=lambda job_id, countdown: sent.append((job_id, countdown)),
    )
    return validate_submission(context, {"submission_id": submission_id})


def report_indeterminate(client: TestClient, submission_id: str, headers: dict[str, str]) -> int:
    report = client.get(f"/api/v1/submissions/{submission_id}/report", headers=headers).json()
    return sum(1 for f in report["findings"] if f["outcome"] == "indeterminate")


def test_good_package_awaits_review_with_its_report(
    client: TestClient, trusted_world: World, checked_settings: Settings, tmp_path: Path
) -> None:
    built = build_package(PackageSpec(seed=8, agency=SO_NOI_VU_NGHE_AN, documents=2), tmp_path)
    submission_id = _submit(
        client, trusted_world, built.zip_path, **{"X-Callback-URL": "https://qlvb.example/cb"}
    )
    assert _run_job(trusted_world, checked_settings, submission_id)["status"] == "awaiting_review"
    headers = {"Authorization": f"Bearer {trusted_world.api_keys['nghean_sonv']}"}
    status = client.get(f"/api/v1/submissions/{submission_id}", headers=headers).json()
    assert status["status"] == "awaiting_review"
    assert status["fileCode"] == built.file_code
    assert status["counts"]["error"] == 0
    assert status["counts"]["indeterminate"] == report_indeterminate(client, submission_id, headers)
    report = client.get(f"/api/v1/submissions/{submission_id}/report", headers=headers).json()
    assert report["outcome"] in ("passed", "indeterminate")
    assert not [
        f for f in report["findings"] if f["severity"] == "error" and f["outcome"] == "failed"
    ]
    html = client.get(
        f"/api/v1/submissions/{submission_id}/report", headers={**headers, "accept": "text/html"}
    )
    assert html.headers["content-type"].startswith("text/html")
    assert "Báo cáo kiểm tra gói tin" in html.text and built.file_code in html.text
    with trusted_world.session() as session:
        events = session.scalars(
            sa.select(Event.event_type)
            .where(Event.submission_id == submission_id)
            .order_by(Event.seq)
        ).all()
        callback = session.scalars(sa.select(Job).where(Job.kind == "submission.callback")).one()
        submission = session.get(Submission, submission_id)
        assert submission is not None
        zip_kept = Path(submission.staging_path or "")
    assert events[0] == "ingestion start"
    assert {
        "unpacking",
        "virus check",
        "format identification",
        "digital signature validation",
    } <= set(events)
    assert events[-1] == "validation"
    assert callback.payload["status"] == "awaiting_review"
    assert zip_kept.read_bytes() == built.zip_path.read_bytes()
    evidence = checked_settings.staging / "submissions" / submission_id / "evidence"
    assert any(evidence.rglob("validation.json"))


def test_rerunning_the_job_keeps_the_first_outcome(
    client: TestClient, trusted_world: World, checked_settings: Settings, tmp_path: Path
) -> None:
    built = build_package(PackageSpec(seed=9, agency=SO_NOI_VU_NGHE_AN, documents=1), tmp_path)
    submission_id = _submit(client, trusted_world, built.zip_path)
    _run_job(trusted_world, checked_settings, submission_id)
    assert _run_job(trusted_world, checked_settings, submission_id) == {
        "skipped": "already awaiting_review"
    }


@pytest.mark.parametrize(
    ("rule", "reason"),
    [("eicar-file", "virus found"), ("secret-dossier-mode-03", "state secret")],
)
def test_virus_and_secret_packages_are_not_kept(
    rule: str,
    reason: str,
    client: TestClient,
    trusted_world: World,
    checked_settings: Settings,
    tmp_path: Path,
) -> None:
    spec = PackageSpec(seed=10, agency=SO_NOI_VU_NGHE_AN, documents=1)
    built = BROKEN_RULES[rule].build(spec, tmp_path, None)
    submission_id = _submit(client, trusted_world, built.zip_path)
    assert _run_job(trusted_world, checked_settings, submission_id)["status"] == "rejected"
    folder = checked_settings.staging / "submissions" / submission_id
    assert not folder.exists() or list(folder.iterdir()) == []
    with trusted_world.session() as session:
        submission = session.get(Submission, submission_id)
        assert submission is not None
        assert submission.staging_path is None
        assert submission.report is not None and submission.errors >= 1
        deletion = session.scalars(
            sa.select(Event).where(
                Event.submission_id == submission_id, Event.event_type == "deletion"
            )
        ).one()
    assert deletion.detail["reason"] == reason
