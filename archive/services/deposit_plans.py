"""Deposit against the file plan (Danh mục hồ sơ, NĐ 30/2020/NĐ-CP Điều 28, 30; Phụ lục V).

An agency's annual plan comes in as CSV, XLSX or JSON with the five columns of Phụ lục V:
(1) số và ký hiệu hồ sơ, (2) tên đề mục và tiêu đề hồ sơ, (3) thời hạn bảo quản, (4) người lập
hồ sơ, (5) ghi chú. Headings are rows of their own, numbered with Roman (major) or Arabic
(sub-heading) numerals and without a retention; title lines above the column header, the
"(1) (2) (3)…" numbering row and the closing count ("Bản Danh mục hồ sơ này có …") are skipped.

A submission is matched to its row by fileCode = agency code + year + số và ký hiệu. Being
outside the plan is a warning (``PLAN-NOT-IN-PLAN``), never a rejection: Điều 29.2.c lets a
handler open a dossier the plan did not foresee. Only dossiers kept 5 years or more must be
deposited (Điều 31.3.c), at most one year counted from the year their work ended (Luật Lưu trữ
2024); the plan year stands in for that year until the dossier itself arrives.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import IO, Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from archive.catalog.accounts import Agency
from archive.catalog.base import utcnow
from archive.catalog.preservation import DepositPlan, DepositPlanRow
from archive.catalog.records import Dossier, DossierStatus, Submission, SubmissionStatus
from archive.errors import InvalidInput, NotFound, UnsupportedMediaType
from archive.services.accounts import Principal
from archive.services.events import EventOutcome, record_event
from ingest.findings import Finding, Severity, rule
from metadata_schemas.codelists import MAINTENANCE
from metadata_schemas.enums import Maintenance
from metadata_schemas.errors import InvalidValueError
from metadata_schemas.identifiers import DOSSIER_NUMBER_MAX_LENGTH, parse_file_code
from metadata_schemas.retention import (
    Conditional,
    Permanent,
    Retention,
    Years,
    label_vi,
    maintenance_code,
)
from search.folding import fold

MIN_DEPOSIT_YEARS = 5  # NĐ 30/2020 Điều 31.3.c
MAX_PLAN_ROWS = 20_000
SOURCE = "NĐ 30/2020/NĐ-CP Điều 28, Điều 30 khoản 3 điểm b"

PLAN_NOT_IN_PLAN = rule(
    "PLAN-NOT-IN-PLAN",
    Severity.WARNING,
    "Hồ sơ {file_code} không có trong Danh mục hồ sơ năm {year} của cơ quan {agency}",
    "Dossier {file_code} is not in the {year} file plan (Danh mục hồ sơ) of agency {agency}",
    source=SOURCE,
)
PLAN_RETENTION_DIFFERS = rule(
    "PLAN-RETENTION-DIFFERS",
    Severity.WARNING,
    "Thời hạn bảo quản của hồ sơ ({package}) khác với Danh mục hồ sơ ({plan})",
    "The dossier's retention ({package}) differs from the file plan ({plan})",
    source=SOURCE,
)


class PlanFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"
    JSON = "json"


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_TYPES = {
    "text/csv": PlanFormat.CSV,
    "application/csv": PlanFormat.CSV,
    XLSX_TYPE: PlanFormat.XLSX,
    "application/json": PlanFormat.JSON,
}


def format_for(content_type: str | None, filename: str | None = None) -> PlanFormat:
    media = (content_type or "").split(";")[0].strip().lower()
    if media in _TYPES:
        return _TYPES[media]
    suffix = (filename or "").rsplit(".", 1)[-1].lower()
    if suffix in ("csv", "xlsx", "json"):
        return PlanFormat(suffix)
    raise UnsupportedMediaType(
        "Danh mục hồ sơ phải là CSV, XLSX hoặc JSON / the plan must be CSV, XLSX or JSON",
        content_type=media or None,
    )


# --- reading the plan ---------------------------------------------------------------------


@dataclass(frozen=True)
class PlanEntry:
    """One dossier row of the plan, as read."""

    line: int  # row number in the source, for messages
    heading: str | None
    file_notation: str
    title: str
    retention: str
    retention_years: int | None
    creator: str | None
    note: str | None


_NUMERAL = re.compile(r"^(?:(?P<roman>[IVXLCDM]+)|(?P<arabic>\d+))[.)]?$")
_TITLE_NUMERAL = re.compile(r"^(?:(?P<roman>[IVXLCDM]+)|(?P<arabic>\d+))[.)]\s+\S")
_COLUMN_NUMBER = re.compile(r"^\(?\d{1,2}\)?$")
_YEARS = re.compile(r"^(\d{1,3})(?:\s*nam)?$")
_FOOTER = ("ban danh muc", "tong so", "danh muc nay co", "trong do")
_COLUMNS = {  # folded header words -> field
    "so va ky hieu": "notation",
    "so, ky hieu": "notation",
    "ten de muc": "title",
    "tieu de": "title",
    "thoi han": "retention",
    "nguoi lap": "creator",
    "ghi chu": "note",
}


def parse_retention_text(text: str) -> tuple[Retention, int | None]:
    """ "Vĩnh viễn", "10 năm", "10", or a condition in words."""
    folded = fold(text.strip())
    if folded in ("vinh vien", "vv"):
        return Permanent(), None
    match = _YEARS.match(folded)
    if match:
        years = int(match.group(1))
        if years >= 1:
            return Years(years), years
    return Conditional(text.strip()), None


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _columns(header: Sequence[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, text in enumerate(header):
        folded = fold(text)
        for words, name in _COLUMNS.items():
            if words in folded and name not in found:
                found[name] = index
                break
    if "notation" not in found:
        raise InvalidInput("không tìm thấy cột 'Số và ký hiệu hồ sơ' / no file-number column")
    defaults = {"title": found["notation"] + 1, "retention": found["notation"] + 2}
    for name, index in defaults.items():
        found.setdefault(name, index)
    return found


def parse_plan_rows(rows: Iterable[Sequence[Any]]) -> list[PlanEntry]:
    """The dossier rows of a Phụ lục V table, each with the heading it sits under."""
    columns: dict[str, int] | None = None
    major: str | None = None
    minor: str | None = None
    entries: list[PlanEntry] = []
    seen: dict[str, int] = {}
    for line, raw in enumerate(rows, start=1):
        cells = [_cell(v) for v in raw]
        if not any(cells):
            continue
        if columns is None:
            if any("so va ky hieu" in fold(c) or "so, ky hieu" in fold(c) for c in cells):
                columns = _columns(cells)
            continue  # the plan's own title lines come before the header

        def get(name: str, cells: list[str] = cells, columns: dict[str, int] = columns) -> str:
            index = columns.get(name)
            return cells[index] if index is not None and index < len(cells) else ""

        notation, title, retention = get("notation"), get("title"), get("retention")
        if all(_COLUMN_NUMBER.match(c) for c in cells if c):
            continue  # "(1) (2) (3) (4) (5)"
        if not notation and not retention and fold(title).startswith(_FOOTER):
            break
        numeral = _NUMERAL.match(notation) if notation else _TITLE_NUMERAL.match(title)
        if not retention and title and (not notation or _NUMERAL.match(notation)):
            text = f"{notation}. {title}" if notation else title
            if numeral is not None and numeral.group("arabic"):
                minor = text
            else:
                major, minor = text, None
            continue
        if not notation:
            raise InvalidInput(f"dòng {line}: thiếu số và ký hiệu hồ sơ / row {line}: no number")
        if not title:
            raise InvalidInput(f"dòng {line}: thiếu tiêu đề hồ sơ / row {line}: no title")
        if not retention:
            raise InvalidInput(
                f"dòng {line}: thiếu thời hạn bảo quản / row {line}: no retention for {notation}"
            )
        if len(notation) > DOSSIER_NUMBER_MAX_LENGTH:
            raise InvalidInput(
                f"dòng {line}: số và ký hiệu hồ sơ dài quá {DOSSIER_NUMBER_MAX_LENGTH} ký tự / "
                f"row {line}: file number {notation!r} is too long"
            )
        if notation in seen:
            raise InvalidInput(
                f"dòng {line}: số và ký hiệu {notation} trùng với dòng {seen[notation]} / "
                f"row {line}: file number {notation} repeats row {seen[notation]}"
            )
        seen[notation] = line
        _, years = parse_retention_text(retention)
        heading = " › ".join(h for h in (major, minor) if h) or None
        entries.append(
            PlanEntry(
                line=line,
                heading=heading[:500] if heading else None,
                file_notation=notation,
                title=title[:1000],
                retention=retention[:100],
                retention_years=years,
                creator=get("creator")[:200] or None,
                note=get("note") or None,
            )
        )
        if len(entries) > MAX_PLAN_ROWS:
            raise InvalidInput(f"quá {MAX_PLAN_ROWS} hồ sơ / more than {MAX_PLAN_ROWS} dossiers")
    if columns is None:
        raise InvalidInput(
            "không tìm thấy dòng tiêu đề cột 'Số và ký hiệu hồ sơ' / no column header row found"
        )
    return entries


def csv_rows(stream: IO[bytes]) -> Iterator[list[str]]:
    """Rows of a CSV file (UTF-8, with or without BOM; comma, semicolon or tab separated)."""
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    try:
        sample = text.read(8192)
        text.seek(0)
        try:
            dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(
                sample, delimiters=",;\t"
            )
        except csv.Error:
            dialect = csv.excel
        yield from csv.reader(text, dialect)
    except UnicodeDecodeError as exc:
        raise InvalidInput("tệp CSV phải mã hóa UTF-8 / the CSV file must be UTF-8") from exc
    finally:
        text.detach()


def xlsx_rows(stream: IO[bytes]) -> Iterator[tuple[Any, ...]]:
    """Rows of the first worksheet, streamed (read-only mode)."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise InvalidInput(f"không đọc được tệp XLSX / unreadable XLSX file: {exc}") from exc
    try:
        sheet = book.worksheets[0]
        yield from sheet.iter_rows(values_only=True)
    finally:
        book.close()


