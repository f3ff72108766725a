"""The audit trail: verifying its hash chain, and following jobs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel

from archive.api.deps import AuditorUser, CurrentPrincipal, DispatchDep, SessionDep
from archive.catalog.accounts import Role
from archive.catalog.jobs import Job
from archive.errors import NotFound
from archive.jobs.queue import enqueue
from archive.services.audit import VERIFY_CHAIN_JOB

router = APIRouter(prefix="/api/v1", tags=["audit"])


class JobOut(BaseModel):
    id: str
    kind: str
    state: str
    attempts: int
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    result: dict[str, Any] | None
    error: str | None


def _job_out(job: Job) -> JobOut:
    return JobOut(
        id=job.id,
        kind=job.kind,
        state=job.state,
        attempts=job.attempts,
        created_at=job.created_at,
        started_at=job.started_at,
        finished_at=job.finished_at,
        result=job.result,
        error=(job.error or "").splitlines()[-1] if job.error else None,
    )


@router.post("/audit/chain-verifications", response_model=JobOut, status_code=202)
def verify_audit_trail(auditor: AuditorUser, session: SessionDep, dispatch: DispatchDep) -> JobOut:
    job = enqueue(session, dispatch, VERIFY_CHAIN_JOB, {"requested_by": auditor.agent})
    return _job_out(job)


@router.get("/jobs/{job_id}", response_model=JobOut)
def get_job(job_id: str, principal: CurrentPrincipal, session: SessionDep) -> JobOut:
    job = session.get(Job, job_id)
    requested_by = (job.payload or {}).get("requested_by") if job else None
    if job is None or not (
        principal.has_any(Role.ADMIN, Role.AUDITOR) or requested_by == principal.agent
    ):
        raise NotFound(f"job {job_id} not found")
    return _job_out(job)
