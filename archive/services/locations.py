"""The configured storage locations, opened through the storage package's factory."""

from __future__ import annotations

from archive.settings import Settings, StorageLocationSettings
from storage.config import LocationConfig
from storage.factory import open_store
from storage.interfaces import ObjectStore


def location_config(location: StorageLocationSettings) -> LocationConfig:
    return LocationConfig(
        name=location.name,
        kind=location.kind,
        path=location.path,
        bucket=location.bucket,
        prefix=location.prefix,
        endpoint_url=location.endpoint_url,
        region=location.region,
        access_key=location.access_key,
        secret_key=location.secret_key,
        audit_interval_days=location.audit_interval_days,
        throttle_mb_per_s=location.throttle_mb_per_s,
    )


def open_locations(settings: Settings, *, create: bool = False) -> list[ObjectStore]:
    return [open_store(location_config(loc), create=create) for loc in settings.locations]
