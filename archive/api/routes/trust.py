"""Trust anchors for signature validation (admin)."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request
from pydantic import BaseModel

from archive.api.deps import AdminUser, SessionDep
from archive.catalog.trust import TrustAnchor
from archive.services import trust

router = APIRouter(prefix="/api/v1/admin/trust-anchors", tags=["admin"])


class TrustAnchorOut(BaseModel):
    id: int
    subject: str
    sha256_fingerprint: str
    not_before: dt.datetime
    not_after: dt.datetime
    added_by: str
    added_at: dt.datetime


def _out(anchor: TrustAnchor) -> TrustAnchorOut:
    return TrustAnchorOut(
        id=anchor.id,
        subject=anchor.subject,
        sha256_fingerprint=anchor.sha256_fingerprint,
        not_before=anchor.not_before,
        not_after=anchor.not_after,
        added_by=anchor.added_by,
        added_at=anchor.added_at,
    )


@router.get("", response_model=list[TrustAnchorOut])
def list_anchors(_: AdminUser, session: SessionDep) -> list[TrustAnchorOut]:
    return [_out(anchor) for anchor in trust.list_trust_anchors(session)]


@router.post(
    "",
    response_model=list[TrustAnchorOut],
    status_code=201,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/x-pem-file": {"schema": {"type": "string"}}},
        }
    },
)
async def add_anchor(
    request: Request, admin: AdminUser, session: SessionDep
) -> list[TrustAnchorOut]:
    """The body is one or more PEM certificates of certification authorities."""
    pem = await request.body()
    return [_out(anchor) for anchor in trust.add_trust_anchors(session, pem, actor=admin.agent)]


@router.delete("/{anchor_id}", status_code=204)
def remove_anchor(anchor_id: int, admin: AdminUser, session: SessionDep) -> None:
    trust.remove_trust_anchor(session, anchor_id, actor=admin.agent)
