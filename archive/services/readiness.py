"""Is every dependency reachable? One line per component, for /readyz and ``luutru check``."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from kombu import Connection

from archive.catalog.base import utcnow
from archive.catalog.migrate import current_revision, head_revision
from archive.services.locations import open_locations
from archive.settings import Settings


@dataclass(frozen=True)
class ComponentStatus:
    name: str
    ok: bool
    detail: str

    def line(self) -> str:
        return f"{'OK' if self.ok else 'FAIL'} {self.name}: {self.detail}"


def check_catalog(engine: sa.Engine) -> ComponentStatus:
    try:
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
        current, head = current_revision(engine), head_revision()
    except Exception as exc:  # any driver error means "not reachable"
        return ComponentStatus("catalog", False, f"{type(exc).__name__}: {exc}".splitlines()[0])
    if current != head:
        return ComponentStatus("catalog", False, f"schema at {current}, expected {head}")
    return ComponentStatus("catalog", True, f"{engine.dialect.name}, schema {current}")


def check_storage(settings: Settings) -> list[ComponentStatus]:
    statuses = []
    try:
        stores = open_locations(settings)
    except Exception as exc:
        return [ComponentStatus("storage", False, str(exc).splitlines()[0])]
    for store in stores:
        try:
            reason = store.ping()
        except Exception as exc:
            reason = f"{type(exc).__name__}: {exc}".splitlines()[0]
        statuses.append(
            ComponentStatus(f"storage {store.name}", reason is None, reason or "reachable")
        )
    return statuses


def check_broker(settings: Settings) -> ComponentStatus:
    transport_options = (
        {"connect_args": {"timeout": 5}} if settings.broker.startswith("sqla+sqlite") else {}
    )
    try:
        with Connection(
            settings.broker, connect_timeout=3, transport_options=transport_options
        ) as connection:
            connection.ensure_connection(max_retries=1, timeout=3)
            transport = connection.transport_cls
    except Exception as exc:
        return ComponentStatus("broker", False, f"{type(exc).__name__}: {exc}".splitlines()[0])
    return ComponentStatus("broker", True, f"{transport} reachable")


def readiness(settings: Settings, engine: sa.Engine) -> list[ComponentStatus]:
    return [check_catalog(engine), *check_storage(settings), check_broker(settings)]


def check_virus_scanner(settings: Settings) -> ComponentStatus:
    from archive.services.checking import check_context
    from ingest.checks.virus import database_status

    status = database_status(check_context(settings, []))
    if not status.usable:
        return ComponentStatus(
            "ClamAV", False, status.error or "no signature database: packages will be 'not scanned'"
        )
    age = status.age()
    days = f"{age.days} days old" if age is not None else "age unknown"
    return ComponentStatus(
        "ClamAV", True, f"{status.engine} {status.engine_version}; database {days}"
    )


def check_trust_anchors(engine: sa.Engine) -> ComponentStatus:
    from archive.catalog.engine import session_scope
    from archive.catalog.trust import TrustAnchor

    try:
        with session_scope(engine) as session:
            anchors = session.scalars(sa.select(TrustAnchor)).all()
    except sa.exc.SQLAlchemyError as exc:
        return ComponentStatus("trust anchors", False, str(exc).splitlines()[0])
    if not anchors:
        return ComponentStatus(
            "trust anchors", False, "none configured: every signature will be untrusted"
        )
    expired = [a.subject for a in anchors if a.not_after < utcnow()]
    if expired:
        return ComponentStatus("trust anchors", False, f"expired: {'; '.join(expired)}")
    return ComponentStatus("trust anchors", True, f"{len(anchors)} configured")


def extra_checks(settings: Settings, engine: sa.Engine) -> list[ComponentStatus]:
    return [check_virus_scanner(settings), check_trust_anchors(engine)]
