"""The validation job: runs the ingest pipeline on a staged submission and records it all."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa

from archive.catalog.accounts import Agency
from archive.catalog.engine import session_scope
from archive.catalog.records import Submission, SubmissionStatus
from archive.jobs.registry import JobContext, job_handler
from archive.logs import get_logger
from archive.services import accession, callbacks
from archive.services.checking import check_context
from archive.services.deposit_plans import plan_findings
from archive.services.events import EventOutcome, record_event
from archive.services.staging import remove_submission_bytes, remove_work_copy, submission_dir
from archive.services.submissions import VALIDATE_JOB, set_status
from archive.services.trust import trust_roots_pem
from ingest.pipeline import PipelineConfig, StepRecord, run_pipeline

log = get_logger(__name__)
AGENT = "software:luutru-ingest"
_OUTCOMES = {"passed": EventOutcome.SUCCESS, "failed": EventOutcome.FAILURE}


def _step_event(engine: sa.Engine, submission_id: str, step: StepRecord) -> None:
    with session_scope(engine) as session:
        record_event(
            session,
            step.premis_event_type,
            agent=AGENT,
            outcome=_OUTCOMES.get(step.outcome.value, EventOutcome.INDETERMINATE),
            detail={
                "step": step.name,
                "findings": step.findings,
                "errors": step.errors,
                "seconds": round(step.seconds, 3),
            },
            submission_id=submission_id,
            at=step.started_at,
        )


@job_handler(VALIDATE_JOB)
def validate_submission(context: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
    submission_id = str(payload["submission_id"])
    settings, engine = context.settings, context.engine
    with session_scope(engine) as session:
        submission = session.get(Submission, submission_id)
        if submission is None:
            return {"skipped": "submission not found"}
        if submission.status not in (SubmissionStatus.RECEIVED, SubmissionStatus.VALIDATING):
            return {"skipped": f"already {submission.status}"}
        set_status(session, submission, SubmissionStatus.VALIDATING)
        agency_code = session.scalar(
            sa.select(Agency.code).where(Agency.id == submission.agency_id)
        )
        roots = trust_roots_pem(session)
        zip_path = Path(submission.staging_path or "")
    folder = submission_dir(settings.staging, submission_id)
    evidence = folder / "evidence"
    config = PipelineConfig(
        check_context=check_context(settings, roots, evidence_dir=evidence),
        agency_code=agency_code,
    )
    result = run_pipeline(
        zip_path,
        folder / "work",
        config,
        on_step=lambda step: _step_event(engine, submission_id, step),
    )
    report = result.report
    if result.file_code and agency_code:
        with session_scope(engine) as session:
            dossier = result.package.dossier if result.package else None
            report.findings.extend(
                plan_findings(
                    session,
                    agency_code,
                    result.file_code,
                    maintenance=dossier.maintenance if dossier else None,
                )
            )
    counts = report.counts()
    discard = result.secret or result.infected
    with session_scope(engine) as session:
        submission = session.get(Submission, submission_id)
        assert submission is not None
        submission.report = report.to_dict()
        submission.errors, submission.warnings, submission.infos = (
            counts["error"],
            counts["warning"],
            counts["info"],
        )
        submission.file_code = result.file_code
        status = SubmissionStatus.REJECTED if report.has_error else SubmissionStatus.AWAITING_REVIEW
        set_status(session, submission, status)
        record_event(
            session,
            "validation",
            agent=AGENT,
            outcome=_OUTCOMES.get(report.outcome.value, EventOutcome.INDETERMINATE),
            detail={"outcome": report.outcome.value, "counts": counts, "status": status.value},
            submission_id=submission_id,
        )
        # Per-agency policy: nothing to look at, so accept at once and queue archiving.
        if (
            status is SubmissionStatus.AWAITING_REVIEW
            and not discard
            and accession.auto_accept(session, context.dispatch, submission)
        ):
            status = SubmissionStatus.ACCEPTED
        if discard:
            reason = "state secret" if result.secret else "virus found"
            remove_submission_bytes(settings.staging, submission_id)
            submission.staging_path = None
            record_event(
                session,
                "deletion",
                agent=AGENT,
                outcome=EventOutcome.SUCCESS,
                detail={"reason": reason, "kept": "report and events only"},
                submission_id=submission_id,
            )
        callbacks.schedule(session, context, submission)
    if not discard:
        remove_work_copy(settings.staging, submission_id)  # unpacked again from the zip if needed
    log.info("submission validated", submission_id=submission_id, status=status.value)
    return {"status": status.value, "counts": counts}
