"""Killing the worker in the middle of a validation and restarting it finishes the submission
with the same report.

A real ``luutru serve`` (embedded default: SQLite, local broker, worker child) validates a
package large enough to take a few seconds; while the submission is ``validating`` the Celery
processes (main and pool children, not uvicorn) get SIGKILL, then the whole service is killed
and started again. Recovery must run the job again from scratch: the final report's findings
equal those of ``luutru check-package --json`` on the same zip, and the submission reaches its
final status exactly once.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from archive.catalog.events import Event
from archive.catalog.jobs import Job
from ingest.sample.agencies import SO_NOI_VU_NGHE_AN
from ingest.sample.package import PackageSpec, agency_pki, build_package
from ops.services.clamav import build_test_database
from tests.archive.test_jobs import _descendants, _free_port, _start_service, _still_running

FINAL = {"awaiting_review", "rejected", "failed"}
AGENCY = SO_NOI_VU_NGHE_AN
LARGE_MB = 40  # signature, format and virus steps read every byte: seconds, not milliseconds


def _luutru(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "archive.cli.main", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def _status(base: str, headers: dict[str, str], submission_id: str) -> str:
    answer = httpx.get(f"{base}/api/v1/submissions/{submission_id}", headers=headers, timeout=10)
    answer.raise_for_status()
    return str(answer.json()["status"])


def _comparable(findings: list[dict[str, Any]]) -> list[str]:
    return sorted(json.dumps(f, sort_keys=True, ensure_ascii=False) for f in findings)


@pytest.mark.slow
def test_worker_killed_mid_validation_finishes_with_the_same_report(tmp_path: Path) -> None:
    if shutil.which("clamscan") is None:
        pytest.skip("ClamAV (clamscan) is not installed; ./ops/test installs it from Debian")
    pki, _ = agency_pki(AGENCY, 2025, tmp_path / "pki")
    built = build_package(
        PackageSpec(seed=41, agency=AGENCY, documents=2, large_mb=LARGE_MB),
        tmp_path / "out",
        cache_dir=tmp_path / "pki",
    )
    env = dict(
        os.environ,
        LUUTRU_DATA_DIR=str(tmp_path / "var"),
        LUUTRU_LOG_JSON="true",
        LUUTRU_CLAMAV_DATABASE_DIR=str(build_test_database(tmp_path / "clamav-db")),
    )
    demo = _luutru(env, "demo", "init")
    assert demo.returncode == 0, demo.stderr
    api_key = next(
        line.split(":", 1)[1].strip()
        for line in demo.stdout.splitlines()
        if line.startswith("demo API key:")
    )
    anchor = _luutru(env, "admin", "add-trust-anchor", str(pki.root_pem))
    assert anchor.returncode == 0, anchor.stderr
    headers = {"Authorization": f"Bearer {api_key}"}
    port = _free_port()
    base = f"http://127.0.0.1:{port}"

    service = _start_service(env, port)
    try:
        answer = httpx.post(
            f"{base}/api/v1/submissions",
            content=built.zip_path.read_bytes(),
            headers={**headers, "Content-Type": "application/zip"},
            timeout=120,
        )
        assert answer.status_code == 202, answer.text
        submission_id = answer.json()["id"]
        deadline = time.monotonic() + 120
        status = "received"
        while status == "received" and time.monotonic() < deadline:
            time.sleep(0.05)
            status = _status(base, headers, submission_id)
        assert status == "validating", f"never seen validating (now {status}): too fast?"
        time.sleep(0.5)  # well inside the pipeline, not at its first step
        assert _status(base, headers, submission_id) == "validating"
        workers = _descendants(service.pid)  # celery main, pool children, embedded beat
        assert workers, "no worker processes under luutru serve"
        for pid in workers:
            os.kill(pid, signal.SIGKILL)
        assert not _still_running(workers, grace=10)
        assert service.poll() is None, "uvicorn must survive the worker's death"
    finally:
        os.killpg(service.pid, signal.SIGKILL)
        service.wait()

    service = _start_service(env, port)
    try:
        deadline = time.monotonic() + 240
        status = _status(base, headers, submission_id)
        while status not in FINAL and time.monotonic() < deadline:
            time.sleep(0.3)
            status = _status(base, headers, submission_id)
        assert status in FINAL, f"no final status after the restart (still {status})"
        report = httpx.get(
            f"{base}/api/v1/submissions/{submission_id}/report", headers=headers, timeout=30
        ).json()
        time.sleep(2)  # a duplicate run, if any, would record its final transition now
    finally:
        service.send_signal(signal.SIGINT)
        try:
            service.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(service.pid, signal.SIGKILL)
            service.wait()

    checked = _luutru(env, "check-package", "--json", "--agency", AGENCY.code, str(built.zip_path))
    assert checked.returncode in (0, 1), checked.stderr
    expected = json.loads(checked.stdout)
    report.pop("checked_at", None)
    expected.pop("checked_at", None)
    assert _comparable(report["findings"]) == _comparable(expected["findings"])
    assert status == ("rejected" if expected["outcome"] == "failed" else "awaiting_review")

    engine = sa.create_engine(f"sqlite:///{tmp_path / 'var' / 'catalog.sqlite'}")
    with engine.connect() as conn:
        finals = [
            row.detail
            for row in conn.execute(
                sa.select(Event.detail)
                .where(Event.submission_id == submission_id)
                .where(Event.event_type == "validation")
            )
            if "status" in row.detail
        ]
        attempts = conn.execute(
            sa.select(Job.attempts, Job.state).where(Job.kind == "ingest.validate")
        ).all()
    engine.dispose()
    assert [item["status"] for item in finals] == [status], finals
    assert [tuple(row) for row in attempts] == [(2, "succeeded")]
