"""Archived dossiers: list, read, download a document, export, correct metadata.

Every read is access-logged; records an official may not see answer 404 (visibility rule in
the query). Files are streamed from preservation storage, never through the catalog."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from archive.api.deps import ArchivistUser, RecordReader, SessionDep, SettingsDep
from archive.catalog.engine import session_scope
from archive.services import archiving, dossiers, export
from archive.services.access_log import AccessAction, log_access
from archive.services.stored_files import open_stored_file

router = APIRouter(prefix="/api/v1/dossiers", tags=["dossiers"])
CHUNK = 1024 * 1024


def _disposition(name: str) -> str:
    ascii_name = name.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"


class DossierPage(BaseModel):
    items: list[dict[str, Any]]
    total: int
    offset: int
    limit: int


@router.get("", response_model=DossierPage)
def list_dossiers(
    request: Request,
    reader: RecordReader,
    session: SessionDep,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    year: int | None = None,
    file_code: Annotated[str | None, Query(alias="fileCode")] = None,
) -> DossierPage:
    page = dossiers.list_visible(
        session, reader, offset=offset, limit=limit, year=year, file_code=file_code
    )
    log_access(
        session,
        reader,
        AccessAction.METADATA,
        request=request,
        detail={"list": [d.id for d in page.items], "offset": offset},
    )
    return DossierPage(
        items=[dossiers.dossier_summary(d) for d in page.items],
        total=page.total,
        offset=offset,
        limit=limit,
    )


@router.get("/{dossier_id}")
def get_dossier(
    dossier_id: str, request: Request, reader: RecordReader, session: SessionDep
) -> dict[str, Any]:
    dossier = dossiers.visible_dossier(session, reader, dossier_id)
    documents = dossiers.visible_documents(session, reader, dossier)
    log_access(session, reader, AccessAction.METADATA, request=request, dossier_id=dossier.id)
    return {
        **dossiers.dossier_summary(dossier),
        "metadata": dossier.metadata_json,
        "documents": [
            {
                "id": d.id,
                "sequence": d.sequence,
                "docId": d.doc_id,
                "docCode": d.doc_code,
                "typeName": d.type_name,
                "codeNumber": d.code_number,
                "codeNotation": d.code_notation,
                "issuedDate": d.issued_date,
                "organName": d.organ_name,
                "subject": d.subject,
                "mode": d.mode,
                "numberOfPage": d.number_of_page,
                "signer": (d.metadata_json or {}).get("signer"),
                "files": [
                    {
                        "path": f.logical_path,
                        "role": f.role,
                        "size": f.size,
                        "sha256": f.sha256,
                        "puid": f.puid,
                        "format": f.format_name,
                    }
                    for f in dossiers.document_files(session, d)
                ],
            }
            for d in documents
        ],
        "copies": [
            {
                "location": c.location,
                "ocfl_version": c.ocfl_version,
                "verified_at": c.verified_at,
                "last_fixity_at": c.last_fixity_at,
                "last_fixity_outcome": c.last_fixity_outcome,
            }
            for c in dossiers.copies_of(session, dossier.id)
        ],
        "events": [
            {"type": e.event_type, "time": e.event_time, "agent": e.agent, "outcome": e.outcome}
            for e in dossiers.events_of(session, dossier)
        ],
    }


@router.get("/{dossier_id}/documents/{document_id}/file")
def download_document(
    dossier_id: str,
    document_id: str,
    request: Request,
    reader: RecordReader,
    session: SessionDep,
    settings: SettingsDep,
) -> StreamingResponse:
    """The document's main file, streamed from storage, with its SHA-256 in `X-Content-SHA256`."""
    dossier = dossiers.visible_dossier(session, reader, dossier_id)
    document = dossiers.visible_document(session, reader, dossier.id, document_id)
    item = dossiers.main_file(session, document)
    stored = open_stored_file(settings, dossier.ocfl_object_id or "", item.logical_path)
    log_access(
        session,
        reader,
        AccessAction.DOWNLOAD,
        request=request,
        dossier_id=dossier.id,
        document_id=document.id,
        detail={"path": item.logical_path, "sha256": item.sha256, "location": stored.location},
    )
    session.commit()  # the access is logged even if the client drops the download

    def chunks() -> Any:
        with stored.stream as stream:
            while chunk := stream.read(CHUNK):
                yield chunk

    return StreamingResponse(
        chunks(),
        media_type=item.mime_type or "application/octet-stream",
        headers={
            "Content-Disposition": _disposition(item.logical_path.rsplit("/", 1)[-1]),
            "Content-Length": str(item.size),
            "X-Content-SHA256": item.sha256,
        },
    )


@router.get("/{dossier_id}/export")
def export_dossier(
    dossier_id: str,
    request: Request,
    reader: RecordReader,
    session: SessionDep,
    settings: SettingsDep,
) -> StreamingResponse:
    """A zip: the documents' PDFs in chronological order (prefixed 001_, 002_ …) and
    muc-luc.xml with the metadata in the same order."""
    dossier = dossiers.visible_dossier(session, reader, dossier_id)
    documents = dossiers.visible_documents(session, reader, dossier)
    entries = export.plan(session, dossier, documents)
    xml = export.metadata_xml(dossier, documents)
    log_access(
        session,
        reader,
        AccessAction.EXPORT,
        request=request,
        dossier_id=dossier.id,
        detail={"documents": [d.id for d in documents]},
    )
    session.commit()
    name = f"{dossier.file_code}.zip"
    return StreamingResponse(
        export.stream_export(settings, dossier.ocfl_object_id or "", entries, xml),
        media_type="application/zip",
        headers={"Content-Disposition": _disposition(name)},
    )


class CorrectionIn(BaseModel):
    changes: dict[str, str] = Field(description="EAD elements of the dossier and new values")
    reason: str = Field(min_length=5, max_length=2000)


@router.patch("/{dossier_id}")
async def correct_dossier(
    dossier_id: str,
    body: CorrectionIn,
    request: Request,
    archivist: ArchivistUser,
    settings: SettingsDep,
) -> dict[str, Any]:
    """Correct the dossier's metadata: written as a new OCFL version on every location."""
    engine = request.app.state.engine

    def run() -> dict[str, Any]:
        with session_scope(engine) as session:
            dossiers.visible_dossier(session, archivist, dossier_id)
        version = archiving.correct_metadata(
            settings, engine, dossier_id, body.changes, archivist.agent, reason=body.reason
        )
        with session_scope(engine) as session:
            dossier = dossiers.visible_dossier(session, archivist, dossier_id)
            return {
                **dossiers.dossier_summary(dossier),
                "version": version,
                "corrected_at": dt.datetime.now(dt.UTC).isoformat(),
            }

    return await run_in_threadpool(run)
