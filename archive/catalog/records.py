"""Submissions, dossiers, documents, files and their storage copies."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from archive.catalog.base import Base, JSONType, UTCDateTime, created_at_column, uuid_pk


class SubmissionStatus(StrEnum):
    RECEIVED = "received"
    VALIDATING = "validating"
    REJECTED = "rejected"
    AWAITING_REVIEW = "awaiting_review"
    ACCEPTED = "accepted"
    ARCHIVING = "archiving"
    ARCHIVED = "archived"
    FAILED = "failed"


class DossierStatus(StrEnum):
    ARCHIVED = "archived"
    DUE_FOR_REVIEW = "due_for_review"  # "Xem xét hủy"
    ON_HOLD = "on_hold"
    DESTROYED = "destroyed"
    TRANSFERRED = "transferred"


class Submission(Base):
    __tablename__ = "submissions"
    __table_args__ = (
        sa.UniqueConstraint("agency_id", "idempotency_key", name="uq_submissions_idempotency"),
        sa.Index("ix_submissions_agency_sha256", "agency_id", "package_sha256"),
    )

    id: Mapped[str] = uuid_pk()
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agencies.id"), index=True)
    api_key_id: Mapped[int | None] = mapped_column(sa.ForeignKey("api_keys.id"))
    status: Mapped[str] = mapped_column(sa.String(20), index=True)
    received_at: Mapped[dt.datetime] = created_at_column()
    updated_at: Mapped[dt.datetime] = created_at_column()
    package_sha256: Mapped[str] = mapped_column(sa.String(64))
    size: Mapped[int] = mapped_column(sa.BigInteger)
    staging_path: Mapped[str | None] = mapped_column(sa.String(500))
    idempotency_key: Mapped[str | None] = mapped_column(sa.String(200))
    callback_url: Mapped[str | None] = mapped_column(sa.String(1000))
    duplicate_of_id: Mapped[str | None] = mapped_column(sa.ForeignKey("submissions.id"))
    file_code: Mapped[str | None] = mapped_column(sa.String(100), index=True)
    report: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    errors: Mapped[int] = mapped_column(default=0)
    warnings: Mapped[int] = mapped_column(default=0)
    infos: Mapped[int] = mapped_column(default=0)
    dossier_id: Mapped[str | None] = mapped_column(sa.String(36))
    decided_by: Mapped[str | None] = mapped_column(sa.String(100))
    decision_note: Mapped[str | None] = mapped_column(sa.Text)


class Dossier(Base):
    __tablename__ = "dossiers"

    id: Mapped[str] = uuid_pk()
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agencies.id"), index=True)
    submission_id: Mapped[str | None] = mapped_column(sa.ForeignKey("submissions.id"))
    file_code: Mapped[str] = mapped_column(sa.String(100), index=True)
    arc_file_code: Mapped[str | None] = mapped_column(sa.String(200))
    title: Mapped[str] = mapped_column(sa.String(1000))
    maintenance: Mapped[str] = mapped_column(sa.String(2))
    retention_years: Mapped[int | None]
    mode: Mapped[str] = mapped_column(sa.String(2))
    language: Mapped[str] = mapped_column(sa.String(100), default="01")
    start_date: Mapped[str | None] = mapped_column(sa.String(10))
    end_date: Mapped[str | None] = mapped_column(sa.String(10))
    end_year: Mapped[int | None]
    confidence_level: Mapped[str] = mapped_column(sa.String(2))
    total_doc: Mapped[int] = mapped_column(default=0)
    number_of_page: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(sa.String(20), default=DossierStatus.ARCHIVED.value)
    review_due: Mapped[dt.date | None] = mapped_column(sa.Date)
    ocfl_object_id: Mapped[str | None] = mapped_column(sa.String(100), unique=True)
    ocfl_version: Mapped[int] = mapped_column(default=0)
    metadata_json: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    archived_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[dt.datetime] = created_at_column()

    documents: Mapped[list[Document]] = relationship(
        back_populates="dossier", order_by="Document.sequence", cascade="all, delete-orphan"
    )


class Document(Base):
    __tablename__ = "documents"

    id: Mapped[str] = uuid_pk()
    dossier_id: Mapped[str] = mapped_column(sa.ForeignKey("dossiers.id"), index=True)
    sequence: Mapped[int]
    doc_id: Mapped[str] = mapped_column(sa.String(100))
    doc_code: Mapped[str | None] = mapped_column(sa.String(120))
    type_name: Mapped[str | None] = mapped_column(sa.String(10))
    code_number: Mapped[str | None] = mapped_column(sa.String(11))
    code_notation: Mapped[str | None] = mapped_column(sa.String(30))
    issued_date: Mapped[str | None] = mapped_column(sa.String(10))
    organ_name: Mapped[str | None] = mapped_column(sa.String(200))
    subject: Mapped[str | None] = mapped_column(sa.String(500))
    mode: Mapped[str] = mapped_column(sa.String(2), default="01")
    maintenance: Mapped[str | None] = mapped_column(sa.String(2))
    confidence_level: Mapped[str | None] = mapped_column(sa.String(2))
    number_of_page: Mapped[int] = mapped_column(default=0)
    metadata_json: Mapped[dict[str, Any] | None] = mapped_column(JSONType)

    dossier: Mapped[Dossier] = relationship(back_populates="documents")
    files: Mapped[list[File]] = relationship(back_populates="document")


class File(Base):
    __tablename__ = "files"

    id: Mapped[str] = uuid_pk()
    dossier_id: Mapped[str] = mapped_column(sa.ForeignKey("dossiers.id"), index=True)
    document_id: Mapped[str | None] = mapped_column(sa.ForeignKey("documents.id"), index=True)
    logical_path: Mapped[str] = mapped_column(sa.String(1000))
    role: Mapped[str] = mapped_column(sa.String(20))  # document | attachment | metadata | report
    size: Mapped[int] = mapped_column(sa.BigInteger)
    sha256: Mapped[str] = mapped_column(sa.String(64))
    sha512: Mapped[str | None] = mapped_column(sa.String(128))
    puid: Mapped[str | None] = mapped_column(sa.String(30))
    format_name: Mapped[str | None] = mapped_column(sa.String(200))
    mime_type: Mapped[str | None] = mapped_column(sa.String(100))

    document: Mapped[Document | None] = relationship(back_populates="files")


class StorageCopy(Base):
    """One OCFL object version held by one storage location, with its last fixity result."""

    __tablename__ = "storage_copies"
    __table_args__ = (sa.UniqueConstraint("dossier_id", "location", name="uq_copy_location"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[str] = mapped_column(sa.ForeignKey("dossiers.id"), index=True)
    location: Mapped[str] = mapped_column(sa.String(100))
    ocfl_version: Mapped[int]
    verified_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    last_fixity_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), index=True)
    last_fixity_outcome: Mapped[str | None] = mapped_column(sa.String(20))
