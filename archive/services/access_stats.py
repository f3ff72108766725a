"""Reading the access log: the history of one dossier, and counts per action, per record and per
agency (NĐ 30/2020/NĐ-CP Phụ lục VI mục III.6: thống kê lượt truy cập theo hồ sơ, theo hệ thống).

For archivists (the agencies they serve), auditors and admins (every agency). An entry about a
record belongs to the record's agency; an entry about no record (a search) belongs to the
reader's agency. ``agency`` narrows both to one agency and those below it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from archive.catalog.access import AccessLogEntry
from archive.catalog.accounts import Agency, Role
from archive.catalog.base import utcnow
from archive.catalog.records import Dossier
from archive.errors import Forbidden, InvalidInput, NotFound
from archive.services.accounts import Principal, agency_by_code, agency_subtree
from archive.services.visibility import dossier_condition

MAX_PAGE = 500
VIETNAM = dt.timezone(dt.timedelta(hours=7))


def may_read_log(principal: Principal) -> bool:
    return principal.has_any(Role.ARCHIVIST, Role.AUDITOR, Role.ADMIN)


def _require(principal: Principal) -> None:
    if not may_read_log(principal):
        raise Forbidden(
            "chỉ lưu trữ viên và kiểm toán viên xem nhật ký truy cập / only archivists and "
            "auditors read the access log"
        )


@dataclass(frozen=True)
class LogPage:
    entries: list[AccessLogEntry]
    next_before: int | None  # pass as ``before`` for the next (older) page


def dossier_log(
    session: Session,
    principal: Principal,
    dossier_id: str,
    *,
    before: int | None = None,
    limit: int = 100,
) -> LogPage:
    """Newest first, keyset-paged on the entry id."""
    _require(principal)
    visible = session.scalar(
        sa.select(Dossier.id).where(
            Dossier.id == dossier_id, dossier_condition(principal, utcnow())
        )
    )
    if visible is None:
        raise NotFound(f"hồ sơ {dossier_id} không tồn tại / dossier {dossier_id} not found")
    limit = max(1, min(limit, MAX_PAGE))
    query = sa.select(AccessLogEntry).where(AccessLogEntry.dossier_id == dossier_id)
    if before is not None:
        query = query.where(AccessLogEntry.id < before)
    rows = list(session.scalars(query.order_by(AccessLogEntry.id.desc()).limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    return LogPage(rows, rows[-1].id if more and rows else None)


@dataclass
class Count:
    total: int = 0
    by_action: dict[str, int] = field(default_factory=dict)

    def add(self, action: str, count: int) -> None:
        self.total += count
        self.by_action[action] = self.by_action.get(action, 0) + count


@dataclass
class DossierCount(Count):
    dossier_id: str = ""
    file_code: str = ""
    title: str = ""
    agency: str = ""


@dataclass
class AgencyCount(Count):
    code: str = ""
    name: str = ""


@dataclass
class Statistics:
    since: dt.datetime | None
    until: dt.datetime | None
    agency: str | None
    total: int
    by_action: dict[str, int]
    by_dossier: list[DossierCount]  # most read first, at most ``top``
    by_reader_agency: list[AgencyCount]  # who read
    by_record_agency: list[AgencyCount]  # whose records were read


def statistics(
    session: Session,
    principal: Principal,
    *,
    agency: str | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    top: int = 100,
) -> Statistics:
    _require(principal)
    since, until = _aware(since), _aware(until)
    if since and until and since > until:
        raise InvalidInput("since sau until / since is after until")
    scope = principal.visible_agency_ids
    if agency:
        chosen = agency_by_code(session, agency)
        if scope is not None and chosen.id not in scope:
            raise NotFound(f"agency {agency} not found")
        scope = agency_subtree(session, chosen.id)

    owner = sa.func.coalesce(Dossier.agency_id, AccessLogEntry.agency_id)
    base = (
        sa.select(AccessLogEntry.id)
        .outerjoin(Dossier, Dossier.id == AccessLogEntry.dossier_id)
        .where(
            sa.or_(
                AccessLogEntry.dossier_id.is_(None),
                Dossier.id.is_not(None),  # entries of purged records keep no agency: left out
            )
        )
    )
    if scope is not None:
        base = base.where(owner.in_(sorted(scope)))
    if since is not None:
        base = base.where(AccessLogEntry.at >= since)
    if until is not None:
        base = base.where(AccessLogEntry.at < until)
    scoped = base.subquery()
    entry = aliased(AccessLogEntry)
    in_scope = entry.id.in_(sa.select(scoped.c.id))

    overall = Count()
    for action, count in session.execute(
        sa.select(entry.action, sa.func.count()).where(in_scope).group_by(entry.action)
    ):
        overall.add(action, count)

    dossiers: dict[str, DossierCount] = {}
    for dossier_id, file_code, title, code, action, count in session.execute(
        sa.select(
            Dossier.id, Dossier.file_code, Dossier.title, Agency.code, entry.action, sa.func.count()
        )
        .join(Dossier, Dossier.id == entry.dossier_id)
        .join(Agency, Agency.id == Dossier.agency_id)
        .where(in_scope)
        .group_by(Dossier.id, Dossier.file_code, Dossier.title, Agency.code, entry.action)
    ):
        item = dossiers.setdefault(
            dossier_id,
            DossierCount(dossier_id=dossier_id, file_code=file_code, title=title, agency=code),
        )
        item.add(action, count)

    readers = _by_agency(session, entry.agency_id, entry, in_scope, join_dossier=False)
    owners = _by_agency(session, Dossier.agency_id, entry, in_scope, join_dossier=True)
    ranked = sorted(dossiers.values(), key=lambda d: (-d.total, d.file_code))
    return Statistics(
        since=since,
        until=until,
        agency=agency,
        total=overall.total,
        by_action=dict(sorted(overall.by_action.items())),
        by_dossier=ranked[: max(1, top)],
        by_reader_agency=readers,
        by_record_agency=owners,
    )


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    """A time without a zone is read as Vietnam time (+07:00), as people type it."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=VIETNAM)


def _by_agency(
    session: Session,
    agency_column: sa.orm.InstrumentedAttribute[int] | sa.orm.InstrumentedAttribute[int | None],
    entry: type[AccessLogEntry],
    in_scope: sa.ColumnElement[bool],
    *,
    join_dossier: bool,
) -> list[AgencyCount]:
    query = sa.select(Agency.code, Agency.name, entry.action, sa.func.count()).select_from(entry)
    if join_dossier:
        query = query.join(Dossier, Dossier.id == entry.dossier_id)
    query = (
        query.join(Agency, Agency.id == agency_column)
        .where(in_scope)
        .group_by(Agency.code, Agency.name, entry.action)
    )
    counts: dict[str, AgencyCount] = {}
    for code, name, action, count in session.execute(query):
        counts.setdefault(code, AgencyCount(code=code, name=name)).add(action, count)
    return sorted(counts.values(), key=lambda a: (-a.total, a.code))
