"""Audit services: verifying the event hash chain (on demand and as a job)."""

from __future__ import annotations

from typing import Any

from archive.catalog.engine import session_scope
from archive.jobs.registry import JobContext, job_handler
from archive.services.events import EventOutcome, record_event, verify_chain

VERIFY_CHAIN_JOB = "audit.verify_chain"


@job_handler(VERIFY_CHAIN_JOB)
def verify_chain_job(context: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
    with session_scope(context.engine) as session:
        result = verify_chain(session)
    summary = {
        "events_checked": result.events_checked,
        "intact": result.intact,
        "first_broken_seq": result.first_broken_seq,
        "reason": result.reason,
    }
    with session_scope(context.engine) as session:
        record_event(
            session,
            "audit trail verification",
            agent=str(payload.get("requested_by", "software:luutru")),
            outcome=EventOutcome.SUCCESS if result.intact else EventOutcome.FAILURE,
            detail={**summary, "job_id": context.job_id},
        )
    return summary
