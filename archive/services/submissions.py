"""Submissions from QLVB systems: creation (idempotent, duplicate-aware), reading, listing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from archive.catalog.base import utcnow
from archive.catalog.records import Submission, SubmissionStatus
from archive.errors import Conflict, InvalidInput, NotFound
from archive.jobs.queue import Dispatch, enqueue
from archive.services.accounts import Principal
from archive.services.events import EventOutcome, record_event
from archive.services.staging import StagedPackage, place_package
from archive.settings import Settings

VALIDATE_JOB = "ingest.validate"
FINAL_OR_REVIEW = frozenset(
    {
        SubmissionStatus.REJECTED,
        SubmissionStatus.AWAITING_REVIEW,
        SubmissionStatus.ACCEPTED,
        SubmissionStatus.ARCHIVED,
        SubmissionStatus.FAILED,
    }
)


@dataclass(frozen=True)
class Received:
    submission: Submission
    created: bool  # False: an idempotent replay or a duplicate of an earlier submission
    duplicate_of: str | None = None


def _validate_callback(url: str | None) -> str | None:
    if not url:
        return None
    if not url.startswith(("https://", "http://")) or len(url) > 1000:
        raise InvalidInput("callback_url phải là địa chỉ http(s) / callback_url must be http(s)")
    return url


def receive(
    session: Session,
    settings: Settings,
    dispatch: Dispatch,
    principal: Principal,
    staged: StagedPackage,
    *,
    idempotency_key: str | None,
    callback_url: str | None,
) -> Received:
    """Record a staged package as a submission and queue its validation.

    The same Idempotency-Key with the same bytes returns the original; with other bytes it is
    a conflict. The same bytes from the same agency without a key are a duplicate of the
    first submission and are not ingested twice."""
    callback_url = _validate_callback(callback_url)
    if idempotency_key is not None and not 1 <= len(idempotency_key) <= 200:
        raise InvalidInput("Idempotency-Key must be 1 to 200 characters")
    agency_id = principal.agency_id
    if idempotency_key:
        earlier = session.scalar(
            sa.select(Submission).where(
                Submission.agency_id == agency_id, Submission.idempotency_key == idempotency_key
            )
        )
        if earlier is not None:
            staged.path.unlink(missing_ok=True)
            if earlier.package_sha256 != staged.sha256:
                raise Conflict(
                    "Idempotency-Key đã dùng cho gói tin khác / "
                    "Idempotency-Key already used for different bytes",
                    submission_id=earlier.id,
                )
            return Received(earlier, created=False)
    else:
        first = session.scalar(
            sa.select(Submission)
            .where(Submission.agency_id == agency_id, Submission.package_sha256 == staged.sha256)
            .order_by(Submission.received_at)
            .limit(1)
        )
        if first is not None:
            staged.path.unlink(missing_ok=True)
            record_event(
                session,
                "duplicate submission",
                agent=principal.agent,
                outcome=EventOutcome.WARNING,
                detail={"package_sha256": staged.sha256, "duplicate_of": first.id},
                submission_id=first.id,
            )
            return Received(first, created=False, duplicate_of=first.id)

    submission = Submission(
        agency_id=agency_id,
        api_key_id=principal.api_key_id,
        status=SubmissionStatus.RECEIVED.value,
        package_sha256=staged.sha256,
        size=staged.size,
        idempotency_key=idempotency_key,
        callback_url=callback_url,
    )
    session.add(submission)
    try:
        session.flush()
    except IntegrityError:  # a concurrent request with the same key won the race
        session.rollback()
        staged.path.unlink(missing_ok=True)
        raise Conflict("Idempotency-Key is being used by a concurrent request") from None
    path = place_package(staged, settings.staging, submission.id)
    submission.staging_path = str(path)
    record_event(
        session,
        "ingestion start",
        agent=principal.agent,
        outcome=EventOutcome.SUCCESS,
        detail={"package_sha256": staged.sha256, "size": staged.size},
        submission_id=submission.id,
        linked_objects=[{"role": "source", "type": "package", "id": staged.sha256}],
    )
    enqueue(
        session,
        dispatch,
        VALIDATE_JOB,
        {"submission_id": submission.id},
        dedupe_key=f"validate:{submission.id}",
    )
    return Received(submission, created=True)


def get_visible(session: Session, principal: Principal, submission_id: str) -> Submission:
    submission = session.get(Submission, submission_id)
    if submission is None or not principal.can_see_agency(submission.agency_id):
        raise NotFound(f"submission {submission_id} not found")
    return submission


def list_visible(
    session: Session,
    principal: Principal,
    *,
    status: SubmissionStatus | None,
    since: dt.datetime | None,
    limit: int,
) -> list[Submission]:
    query = sa.select(Submission).order_by(Submission.received_at.desc()).limit(limit)
    if principal.visible_agency_ids is not None:
        query = query.where(Submission.agency_id.in_(principal.visible_agency_ids))
    if status is not None:
        query = query.where(Submission.status == status.value)
    if since is not None:
        if since.tzinfo is None:
            since = since.replace(tzinfo=dt.UTC)
        query = query.where(Submission.received_at >= since)
    return list(session.scalars(query))


def set_status(session: Session, submission: Submission, status: SubmissionStatus) -> None:
    submission.status = status.value
    submission.updated_at = utcnow()
