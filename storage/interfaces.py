"""The contract of one storage location, and the stream type it hands out.

Callers depend on :class:`ObjectStore` only; the concrete backend comes from
:func:`storage.factory.open_store`.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import BinaryIO, Protocol, runtime_checkable

from storage.digests import CHUNK_SIZE, Readable
from storage.errors import InvalidKey

TEMP_MARKER = ".luutru-tmp-"


@dataclass(frozen=True)
class ObjectInfo:
    """What ``head`` knows of a stored object."""

    key: str
    size: int
    sha256: str | None = None  # lower-case hex, when the backend stored one
    sha512: str | None = None  # lower-case hex; ``put`` returns it, ``head`` does not


class ObjectStream(io.RawIOBase):
    """A read-only binary stream of one stored object.

    Unlike a plain file, iterating yields chunks of ``chunk_size`` bytes, not lines.  Use it as a
    context manager so the underlying file or HTTP connection is released.
    """

    def __init__(
        self,
        read: Callable[[int], bytes],
        close: Callable[[], None],
        *,
        size: int | None = None,
        chunk_size: int = CHUNK_SIZE,
    ) -> None:
        super().__init__()
        self._read = read
        self._close = close
        self.size = size
        self.chunk_size = chunk_size

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self._read(len(buffer))
        n = len(data)
        buffer[:n] = data
        return n

    def read(self, size: int = -1, /) -> bytes:
        if size is None or size < 0:
            return self.readall()
        return self._read(size)

    def __iter__(self) -> Iterator[bytes]:
        while True:
            chunk = self._read(self.chunk_size)
            if not chunk:
                return
            yield chunk

    def close(self) -> None:
        if not self.closed:
            try:
                self._close()
            finally:
                super().close()


@runtime_checkable
class ObjectStore(Protocol):
    """One storage location holding immutable objects under '/'-separated keys."""

    @property
    def name(self) -> str: ...

    def put(
        self,
        key: str,
        stream: BinaryIO | Readable,
        size: int,
        sha256_hex: str | None = None,
        *,
        sha512_hex: str | None = None,
    ) -> ObjectInfo:
        """Store exactly ``size`` bytes from ``stream`` under ``key``, atomically.

        Readers see either the old object or the complete new one, never a part.  The bytes
        are hashed as they are written, in the same pass:

        * no digest given: sha256 and sha512 are both computed and returned in the
          :class:`ObjectInfo` (one read of the source gives the store and its digests);
        * known digests given: the written bytes are verified against them, hashing only
          what the check needs (sha256 when it is known, else sha512); the given digests are
          returned.  A mismatch raises :class:`~storage.errors.DigestMismatch`, nothing stored.
        """
        ...

    def open(self, key: str) -> ObjectStream:
        """Open the object for streaming reads; :class:`ObjectNotFound` when absent."""
        ...

    def head(self, key: str) -> ObjectInfo:
        """Size (and stored sha256 when known); :class:`ObjectNotFound` when absent."""
        ...

    def exists(self, key: str) -> bool: ...

    def list(self, prefix: str = "") -> Iterator[str]:
        """Keys starting with ``prefix`` (a plain string prefix, as in S3), in sorted order."""
        ...

    def delete(self, key: str) -> None:
        """Remove the object; removing an absent key is not an error."""
        ...

    def ping(self) -> str | None:
        """None when the location is usable, else a one-line reason (for readiness checks)."""
        ...


def batch(store: ObjectStore) -> AbstractContextManager[object]:
    """A block whose puts may defer their durability work to its end (see LocalStore.batch).

    Inside it a put may return before the object is durable (or, on a local folder, visible
    under its key); leaving the block without an exception guarantees both, and raises any
    error a deferred part met.  Backends without such work give a no-op block.
    """
    make = getattr(store, "batch", None)
    return make() if callable(make) else contextlib.nullcontext()


def validate_key(key: str) -> str:
    """Return ``key`` if it is a safe relative '/'-separated key, else raise InvalidKey."""
    if not key:
        raise InvalidKey(key, "empty")
    if key.startswith("/") or key.startswith("\\"):
        raise InvalidKey(key, "absolute")
    if "\x00" in key:
        raise InvalidKey(key, "NUL character")
    if "\\" in key:
        raise InvalidKey(key, "backslash")
    for segment in key.split("/"):
        if segment in ("", ".", ".."):
            raise InvalidKey(key, "empty, '.' or '..' segment")
        if segment.startswith(TEMP_MARKER):
            raise InvalidKey(key, "reserved temporary name")
    if len(key.encode("utf-8")) > 1024:
        raise InvalidKey(key, "longer than 1024 bytes")
    return key


def validate_prefix(prefix: str) -> str:
    """A list prefix may be empty or end with '/', but may not escape the root."""
    if not prefix:
        return prefix
    body = prefix[:-1] if prefix.endswith("/") else prefix
    validate_key(body)
    return prefix
