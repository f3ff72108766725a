"""Accepting or rejecting a validated submission, and its receipt (biên bản giao nhận)."""

from __future__ import annotations

import sqlalchemy as sa
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from archive.api.deps import ArchivistUser, DispatchDep, SessionDep, SettingsDep, SubmissionReader
from archive.catalog.preservation import Receipt
from archive.catalog.records import Submission
from archive.errors import NotFound
from archive.services import accession, submissions

router = APIRouter(prefix="/api/v1/submissions", tags=["accession"])


class AcknowledgementIn(BaseModel):
    code: str = Field(min_length=1, max_length=60)
    path: str | None = Field(default=None, max_length=1000)
    note: str | None = Field(default=None, max_length=2000)


class AcceptIn(BaseModel):
    note: str | None = Field(default=None, max_length=2000)
    acknowledgements: list[AcknowledgementIn] = Field(default_factory=list)


class RejectIn(BaseModel):
    reason: str = Field(max_length=2000, description="Lý do từ chối, bằng tiếng Việt")


class DecisionOut(BaseModel):
    id: str
    status: str
    decided_by: str | None
    decision_note: str | None
    acknowledged: list[AcknowledgementIn]


def _out(session: SessionDep, sub: Submission) -> DecisionOut:
    return DecisionOut(
        id=sub.id,
        status=sub.status,
        decided_by=sub.decided_by,
        decision_note=sub.decision_note,
        acknowledged=[
            AcknowledgementIn(code=a.code, path=a.path, note=a.note)
            for a in accession.acknowledgements_of(session, sub.id)
        ],
    )


@router.post("/{submission_id}/accept", status_code=202, response_model=DecisionOut)
def accept(
    submission_id: str,
    body: AcceptIn,
    archivist: ArchivistUser,
    session: SessionDep,
    settings: SettingsDep,
    dispatch: DispatchDep,
) -> DecisionOut:
    """Accept: archiving is queued. Errors block (409 with `blocking_codes`); every
    indeterminate error-level finding must be acknowledged (409 with `unacknowledged`)."""
    sub = accession.accept(
        session,
        dispatch,
        archivist,
        submission_id,
        note=body.note,
        acknowledgements=[
            accession.Acknowledgement(a.code, a.path, a.note) for a in body.acknowledgements
        ],
        public_url=settings.public_url,
    )
    session.flush()
    return _out(session, sub)


@router.post("/{submission_id}/reject", response_model=DecisionOut)
def reject(
    submission_id: str,
    body: RejectIn,
    archivist: ArchivistUser,
    session: SessionDep,
    settings: SettingsDep,
    dispatch: DispatchDep,
) -> DecisionOut:
    sub = accession.reject(
        session,
        dispatch,
        archivist,
        submission_id,
        reason=body.reason,
        public_url=settings.public_url,
    )
    return _out(session, sub)


@router.get(
    "/{submission_id}/receipt",
    responses={200: {"content": {"application/json": {}, "application/pdf": {}}}},
)
def receipt(
    submission_id: str, request: Request, reader: SubmissionReader, session: SessionDep
) -> Response:
    """The biên bản giao nhận as JSON, or the signed PDF/A with `Accept: application/pdf`."""
    sub = submissions.get_visible(session, reader, submission_id)
    found = session.scalar(sa.select(Receipt).where(Receipt.submission_id == sub.id))
    if found is None:
        raise NotFound(f"submission {submission_id} has no receipt (status {sub.status})")
    if "application/pdf" in request.headers.get("accept", ""):
        return Response(
            found.pdf,
            media_type="application/pdf",
            headers={
                "Content-Disposition": f'attachment; filename="bien-ban-giao-nhan-{sub.id}.pdf"',
                "X-Content-SHA256": found.pdf_sha256,
            },
        )
    return JSONResponse(found.content)
