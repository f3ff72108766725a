"""The submission API QLVB vendors code against. Keep these names: they are a contract."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel

from archive.api.deps import DispatchDep, QlvbClient, SessionDep, SettingsDep, SubmissionReader
from archive.api.upload import receive_package
from archive.catalog.engine import session_scope
from archive.catalog.records import Submission, SubmissionStatus
from archive.services import submissions
from archive.services.staging import StagingWriter
from archive.web.pages import templates

router = APIRouter(prefix="/api/v1/submissions", tags=["submissions"])


class Counts(BaseModel):
    error: int
    warning: int
    info: int
    indeterminate: int = 0


class SubmissionOut(BaseModel):
    id: str
    status: str
    received_at: dt.datetime
    package_sha256: str
    size: int
    fileCode: str | None
    counts: Counts
    dossier_id: str | None
    status_url: str
    report_url: str
    duplicate_of: str | None = None


class SubmissionAccepted(BaseModel):
    id: str
    status: str
    status_url: str
    report_url: str
    duplicate_of: str | None = None


def _base_url(request: Request, public_url: str | None) -> str:
    return (public_url or str(request.base_url)).rstrip("/")


def _out(request: Request, public_url: str | None, sub: Submission) -> SubmissionOut:
    status_url = f"{_base_url(request, public_url)}/api/v1/submissions/{sub.id}"
    return SubmissionOut(
        id=sub.id,
        status=sub.status,
        received_at=sub.received_at,
        package_sha256=sub.package_sha256,
        size=sub.size,
        fileCode=sub.file_code,
        counts=Counts(
            error=sub.errors,
            warning=sub.warnings,
            info=sub.infos,
            indeterminate=int((sub.report or {}).get("counts", {}).get("indeterminate", 0)),
        ),
        dossier_id=sub.dossier_id,
        status_url=status_url,
        report_url=status_url + "/report",
    )


@router.post(
    "",
    status_code=202,
    response_model=SubmissionAccepted,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/zip": {"schema": {"type": "string", "format": "binary"}},
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "required": ["package"],
                        "properties": {
                            "package": {"type": "string", "format": "binary"},
                            "callback_url": {"type": "string"},
                        },
                    }
                },
            },
        }
    },
)
async def submit(
    request: Request,
    client: QlvbClient,
    settings: SettingsDep,
    dispatch: DispatchDep,
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key")] = None,
    x_callback_url: Annotated[str | None, Header(alias="X-Callback-URL")] = None,
) -> Response:
    """Submit a TT05 SIP_hoso zip (raw `application/zip` body, or multipart field `package`).

    Answers 202 as soon as the bytes are staged; validation runs as a job. The same
    Idempotency-Key with the same bytes returns the original submission (a different body is
    409); the same bytes again without a key answer 200 with `duplicate_of`."""
    writer = StagingWriter(settings.staging, settings.max_package_bytes)
    staged, fields = await receive_package(request, writer)
    engine = request.app.state.engine

    def record() -> tuple[SubmissionAccepted, bool]:
        with session_scope(engine) as session:
            received = submissions.receive(
                session,
                settings,
                dispatch,
                client,
                staged,
                idempotency_key=idempotency_key,
                callback_url=fields.get("callback_url") or x_callback_url,
            )
            out = _out(request, settings.public_url, received.submission)
            body = SubmissionAccepted(
                id=out.id,
                status=out.status,
                status_url=out.status_url,
                report_url=out.report_url,
                duplicate_of=received.duplicate_of,
            )
            return body, received.duplicate_of is not None

    body, duplicate = await run_in_threadpool(record)
    return JSONResponse(
        body.model_dump(),
        status_code=200 if duplicate else 202,
        headers={"Location": body.status_url},
    )


@router.get("", response_model=list[SubmissionOut])
def list_submissions(
    request: Request,
    reader: SubmissionReader,
    session: SessionDep,
    settings: SettingsDep,
    status: SubmissionStatus | None = None,
    since: dt.datetime | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[SubmissionOut]:
    found = submissions.list_visible(session, reader, status=status, since=since, limit=limit)
    return [_out(request, settings.public_url, sub) for sub in found]


@router.get("/{submission_id}", response_model=SubmissionOut)
def get_submission(
    submission_id: str,
    request: Request,
    reader: SubmissionReader,
    session: SessionDep,
    settings: SettingsDep,
) -> SubmissionOut:
    return _out(
        request, settings.public_url, submissions.get_visible(session, reader, submission_id)
    )


def _pending_report(sub: Submission) -> dict[str, Any]:
    return {
        "outcome": "indeterminate",
        "checked_at": None,
        "status": sub.status,
        "findings": [],
        "detail": "validation has not finished yet",
    }


@router.get("/{submission_id}/report", responses={200: {"content": {"text/html": {}}}})
def get_report(
    submission_id: str,
    request: Request,
    reader: SubmissionReader,
    session: SessionDep,
) -> Response:
    """The validation report as JSON, or as a Vietnamese HTML page when asked for text/html."""
    sub = submissions.get_visible(session, reader, submission_id)
    report = sub.report or _pending_report(sub)
    accept = request.headers.get("accept", "")
    if "text/html" in accept and "application/json" not in accept:
        return HTMLResponse(
            templates.get_template("report.html").render(
                submission=sub, report=report, findings=report.get("findings", [])
            )
        )
    return JSONResponse(report)
