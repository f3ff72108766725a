"""Grants: who may read a conditional-use (mode 02) dossier or document, until when, and why.

The access rule itself is :mod:`archive.services.visibility`; a grant is one of its inputs.

- An archivist grants, on a record of an agency they serve, to a person who serves the
  record's agency too (a grant cannot carry a record across agencies).
- A grant names exactly one record: a dossier (covering its conditional documents as well) or
  a single conditional document of a dossier that is itself public. A grant on a document of a
  conditional dossier would open nothing, so it is refused: grant the dossier.
- A grant ends at ``valid_until`` or when revoked; nothing is ever deleted. Granting and
  revoking are events in the audit chain.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from archive.catalog.access import AccessGrant
from archive.catalog.accounts import Role, User
from archive.catalog.base import utcnow
from archive.catalog.records import Document, Dossier
from archive.errors import Forbidden, InvalidInput, NotFound
from archive.services.accounts import Principal, principal_for_user
from archive.services.events import EventOutcome, record_event
from archive.services.visibility import CONDITIONAL, dossier_condition, may_read_records

MAX_REASON = 2000


@dataclass(frozen=True)
class GrantView:
    """A grant with the names a reader needs (the row holds ids)."""

    grant: AccessGrant
    username: str
    dossier_id: str
    document_id: str | None

    @property
    def active(self) -> bool:
        return self.grant.revoked_at is None and self.grant.valid_until > utcnow()


def _require_archivist(principal: Principal) -> None:
    if not principal.has_any(Role.ARCHIVIST):
        raise Forbidden("chỉ lưu trữ viên được cấp quyền / only archivists grant access")


def _served_dossier(session: Session, principal: Principal, dossier_id: str) -> Dossier:
    """The dossier if the archivist serves its agency; 404 otherwise (no existence leak)."""
    dossier = session.scalar(
        sa.select(Dossier).where(Dossier.id == dossier_id, dossier_condition(principal, utcnow()))
    )
    if dossier is None:
        raise NotFound(f"hồ sơ {dossier_id} không tồn tại / dossier {dossier_id} not found")
    return dossier


def _target(
    session: Session, principal: Principal, dossier_id: str | None, document_id: str | None
) -> tuple[Dossier, Document | None]:
    if (dossier_id is None) == (document_id is None):
        raise InvalidInput(
            "cần đúng một trong dossier_id hoặc document_id / give exactly one of "
            "dossier_id and document_id"
        )
    if document_id is not None:
        document = session.get(Document, document_id)
        if document is None:
            raise NotFound(f"tài liệu {document_id} không tồn tại / document not found")
        dossier = _served_dossier(session, principal, document.dossier_id)
        if document.mode != CONDITIONAL:
            raise InvalidInput(
                "tài liệu không thuộc chế độ sử dụng có điều kiện / the document is not "
                "conditional-use (mode 02); it needs no grant"
            )
        if dossier.mode == CONDITIONAL:
            raise InvalidInput(
                "hồ sơ chứa tài liệu cũng thuộc chế độ sử dụng có điều kiện: hãy cấp quyền "
                "cho hồ sơ / the dossier itself is conditional-use: grant the dossier"
            )
        return dossier, document
    assert dossier_id is not None
    dossier = _served_dossier(session, principal, dossier_id)
    conditional_documents = session.scalar(
        sa.select(sa.func.count())
        .select_from(Document)
        .where(Document.dossier_id == dossier.id, Document.mode == CONDITIONAL)
    )
    if dossier.mode != CONDITIONAL and not conditional_documents:
        raise InvalidInput(
            "hồ sơ không có gì thuộc chế độ sử dụng có điều kiện / nothing in the dossier is "
            "conditional-use (mode 02); it needs no grant"
        )
    return dossier, None


def create_grant(
    session: Session,
    principal: Principal,
    *,
    username: str,
    valid_until: dt.datetime,
    reason: str,
    dossier_id: str | None = None,
    document_id: str | None = None,
) -> GrantView:
    _require_archivist(principal)
    dossier, document = _target(session, principal, dossier_id, document_id)
    reason = reason.strip()
    if not reason or len(reason) > MAX_REASON:
        raise InvalidInput(
            f"cần nêu lý do (tối đa {MAX_REASON} ký tự) / a reason of at most {MAX_REASON} "
            "characters is required"
        )
    if valid_until.tzinfo is None:
        raise InvalidInput("valid_until cần múi giờ / valid_until needs a time zone")
    if valid_until <= utcnow():
        raise InvalidInput("thời hạn đã qua / valid_until is in the past")
    user = session.scalar(sa.select(User).where(User.username == username))
    if user is None or not user.active:
        raise NotFound(f"người dùng {username} không tồn tại / user {username} not found")
    grantee = principal_for_user(session, user)
    if not may_read_records(grantee) or not grantee.can_see_agency(dossier.agency_id):
        raise InvalidInput(
            "người được cấp quyền không phục vụ cơ quan sở hữu hồ sơ / the user does not serve "
            "the agency that owns the record; a grant cannot cross agencies"
        )
    grant = AccessGrant(
        user_id=user.id,
        dossier_id=dossier.id if document is None else None,
        document_id=document.id if document is not None else None,
        valid_until=valid_until.astimezone(dt.UTC),
        reason=reason,
        granted_by=principal.agent,
    )
    session.add(grant)
    session.flush()
    record_event(
        session,
        "access grant",
        agent=principal.agent,
        outcome=EventOutcome.SUCCESS,
        dossier_id=dossier.id,
        detail={
            "grant_id": grant.id,
            "user": username,
            "document_id": grant.document_id,
            "valid_until": grant.valid_until.isoformat(),
            "reason": reason,
        },
    )
    return GrantView(grant, username, dossier.id, grant.document_id)


def _grant_dossier_id(session: Session, grant: AccessGrant) -> str:
    if grant.dossier_id is not None:
        return grant.dossier_id
    dossier_id = session.scalar(
        sa.select(Document.dossier_id).where(Document.id == grant.document_id)
    )
    assert dossier_id is not None
    return dossier_id


def _view(session: Session, grant: AccessGrant) -> GrantView:
    username = session.scalar(sa.select(User.username).where(User.id == grant.user_id)) or ""
    return GrantView(grant, username, _grant_dossier_id(session, grant), grant.document_id)


def revoke_grant(session: Session, principal: Principal, grant_id: int) -> GrantView:
    _require_archivist(principal)
    grant = session.get(AccessGrant, grant_id)
    if grant is None:
        raise NotFound(f"quyền {grant_id} không tồn tại / grant {grant_id} not found")
    view = _view(session, grant)
    try:
        _served_dossier(session, principal, view.dossier_id)
    except NotFound:
        raise NotFound(f"quyền {grant_id} không tồn tại / grant {grant_id} not found") from None
    if grant.revoked_at is None:
        grant.revoked_at = utcnow()
        session.flush()
        record_event(
            session,
            "access grant revocation",
            agent=principal.agent,
            outcome=EventOutcome.SUCCESS,
            dossier_id=view.dossier_id,
            detail={"grant_id": grant.id, "user": view.username, "document_id": grant.document_id},
        )
    return view


def list_grants(
    session: Session,
    principal: Principal,
    *,
    username: str | None = None,
    dossier_id: str | None = None,
    active_only: bool = False,
    limit: int = 100,
    offset: int = 0,
) -> list[GrantView]:
    """Archivists, auditors and admins: grants on records of the agencies they serve.
    Anyone else: their own grants only."""
    now = utcnow()
    grant_dossier = sa.func.coalesce(AccessGrant.dossier_id, Document.dossier_id)
    query = (
        sa.select(AccessGrant, User.username, grant_dossier)
        .join(User, User.id == AccessGrant.user_id)
        .outerjoin(Document, Document.id == AccessGrant.document_id)
        .join(Dossier, Dossier.id == grant_dossier)
    )
    if principal.has_any(Role.ARCHIVIST, Role.AUDITOR, Role.ADMIN):
        if principal.visible_agency_ids is not None:
            query = query.where(Dossier.agency_id.in_(sorted(principal.visible_agency_ids)))
    else:
        query = query.where(AccessGrant.user_id == principal.user_id)
    if username:
        query = query.where(User.username == username)
    if dossier_id:
        query = query.where(grant_dossier == dossier_id)
    if active_only:
        query = query.where(AccessGrant.revoked_at.is_(None), AccessGrant.valid_until > now)
    rows = session.execute(query.order_by(AccessGrant.id.desc()).limit(limit).offset(offset)).all()
    return [GrantView(grant, name, dossier, grant.document_id) for grant, name, dossier in rows]
