"""An agency's annual file plan (Danh mục hồ sơ): import it, and see what was deposited."""

from __future__ import annotations

import datetime as dt
import tempfile
from typing import IO, Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel
from starlette.datastructures import UploadFile

from archive.api.deps import EngineDep, SessionDep, require
from archive.catalog.accounts import Role
from archive.catalog.engine import session_scope
from archive.errors import InvalidInput, PayloadTooLarge
from archive.services import deposit_plans
from archive.services.accounts import Principal
from archive.services.deposit_plans import XLSX_TYPE, PlanFormat, PlanReport

router = APIRouter(prefix="/api/v1/deposit-plan", tags=["deposit plan"])

PlanEditor = Annotated[Principal, Depends(require(Role.ARCHIVIST, Role.ADMIN))]
PlanReader = Annotated[Principal, Depends(require(Role.ARCHIVIST, Role.ADMIN, Role.AUDITOR))]
Year = Annotated[int, Path(ge=1900, le=9999)]
MAX_PLAN_BYTES = 20 * 1024 * 1024
SPOOL_BYTES = 1024 * 1024


class PlanRowOut(BaseModel):
    position: int
    heading: str | None
    fileNotation: str
    fileCode: str
    title: str
    retention: str
    retention_years: int | None
    creator: str | None
    note: str | None
    deposit_required: bool | None
    status: str
    received: bool
    accepted: bool
    archived: bool
    missing: bool
    submission_ids: list[str]
    dossier_id: str | None
    end_year: int
    end_year_from_plan: bool
    deposit_due: dt.date
    overdue: bool


class PlanOut(BaseModel):
    agency: str
    agency_name: str
    year: int
    imported_by: str
    imported_at: dt.datetime
    as_of: dt.date
    summary: dict[str, int]
    rows: list[PlanRowOut]
    not_in_plan: list[str]


class PlanListItem(BaseModel):
    agency: str
    agency_name: str
    year: int
    dossiers: int


def plan_out(report: PlanReport) -> PlanOut:
    return PlanOut(
        agency=report.agency_code,
        agency_name=report.agency_name,
        year=report.year,
        imported_by=report.imported_by,
        imported_at=report.imported_at,
        as_of=report.today,
        summary=report.summary(),
        rows=[
            PlanRowOut(
                position=r.position,
                heading=r.heading,
                fileNotation=r.file_notation,
                fileCode=r.file_code,
                title=r.title,
                retention=r.retention,
                retention_years=r.retention_years,
                creator=r.creator,
                note=r.note,
                deposit_required=r.deposit_required,
                status=r.status.value,
                received=r.received,
                accepted=r.accepted,
                archived=r.archived,
                missing=r.missing,
                submission_ids=r.submission_ids,
                dossier_id=r.dossier_id,
                end_year=r.end_year,
                end_year_from_plan=r.end_year_from_plan,
                deposit_due=r.deposit_due,
                overdue=r.overdue,
            )
            for r in report.rows
        ],
        not_in_plan=report.not_in_plan,
    )


async def _spool_body(request: Request) -> IO[bytes]:
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - closed by the caller
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_PLAN_BYTES:
            spool.close()
            raise PayloadTooLarge(f"Danh mục hồ sơ quá {MAX_PLAN_BYTES} byte / plan too large")
        spool.write(chunk)
    spool.seek(0)
    return spool


async def _received_plan(request: Request) -> tuple[IO[bytes], PlanFormat]:
    content_type = request.headers.get("content-type", "")
    if content_type.lower().startswith("multipart/form-data"):
        form = await request.form(max_files=1, max_fields=5)
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise InvalidInput("thiếu trường 'file' / multipart field 'file' is missing")
        if upload.size is not None and upload.size > MAX_PLAN_BYTES:
            raise PayloadTooLarge(f"Danh mục hồ sơ quá {MAX_PLAN_BYTES} byte / plan too large")
        part_type = upload.content_type
        if part_type in (None, "application/octet-stream"):
            part_type = None
        return upload.file, deposit_plans.format_for(part_type, upload.filename)
    plan_format = deposit_plans.format_for(content_type)
    return await _spool_body(request), plan_format


@router.put(
    "/{agency}/{year}",
    response_model=PlanOut,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                XLSX_TYPE: {"schema": {"type": "string", "format": "binary"}},
                "application/json": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "rows": {
                                "type": "array",
                                "items": {
                                    "type": "object",
                                    "properties": {
                                        "heading": {"type": "string"},
                                        "fileNotation": {"type": "string"},
                                        "title": {"type": "string"},
                                        "retention": {"type": "string"},
                                        "creator": {"type": "string"},
                                        "note": {"type": "string"},
                                    },
                                },
                            }
                        },
                    }
                },
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "required": ["file"],
                        "properties": {"file": {"type": "string", "format": "binary"}},
                    }
                },
            },
        }
    },
)
async def put_plan(
    request: Request, agency: str, year: Year, editor: PlanEditor, engine: EngineDep
) -> PlanOut:
    """Import (or replace) the agency's Danh mục hồ sơ for the year: CSV, XLSX or JSON, as the
    body or as multipart field `file`, with the columns of NĐ 30/2020 Phụ lục V."""
    stream, plan_format = await _received_plan(request)

    def store() -> PlanOut:
        with session_scope(engine) as session:
            deposit_plans.import_plan_file(session, editor, agency, year, stream, plan_format)
        with session_scope(engine) as session:
            return plan_out(deposit_plans.plan_report(session, editor, agency, year))

    try:
        return await run_in_threadpool(store)
    finally:
        stream.close()


@router.get("", response_model=list[PlanListItem])
def list_plans(reader: PlanReader, session: SessionDep) -> list[PlanListItem]:
    return [
        PlanListItem(agency=code, agency_name=name, year=year, dossiers=count)
        for code, name, year, count in deposit_plans.visible_plans(session, reader)
    ]


@router.get("/{agency}/{year}", response_model=PlanOut)
def get_plan(
    agency: str,
    year: Year,
    reader: PlanReader,
    session: SessionDep,
    as_of: dt.date | None = None,
) -> PlanOut:
    """Each planned dossier: received / accepted / archived / missing, and whether a dossier
    that must be deposited (retention 5 years or more) is overdue as of `as_of` (today)."""
    return plan_out(deposit_plans.plan_report(session, reader, agency, year, today=as_of))
