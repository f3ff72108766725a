"""S3 backend specifics, against a real SeaweedFS gateway."""

from __future__ import annotations

import base64
import hashlib
import io
import os
import socket
from collections.abc import Callable

import pytest
from botocore.exceptions import ClientError

from ops.services.seaweedfs import S3Endpoint
from storage import (
    DigestMismatch,
    LocationConfig,
    ObjectStore,
    StorageError,
    TransientStorageError,
    open_store,
)
from storage.s3 import S3Store
from tests.storage.helpers import FailingStream, s3_config

MiB = 1024 * 1024

pytestmark = pytest.mark.s3


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_bad_digest_is_rejected_by_the_server(make_s3_store: Callable[..., ObjectStore]) -> None:
    store = make_s3_store()
    data = b"tai lieu"
    with pytest.raises(DigestMismatch) as info:
        store.put("a", io.BytesIO(data), len(data), hashlib.sha256(b"khac").hexdigest())
    assert info.value.details["rejected_by"] == "server"
    cause = info.value.__cause__
    assert isinstance(cause, ClientError)
    assert cause.response["Error"]["Code"] == "BadDigest"


def test_checksum_is_stored_by_the_server(make_s3_store: Callable[..., ObjectStore]) -> None:
    store = make_s3_store(multipart_threshold=5 * MiB, part_size=5 * MiB)
    assert isinstance(store, S3Store)
    small = b"x" * 1000
    store.put("small", io.BytesIO(small), len(small))  # no digest given: computed and sent
    resp = store.client.head_object(
        Bucket=store.bucket, Key=store.prefix + "small", ChecksumMode="ENABLED"
    )
    assert resp["ChecksumSHA256"] == base64.b64encode(hashlib.sha256(small).digest()).decode()

    big = os.urandom(5 * MiB + 1)
    store.put("big", io.BytesIO(big), len(big), hashlib.sha256(big).hexdigest())
    resp = store.client.head_object(
        Bucket=store.bucket, Key=store.prefix + "big", ChecksumMode="ENABLED"
    )
    assert resp["ChecksumSHA256"].endswith("-2")  # composite of the two part checksums
    assert store.head("big").sha256 == hashlib.sha256(big).hexdigest()  # from our metadata


def test_failed_multipart_is_aborted(make_s3_store: Callable[..., ObjectStore]) -> None:
    store = make_s3_store(multipart_threshold=5 * MiB, part_size=5 * MiB)
    assert isinstance(store, S3Store)
    data = os.urandom(6 * MiB)
    with pytest.raises(OSError):
        store.put("lon", FailingStream(data, 5 * MiB + 100), len(data))
    assert list(store.list()) == []
    uploads = store.client.list_multipart_uploads(Bucket=store.bucket).get("Uploads", [])
    assert uploads == []


def test_prefixes_isolate_locations(
    s3_endpoint: S3Endpoint, make_s3_store: Callable[..., ObjectStore]
) -> None:
    a = make_s3_store("a", prefix="site-a")
    assert isinstance(a, S3Store)
    b = open_store(s3_config(s3_endpoint, "b", bucket=a.bucket, prefix="site-b"))
    a.put("k", io.BytesIO(b"1"), 1)
    b.put("k", io.BytesIO(b"2"), 1)
    assert list(a.list()) == ["k"] and list(b.list()) == ["k"]
    with a.open("k") as fh:
        assert fh.read() == b"1"
    keys = [o["Key"] for o in a.client.list_objects_v2(Bucket=a.bucket)["Contents"]]
    assert keys == ["site-a/k", "site-b/k"]


def test_list_pages_through_many_keys(make_s3_store: Callable[..., ObjectStore]) -> None:
    store = make_s3_store()
    assert isinstance(store, S3Store)
    for i in range(1005):  # the server pages at 1000
        store.put(f"p/{i:04d}", io.BytesIO(b""), 0)
    keys = list(store.list("p/"))
    assert len(keys) == 1005
    assert keys[0] == "p/0000" and keys[-1] == "p/1004"


def test_wrong_secret_is_a_permanent_error(s3_endpoint: S3Endpoint) -> None:
    good = open_store(s3_config(s3_endpoint), create=True)
    assert isinstance(good, S3Store)
    bad = open_store(s3_config(s3_endpoint, bucket=good.bucket, secret_key="wrong"))
    with pytest.raises(StorageError) as info:
        bad.put("k", io.BytesIO(b"1"), 1)
    assert not isinstance(info.value, TransientStorageError)
    assert info.value.details["code"] == "SignatureDoesNotMatch"
    reason = bad.ping() or ""
    assert "HTTP 403" in reason and "access denied" in reason


def test_unreachable_endpoint_retries_then_transient_error() -> None:
    sleeps: list[float] = []
    config = LocationConfig(
        name="dead",
        kind="s3",
        bucket="b",
        endpoint_url=f"http://127.0.0.1:{_closed_port()}",
        access_key="a",
        secret_key="s",
        max_attempts=3,
        sdk_max_attempts=1,
        backoff_seconds=0.2,
        connect_timeout=1.0,
    )
    store = S3Store(config, sleep=sleeps.append)
    with pytest.raises(TransientStorageError) as info:
        store.put("k", io.BytesIO(b"1"), 1)
    assert info.value.details["attempts"] == 3
    assert info.value.details["operation"] == "put_object"
    assert "EndpointConnectionError" in info.value.details["error"]
    assert len(sleeps) == 2  # back-off between the three attempts
    assert 0.1 <= sleeps[0] <= 0.2 and 0.2 <= sleeps[1] <= 0.4  # exponential, with jitter
    with pytest.raises(TransientStorageError):
        list(store.list())
    reason = store.ping()
    assert reason is not None and "\n" not in reason and "dead" in reason
