"""Enqueueing, claiming and finishing jobs. The catalog row is the truth; the broker message
only says "look at job X". A job is claimed by one atomic UPDATE, so a message delivered twice
(redelivery after a crash plus recovery) still runs the job once."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import socket
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

from archive.catalog.base import utcnow
from archive.catalog.jobs import Job, JobState

Dispatch = Callable[[str, float], None]  # (job id, countdown seconds)


def worker_identity() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def enqueue(
    session: Session,
    dispatch: Dispatch,
    kind: str,
    payload: dict[str, Any],
    *,
    dedupe_key: str | None = None,
    max_attempts: int = 5,
) -> Job:
    """Add the job in the caller's transaction; the broker hears of it only after commit."""
    if dedupe_key is not None:
        existing = session.scalar(sa.select(Job).where(Job.dedupe_key == dedupe_key))
        if existing is not None:
            return existing
    job = Job(
        kind=kind,
        payload=payload,
        state=JobState.QUEUED.value,
        dedupe_key=dedupe_key,
        max_attempts=max_attempts,
    )
    session.add(job)
    session.flush()
    job_id = job.id

    def _send(_session: Session) -> None:
        with contextlib.suppress(Exception):  # broker down: recovery will send it later
            dispatch(job_id, 0.0)

    event.listen(session, "after_commit", _send, once=True)
    return job


def claim(engine: sa.Engine, job_id: str, stale_after: float) -> Job | None:
    """Take the job if it is queued and due, or running on a worker that stopped beating."""
    now = utcnow()
    stale = now - dt.timedelta(seconds=stale_after)
    with engine.begin() as conn:
        taken = conn.execute(
            sa.update(Job)
            .where(Job.id == job_id)
            .where(
                sa.or_(
                    sa.and_(
                        Job.state == JobState.QUEUED.value,
                        sa.or_(Job.not_before.is_(None), Job.not_before <= now),
                    ),
                    sa.and_(Job.state == JobState.RUNNING.value, Job.heartbeat_at < stale),
                )
            )
            .values(
                state=JobState.RUNNING.value,
                attempts=Job.attempts + 1,
                started_at=now,
                heartbeat_at=now,
                worker=worker_identity(),
            )
        ).rowcount
    if taken != 1:
        return None
    with Session(engine, expire_on_commit=False) as session:
        return session.get(Job, job_id)


def heartbeat(engine: sa.Engine, job_id: str) -> None:
    with engine.begin() as conn:
        conn.execute(sa.update(Job).where(Job.id == job_id).values(heartbeat_at=utcnow()))


def succeed(engine: sa.Engine, job_id: str, result: dict[str, Any] | None) -> None:
    with engine.begin() as conn:
        conn.execute(
            sa.update(Job)
            .where(Job.id == job_id)
            .values(state=JobState.SUCCEEDED.value, finished_at=utcnow(), result=result, error=None)
        )


def fail(engine: sa.Engine, job_id: str, error: str, dispatch: Dispatch) -> JobState:
    """Retry with exponential backoff until max_attempts, then mark failed for good."""
    with Session(engine, expire_on_commit=False) as session:
        job = session.get(Job, job_id)
        if job is None:
            return JobState.FAILED
        if job.attempts < job.max_attempts:
            delay = min(2.0**job.attempts, 300.0)
            job.state = JobState.QUEUED.value
            job.not_before = utcnow() + dt.timedelta(seconds=delay)
            job.error = error
            session.commit()
            dispatch(job_id, delay)
            return JobState.QUEUED
        job.state = JobState.FAILED.value
        job.finished_at = utcnow()
        job.error = error
        session.commit()
        return JobState.FAILED


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def recover(engine: sa.Engine, dispatch: Dispatch, stale_after: float) -> list[str]:
    """Send again every job that should be running but is not: queued and due, or running on
    a worker of this host whose process is gone, or whose heartbeat stopped."""
    now = utcnow()
    host = socket.gethostname()
    resent: list[tuple[str, float]] = []
    with Session(engine) as session:
        jobs = session.scalars(
            sa.select(Job).where(Job.state.in_([JobState.QUEUED.value, JobState.RUNNING.value]))
        ).all()
        for job in jobs:
            if job.state == JobState.RUNNING.value:
                worker_host, _, pid = (job.worker or "").rpartition(":")
                dead_here = worker_host == host and pid.isdigit() and not _pid_alive(int(pid))
                stale = (
                    job.heartbeat_at is None
                    or (now - job.heartbeat_at).total_seconds() > stale_after
                )
                if not (dead_here or stale):
                    continue
                job.state = JobState.QUEUED.value
                job.heartbeat_at = None
            countdown = 0.0
            if job.not_before is not None and job.not_before > now:
                countdown = (job.not_before - now).total_seconds()
            resent.append((job.id, countdown))
        session.commit()
    for job_id, countdown in resent:
        try:
            dispatch(job_id, countdown)
        except Exception:  # broker down: next recovery tries again
            break
    return [job_id for job_id, _ in resent]