def json_rows(data: Any) -> Iterator[list[str]]:
    """``{"rows": [...]}`` (or the list alone): ``{"heading": "I. …"}`` for a heading, else
    ``{"fileNotation", "title", "retention", "creator"?, "note"?}``."""
    items = data.get("rows") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise InvalidInput("JSON phải có danh sách 'rows' / JSON needs a 'rows' list")
    yield ["Số và ký hiệu hồ sơ", "Tên đề mục và tiêu đề hồ sơ", "Thời hạn bảo quản",
           "Người lập hồ sơ", "Ghi chú"]  # fmt: skip
    for index, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise InvalidInput(f"rows[{index}] is not an object")
        if "heading" in item and "fileNotation" not in item:
            yield ["", _cell(item["heading"]), "", "", ""]
            continue
        yield [
            _cell(item.get(key))
            for key in ("fileNotation", "title", "retention", "creator", "note")
        ]


# --- storing the plan ---------------------------------------------------------------------


def _agency(session: Session, principal: Principal, agency_code: str) -> Agency:
    agency = session.scalar(sa.select(Agency).where(Agency.code == agency_code))
    if agency is None or not principal.can_see_agency(agency.id):
        raise NotFound(f"không tìm thấy cơ quan / agency {agency_code} not found")
    return agency


