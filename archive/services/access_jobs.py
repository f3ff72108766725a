"""Jobs of the access area: building the DIP of an approved request."""

from __future__ import annotations

from typing import Any

from archive.catalog.access import AccessRequest
from archive.catalog.engine import session_scope
from archive.jobs.registry import JobContext, job_handler
from archive.logs import get_logger
from archive.services.access_requests import BUILD_DIP_JOB, Status
from archive.services.dip import SHEET_PATH, build_dip
from archive.services.events import EventOutcome, record_event

log = get_logger(__name__)
SOFTWARE_AGENT = "software:luutru/access"


@job_handler(BUILD_DIP_JOB)
def build_requested_dip(context: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
    request_id = str(payload["request_id"])
    with session_scope(context.engine) as session:
        request = session.get(AccessRequest, request_id)
        if request is None or request.status not in (Status.APPROVED, Status.DELIVERED):
            return {"skipped": "request is not approved"}
        if request.dip_path and request.dip_sha256:
            return {"skipped": "already built", "dip_sha256": request.dip_sha256}
        try:
            built = build_dip(session, context.settings, request)
        except Exception as exc:
            _record_failure(context, request_id, exc)
            raise
        request.dip_path = str(built.path)
        request.dip_sha256 = built.sha256
        detail: dict[str, Any] = {
            "request_id": request.id,
            "dip_sha256": built.sha256,
            "size": built.size,
            "documents": built.documents,
            "authentication_code": built.authentication_code,
            "sheet_signed": built.signed,
        }
        if not built.signed:
            detail["warning"] = (
                f"{SHEET_PATH} chưa được ký số: chưa cấu hình khóa ký của cơ quan lưu trữ / "
                "the authentication sheet is unsigned: no archive signing key is configured"
            )
            log.warning("DIP authentication sheet left unsigned", request_id=request.id)
        record_event(
            session,
            "dip creation",
            agent=SOFTWARE_AGENT,
            outcome=EventOutcome.SUCCESS if built.signed else EventOutcome.WARNING,
            detail=detail,
        )
        return detail


def _record_failure(context: JobContext, request_id: str, exc: Exception) -> None:
    with session_scope(context.engine) as session:
        record_event(
            session,
            "dip creation",
            agent=SOFTWARE_AGENT,
            outcome=EventOutcome.FAILURE,
            detail={"request_id": request_id, "attempt": context.attempt, "error": str(exc)},
        )
