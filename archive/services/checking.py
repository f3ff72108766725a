"""From settings (and the catalog's trust anchors) to what the checks are given."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from archive.settings import Settings
from ingest.context import CheckContext


def check_context(
    settings: Settings,
    trust_roots_pem: list[bytes],
    *,
    evidence_dir: Path | None = None,
    validation_time: dt.datetime | None = None,
) -> CheckContext:
    return CheckContext(
        validation_time=validation_time,
        trust_roots_pem=list(trust_roots_pem),
        clamd_socket=settings.clamd_socket,
        clamav_database_dir=settings.clamav_database_dir,
        verapdf_path=settings.verapdf,
        verapdf_timeout_seconds=settings.verapdf_timeout_seconds,
        verapdf_heap=settings.verapdf_heap,
        step_timeout_seconds=settings.step_timeout_seconds,
        evidence_dir=evidence_dir,
    )
