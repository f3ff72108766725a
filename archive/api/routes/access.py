"""Access: grants for conditional-use records, the access log and its statistics, reading
copies on screen, and requests for copies (DIP)."""

from __future__ import annotations

import base64
import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse, Response
from pydantic import BaseModel, Field
from starlette.background import BackgroundTask

from archive.api.deps import (
    ArchivistUser,
    DispatchDep,
    RecordReader,
    SessionDep,
    SettingsDep,
    require,
)
from archive.catalog.access import AccessLogEntry, AccessRequest
from archive.catalog.accounts import Role
from archive.services import access_requests, access_stats, grants
from archive.services.accounts import Principal
from archive.services.reading_copy import render_reading_copy

router = APIRouter(prefix="/api/v1", tags=["access"])

LogReader = Annotated[Principal, Depends(require(Role.ARCHIVIST, Role.AUDITOR, Role.ADMIN))]
RequestFiler = Annotated[Principal, Depends(require(Role.OFFICIAL, Role.ARCHIVIST))]

NO_STORE = {"Cache-Control": "no-store, private", "Pragma": "no-cache"}


# --- grants -------------------------------------------------------------------------------


class GrantIn(BaseModel):
    username: str = Field(min_length=1, max_length=100)
    dossier_id: str | None = None
    document_id: str | None = None
    valid_until: dt.datetime
    reason: str = Field(min_length=1, max_length=2000)


class GrantOut(BaseModel):
    id: int
    username: str
    dossier_id: str
    document_id: str | None
    valid_until: dt.datetime
    reason: str
    granted_by: str
    granted_at: dt.datetime
    revoked_at: dt.datetime | None
    active: bool


def _grant_out(view: grants.GrantView) -> GrantOut:
    grant = view.grant
    return GrantOut(
        id=grant.id,
        username=view.username,
        dossier_id=view.dossier_id,
        document_id=view.document_id,
        valid_until=grant.valid_until,
        reason=grant.reason,
        granted_by=grant.granted_by,
        granted_at=grant.granted_at,
        revoked_at=grant.revoked_at,
        active=view.active,
    )


@router.post("/access/grants", response_model=GrantOut, status_code=201)
def create_grant(body: GrantIn, archivist: ArchivistUser, session: SessionDep) -> GrantOut:
    """Let one person read a conditional-use (mode 02) dossier or document until a date."""
    view = grants.create_grant(
        session,
        archivist,
        username=body.username,
        dossier_id=body.dossier_id,
        document_id=body.document_id,
        valid_until=body.valid_until,
        reason=body.reason,
    )
    return _grant_out(view)


