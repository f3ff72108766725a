"""Accepting and rejecting validated submissions: who may, what blocks, what must be ticked off,
and the agencies whose packages are accepted automatically."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from archive.catalog.accounts import Agency
from archive.catalog.events import Event
from archive.catalog.jobs import Job
from archive.catalog.preservation import FindingAcknowledgement
from archive.catalog.records import Submission
from archive.settings import Settings
from ops.services.clamav import build_test_database
from tests.archive.test_archiving_support import Flow, trust_sample_pki
from tests.conftest import World, login


@pytest.fixture
def flow(client: TestClient, world: World, settings: Settings, tmp_path: Path) -> Flow:
    trust_sample_pki(world)
    return Flow(client, world, settings, tmp_path)


def _status(flow: Flow, submission_id: str) -> str:
    with flow.world.session() as session:
        submission = session.get(Submission, submission_id)
        assert submission is not None
        return submission.status


def test_only_an_archivist_of_the_agency_decides(flow: Flow) -> None:
    submission_id = flow.submit_validated(seed=31, documents=1)
    for user, expected in (("official", 403), ("archivist_hn", 404), ("auditor", 403)):
        assert flow.accept(submission_id, user).status_code == expected, user
    qlvb = {"Authorization": f"Bearer {flow.world.api_keys['nghean_sonv']}"}
    url = f"/api/v1/submissions/{submission_id}"
    assert flow.client.post(url + "/accept", json={}, headers=qlvb).status_code == 403
    reason = {"reason": "Hồ sơ thiếu văn bản gốc"}
    assert flow.client.post(url + "/reject", json=reason, headers=qlvb).status_code == 403
    assert (
        flow.client.post(url + "/reject", json=reason, headers=login(flow.client, "archivist_hn"))
    ).status_code == 404
    assert _status(flow, submission_id) == "awaiting_review"

    response = flow.accept(submission_id, note="Đủ thành phần hồ sơ")
    assert response.status_code == 202, response.text
    body = response.json()
    assert body["status"] == "accepted" and body["decided_by"] == "archivist"
    with flow.world.session() as session:
        job = session.scalars(sa.select(Job).where(Job.kind == "accession.archive")).one()
        accession_event = session.scalars(
            sa.select(Event).where(Event.submission_id == submission_id,
                                   Event.event_type == "accession")
        ).one()  # fmt: skip
    assert job.payload == {"submission_id": submission_id} and job.max_attempts > 5
    assert accession_event.agent == "user:archivist"
    assert accession_event.detail["note"] == "Đủ thành phần hồ sơ"
    # a decided submission cannot be decided again
    assert flow.accept(submission_id).status_code == 409


def test_indeterminate_findings_must_be_ticked_off_by_name(flow: Flow) -> None:
    submission_id = flow.submit_validated(seed=32, documents=2)
    needed = flow.acknowledgements(submission_id)
    assert {a["code"] for a in needed} == {"VIR-NOT-SCANNED"}  # no ClamAV database here
    headers = login(flow.client, "archivist")
    url = f"/api/v1/submissions/{submission_id}/accept"

    refused = flow.client.post(url, json={"acknowledgements": needed[:1]}, headers=headers)
    assert refused.status_code == 409
    problem = refused.json()
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert {(u["code"], u["path"]) for u in problem["unacknowledged"]} == {
        (a["code"], a["path"]) for a in needed[1:]
    }
    bogus = [*needed, {"code": "SIG-NONE", "path": "x.pdf"}]
    assert (
        flow.client.post(url, json={"acknowledgements": bogus}, headers=headers).status_code == 400
    )
    assert _status(flow, submission_id) == "awaiting_review"

    accepted = flow.client.post(url, json={"acknowledgements": needed}, headers=headers)
    assert accepted.status_code == 202
    with flow.world.session() as session:
        rows = session.scalars(
            sa.select(FindingAcknowledgement).where(
                FindingAcknowledgement.submission_id == submission_id
            )
        ).all()
    assert sorted((r.code, r.path, r.acknowledged_by) for r in rows) == sorted(
        (a["code"], a["path"], "archivist") for a in needed
    )
    assert {a["path"] for a in accepted.json()["acknowledged"]} == {a["path"] for a in needed}


def test_an_error_finding_blocks_acceptance(flow: Flow) -> None:
    submission_id = flow.submit_validated(seed=33, documents=1)
    with flow.world.session() as session:
        submission = session.get(Submission, submission_id)
        assert submission is not None and submission.report is not None
        report = dict(submission.report)
        report["findings"] = [
            *report["findings"],
            {"code": "META-SCHEMA", "severity": "error", "outcome": "failed",
             "path": "metadata/descriptive/EAD.xml", "message_vi": "…", "message_en": "…",
             "detail": {}},
        ]  # fmt: skip
        submission.report = report
    response = flow.accept(submission_id)
    assert response.status_code == 409
    assert response.json()["blocking_codes"] == ["META-SCHEMA"]
    assert _status(flow, submission_id) == "awaiting_review"


def test_reject_needs_a_reason_and_is_recorded(flow: Flow) -> None:
    submission_id = flow.submit_validated(seed=34, documents=1)
    headers = login(flow.client, "archivist")
    url = f"/api/v1/submissions/{submission_id}/reject"
    assert flow.client.post(url, json={"reason": "không"}, headers=headers).status_code == 400
    reason = "Hồ sơ không thuộc Danh mục hồ sơ năm 2025 của cơ quan"
    response = flow.client.post(url, json={"reason": reason}, headers=headers)
    assert response.status_code == 200
    assert response.json()["status"] == "rejected"
    with flow.world.session() as session:
        submission = session.get(Submission, submission_id)
        assert submission is not None
        event = session.scalars(
            sa.select(Event).where(Event.submission_id == submission_id,
                                   Event.event_type == "accession")
        ).one()  # fmt: skip
        callbacks = session.scalars(sa.select(Job).where(Job.kind == "submission.callback")).all()
        archive_jobs = session.scalars(sa.select(Job).where(Job.kind == "accession.archive")).all()
    assert submission.status == "rejected" and submission.decision_note == reason
    assert event.outcome == "failure" and event.detail["reason"] == reason
    assert any(c.payload["payload"].get("reason") == reason for c in callbacks)
    assert archive_jobs == []


def test_auto_accept_by_agency_policy(flow: Flow, tmp_path: Path) -> None:
    if shutil.which("clamscan") is None:
        pytest.skip("ClamAV (clamscan) is not installed; ./ops/test installs it from Debian")
    scanned = flow.settings.model_copy(
        update={"clamav_database_dir": build_test_database(tmp_path / "clamav-db")}
    )
    with flow.world.session() as session:
        session.execute(
            sa.update(Agency).where(Agency.code == "000.00.01.H41").values(auto_accept=True)
        )
    auto = flow.submit(seed=35, documents=1)
    assert flow.validate(auto, scanned) == "accepted"
    not_scanned = flow.submit(seed=36, documents=1)  # VIR-NOT-SCANNED: a person must look
    assert flow.validate(not_scanned) == "awaiting_review"
    with flow.world.session() as session:
        jobs = session.scalars(sa.select(Job).where(Job.kind == "accession.archive")).all()
        submission = session.get(Submission, auto)
        assert submission is not None
    assert [j.payload["submission_id"] for j in jobs] == [auto]
    assert submission.decided_by == "software:luutru-accession"
