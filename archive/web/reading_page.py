"""The reading page (Xem tài liệu): a document's description and its reading copy on screen
(TT 05/2025/TT-BNV Điều 37), under the same access rule as the API."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from archive.api.deps import SessionDep, SettingsDep, get_principal
from archive.errors import ArchiveError, NotFound
from archive.services.access_log import AccessAction, log_access
from archive.services.reading_copy import may_download_original, visible_document
from archive.web.pages import templates
from metadata_schemas.codelists import MAINTENANCE, MODE, TYPE_NAME

reading_router = APIRouter(include_in_schema=False)

LABELS = {
    "type": {c.code: c.vi for c in TYPE_NAME.codes},
    "maintenance": {c.code: c.vi for c in MAINTENANCE.codes},
    "mode": {c.code: c.vi for c in MODE.codes},
}


@reading_router.get("/doc/{document_id}/xem", response_class=HTMLResponse)
def reading_page(
    document_id: str, request: Request, session: SessionDep, settings: SettingsDep
) -> Response:
    try:
        principal = get_principal(request, session, settings)
    except ArchiveError:
        return RedirectResponse("/login", status_code=303)
    try:
        document, dossier = visible_document(session, principal, document_id)
    except NotFound:
        return templates.TemplateResponse(
            request, "reading_not_found.html", {"principal": principal}, status_code=404
        )
    log_access(
        session,
        principal,
        AccessAction.METADATA,
        request=request,
        dossier_id=dossier.id,
        document_id=document.id,
        detail={"page": "reading"},
    )
    response = templates.TemplateResponse(
        request,
        "reading.html",
        {
            "principal": principal,
            "document": document,
            "dossier": dossier,
            "labels": LABELS,
            "archive_name": settings.archive_name,
            "copy_url": (
                f"/api/v1/dossiers/{dossier.id}/documents/{document.id}/reading-copy"
                "#toolbar=0&navpanes=0"
            ),
            "may_download": may_download_original(principal, document, dossier),
        },
    )
    response.headers["Cache-Control"] = "no-store, private"
    return response