def _check_year(year: int) -> None:
    if not 1900 <= year <= 9999:
        raise InvalidInput(f"năm không hợp lệ / invalid year {year}")


def import_plan(
    session: Session,
    principal: Principal,
    agency_code: str,
    year: int,
    entries: Sequence[PlanEntry],
    *,
    source: str,
    sha256: str | None = None,
) -> DepositPlan:
    """Store (or replace) the agency's plan for the year."""
    _check_year(year)
    agency = _agency(session, principal, agency_code)
    if not entries:
        raise InvalidInput("Danh mục hồ sơ không có hồ sơ nào / the plan lists no dossier")
    codes: list[str] = []
    for entry in entries:
        code = f"{agency.code}.{year}.{entry.file_notation}"
        try:
            parse_file_code(code)
        except InvalidValueError as exc:
            raise InvalidInput(
                f"dòng {entry.line}: mã hồ sơ {code} không hợp lệ / row {entry.line}: "
                f"invalid file code {code}: {exc}"
            ) from exc
        codes.append(code)
    plan = session.scalar(
        sa.select(DepositPlan).where(DepositPlan.agency_id == agency.id, DepositPlan.year == year)
    )
    replaced = plan is not None
    if plan is None:
        plan = DepositPlan(agency_id=agency.id, year=year, imported_by=principal.name)
        session.add(plan)
        session.flush()
    else:
        session.execute(sa.delete(DepositPlanRow).where(DepositPlanRow.plan_id == plan.id))
        plan.imported_by = principal.name
        plan.imported_at = utcnow()
    for position, (entry, code) in enumerate(zip(entries, codes, strict=True), start=1):
        session.add(
            DepositPlanRow(
                plan_id=plan.id,
                position=position,
                heading=entry.heading,
                file_notation=entry.file_notation,
                file_code=code,
                title=entry.title,
                retention=entry.retention,
                retention_years=entry.retention_years,
                creator=entry.creator,
                note=entry.note,
            )
        )
    session.flush()
    permanent = sum(
        1 for e in entries if isinstance(parse_retention_text(e.retention)[0], Permanent)
    )
    record_event(
        session,
        "deposit plan import",
        agent=principal.agent,
        outcome=EventOutcome.SUCCESS,
        detail={
            "agency": agency.code,
            "year": year,
            "dossiers": len(entries),
            "permanent": permanent,
            "fixed_term": len(entries) - permanent,
            "source": source,
            "sha256": sha256,
            "replaced": replaced,
        },
    )
    return plan


