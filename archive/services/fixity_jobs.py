"""Fixity as background work: the audit job, and the periodic task Celery beat sends to start
the audits that are due (``beat_schedule`` in archive.jobs.broker names it)."""

from __future__ import annotations

from typing import Any

from celery import Task, shared_task

from archive.catalog.engine import engine_for, session_scope
from archive.jobs.broker import RUN_JOB
from archive.jobs.registry import JobContext, job_handler
from archive.logs import get_logger
from archive.services.fixity import AUDIT_JOB, run_audit, schedule_due_audits
from archive.settings import get_settings

SCHEDULE_TASK = "luutru.schedule_fixity_audits"
log = get_logger(__name__)


@job_handler(AUDIT_JOB)
def audit_job(context: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
    """Run or resume one audit. A crash propagates, so the job is retried (and resumes)."""
    audit = run_audit(context.engine, context.settings, str(payload["audit_id"]))
    return {
        "audit_id": audit.id,
        "state": audit.state,
        "objects_checked": audit.objects_checked,
        "mismatches": audit.mismatches,
        "repaired": audit.repaired,
        "lost": audit.lost,
        "error": audit.error,
    }


@shared_task(name=SCHEDULE_TASK, bind=True)
def schedule_fixity_audits(task: Task) -> list[str]:
    settings = get_settings()

    def dispatch(job_id: str, countdown: float = 0.0) -> None:
        task.app.send_task(RUN_JOB, args=[job_id], countdown=countdown or None)

    with session_scope(engine_for(settings.catalog_url)) as session:
        audits = schedule_due_audits(session, settings, dispatch)
        started = [audit.id for audit in audits]
        locations = [audit.location for audit in audits]
    if started:
        log.info("scheduled fixity audits", audits=started, locations=locations)
    return started
