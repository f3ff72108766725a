"""Streaming digests: sha256 + sha512 + size in one pass over a stream, chunk by chunk."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

CHUNK_SIZE = 1024 * 1024


class Readable(Protocol):
    def read(self, size: int = ..., /) -> bytes: ...


@dataclass(frozen=True)
class Digests:
    """Size and lower-case hex digests of one byte stream."""

    size: int
    sha256: str
    sha512: str

    def get(self, algorithm: str) -> str:
        if algorithm == "sha256":
            return self.sha256
        if algorithm == "sha512":
            return self.sha512
        raise ValueError(f"unsupported digest algorithm: {algorithm}")


class MultiDigest:
    """Incremental sha256 + sha512 + byte count."""

    def __init__(self) -> None:
        self._sha256 = hashlib.sha256()
        self._sha512 = hashlib.sha512()
        self._size = 0

    def update(self, chunk: bytes) -> None:
        self._sha256.update(chunk)
        self._sha512.update(chunk)
        self._size += len(chunk)

    @property
    def size(self) -> int:
        return self._size

    def result(self) -> Digests:
        return Digests(self._size, self._sha256.hexdigest(), self._sha512.hexdigest())


def iter_chunks(stream: Readable, chunk_size: int = CHUNK_SIZE) -> Iterable[bytes]:
    """Yield the stream's bytes in chunks of at most ``chunk_size`` until EOF."""
    while True:
        chunk = stream.read(chunk_size)
        if not chunk:
            return
        yield chunk


def digest_stream(
    stream: Readable,
    *,
    chunk_size: int = CHUNK_SIZE,
    on_chunk: Callable[[int], None] | None = None,
) -> Digests:
    """Read ``stream`` to its end once, returning its size, sha256 and sha512.

    ``on_chunk`` is called with the length of every chunk (for throttling or progress).
    """
    digest = MultiDigest()
    for chunk in iter_chunks(stream, chunk_size):
        digest.update(chunk)
        if on_chunk is not None:
            on_chunk(len(chunk))
    return digest.result()


def digest_file(
    path: Path, *, chunk_size: int = CHUNK_SIZE, on_chunk: Callable[[int], None] | None = None
) -> Digests:
    with path.open("rb") as fh:
        return digest_stream(fh, chunk_size=chunk_size, on_chunk=on_chunk)


def digest_bytes(data: bytes) -> Digests:
    return digest_stream(io.BytesIO(data))


class HashingReader(io.RawIOBase):
    """A read-only stream that hashes (sha256 + sha512) what passes through it.

    Used to upload and hash in the same pass.  ``digests()`` is valid once EOF was reached.
    """

    def __init__(self, inner: BinaryIO | Readable) -> None:
        super().__init__()
        self._inner = inner
        self._digest = MultiDigest()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self._inner.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        self._digest.update(data)
        return n

    @property
    def bytes_read(self) -> int:
        return self._digest.size

    def digests(self) -> Digests:
        return self._digest.result()
