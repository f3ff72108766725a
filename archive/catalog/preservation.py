"""Accession and preservation records: decisions, receipts, fixity audits, deposit plans."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from archive.catalog.base import Base, JSONType, UTCDateTime, created_at_column, uuid_pk


class FindingAcknowledgement(Base):
    """An archivist ticked off an indeterminate finding before accepting (name recorded)."""

    __tablename__ = "finding_acknowledgements"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[str] = mapped_column(sa.ForeignKey("submissions.id"), index=True)
    code: Mapped[str] = mapped_column(sa.String(60))
    path: Mapped[str | None] = mapped_column(sa.String(1000))
    acknowledged_by: Mapped[str] = mapped_column(sa.String(100))
    note: Mapped[str | None] = mapped_column(sa.Text)
    acknowledged_at: Mapped[dt.datetime] = created_at_column()


class Receipt(Base):
    """Biên bản giao nhận (NĐ 30/2020 Phụ lục V) for one accepted submission."""

    __tablename__ = "receipts"

    id: Mapped[str] = uuid_pk()
    submission_id: Mapped[str] = mapped_column(sa.ForeignKey("submissions.id"), unique=True)
    dossier_id: Mapped[str] = mapped_column(sa.ForeignKey("dossiers.id"), index=True)
    content: Mapped[dict[str, Any]] = mapped_column(JSONType)
    pdf: Mapped[bytes] = mapped_column(sa.LargeBinary)
    pdf_sha256: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[dt.datetime] = created_at_column()


class FixityAudit(Base):
    """One audit run over a location (or one dossier); resumable through ``cursor``."""

    __tablename__ = "fixity_audits"

    id: Mapped[str] = uuid_pk()
    location: Mapped[str | None] = mapped_column(sa.String(100))
    dossier_id: Mapped[str | None] = mapped_column(sa.String(36))
    requested_by: Mapped[str] = mapped_column(sa.String(200))
    state: Mapped[str] = mapped_column(sa.String(20))  # queued | running | succeeded | failed
    started_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    cursor: Mapped[str | None] = mapped_column(sa.String(200))
    objects_checked: Mapped[int] = mapped_column(default=0)
    files_checked: Mapped[int] = mapped_column(default=0)
    bytes_checked: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    mismatches: Mapped[int] = mapped_column(default=0)
    repaired: Mapped[int] = mapped_column(default=0)
    lost: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[dt.datetime] = created_at_column()


class DepositPlan(Base):
    """An agency's annual Danh mục hồ sơ (NĐ 30/2020 Điều 28, Phụ lục V)."""

    __tablename__ = "deposit_plans"
    __table_args__ = (sa.UniqueConstraint("agency_id", "year", name="uq_deposit_plan_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agencies.id"), index=True)
    year: Mapped[int]
    imported_by: Mapped[str] = mapped_column(sa.String(100))
    imported_at: Mapped[dt.datetime] = created_at_column()


class DepositPlanRow(Base):
    __tablename__ = "deposit_plan_rows"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("deposit_plans.id"), index=True)
    position: Mapped[int]
    heading: Mapped[str | None] = mapped_column(sa.String(500))
    file_notation: Mapped[str] = mapped_column(sa.String(50))  # số và ký hiệu hồ sơ
    file_code: Mapped[str] = mapped_column(sa.String(100), index=True)
    title: Mapped[str] = mapped_column(sa.String(1000))
    retention: Mapped[str] = mapped_column(sa.String(100))  # as written: "Vĩnh viễn", "10 năm"
    retention_years: Mapped[int | None]  # None: permanent or a condition
    creator: Mapped[str | None] = mapped_column(sa.String(200))
    note: Mapped[str | None] = mapped_column(sa.Text)