def import_plan_file(
    session: Session,
    principal: Principal,
    agency_code: str,
    year: int,
    stream: IO[bytes],
    plan_format: PlanFormat,
) -> DepositPlan:
    """Import from a seekable binary stream (the API spools uploads to a temporary file)."""
    digest = hashlib.sha256()
    for chunk in iter(lambda: stream.read(1024 * 1024), b""):
        digest.update(chunk)
    stream.seek(0)
    if plan_format is PlanFormat.XLSX:
        entries = parse_plan_rows(xlsx_rows(stream))
    elif plan_format is PlanFormat.CSV:
        entries = parse_plan_rows(csv_rows(stream))
    else:
        import json

        try:
            data = json.load(stream)
        except (ValueError, UnicodeDecodeError) as exc:
            raise InvalidInput(f"JSON không hợp lệ / invalid JSON: {exc}") from exc
        entries = parse_plan_rows(json_rows(data))
    return import_plan(
        session,
        principal,
        agency_code,
        year,
        entries,
        source=plan_format.value,
        sha256=digest.hexdigest(),
    )


# --- where each planned dossier stands ----------------------------------------------------


class RowStatus(StrEnum):
    MISSING = "missing"  # nothing received
    REJECTED = "rejected"  # received, but every attempt was rejected
    RECEIVED = "received"  # received, not yet decided
    ACCEPTED = "accepted"
    ARCHIVED = "archived"


_IN_PROGRESS = {
    SubmissionStatus.RECEIVED.value,
    SubmissionStatus.VALIDATING.value,
    SubmissionStatus.AWAITING_REVIEW.value,
}
_ACCEPTED = {
    SubmissionStatus.ACCEPTED.value,
    SubmissionStatus.ARCHIVING.value,
    SubmissionStatus.ARCHIVED.value,
}


