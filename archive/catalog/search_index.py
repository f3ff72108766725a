"""The flat search index inside the catalog: one row per dossier and per document.

Full-text structures are dialect-specific and live in migration 0004: on SQLite an FTS5
external-content table ``search_fts`` kept in step by triggers; on PostgreSQL generated
tsvector columns ``tsv`` (folded, weighted, GIN-indexed) and ``tsv_exact`` (ranked only).
Each row carries what the access rule reads (agency, its dossier's status and mode, its own
mode), so search never joins the catalog; migration 0005's triggers on ``dossiers`` and
``documents`` keep status and modes in step between reindexes.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from archive.catalog.base import Base, UTCDateTime, created_at_column


class SearchEntry(Base):
    __tablename__ = "search_entries"
    __table_args__ = (
        sa.Index("ix_search_entries_agency_year", "agency_code", "year"),
        sa.Index("ix_search_entries_sort_date", "sort_date", "record_id"),
        sa.Index("ix_search_entries_agency_id", "agency_id", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)  # the FTS5 rowid
    record_id: Mapped[str] = mapped_column(sa.String(36), unique=True)
    kind: Mapped[str] = mapped_column(sa.String(10))
    dossier_id: Mapped[str] = mapped_column(sa.String(36), index=True)
    document_id: Mapped[str | None] = mapped_column(sa.String(36))
    agency_id: Mapped[int]
    agency_code: Mapped[str] = mapped_column(sa.String(35))
    status: Mapped[str] = mapped_column(sa.String(20))
    mode: Mapped[str] = mapped_column(sa.String(2))
    dossier_mode: Mapped[str | None] = mapped_column(sa.String(2))
    maintenance: Mapped[str | None] = mapped_column(sa.String(2))
    type_name: Mapped[str | None] = mapped_column(sa.String(10))
    year: Mapped[int | None]
    sort_date: Mapped[str | None] = mapped_column(sa.String(10))
    file_code: Mapped[str] = mapped_column(sa.String(100))
    title: Mapped[str] = mapped_column(sa.String(1000))
    subject: Mapped[str | None] = mapped_column(sa.String(500))
    code_number: Mapped[str | None] = mapped_column(sa.String(11))
    code_notation: Mapped[str | None] = mapped_column(sa.String(30))
    issued_date: Mapped[str | None] = mapped_column(sa.String(10))
    f_title: Mapped[str] = mapped_column(sa.Text)
    f_meta: Mapped[str] = mapped_column(sa.Text)
    f_symbol: Mapped[str] = mapped_column(sa.Text)
    f_body: Mapped[str] = mapped_column(sa.Text)
    x_text: Mapped[str] = mapped_column(sa.Text)
    indexed_at: Mapped[dt.datetime] = created_at_column()


class SearchRebuild(Base):
    """Progress of ``luutru reindex``: the last dossier done, so a stopped run resumes."""

    __tablename__ = "search_rebuilds"

    id: Mapped[int] = mapped_column(primary_key=True)
    backend: Mapped[str] = mapped_column(sa.String(20))
    token: Mapped[str] = mapped_column(sa.String(200))  # backend's rebuild token
    started_at: Mapped[dt.datetime] = created_at_column()
    last_dossier_id: Mapped[str | None] = mapped_column(sa.String(36))
    dossiers_done: Mapped[int] = mapped_column(default=0)
    documents_done: Mapped[int] = mapped_column(default=0)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
