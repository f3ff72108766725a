from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path

import pytest

from storage.digests import (
    Hasher,
    HashingReader,
    digest_bytes,
    digest_file,
    digest_stream,
    hash_stream,
)


def test_one_pass_gives_size_sha256_sha512_over_many_chunks(tmp_path: Path) -> None:
    data = os.urandom(3 * 1024 * 1024 + 17)
    p = tmp_path / "f"
    p.write_bytes(data)
    chunks: list[int] = []
    d = digest_file(p, chunk_size=1024 * 1024, on_chunk=chunks.append)
    assert d.size == len(data)
    assert d.sha256 == hashlib.sha256(data).hexdigest()
    assert d.sha512 == hashlib.sha512(data).hexdigest()
    assert chunks == [1024 * 1024] * 3 + [17]  # streamed, never one big read
    assert d.get("sha512") == d.sha512


def test_empty_stream() -> None:
    d = digest_stream(io.BytesIO(b""))
    assert d.size == 0 and d.sha256 == hashlib.sha256(b"").hexdigest()
    assert digest_bytes(b"") == d


def test_hashing_reader_hashes_what_passes_through() -> None:
    data = "Lưu trữ điện tử".encode() * 10_000
    reader = HashingReader(io.BytesIO(data))
    out = io.BytesIO()
    while chunk := reader.read(4096):
        out.write(chunk)
    assert out.getvalue() == data
    assert reader.bytes_read == len(data)
    assert reader.digests() == digest_bytes(data)


@pytest.mark.parametrize("parallel", [False, True])
def test_hasher_gives_the_same_digests_in_helper_threads(parallel: bool) -> None:
    chunks = [os.urandom(n) for n in (1024 * 1024, 1, 0, 70_000, 1024 * 1024)]
    hasher = Hasher(parallel=parallel)
    for chunk in chunks:
        hasher.update(chunk)
    data = b"".join(chunks)
    assert hasher.size == len(data)
    assert hasher.hexdigests() == {
        "sha256": hashlib.sha256(data).hexdigest(),
        "sha512": hashlib.sha512(data).hexdigest(),
    }


def test_hash_stream_computes_only_what_is_asked() -> None:
    data = os.urandom(2 * 1024 * 1024 + 3)
    size, digests = hash_stream(io.BytesIO(data), ["sha512"], parallel=True)
    assert size == len(data)
    assert digests == {"sha512": hashlib.sha512(data).hexdigest()}
    with pytest.raises(ValueError):
        Hasher(["md5"])
    assert digest_stream(io.BytesIO(data), parallel=True) == digest_bytes(data)
