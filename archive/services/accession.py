"""The archivist's decision on a validated submission: accept (then archive) or reject.

An error finding (severity error, outcome failed) blocks acceptance. An error-severity check
that could not finish (outcome indeterminate, e.g. VIR-NOT-SCANNED) does not block, but the
archivist must tick each one off by name before accepting; the tick is stored with their name.
Warnings never need a tick. An agency may let packages with neither be accepted automatically.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from archive.catalog.accounts import Agency, Role
from archive.catalog.preservation import FindingAcknowledgement
from archive.catalog.records import Submission, SubmissionStatus
from archive.errors import Conflict, Forbidden, InvalidInput, NotFound
from archive.jobs.queue import Dispatch, enqueue
from archive.services.accounts import Principal
from archive.services.callbacks import CALLBACK_ATTEMPTS, CALLBACK_JOB, payload_for
from archive.services.events import EventOutcome, record_event
from archive.services.submissions import set_status

ARCHIVE_JOB = "accession.archive"
ARCHIVE_ATTEMPTS = 12  # backoff 2, 4, … 300 s: a location may be down for about half an hour
AUTO_AGENT = "software:luutru-accession"
MIN_REASON_LENGTH = 10


@dataclass(frozen=True)
class Acknowledgement:
    code: str
    path: str | None = None
    note: str | None = None


def _findings(report: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    return list((report or {}).get("findings", []))


def blocking_findings(report: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    return [
        f
        for f in _findings(report)
        if f.get("severity") == "error" and f.get("outcome") == "failed"
    ]


def indeterminate_findings(report: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    return [
        f
        for f in _findings(report)
        if f.get("severity") == "error" and f.get("outcome") == "indeterminate"
    ]


def _keys(findings: Iterable[Mapping[str, Any]]) -> set[tuple[str, str | None]]:
    return {(str(f.get("code")), f.get("path")) for f in findings}


def _listed(keys: Iterable[tuple[str, str | None]]) -> list[dict[str, str | None]]:
    return [
        {"code": code, "path": path}
        for code, path in sorted(keys, key=lambda k: (k[0], k[1] or ""))
    ]


def decidable(session: Session, principal: Principal, submission_id: str) -> Submission:
    """The submission, if the archivist serves its agency (404 otherwise, no existence leak)."""
    if not principal.has_any(Role.ARCHIVIST):
        raise Forbidden("chỉ lưu trữ viên được quyết định / only archivists decide")
    submission = session.get(Submission, submission_id)
    if submission is None or not principal.can_see_agency(submission.agency_id):
        raise NotFound(f"submission {submission_id} not found")
    if submission.status != SubmissionStatus.AWAITING_REVIEW.value:
        raise Conflict(
            f"hồ sơ đang ở trạng thái {submission.status}, không chờ duyệt / "
            f"submission is {submission.status}, not awaiting review",
            current_status=submission.status,
        )
    return submission


def queue_archiving(session: Session, dispatch: Dispatch, submission: Submission) -> None:
    enqueue(
        session,
        dispatch,
        ARCHIVE_JOB,
        {"submission_id": submission.id},
        dedupe_key=f"archive:{submission.id}",
        max_attempts=ARCHIVE_ATTEMPTS,
    )


def schedule_callback(
    session: Session,
    dispatch: Dispatch,
    public_url: str | None,
    submission: Submission,
    extra: Mapping[str, Any] | None = None,
) -> None:
    """Tell the QLVB of the new status (callbacks.schedule, plus fields such as receipt_url)."""
    if not submission.callback_url or submission.api_key_id is None:
        return
    enqueue(
        session,
        dispatch,
        CALLBACK_JOB,
        {
            "submission_id": submission.id,
            "status": submission.status,
            "payload": {**payload_for(submission, public_url), **(extra or {})},
        },
        dedupe_key=f"callback:{submission.id}:{submission.status}",
        max_attempts=CALLBACK_ATTEMPTS,
    )


def accept(
    session: Session,
    dispatch: Dispatch,
    principal: Principal,
    submission_id: str,
    *,
    note: str | None,
    acknowledgements: Sequence[Acknowledgement],
    public_url: str | None = None,
) -> Submission:
    submission = decidable(session, principal, submission_id)
    blocking = blocking_findings(submission.report)
    if blocking:
        raise Conflict(
            "gói tin có lỗi, không thể tiếp nhận / the package has errors and cannot be accepted",
            blocking_codes=sorted({str(f["code"]) for f in blocking}),
            blocking=_listed(_keys(blocking)),
        )
    needed = _keys(indeterminate_findings(submission.report))
    given = {(a.code, a.path) for a in acknowledgements}
    if needed - given:
        raise Conflict(
            "cần xác nhận từng kết quả kiểm tra chưa xác định trước khi tiếp nhận / "
            "every indeterminate finding must be acknowledged before accepting",
            unacknowledged=_listed(needed - given),
        )
    if given - needed:
        raise InvalidInput(
            "xác nhận cho kết quả kiểm tra không có trong báo cáo / "
            "acknowledgement of findings the report does not hold",
            unknown=_listed(given - needed),
        )
    for ack in acknowledgements:
        session.add(
            FindingAcknowledgement(
                submission_id=submission.id,
                code=ack.code,
                path=ack.path,
                acknowledged_by=principal.name,
                note=ack.note,
            )
        )
    submission.decided_by = principal.name
    submission.decision_note = note
    set_status(session, submission, SubmissionStatus.ACCEPTED)
    record_event(
        session,
        "accession",
        agent=principal.agent,
        outcome=EventOutcome.SUCCESS,
        detail={
            "decision": "accepted",
            "note": note,
            "acknowledged": _listed(given),
        },
        submission_id=submission.id,
    )
    queue_archiving(session, dispatch, submission)
    schedule_callback(session, dispatch, public_url, submission)
    return submission


def reject(
    session: Session,
    dispatch: Dispatch,
    principal: Principal,
    submission_id: str,
    *,
    reason: str,
    public_url: str | None = None,
) -> Submission:
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON_LENGTH:
        raise InvalidInput(
            f"cần nêu lý do từ chối (ít nhất {MIN_REASON_LENGTH} ký tự) / "
            f"a reason of at least {MIN_REASON_LENGTH} characters is required"
        )
    submission = decidable(session, principal, submission_id)
    submission.decided_by = principal.name
    submission.decision_note = reason
    set_status(session, submission, SubmissionStatus.REJECTED)
    record_event(
        session,
        "accession",
        agent=principal.agent,
        outcome=EventOutcome.FAILURE,
        detail={"decision": "rejected", "reason": reason},
        submission_id=submission.id,
    )
    schedule_callback(session, dispatch, public_url, submission, {"reason": reason})
    return submission


def auto_accept(session: Session, dispatch: Dispatch, submission: Submission) -> bool:
    """Accept at once if the agency's policy allows it and nothing needs a human look."""
    auto = session.scalar(sa.select(Agency.auto_accept).where(Agency.id == submission.agency_id))
    report = submission.report
    if not auto or blocking_findings(report) or indeterminate_findings(report):
        return False
    submission.decided_by = AUTO_AGENT
    set_status(session, submission, SubmissionStatus.ACCEPTED)
    record_event(
        session,
        "accession",
        agent=AUTO_AGENT,
        outcome=EventOutcome.SUCCESS,
        detail={"decision": "accepted", "policy": "agency auto_accept"},
        submission_id=submission.id,
    )
    queue_archiving(session, dispatch, submission)
    return True


def acknowledgements_of(session: Session, submission_id: str) -> list[FindingAcknowledgement]:
    return list(
        session.scalars(
            sa.select(FindingAcknowledgement)
            .where(FindingAcknowledgement.submission_id == submission_id)
            .order_by(FindingAcknowledgement.id)
        )
    )
