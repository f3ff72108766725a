"""Who read what, who may read what, and requests for copies (DIP)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from archive.catalog.base import Base, JSONType, UTCDateTime, created_at_column, uuid_pk


class DocumentText(Base):
    """The text extracted from a document's files at acceptance, stored once."""

    __tablename__ = "document_texts"

    document_id: Mapped[str] = mapped_column(sa.ForeignKey("documents.id"), primary_key=True)
    text: Mapped[str] = mapped_column(sa.Text)
    extracted_at: Mapped[dt.datetime] = created_at_column()


class AccessGrant(Base):
    """Permission to read a conditional-use (mode 02) dossier or document until a date."""

    __tablename__ = "access_grants"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    dossier_id: Mapped[str | None] = mapped_column(sa.ForeignKey("dossiers.id"), index=True)
    document_id: Mapped[str | None] = mapped_column(sa.ForeignKey("documents.id"), index=True)
    valid_until: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    reason: Mapped[str] = mapped_column(sa.Text)
    granted_by: Mapped[str] = mapped_column(sa.String(100))
    granted_at: Mapped[dt.datetime] = created_at_column()
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class AccessLogEntry(Base):
    """Every read of metadata, view or download (NĐ 30/2020 Phụ lục VI III.6)."""

    __tablename__ = "access_log"
    __table_args__ = (sa.Index("ix_access_log_dossier_at", "dossier_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = created_at_column()
    actor: Mapped[str] = mapped_column(sa.String(200))  # user:NAME | apikey:ID
    agency_id: Mapped[int | None] = mapped_column(sa.ForeignKey("agencies.id"))
    action: Mapped[str] = mapped_column(sa.String(30))  # metadata | view | download | search | dip
    dossier_id: Mapped[str | None] = mapped_column(sa.String(36))
    document_id: Mapped[str | None] = mapped_column(sa.String(36))
    channel: Mapped[str] = mapped_column(sa.String(10))  # api | web
    client_address: Mapped[str | None] = mapped_column(sa.String(100))
    user_agent: Mapped[str | None] = mapped_column(sa.String(300))
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSONType)


class AccessRequest(Base):
    """A request for a DIP (TT 05/2025 Phụ lục V): requester, purpose, category, documents."""

    __tablename__ = "access_requests"

    id: Mapped[str] = uuid_pk()
    requested_by: Mapped[str] = mapped_column(sa.String(200))
    requester_name: Mapped[str] = mapped_column(sa.String(200))
    requester_id_number: Mapped[str | None] = mapped_column(sa.String(50))
    purpose: Mapped[str] = mapped_column(sa.String(2))  # DIP purpose code 01-03
    purpose_content: Mapped[str] = mapped_column(sa.String(500))
    fee_object_type: Mapped[str | None] = mapped_column(sa.String(2))  # 01-10
    research_topic: Mapped[str | None] = mapped_column(sa.String(250))
    document_ids: Mapped[list[str]] = mapped_column(JSONType)
    status: Mapped[str] = mapped_column(sa.String(20))  # pending | approved | rejected | delivered
    decided_by: Mapped[str | None] = mapped_column(sa.String(100))
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    decision_note: Mapped[str | None] = mapped_column(sa.Text)
    dip_sha256: Mapped[str | None] = mapped_column(sa.String(64))
    dip_path: Mapped[str | None] = mapped_column(sa.String(500))
    created_at: Mapped[dt.datetime] = created_at_column()
