"""Recording every read of metadata, view or download (NĐ 30/2020 Phụ lục VI III.6):
who, what, when, how (API or web) and from where."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from fastapi import Request
from sqlalchemy.orm import Session

from archive.catalog.access import AccessLogEntry
from archive.services.accounts import Principal


class AccessAction(StrEnum):
    METADATA = "metadata"
    VIEW = "view"  # reading copy on screen
    DOWNLOAD = "download"
    EXPORT = "export"
    SEARCH = "search"
    DIP = "dip"


def log_access(
    session: Session,
    principal: Principal,
    action: AccessAction,
    *,
    request: Request | None = None,
    dossier_id: str | None = None,
    document_id: str | None = None,
    detail: dict[str, Any] | None = None,
) -> AccessLogEntry:
    channel = "api"
    address = agent = None
    if request is not None:
        channel = "api" if request.url.path.startswith("/api/") else "web"
        address = request.client.host if request.client else None
        agent = (request.headers.get("user-agent") or "")[:300] or None
    entry = AccessLogEntry(
        actor=principal.agent,
        agency_id=principal.agency_id,
        action=action.value,
        dossier_id=dossier_id,
        document_id=document_id,
        channel=channel,
        client_address=address,
        user_agent=agent,
        detail=detail,
    )
    session.add(entry)
    session.flush()
    return entry