@dataclass
class RowReport:
    position: int
    heading: str | None
    file_notation: str
    file_code: str
    title: str
    retention: str
    retention_years: int | None
    creator: str | None
    note: str | None
    deposit_required: bool | None  # None: a condition in words, decided by a person
    status: RowStatus
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


@dataclass
class PlanReport:
    agency_code: str
    agency_name: str
    year: int
    imported_by: str
    imported_at: dt.datetime
    today: dt.date
    rows: list[RowReport]
    not_in_plan: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, int]:
        rows = self.rows
        return {
            "dossiers": len(rows),
            "permanent": sum(1 for r in rows if isinstance(_retention(r.retention), Permanent)),
            "fixed_term": sum(
                1 for r in rows if not isinstance(_retention(r.retention), Permanent)
            ),
            "deposit_required": sum(1 for r in rows if r.deposit_required),
            "received": sum(1 for r in rows if r.received),
            "accepted": sum(1 for r in rows if r.accepted),
            "archived": sum(1 for r in rows if r.archived),
            "missing": sum(1 for r in rows if r.missing),
            "overdue": sum(1 for r in rows if r.overdue),
            "not_in_plan": len(self.not_in_plan),
        }


def _retention(text: str) -> Retention:
    return parse_retention_text(text)[0]


def deposit_required(retention: Retention) -> bool | None:
    if isinstance(retention, Permanent):
        return True
    if isinstance(retention, Years):
        return retention.years >= MIN_DEPOSIT_YEARS
    return None


def deposit_due(end_year: int) -> dt.date:
    """At most one year counted from the year the work ended (Luật Lưu trữ 2024)."""
    return dt.date(end_year + 1, 12, 31)


def _chunks(items: Sequence[str], size: int = 500) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def plan_report(
    session: Session,
    principal: Principal,
    agency_code: str,
    year: int,
    today: dt.date | None = None,
) -> PlanReport:
    _check_year(year)
    agency = _agency(session, principal, agency_code)
    plan = session.scalar(
        sa.select(DepositPlan).where(DepositPlan.agency_id == agency.id, DepositPlan.year == year)
    )
    if plan is None:
        raise NotFound(
            f"chưa có Danh mục hồ sơ năm {year} của {agency_code} / "
            f"no file plan for {agency_code} {year}"
        )
    today = today or dt.date.today()
    rows = session.scalars(
        sa.select(DepositPlanRow)
        .where(DepositPlanRow.plan_id == plan.id)
        .order_by(DepositPlanRow.position)
    ).all()
    codes = [row.file_code for row in rows]
    submissions: dict[str, list[tuple[str, str]]] = {}
    dossiers: dict[str, tuple[str, int | None, str]] = {}
    for chunk in _chunks(codes):
        for sub_id, code, status in session.execute(
            sa.select(Submission.id, Submission.file_code, Submission.status)
            .where(Submission.file_code.in_(chunk), Submission.duplicate_of_id.is_(None))
            .order_by(Submission.received_at)
        ):
            if code:
                submissions.setdefault(code, []).append((sub_id, status))
        for dossier_id, code, end_year, status in session.execute(
            sa.select(Dossier.id, Dossier.file_code, Dossier.end_year, Dossier.status)
            .where(Dossier.file_code.in_(chunk))
            .order_by(Dossier.created_at)
        ):
            dossiers.setdefault(code, (dossier_id, end_year, status))
    report_rows: list[RowReport] = []
    for row in rows:
        subs = submissions.get(row.file_code, [])
        statuses = {status for _, status in subs}
        dossier = dossiers.get(row.file_code)
        archived = dossier is not None and dossier[2] != DossierStatus.DESTROYED.value
        accepted = archived or bool(statuses & _ACCEPTED)
        received = bool(subs) or dossier is not None
        if archived:
            status = RowStatus.ARCHIVED
        elif accepted:
            status = RowStatus.ACCEPTED
        elif statuses & _IN_PROGRESS:
            status = RowStatus.RECEIVED
        elif received:
            status = RowStatus.REJECTED
        else:
            status = RowStatus.MISSING
        end_year = dossier[1] if dossier and dossier[1] else None
        required = deposit_required(_retention(row.retention))
        due = deposit_due(end_year or year)
        deposited = status in (RowStatus.RECEIVED, RowStatus.ACCEPTED, RowStatus.ARCHIVED)
        report_rows.append(
            RowReport(
                position=row.position,
                heading=row.heading,
                file_notation=row.file_notation,
                file_code=row.file_code,
                title=row.title,
                retention=row.retention,
                retention_years=row.retention_years,
                creator=row.creator,
                note=row.note,
                deposit_required=required,
                status=status,
                received=received,
                accepted=accepted,
                archived=archived,
                missing=not received,
                submission_ids=[sub_id for sub_id, _ in subs],
                dossier_id=dossier[0] if dossier else None,
                end_year=end_year or year,
                end_year_from_plan=end_year is None,
                deposit_due=due,
                overdue=bool(required) and not deposited and today > due,
            )
        )
    planned = set(codes)
    prefix = f"{agency.code}.{year}."
    extra = session.scalars(
        sa.select(Submission.file_code)
        .where(Submission.file_code.startswith(prefix, autoescape=True))
        .where(Submission.duplicate_of_id.is_(None))
        .distinct()
    ).all()
    return PlanReport(
        agency_code=agency.code,
        agency_name=agency.name,
        year=year,
        imported_by=plan.imported_by,
        imported_at=plan.imported_at,
        today=today,
        rows=report_rows,
        not_in_plan=sorted(code for code in extra if code and code not in planned),
    )


