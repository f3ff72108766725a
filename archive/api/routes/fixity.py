"""Fixity audits on request, and their reports (archivists, administrators, auditors)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from archive.api.deps import DispatchDep, EngineDep, SessionDep, SettingsDep, require
from archive.catalog.accounts import Role
from archive.catalog.engine import session_scope
from archive.catalog.preservation import FixityAudit
from archive.services import fixity
from archive.services.accounts import Principal

router = APIRouter(prefix="/api/v1/fixity", tags=["fixity"])

FixityUser = Annotated[Principal, Depends(require(Role.ARCHIVIST, Role.ADMIN, Role.AUDITOR))]


class AuditRequest(BaseModel):
    location: str | None = Field(None, description="a storage location name; default: all")
    dossier: str | None = Field(None, description="a dossier id or fileCode; default: all")


class AuditAccepted(BaseModel):
    id: str
    state: str
    status_url: str


class AuditOut(BaseModel):
    id: str
    location: str | None
    dossier_id: str | None
    requested_by: str
    state: str
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    objects_checked: int
    files_checked: int
    bytes_checked: int
    mismatches: int
    repaired: int
    lost: int
    error: str | None
    cursor: str | None


def _out(audit: FixityAudit) -> AuditOut:
    return AuditOut(
        id=audit.id,
        location=audit.location,
        dossier_id=audit.dossier_id,
        requested_by=audit.requested_by,
        state=audit.state,
        created_at=audit.created_at,
        started_at=audit.started_at,
        finished_at=audit.finished_at,
        objects_checked=audit.objects_checked,
        files_checked=audit.files_checked,
        bytes_checked=audit.bytes_checked,
        mismatches=audit.mismatches,
        repaired=audit.repaired,
        lost=audit.lost,
        error=audit.error,
        cursor=audit.cursor,
    )


@router.post("/audits", status_code=202, response_model=AuditAccepted)
def request_audit(
    request: Request,
    body: AuditRequest,
    user: FixityUser,
    engine: EngineDep,
    settings: SettingsDep,
    dispatch: DispatchDep,
) -> JSONResponse:
    """Start an audit of a location and/or a dossier; it runs as a job (poll `status_url`)."""
    with session_scope(engine) as session:  # committed before the client hears of it
        audit = fixity.request_audit(
            session, settings, dispatch, user, location=body.location, dossier=body.dossier
        )
        audit_id, state = audit.id, audit.state
    status_url = str(request.url_for("get_audit", audit_id=audit_id))
    accepted = AuditAccepted(id=audit_id, state=state, status_url=status_url)
    return JSONResponse(accepted.model_dump(), status_code=202, headers={"Location": status_url})


@router.get("/audits", response_model=list[AuditOut])
def list_audits(
    user: FixityUser,
    session: SessionDep,
    state: fixity.AuditState | None = None,
    location: str | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[AuditOut]:
    """Audits, newest first."""
    audits = fixity.list_audits(session, user, state=state, location=location, limit=limit)
    return [_out(audit) for audit in audits]


@router.get("/audits/{audit_id}", response_model=AuditOut)
def get_audit(audit_id: str, user: FixityUser, session: SessionDep) -> AuditOut:
    return _out(fixity.get_audit(session, user, audit_id))
