"""Jobs live in the catalog: claimed once, retried with backoff, recovered after a crash."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from archive.catalog.engine import session_scope
from archive.catalog.events import Event
from archive.catalog.jobs import Job, JobState
from archive.jobs import queue


def _enqueue(engine: sa.Engine, sent: list[tuple[str, float]], max_attempts: int = 3) -> str:
    with session_scope(engine) as session:
        job = queue.enqueue(
            session,
            lambda job_id, countdown: sent.append((job_id, countdown)),
            "audit.verify_chain",
            {},
            max_attempts=max_attempts,
        )
        return job.id


def test_broker_hears_of_a_job_only_after_commit(engine: sa.Engine) -> None:
    sent: list[tuple[str, float]] = []
    with pytest.raises(RuntimeError), session_scope(engine) as session:
        queue.enqueue(session, lambda j, c: sent.append((j, c)), "audit.verify_chain", {})
        raise RuntimeError("the caller's transaction fails")
    assert sent == []
    job_id = _enqueue(engine, sent)
    assert sent == [(job_id, 0.0)]


def test_a_job_is_claimed_once(engine: sa.Engine) -> None:
    job_id = _enqueue(engine, [])
    first = queue.claim(engine, job_id, stale_after=60)
    second = queue.claim(engine, job_id, stale_after=60)
    assert first is not None and first.state == JobState.RUNNING
    assert second is None


def test_failures_retry_with_backoff_then_fail(engine: sa.Engine) -> None:
    sent: list[tuple[str, float]] = []
    job_id = _enqueue(engine, sent, max_attempts=2)
    assert queue.claim(engine, job_id, 60) is not None
    assert queue.fail(engine, job_id, "boom 1", lambda j, c: sent.append((j, c))) == "queued"
    assert sent[-1] == (job_id, 2.0)
    assert queue.claim(engine, job_id, 60) is None  # not due yet
    with session_scope(engine) as session:
        session.execute(sa.update(Job).where(Job.id == job_id).values(not_before=None))
    assert queue.claim(engine, job_id, 60) is not None
    assert queue.fail(engine, job_id, "boom 2", lambda j, c: sent.append((j, c))) == "failed"
    with session_scope(engine) as session:
        job = session.get(Job, job_id)
        assert job is not None
        assert (job.state, job.attempts, job.error) == ("failed", 2, "boom 2")


def test_recovery_resends_jobs_of_a_dead_worker(engine: sa.Engine) -> None:
    job_id = _enqueue(engine, [])
    assert queue.claim(engine, job_id, 60) is not None
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    with session_scope(engine) as session:
        session.execute(
            sa.update(Job)
            .where(Job.id == job_id)
            .values(worker=f"{socket.gethostname()}:{dead.pid}")
        )
    sent: list[tuple[str, float]] = []
    assert queue.recover(engine, lambda j, c: sent.append((j, c)), stale_after=3600) == [job_id]
    assert queue.claim(engine, job_id, 3600) is not None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _descendants(pid: int) -> list[int]:
    found: list[int] = []
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return found
    for child in map(int, children):
        found.append(child)
        found.extend(_descendants(child))
    return found


def _still_running(pids: list[int], grace: float) -> list[int]:
    def alive(pid: int) -> bool:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            return False
        return "State:\tZ" not in status  # a zombie has exited; init reaps it

    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        if not [pid for pid in pids if alive(pid)]:
            return []
        time.sleep(0.2)
    return [pid for pid in pids if alive(pid)]


def _start_service(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "archive.cli.main", "serve", "--port", str(port)],
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise AssertionError("service did not start")


def _worker_pids(service: subprocess.Popen[bytes]) -> list[int]:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        pids = _descendants(service.pid)
        if len(pids) >= 2:  # the celery main process and at least one pool process
            return pids
        time.sleep(0.2)
    raise AssertionError("worker did not start")


@pytest.mark.slow
def test_job_queued_when_the_service_is_killed_runs_once_after_restart(tmp_path: Path) -> None:
    env = dict(os.environ, LUUTRU_DATA_DIR=str(tmp_path / "var"), LUUTRU_LOG_JSON="true")
    demo = subprocess.run(
        [sys.executable, "-m", "archive.cli.main", "demo", "init"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    auditor_password = next(
        line.split()[-1] for line in demo.stdout.splitlines() if " auditor " in line
    )
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    service = _start_service(env, port)
    try:
        for pid in _worker_pids(service):
            os.kill(pid, signal.SIGSTOP)  # the worker hangs: the job can only wait in the queue
        token = httpx.post(
            f"{base}/api/v1/auth/token",
            json={"username": "kiemtoan", "password": auditor_password},
        ).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        job = httpx.post(f"{base}/api/v1/audit/chain-verifications", headers=headers).json()
        time.sleep(1.5)
        assert httpx.get(f"{base}/api/v1/jobs/{job['id']}", headers=headers).json()["state"] == (
            "queued"
        )
    finally:
        os.killpg(service.pid, signal.SIGKILL)
        service.wait()
    service = _start_service(env, port)
    try:
        deadline = time.monotonic() + 60
        state = ""
        while time.monotonic() < deadline and state != "succeeded":
            time.sleep(0.3)
            state = httpx.get(f"{base}/api/v1/jobs/{job['id']}", headers=headers).json()["state"]
        assert state == "succeeded"
        time.sleep(2)  # a duplicate delivery, if any, would run now
        workers = _descendants(service.pid)
    finally:
        service.send_signal(signal.SIGINT)  # Ctrl-C
        assert service.wait(30) == 0
    assert workers
    assert not _still_running(workers, grace=10), "worker processes left running after Ctrl-C"
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'var' / 'catalog.sqlite'}")
    with engine.connect() as conn:
        runs = conn.execute(
            sa.select(Event.detail).where(Event.event_type == "audit trail verification")
        ).all()
        attempts = conn.execute(sa.select(Job.attempts).where(Job.id == job["id"])).scalar_one()
    assert [run.detail["job_id"] for run in runs] == [job["id"]]
    assert attempts == 1
    assert runs[0].detail["intact"] is True
