"""S3 backend (boto3): path-style, SigV4, SHA-256 checksums sent with every write.

* Objects up to ``multipart_threshold`` bytes go in one ``PutObject`` whose
  ``x-amz-checksum-sha256`` is the caller's expected digest, so the server itself refuses bytes
  that do not match (``BadDigest``).  The body is buffered (bounded by the threshold) so that a
  retry can resend it.
* Larger objects use multipart upload with a SHA-256 checksum per part; the whole-object digest
  is computed while streaming and checked before the upload is completed (otherwise aborted:
  nothing becomes visible).
* With no digest given, ``put`` also computes the sha512 in the same pass and returns both; a
  caller that knows only the sha512 gets the bytes checked against it before anything becomes
  visible.
* The whole-object sha256 is kept as user metadata ``x-amz-meta-sha256`` (a multipart object's
  S3 checksum is a checksum of part checksums).
* botocore's adaptive retry mode runs inside every call; around it an explicit exponential
  back-off retries connection errors, 5xx and throttling, then raises TransientStorageError.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import io
import random
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, BinaryIO, TypeVar

import boto3
from botocore.config import Config
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    HTTPClientError,
    ResponseStreamingError,
)
from botocore.exceptions import (
    ConnectionError as BotoConnectionError,
)
from urllib3.exceptions import HTTPError as Urllib3HTTPError

from storage.config import LocationConfig
from storage.digests import Readable
from storage.errors import (
    DigestMismatch,
    ObjectNotFound,
    SizeMismatch,
    StorageConfigError,
    StorageError,
    TransientStorageError,
)
from storage.interfaces import ObjectInfo, ObjectStream, validate_key, validate_prefix

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

T = TypeVar("T")

TRANSIENT_CODES = frozenset(
    {
        "SlowDown",
        "Throttling",
        "ThrottlingException",
        "RequestLimitExceeded",
        "RequestTimeout",
        "ServiceUnavailable",
        "InternalError",
        "503",
        "500",
        "502",
        "504",
    }
)
DIGEST_CODES = frozenset({"BadDigest", "InvalidDigest", "XAmzContentSHA256Mismatch"})
NOT_FOUND_CODES = frozenset({"NoSuchKey", "404", "NotFound"})
META_SHA256 = "sha256"
MAX_BACKOFF = 8.0


def _b64(hex_digest: str) -> str:
    return base64.b64encode(bytes.fromhex(hex_digest)).decode("ascii")


def _hex(b64_digest: str) -> str:
    return base64.b64decode(b64_digest).hex()


def _error_code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def _status(exc: ClientError) -> int:
    return int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) or 0)


def is_transient(exc: BaseException) -> bool:
    """Connection trouble, timeouts, 5xx and throttling are worth retrying; the rest is not."""
    if isinstance(
        exc, HTTPClientError | BotoConnectionError | ResponseStreamingError | Urllib3HTTPError
    ):
        return True
    if isinstance(exc, ClientError):
        return _status(exc) >= 500 or _error_code(exc) in TRANSIENT_CODES
    return False


class S3Store:
    """An :class:`~storage.interfaces.ObjectStore` on an S3 bucket (optionally under a prefix)."""

    def __init__(self, config: LocationConfig, *, sleep: Callable[[float], None] = time.sleep):
        if config.kind != "s3" or not config.bucket:
            raise StorageConfigError("not an s3 location", name=config.name)
        self.config = config
        self.bucket: str = config.bucket
        self.prefix = config.normalized_prefix
        self._sleep = sleep
        self._client = self._make_client(botocore_attempts=config.sdk_max_attempts)
        self._ping_client = self._make_client(botocore_attempts=1, connect_timeout=2.0)

    def _make_client(self, *, botocore_attempts: int, connect_timeout: float | None = None) -> Any:
        cfg = self.config
        botocfg = Config(
            signature_version="s3v4",
            s3={"addressing_style": "path"},
            retries={"mode": "adaptive", "max_attempts": botocore_attempts},
            connect_timeout=connect_timeout or cfg.connect_timeout,
            read_timeout=cfg.read_timeout,
            request_checksum_calculation="when_required",
            response_checksum_validation="when_required",
            tcp_keepalive=True,
        )
        session = boto3.session.Session()
        return session.client(
            "s3",
            endpoint_url=cfg.endpoint_url,
            region_name=cfg.region,
            aws_access_key_id=cfg.access_key,
            aws_secret_access_key=cfg.secret_key,
            config=botocfg,
        )

    @property
    def client(self) -> S3Client:
        return self._client

    @property
    def name(self) -> str:
        return self.config.name

    def __repr__(self) -> str:
        return (
            f"S3Store(name={self.name!r}, endpoint={self.config.endpoint_url!r}, "
            f"bucket={self.bucket!r}, prefix={self.prefix!r})"
        )

    # -- helpers -------------------------------------------------------------------------------
    def _key(self, key: str) -> str:
        return self.prefix + validate_key(key)

    def _call(self, op: str, fn: Callable[[], T], *, key: str | None = None) -> T:
        """Run ``fn`` with explicit back-off on transient errors."""
        attempts = self.config.max_attempts
        last: BaseException | None = None
        for attempt in range(attempts):
            try:
                return fn()
            except (BotoCoreError, ClientError, Urllib3HTTPError) as exc:
                if not is_transient(exc):
                    raise
                last = exc
                if attempt + 1 < attempts:
                    self._backoff(attempt)
        raise TransientStorageError(
            f"{op} failed after {attempts} attempts",
            location=self.name,
            operation=op,
            key=key,
            attempts=attempts,
            error=f"{type(last).__name__}: {last}",
        ) from last

    def _backoff(self, attempt: int) -> None:
        delay = min(MAX_BACKOFF, self.config.backoff_seconds * (2**attempt))
        self._sleep(delay * (0.5 + random.random() / 2))

    def _fail(self, exc: ClientError, op: str, key: str) -> StorageError:
        code = _error_code(exc)
        if code in NOT_FOUND_CODES or _status(exc) == 404:
            return ObjectNotFound(key, location=self.name)
        return StorageError(
            f"{op} failed: {code or _status(exc)}", location=self.name, key=key, code=code
        )

    # -- bucket --------------------------------------------------------------------------------
    def ensure_bucket(self) -> None:
        """Create the bucket if it does not exist yet."""

        def _head() -> bool:
            try:
                self.client.head_bucket(Bucket=self.bucket)
                return True
            except ClientError as exc:
                if _status(exc) == 404 or _error_code(exc) in ("NoSuchBucket", "404"):
                    return False
                raise

        if self._call("head_bucket", _head):
            return

        def _create() -> None:
            kwargs: dict[str, Any] = {"Bucket": self.bucket}
            if self.config.region and self.config.region != "us-east-1":
                kwargs["CreateBucketConfiguration"] = {"LocationConstraint": self.config.region}
            try:
                self.client.create_bucket(**kwargs)
            except ClientError as exc:
                if _error_code(exc) not in ("BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
                    raise

        self._call("create_bucket", _create)

    # -- writes --------------------------------------------------------------------------------
    def put(
        self,
        key: str,
        stream: BinaryIO | Readable,
        size: int,
        sha256_hex: str | None = None,
        *,
        sha512_hex: str | None = None,
    ) -> ObjectInfo:
        full = self._key(key)
        expected = sha256_hex.lower() if sha256_hex else None
        known512 = sha512_hex.lower() if sha512_hex else None
        # sha256 is always computed (S3 checksums); sha512 only when it is wanted (no digest
        # given) or is the only digest there is to check.
        sha512 = hashlib.sha512() if expected is None else None
        reader = _Sha512Reader(stream, sha512) if sha512 is not None else stream

        def check_sha512() -> None:  # all bytes read, nothing visible yet
            if sha512 is not None and known512 is not None and sha512.hexdigest() != known512:
                raise DigestMismatch(
                    key, "sha512", known512, sha512.hexdigest(), location=self.name
                )

        if size > self.config.multipart_threshold:
            info = self._put_multipart(key, full, reader, size, expected, check_sha512)
        else:
            info = self._put_single(key, full, reader, size, expected, check_sha512)
        return ObjectInfo(key, size, info.sha256, sha512.hexdigest() if sha512 else known512)

    def _read_exact(
        self, key: str, stream: BinaryIO | Readable, n: int, done: int, size: int
    ) -> bytes:
        buf = io.BytesIO()
        remaining = n
        while remaining > 0:
            chunk = stream.read(remaining)
            if not chunk:
                raise SizeMismatch(key, size, done + buf.tell())
            buf.write(chunk)
            remaining -= len(chunk)
        return buf.getvalue()

    def _check_eof(self, key: str, stream: BinaryIO | Readable, size: int) -> None:
        extra = stream.read(1)
        if extra:
            raise SizeMismatch(key, size, size + len(extra))

    def _put_single(
        self,
        key: str,
        full: str,
        stream: BinaryIO | Readable,
        size: int,
        expected: str | None,
        precommit: Callable[[], None],
    ) -> ObjectInfo:
        data = self._read_exact(key, stream, size, 0, size)
        self._check_eof(key, stream, size)
        precommit()
        actual = hashlib.sha256(data).hexdigest()
        # Send the *expected* digest: the server verifies the bytes against it.
        sent = expected or actual

        def _put() -> None:
            self.client.put_object(
                Bucket=self.bucket,
                Key=full,
                Body=io.BytesIO(data),
                ContentLength=size,
                ChecksumAlgorithm="SHA256",
                ChecksumSHA256=_b64(sent),
                Metadata={META_SHA256: sent},
            )

        try:
            self._call("put_object", _put, key=key)
        except ClientError as exc:
            if _error_code(exc) in DIGEST_CODES:
                raise DigestMismatch(
                    key, "sha256", sent, actual, location=self.name, rejected_by="server"
                ) from exc
            raise self._fail(exc, "put_object", key) from exc
        if expected is not None and actual != expected:  # a server that did not check
            self.delete(key)
            raise DigestMismatch(key, "sha256", expected, actual, location=self.name)
        return ObjectInfo(key, size, actual)

    def _put_multipart(
        self,
        key: str,
        full: str,
        stream: BinaryIO | Readable,
        size: int,
        expected: str | None,
        precommit: Callable[[], None],
    ) -> ObjectInfo:
        metadata = {META_SHA256: expected} if expected else {}
        try:
            created = self._call(
                "create_multipart_upload",
                lambda: self.client.create_multipart_upload(
                    Bucket=self.bucket, Key=full, ChecksumAlgorithm="SHA256", Metadata=metadata
                ),
                key=key,
            )
        except ClientError as exc:
            raise self._fail(exc, "create_multipart_upload", key) from exc
        upload_id = created["UploadId"]
        whole = hashlib.sha256()
        parts: list[dict[str, Any]] = []
        done = 0
        try:
            number = 1
            while done < size:
                n = min(self.config.part_size, size - done)
                data = self._read_exact(key, stream, n, done, size)
                whole.update(data)
                part_b64 = base64.b64encode(hashlib.sha256(data).digest()).decode("ascii")

                def _part(data: bytes = data, number: int = number, b64: str = part_b64) -> Any:
                    return self.client.upload_part(
                        Bucket=self.bucket,
                        Key=full,
                        UploadId=upload_id,
                        PartNumber=number,
                        Body=io.BytesIO(data),
                        ContentLength=len(data),
                        ChecksumAlgorithm="SHA256",
                        ChecksumSHA256=b64,
                    )

                resp = self._call("upload_part", _part, key=key)
                parts.append(
                    {"PartNumber": number, "ETag": resp["ETag"], "ChecksumSHA256": part_b64}
                )
                done += n
                number += 1
            self._check_eof(key, stream, size)
            actual = whole.hexdigest()
            if expected is not None and actual != expected:
                raise DigestMismatch(key, "sha256", expected, actual, location=self.name)
            precommit()
            self._call(
                "complete_multipart_upload",
                lambda: self.client.complete_multipart_upload(
                    Bucket=self.bucket,
                    Key=full,
                    UploadId=upload_id,
                    MultipartUpload={"Parts": parts},  # type: ignore[typeddict-item]
                ),
                key=key,
            )
        except BaseException as exc:
            self._abort(full, upload_id)
            if isinstance(exc, ClientError):
                if _error_code(exc) in DIGEST_CODES:
                    raise DigestMismatch(
                        key, "sha256", expected or "", None, location=self.name
                    ) from exc
                raise self._fail(exc, "multipart upload", key) from exc
            raise
        return ObjectInfo(key, size, actual)

    def _abort(self, full: str, upload_id: str) -> None:
        # If this fails too, the bucket's lifecycle rule for incomplete uploads is the safety net.
        with contextlib.suppress(BotoCoreError, ClientError):
            self.client.abort_multipart_upload(Bucket=self.bucket, Key=full, UploadId=upload_id)

    def delete(self, key: str) -> None:
        full = self._key(key)
        try:
            self._call(
                "delete_object",
                lambda: self.client.delete_object(Bucket=self.bucket, Key=full),
                key=key,
            )
        except ClientError as exc:
            if _status(exc) == 404 or _error_code(exc) in NOT_FOUND_CODES:
                return
            raise self._fail(exc, "delete_object", key) from exc

    # -- reads ---------------------------------------------------------------------------------
    def head(self, key: str) -> ObjectInfo:
        full = self._key(key)
        try:
            resp = self._call(
                "head_object",
                lambda: self.client.head_object(
                    Bucket=self.bucket, Key=full, ChecksumMode="ENABLED"
                ),
                key=key,
            )
        except ClientError as exc:
            raise self._fail(exc, "head_object", key) from exc
        sha256 = resp.get("Metadata", {}).get(META_SHA256)
        if not sha256:
            stored = resp.get("ChecksumSHA256")
            if stored and "-" not in stored:  # "-N" marks a composite multipart checksum
                sha256 = _hex(stored)
        return ObjectInfo(key, int(resp["ContentLength"]), sha256.lower() if sha256 else None)

    def exists(self, key: str) -> bool:
        try:
            self.head(key)
        except ObjectNotFound:
            return False
        return True

    def open(self, key: str) -> ObjectStream:
        reader = _S3Reader(self, key)
        return ObjectStream(reader.read, reader.close, size=reader.size)

    def list(self, prefix: str = "") -> Iterator[str]:
        validate_prefix(prefix)
        full_prefix = self.prefix + prefix
        token: str | None = None
        while True:
            kwargs: dict[str, Any] = {"Bucket": self.bucket, "Prefix": full_prefix}
            if token:
                kwargs["ContinuationToken"] = token
            try:
                page = self._call(
                    "list_objects_v2",
                    lambda kwargs=kwargs: self.client.list_objects_v2(**kwargs),  # type: ignore[misc]
                )
            except ClientError as exc:
                raise self._fail(exc, "list_objects_v2", prefix) from exc
            for item in page.get("Contents", []):
                yield item["Key"][len(self.prefix) :]
            if not page.get("IsTruncated"):
                return
            token = page.get("NextContinuationToken")

    def ping(self) -> str | None:
        try:
            self._ping_client.head_bucket(Bucket=self.bucket)
        except ClientError as exc:
            status = _status(exc)
            hint = {403: "access denied (credentials?)", 404: "no such bucket"}.get(status, "")
            return f"{self.name}: bucket {self.bucket}: HTTP {status} {_error_code(exc)} {hint}"
        except (BotoCoreError, Urllib3HTTPError) as exc:
            return f"{self.name}: {self.config.endpoint_url}: {type(exc).__name__}: {exc}"
        return None


class _Sha512Reader:
    """Passes reads through, hashing them (the sha512 of a put, in the same pass)."""

    def __init__(self, inner: BinaryIO | Readable, digest: Any) -> None:
        self._inner = inner
        self._digest = digest

    def read(self, n: int = -1, /) -> bytes:
        data = self._inner.read(n)
        self._digest.update(data)
        return data


class _S3Reader:
    """Streams a GET body; after a broken connection it resumes with a Range request."""

    def __init__(self, store: S3Store, key: str) -> None:
        self._store = store
        self._key = key
        self._full = store._key(key)
        self._pos = 0
        self._etag: str | None = None
        self._body: Any = None
        self.size: int | None = None
        self._open_body()

    def _open_body(self) -> None:
        store = self._store

        def _get() -> Any:
            kwargs: dict[str, Any] = {"Bucket": store.bucket, "Key": self._full}
            if self._pos:
                kwargs["Range"] = f"bytes={self._pos}-"
            if self._etag:
                kwargs["IfMatch"] = self._etag
            return store.client.get_object(**kwargs)

        try:
            resp = store._call("get_object", _get, key=self._key)
        except ClientError as exc:
            raise store._fail(exc, "get_object", self._key) from exc
        if self._etag is None:
            self._etag = resp.get("ETag")
            self.size = int(resp["ContentLength"])
        self._body = resp["Body"]

    def read(self, n: int) -> bytes:
        if self._body is None or (self.size is not None and self._pos >= self.size):
            return b""
        attempts = self._store.config.max_attempts
        for attempt in range(attempts):
            try:
                data: bytes = self._body.read(n)
                self._pos += len(data)
                if not data and self.size is not None and self._pos < self.size:
                    raise ResponseStreamingError(error="body ended early")
                return data
            except (BotoCoreError, Urllib3HTTPError) as exc:
                if not is_transient(exc) or attempt + 1 >= attempts:
                    raise TransientStorageError(
                        "reading object failed",
                        location=self._store.name,
                        key=self._key,
                        position=self._pos,
                        error=f"{type(exc).__name__}: {exc}",
                    ) from exc
                self._store._backoff(attempt)
                self._close_body()
                self._open_body()
        return b""  # pragma: no cover

    def _close_body(self) -> None:
        if self._body is not None:
            with contextlib.suppress(Exception):
                self._body.close()

    def close(self) -> None:
        self._close_body()
        self._body = None
