"""Configuration and the factory: callers get an ObjectStore without naming a backend."""

from __future__ import annotations

from pathlib import Path

import pytest

from ops.services.seaweedfs import S3Endpoint
from storage import LocationConfig, ObjectStore, StorageConfigError, open_store
from tests.storage.helpers import s3_config


def test_local_location(tmp_path: Path) -> None:
    store = open_store(LocationConfig(name="kho", kind="local", path=tmp_path / "x"), create=True)
    assert isinstance(store, ObjectStore)
    assert store.name == "kho" and store.ping() is None
    assert (tmp_path / "x").is_dir()


@pytest.mark.s3
def test_s3_location_creates_bucket(s3_endpoint: S3Endpoint) -> None:
    config = s3_config(s3_endpoint, "kho-s3")
    store = open_store(config)
    assert store.ping() is not None and "no such bucket" in (store.ping() or "")
    store = open_store(config, create=True)
    assert isinstance(store, ObjectStore) and store.ping() is None


def test_secret_not_in_repr() -> None:
    c = LocationConfig(name="s", kind="s3", bucket="b", access_key="AK", secret_key="SUPERSECRET")
    assert "SUPERSECRET" not in repr(c)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"name": "x", "kind": "ftp"},
        {"name": "x", "kind": "local"},
        {"name": "x", "kind": "s3"},
        {"name": "", "kind": "local", "path": Path("/tmp")},
        {"name": "x", "kind": "s3", "bucket": "b", "prefix": "../up"},
        {"name": "x", "kind": "local", "path": Path("/tmp"), "audit_interval_days": 0},
        {"name": "x", "kind": "local", "path": Path("/tmp"), "throttle_mb_per_s": -1},
    ],
)
def test_bad_configs_refused(kwargs: dict[str, object]) -> None:
    with pytest.raises(StorageConfigError):
        LocationConfig(**kwargs)  # type: ignore[arg-type]


def test_scheduler_fields_have_defaults() -> None:
    c = LocationConfig(name="x", kind="local", path=Path("/tmp"))
    assert c.audit_interval_days == 365 and c.throttle_mb_per_s == 0.0