@router.get("/access/grants", response_model=list[GrantOut])
def list_grants(
    reader: RecordReader,
    session: SessionDep,
    username: str | None = None,
    dossier_id: str | None = None,
    active: bool = False,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[GrantOut]:
    """Archivists: grants on records they serve. Everyone else: their own grants."""
    found = grants.list_grants(
        session,
        reader,
        username=username,
        dossier_id=dossier_id,
        active_only=active,
        limit=limit,
        offset=offset,
    )
    return [_grant_out(view) for view in found]


@router.delete("/access/grants/{grant_id}", response_model=GrantOut)
def revoke_grant(grant_id: int, archivist: ArchivistUser, session: SessionDep) -> GrantOut:
    return _grant_out(grants.revoke_grant(session, archivist, grant_id))


# --- the access log -----------------------------------------------------------------------


class LogEntryOut(BaseModel):
    id: int
    at: dt.datetime
    actor: str
    agency_id: int | None
    action: str
    dossier_id: str | None
    document_id: str | None
    channel: str
    client_address: str | None
    user_agent: str | None
    detail: dict[str, Any] | None


class LogPageOut(BaseModel):
    entries: list[LogEntryOut]
    next_before: int | None


def _entry_out(entry: AccessLogEntry) -> LogEntryOut:
    return LogEntryOut(
        id=entry.id,
        at=entry.at,
        actor=entry.actor,
        agency_id=entry.agency_id,
        action=entry.action,
        dossier_id=entry.dossier_id,
        document_id=entry.document_id,
        channel=entry.channel,
        client_address=entry.client_address,
        user_agent=entry.user_agent,
        detail=entry.detail,
    )


@router.get("/dossiers/{dossier_id}/access-log", response_model=LogPageOut)
def dossier_access_log(
    dossier_id: str,
    reader: LogReader,
    session: SessionDep,
    before: int | None = None,
    limit: Annotated[int, Query(ge=1, le=access_stats.MAX_PAGE)] = 100,
) -> LogPageOut:
    """Who read the dossier and its documents, newest first; page on with ``before``."""
    page = access_stats.dossier_log(session, reader, dossier_id, before=before, limit=limit)
    return LogPageOut(
        entries=[_entry_out(entry) for entry in page.entries], next_before=page.next_before
    )


class CountOut(BaseModel):
    total: int
    by_action: dict[str, int]


class DossierCountOut(CountOut):
    dossier_id: str
    file_code: str
    title: str
    agency: str


class AgencyCountOut(CountOut):
    code: str
    name: str


class StatisticsOut(BaseModel):
    since: dt.datetime | None
    until: dt.datetime | None
    agency: str | None
    total: int
    by_action: dict[str, int]
    by_dossier: list[DossierCountOut]
    by_reader_agency: list[AgencyCountOut]
    by_record_agency: list[AgencyCountOut]


@router.get("/access/statistics", response_model=StatisticsOut)
def access_statistics(
    reader: LogReader,
    session: SessionDep,
    agency: str | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    top: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> StatisticsOut:
    """Counts of reads by action, by dossier and by agency (NĐ 30/2020 Phụ lục VI III.6).
    ``since`` is inclusive, ``until`` exclusive; times without a zone are Vietnam time."""
    stats = access_stats.statistics(
        session, reader, agency=agency, since=since, until=until, top=top
    )
    return StatisticsOut(
        since=stats.since,
        until=stats.until,
        agency=stats.agency,
        total=stats.total,
        by_action=stats.by_action,
        by_dossier=[
            DossierCountOut(
                total=d.total,
                by_action=d.by_action,
                dossier_id=d.dossier_id,
                file_code=d.file_code,
                title=d.title,
                agency=d.agency,
            )
            for d in stats.by_dossier
        ],
        by_reader_agency=[
            AgencyCountOut(total=a.total, by_action=a.by_action, code=a.code, name=a.name)
            for a in stats.by_reader_agency
        ],
        by_record_agency=[
            AgencyCountOut(total=a.total, by_action=a.by_action, code=a.code, name=a.name)
            for a in stats.by_record_agency
        ],
    )


# --- reading copy -------------------------------------------------------------------------


@router.get(
    "/dossiers/{dossier_id}/documents/{document_id}/reading-copy",
    response_class=FileResponse,
    responses={200: {"content": {"application/pdf": {}}}},
)
def reading_copy(
    dossier_id: str,
    document_id: str,
    request: Request,
    reader: RecordReader,
    session: SessionDep,
    settings: SettingsDep,
) -> Response:
    """The document as a reading copy on screen (TT 05/2025 Điều 37): a PDF with the archive's
    name in the bottom margin of every page, inline, never cached. It is for viewing; the
    original is downloaded elsewhere, by those allowed to."""
    copy = render_reading_copy(session, settings, reader, dossier_id, document_id, request=request)
    return FileResponse(
        copy.path,
        media_type="application/pdf",
        filename=copy.filename,
        content_disposition_type="inline",
        headers={
            **NO_STORE,
            "X-Content-Type-Options": "nosniff",
            "X-Frame-Options": "SAMEORIGIN",
            "Content-Security-Policy": "frame-ancestors 'self'",
        },
        background=BackgroundTask(copy.discard),
    )


# --- requests for copies (DIP) --------------------------------------------------------------


class AccessRequestIn(BaseModel):
    requester_name: str = Field(min_length=1, max_length=200)
    requester_id_number: str = Field(min_length=1, max_length=50, description="số CCCD / giấy tờ")
    purpose: str = Field(pattern=r"^0[1-3]$", description="01 cá nhân · 02 công vụ · 03 đặc biệt")
    purpose_content: str = Field(min_length=1, max_length=500)
    fee_object_type: str = Field(pattern=r"^(0[1-9]|10)$", description="feeObjectType 01–10")
    research_topic: str | None = Field(default=None, max_length=250)
    document_ids: list[str] = Field(min_length=1, max_length=access_requests.MAX_DOCUMENTS)


class DecisionIn(BaseModel):
    note: str | None = Field(default=None, max_length=2000)


class RejectionIn(BaseModel):
    reason: str = Field(min_length=1, max_length=2000)


class AccessRequestOut(BaseModel):
    id: str
    status: str
    requested_by: str
    requester_name: str
    requester_id_number: str | None
    purpose: str
    purpose_content: str
    fee_object_type: str | None
    research_topic: str | None
    document_ids: list[str]
    created_at: dt.datetime
    decided_by: str | None
    decided_at: dt.datetime | None
    decision_note: str | None
    dip_ready: bool
    dip_sha256: str | None
    dip_url: str
    job_id: str | None = None


def _request_out(item: AccessRequest, job_id: str | None = None) -> AccessRequestOut:
    return AccessRequestOut(
        id=item.id,
        status=item.status,
        requested_by=item.requested_by,
        requester_name=item.requester_name,
        requester_id_number=item.requester_id_number,
        purpose=item.purpose,
        purpose_content=item.purpose_content,
        fee_object_type=item.fee_object_type,
        research_topic=item.research_topic,
        document_ids=list(item.document_ids),
        created_at=item.created_at,
        decided_by=item.decided_by,
        decided_at=item.decided_at,
        decision_note=item.decision_note,
        dip_ready=bool(item.dip_path and item.dip_sha256),
        dip_sha256=item.dip_sha256,
        dip_url=f"/api/v1/access-requests/{item.id}/dip",
        job_id=job_id,
    )


@router.post("/access-requests", response_model=AccessRequestOut, status_code=201)
def file_access_request(
    body: AccessRequestIn, filer: RequestFiler, session: SessionDep
) -> AccessRequestOut:
    """Ask for copies of documents (a DIP, TT 05/2025 Phụ lục V) on behalf of a requester."""
    created = access_requests.create_request(
        session,
        filer,
        access_requests.NewRequest(
            requester_name=body.requester_name,
            requester_id_number=body.requester_id_number,
            purpose=body.purpose,
            purpose_content=body.purpose_content,
            fee_object_type=body.fee_object_type,
            research_topic=body.research_topic,
            document_ids=body.document_ids,
        ),
    )
    return _request_out(created)


@router.get("/access-requests", response_model=list[AccessRequestOut])
def list_access_requests(
    reader: RecordReader,
    session: SessionDep,
    status: str | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[AccessRequestOut]:
    found = access_requests.list_requests(
        session, reader, status=status, limit=limit, offset=offset
    )
    return [_request_out(item) for item in found]


@router.get("/access-requests/{request_id}", response_model=AccessRequestOut)
def get_access_request(
    request_id: str, reader: RecordReader, session: SessionDep
) -> AccessRequestOut:
    item = access_requests.get_request(session, reader, request_id)
    job = access_requests.build_job(session, item.id)
    return _request_out(item, job.id if job else None)


@router.post("/access-requests/{request_id}/approve", response_model=AccessRequestOut)
def approve_access_request(
    request_id: str,
    archivist: ArchivistUser,
    session: SessionDep,
    dispatch: DispatchDep,
    body: DecisionIn | None = None,
) -> AccessRequestOut:
    """Approve (never your own request); the DIP is then built by a job."""
    item, job = access_requests.approve(
        session, dispatch, archivist, request_id, body.note if body else None
    )
    return _request_out(item, job.id)


@router.post("/access-requests/{request_id}/reject", response_model=AccessRequestOut)
def reject_access_request(
    request_id: str, body: RejectionIn, archivist: ArchivistUser, session: SessionDep
) -> AccessRequestOut:
    return _request_out(access_requests.reject(session, archivist, request_id, body.reason))


@router.get(
    "/access-requests/{request_id}/dip",
    response_class=FileResponse,
    responses={200: {"content": {"application/zip": {}}}},
)
def download_dip(
    request_id: str, request: Request, filer: RequestFiler, session: SessionDep
) -> Response:
    """The DIP zip of an approved request; 409 while it is still being built."""
    dip = access_requests.deliver_dip(session, filer, request_id, request=request)
    digest = base64.b64encode(bytes.fromhex(dip.sha256)).decode("ascii")
    return FileResponse(
        dip.path,
        media_type="application/zip",
        filename=dip.filename,
        headers={**NO_STORE, "Content-Digest": f"sha-256=:{digest}:"},
    )
