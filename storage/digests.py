"""Streaming digests: sha256 and/or sha512 + size in one pass over a stream, chunk by chunk."""

from __future__ import annotations

import hashlib
import io
import os
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Protocol

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


ALGORITHMS = ("sha256", "sha512")


_helpers: tuple[int, ThreadPoolExecutor] | None = None
_helpers_lock = threading.Lock()


def _helper_pool() -> ThreadPoolExecutor:
    """The process's hashing threads (made again in a forked child, which has none)."""
    global _helpers
    with _helpers_lock:
        if _helpers is None or _helpers[0] != os.getpid():
            _helpers = (os.getpid(), ThreadPoolExecutor(4, thread_name_prefix="luutru-hash"))
        return _helpers[1]


class Hasher:
    """Incremental digests of the chosen ``algorithms`` (sha256, sha512) and the byte count.

    With ``parallel=True`` every hash is updated in a helper thread of its own (hashlib
    releases the GIL), fed its chunks in order and at most one chunk behind, while the caller
    reads and writes the next chunk.
    """

    def __init__(self, algorithms: Iterable[str] = ALGORITHMS, *, parallel: bool = False) -> None:
        self._hashes: dict[str, Any] = {}
        for algorithm in algorithms:
            if algorithm not in ALGORITHMS:
                raise ValueError(f"unsupported digest algorithm: {algorithm}")
            self._hashes[algorithm] = hashlib.new(algorithm)
        self._parallel = parallel
        self._behind: list[Future[None]] = []
        self._size = 0

    def update(self, chunk: bytes) -> None:
        if not self._parallel:
            for h in self._hashes.values():
                h.update(chunk)
        else:
            if not isinstance(chunk, bytes):  # a buffer its reader may refill while we hash
                chunk = bytes(chunk)
            self._catch_up()
            pool = _helper_pool()
            self._behind = [pool.submit(h.update, chunk) for h in self._hashes.values()]
        self._size += len(chunk)

    def _catch_up(self) -> None:
        behind, self._behind = self._behind, []
        for future in behind:
            future.result()

    @property
    def size(self) -> int:
        return self._size

    def hexdigests(self) -> dict[str, str]:
        """algorithm -> lower-case hex digest of the bytes so far."""
        self._catch_up()
        return {algorithm: h.hexdigest() for algorithm, h in self._hashes.items()}


class MultiDigest(Hasher):
    """Incremental sha256 + sha512 + byte count."""

    def __init__(self) -> None:
        super().__init__(ALGORITHMS)

    def result(self) -> Digests:
        d = self.hexdigests()
        return Digests(self.size, d["sha256"], d["sha512"])


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
    parallel: bool = False,
) -> Digests:
    """Read ``stream`` to its end once, returning its size, sha256 and sha512.

    ``on_chunk`` is called with the length of every chunk (for throttling or progress);
    ``parallel`` hashes in helper threads (see :class:`Hasher`).
    """
    size, d = hash_stream(
        stream, ALGORITHMS, chunk_size=chunk_size, on_chunk=on_chunk, parallel=parallel
    )
    return Digests(size, d["sha256"], d["sha512"])


def digest_file(
    path: Path,
    *,
    chunk_size: int = CHUNK_SIZE,
    on_chunk: Callable[[int], None] | None = None,
    parallel: bool = False,
) -> Digests:
    with path.open("rb") as fh:
        return digest_stream(fh, chunk_size=chunk_size, on_chunk=on_chunk, parallel=parallel)


def hash_stream(
    stream: Readable,
    algorithms: Iterable[str],
    *,
    chunk_size: int = CHUNK_SIZE,
    on_chunk: Callable[[int], None] | None = None,
    parallel: bool = False,
) -> tuple[int, dict[str, str]]:
    """Read ``stream`` to its end once; return its size and the hex digests of ``algorithms``."""
    hasher = Hasher(algorithms, parallel=parallel)
    for chunk in iter_chunks(stream, chunk_size):
        hasher.update(chunk)
        if on_chunk is not None:
            on_chunk(len(chunk))
    return hasher.size, hasher.hexdigests()


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
