"""Trust anchors for signature validation (government CA, NEAC root), managed by admins."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from archive.catalog.base import Base, UTCDateTime, created_at_column


class TrustAnchor(Base):
    __tablename__ = "trust_anchors"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(sa.String(1000))
    sha256_fingerprint: Mapped[str] = mapped_column(sa.String(64), unique=True)
    pem: Mapped[str] = mapped_column(sa.Text)
    not_before: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    not_after: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    added_by: Mapped[str] = mapped_column(sa.String(200))
    added_at: Mapped[dt.datetime] = created_at_column()
