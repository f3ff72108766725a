"""Is every dependency reachable? One line per component, for /readyz and ``luutru check``."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from kombu import Connection

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
