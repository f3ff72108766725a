"""PREMIS-style events in a hash chain, so that tampering with history can be detected."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from archive.catalog.base import Base, JSONType, UTCDateTime


class Event(Base):
    __tablename__ = "events"

    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    event_uuid: Mapped[str] = mapped_column(sa.String(36), unique=True)
    event_type: Mapped[str] = mapped_column(sa.String(100), index=True)
    event_time: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    agent: Mapped[str] = mapped_column(sa.String(200))  # user:NAME | apikey:ID | software:NAME/VER
    outcome: Mapped[str] = mapped_column(sa.String(20))  # success | failure | warning | ...
    detail: Mapped[dict[str, Any]] = mapped_column(JSONType)
    linked_objects: Mapped[list[dict[str, str]]] = mapped_column(JSONType)
    submission_id: Mapped[str | None] = mapped_column(sa.String(36), index=True)
    dossier_id: Mapped[str | None] = mapped_column(sa.String(36), index=True)
    prev_hash: Mapped[str] = mapped_column(sa.String(64))
    hash: Mapped[str] = mapped_column(sa.String(64))


class EventChainHead(Base):
    """A single row; updating it first serialises writers on SQLite and PostgreSQL alike."""

    __tablename__ = "event_chain_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    last_seq: Mapped[int] = mapped_column(default=0)
    last_hash: Mapped[str] = mapped_column(sa.String(64))
