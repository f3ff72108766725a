"""Helpers shared by the storage tests (kept out of conftest so they can be imported)."""

from __future__ import annotations

import io
import uuid

from ops.services.seaweedfs import S3Endpoint
from storage import LocationConfig


def s3_config(endpoint: S3Endpoint, name: str = "s3", **overrides: object) -> LocationConfig:
    """A location on a fresh bucket of the test gateway."""
    values: dict[str, object] = {
        "name": name,
        "kind": "s3",
        "bucket": f"t-{uuid.uuid4().hex[:20]}",
        "prefix": "kho",
        "endpoint_url": endpoint.endpoint_url,
        "region": endpoint.region,
        "access_key": endpoint.access_key,
        "secret_key": endpoint.secret_key,
        "max_attempts": 3,
        "sdk_max_attempts": 2,
        "backoff_seconds": 0.05,
    }
    values.update(overrides)
    return LocationConfig(**values)  # type: ignore[arg-type]


class FailingStream:
    """Delivers some bytes, then breaks like a dropped upload connection."""

    def __init__(self, data: bytes, fail_after: int) -> None:
        self._data = io.BytesIO(data)
        self._fail_after = fail_after

    def read(self, n: int = -1) -> bytes:
        if self._data.tell() >= self._fail_after:
            raise OSError("connection reset by client")
        return self._data.read(min(n, self._fail_after - self._data.tell()))
