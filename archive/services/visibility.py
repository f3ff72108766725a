"""Who may see which dossier and document: one rule, used by search, by direct URLs and by
downloads alike, always as a condition inside the query (never a filter over a page).

- admin, auditor: every record of every agency (destroyed ones as tombstones).
- archivist: every record of the agencies they serve (their agency and those below it),
  destroyed ones as tombstones.
- official, approver: records of the agencies they serve that are public (mode 01), and
  conditional-use records (mode 02) only with a valid grant on the record or its dossier;
  never destroyed ones.
- a QLVB system: none (it sees its submissions, not the archive).
Mode 03 (state secret) never enters the archive at all.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from archive.catalog.access import AccessGrant
from archive.catalog.accounts import Role
from archive.catalog.records import Document, Dossier, DossierStatus
from archive.services.accounts import Principal

PUBLIC = "01"
CONDITIONAL = "02"


def sees_everything_of_agency(principal: Principal) -> bool:
    """Archivists, auditors and admins see every mode of the agencies they serve."""
    return principal.has_any(Role.ADMIN, Role.AUDITOR, Role.ARCHIVIST)


def sees_tombstones(principal: Principal) -> bool:
    return principal.has_any(Role.ADMIN, Role.AUDITOR, Role.ARCHIVIST)


def may_read_records(principal: Principal) -> bool:
    return principal.has_any(Role.ADMIN, Role.AUDITOR, Role.ARCHIVIST, Role.OFFICIAL, Role.APPROVER)


def _agency_condition(
    principal: Principal, agency_column: sa.orm.InstrumentedAttribute[int]
) -> sa.ColumnElement[bool]:
    if principal.visible_agency_ids is None:
        return sa.true()
    return agency_column.in_(sorted(principal.visible_agency_ids))


def _valid_grant(principal: Principal, now: dt.datetime) -> sa.ColumnElement[bool]:
    return sa.and_(
        AccessGrant.user_id == principal.user_id,
        AccessGrant.revoked_at.is_(None),
        AccessGrant.valid_until > now,
    )


def dossier_condition(principal: Principal, now: dt.datetime) -> sa.ColumnElement[bool]:
    """A condition over ``Dossier`` true for the dossiers the principal may see."""
    if not may_read_records(principal):
        return sa.false()
    agency = _agency_condition(principal, Dossier.agency_id)
    if sees_everything_of_agency(principal):
        return agency
    granted = sa.exists().where(_valid_grant(principal, now), AccessGrant.dossier_id == Dossier.id)
    return sa.and_(
        agency,
        Dossier.status != DossierStatus.DESTROYED.value,
        sa.or_(Dossier.mode == PUBLIC, sa.and_(Dossier.mode == CONDITIONAL, granted)),
    )


def document_condition(principal: Principal, now: dt.datetime) -> sa.ColumnElement[bool]:
    """A condition over ``Document`` joined to its ``Dossier``: the dossier must be visible,
    and a conditional-use document needs a grant on itself or on its dossier."""
    if not may_read_records(principal):
        return sa.false()
    dossier_visible = dossier_condition(principal, now)
    if sees_everything_of_agency(principal):
        return dossier_visible
    granted = sa.exists().where(
        _valid_grant(principal, now),
        sa.or_(
            AccessGrant.document_id == Document.id, AccessGrant.dossier_id == Document.dossier_id
        ),
    )
    return sa.and_(
        dossier_visible,
        sa.or_(Document.mode == PUBLIC, sa.and_(Document.mode == CONDITIONAL, granted)),
    )