def visible_plans(session: Session, principal: Principal) -> list[tuple[str, str, int, int]]:
    """(agency code, agency name, year, dossiers) of every plan the caller may see."""
    query = (
        sa.select(Agency.code, Agency.name, DepositPlan.year, sa.func.count(DepositPlanRow.id))
        .join(DepositPlan, DepositPlan.agency_id == Agency.id)
        .outerjoin(DepositPlanRow, DepositPlanRow.plan_id == DepositPlan.id)
        .group_by(Agency.code, Agency.name, DepositPlan.year)
        .order_by(Agency.code, DepositPlan.year.desc())
    )
    if principal.visible_agency_ids is not None:
        query = query.where(Agency.id.in_(principal.visible_agency_ids))
    return [(code, name, year, count) for code, name, year, count in session.execute(query)]


# --- the validation rule ------------------------------------------------------------------


def plan_findings(
    session: Session, agency_code: str, file_code: str | None, *, maintenance: str | None = None
) -> list[Finding]:
    """Warnings for a submitted dossier checked against its agency's plan for its year.

    No plan imported for that agency and year: nothing to say. ``maintenance`` is the
    package's TT05 retention code; when given it is compared with the plan's retention.
    """
    if not file_code:
        return []
    try:
        year = parse_file_code(file_code).year
    except InvalidValueError:
        return []  # the metadata checks report a malformed fileCode
    plan_id = session.scalar(
        sa.select(DepositPlan.id)
        .join(Agency, Agency.id == DepositPlan.agency_id)
        .where(Agency.code == agency_code, DepositPlan.year == year)
    )
    if plan_id is None:
        return []
    row = session.scalar(
        sa.select(DepositPlanRow).where(
            DepositPlanRow.plan_id == plan_id, DepositPlanRow.file_code == file_code
        )
    )
    if row is None:
        return [PLAN_NOT_IN_PLAN.finding(None, file_code=file_code, year=year, agency=agency_code)]
    planned = _retention(row.retention)
    known = {code.value for code in Maintenance}
    if maintenance in known and maintenance_code(planned) != Maintenance(maintenance):
        return [
            PLAN_RETENTION_DIFFERS.finding(
                None,
                file_code=file_code,
                package=f"{maintenance} {MAINTENANCE.by_code(maintenance).vi}",
                plan=label_vi(planned),
            )
        ]
    return []
