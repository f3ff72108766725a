"""Telling the administrator that preservation storage needs attention: a log line and a
Prometheus counter (served at /metrics) for every damaged, repaired or lost file, and for every
fixity audit that could not finish. Alerting rules live in the monitoring system, not here."""

from __future__ import annotations

from prometheus_client import Counter
from structlog.stdlib import BoundLogger

from archive.logs import get_logger

FIXITY_MISMATCHES = Counter(
    "luutru_fixity_mismatches_total",
    "Stored files found missing or with a digest that differs from the inventory",
    ["location"],
)
FIXITY_REPAIRS = Counter(
    "luutru_fixity_repairs_total",
    "Damaged stored files replaced from a good copy and verified",
    ["location"],
)
FILES_LOST = Counter(
    "luutru_files_lost_total",
    "Stored files with no good copy on any storage location",
    ["location"],
)
FIXITY_AUDIT_FAILURES = Counter(
    "luutru_fixity_audit_failures_total",
    "Fixity audits that ended without checking everything (crash, full disk, location down)",
)


def _log() -> BoundLogger:
    # A fresh proxy each time: a logger cached before logging was configured would keep
    # writing to the unconfigured default.
    return get_logger("archive.alerts")


def fixity_mismatch(
    location: str,
    object_id: str,
    path: str,
    status: str,
    expected: dict[str, str],
    actual: dict[str, str],
    *,
    audit_id: str | None = None,
) -> None:
    FIXITY_MISMATCHES.labels(location).inc()
    _log().warning(
        "fixity mismatch",
        alert="fixity_mismatch",
        location=location,
        object_id=object_id,
        path=path,
        status=status,
        expected=expected,
        actual=actual,
        audit_id=audit_id,
    )


def file_repaired(
    location: str, object_id: str, path: str, source: str | None, *, audit_id: str | None = None
) -> None:
    FIXITY_REPAIRS.labels(location).inc()
    _log().warning(
        "damaged file repaired from another location",
        alert="fixity_repaired",
        location=location,
        object_id=object_id,
        path=path,
        source=source,
        audit_id=audit_id,
    )


def repair_failed(
    location: str, object_id: str, path: str, detail: str | None, *, audit_id: str | None = None
) -> None:
    _log().error(
        "repair of a damaged file failed",
        alert="fixity_repair_failed",
        location=location,
        object_id=object_id,
        path=path,
        detail=detail,
        audit_id=audit_id,
    )


def file_lost(
    location: str, object_id: str, path: str, *, dossier_id: str | None, audit_id: str | None
) -> None:
    FILES_LOST.labels(location).inc()
    _log().error(
        "FILE LOST: no storage location holds a good copy",
        alert="file_lost",
        location=location,
        object_id=object_id,
        path=path,
        dossier_id=dossier_id,
        audit_id=audit_id,
    )


def audit_failed(audit_id: str, error: str) -> None:
    FIXITY_AUDIT_FAILURES.inc()
    _log().error("fixity audit failed", alert="fixity_audit_failed", audit_id=audit_id, error=error)
