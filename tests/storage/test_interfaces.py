"""The ObjectStore contract, run against every backend (local folder and real SeaweedFS S3)."""

from __future__ import annotations

import hashlib
import io
import os

import pytest

from storage import (
    DigestMismatch,
    InvalidKey,
    ObjectNotFound,
    ObjectStore,
    SizeMismatch,
    StorageError,
)
from storage.interfaces import ObjectStream, validate_key
from tests.storage.helpers import FailingStream


def _put(store: ObjectStore, key: str, data: bytes, sha: str | None = "auto") -> None:
    digest = hashlib.sha256(data).hexdigest() if sha == "auto" else sha
    store.put(key, io.BytesIO(data), len(data), digest)


def test_is_an_object_store(store: ObjectStore) -> None:
    assert isinstance(store, ObjectStore)
    assert store.name in ("local", "s3")
    assert store.ping() is None


def test_put_open_head_list_delete(store: ObjectStore) -> None:
    data = "Hồ sơ số 01 — Quyết định".encode() * 1000
    sha = hashlib.sha256(data).hexdigest()
    info = store.put("hồ-sơ/01/tài liệu.pdf", io.BytesIO(data), len(data), sha)
    assert info.size == len(data)
    assert info.sha256 == sha
    _put(store, "hồ-sơ/02/a.txt", b"a")
    _put(store, "khac.txt", b"b", sha=None)

    with store.open("hồ-sơ/01/tài liệu.pdf") as fh:
        assert isinstance(fh, ObjectStream)
        chunks = list(fh)
    assert b"".join(chunks) == data
    with store.open("hồ-sơ/01/tài liệu.pdf") as fh:
        assert fh.read(5) == data[:5]
        assert fh.read() == data[5:]

    head = store.head("hồ-sơ/01/tài liệu.pdf")
    assert head.size == len(data)
    assert head.sha256 in (None, sha)  # local does not store one; S3 does
    assert store.exists("khac.txt")
    assert not store.exists("hồ-sơ/03/x")

    assert list(store.list()) == ["hồ-sơ/01/tài liệu.pdf", "hồ-sơ/02/a.txt", "khac.txt"]
    assert list(store.list("hồ-sơ/")) == ["hồ-sơ/01/tài liệu.pdf", "hồ-sơ/02/a.txt"]
    assert list(store.list("hồ-sơ/0")) == ["hồ-sơ/01/tài liệu.pdf", "hồ-sơ/02/a.txt"]
    assert list(store.list("k")) == ["khac.txt"]
    assert list(store.list("nothing/")) == []

    store.delete("hồ-sơ/02/a.txt")
    store.delete("hồ-sơ/02/a.txt")  # deleting an absent key is not an error
    assert list(store.list("hồ-sơ/")) == ["hồ-sơ/01/tài liệu.pdf"]
    with pytest.raises(ObjectNotFound):
        store.head("hồ-sơ/02/a.txt")
    with pytest.raises(ObjectNotFound):
        store.open("hồ-sơ/02/a.txt")


def test_overwrite_replaces_whole_object(store: ObjectStore) -> None:
    _put(store, "a/b", b"first version, longer")
    _put(store, "a/b", b"second")
    with store.open("a/b") as fh:
        assert fh.read() == b"second"


def test_empty_object(store: ObjectStore) -> None:
    _put(store, "empty", b"")
    assert store.head("empty").size == 0
    with store.open("empty") as fh:
        assert fh.read() == b""


def test_checksum_mismatch_rejected_and_nothing_stored(store: ObjectStore) -> None:
    data = b"noi dung that"
    wrong = hashlib.sha256(b"noi dung khac").hexdigest()
    with pytest.raises(DigestMismatch) as info:
        store.put("x/y.bin", io.BytesIO(data), len(data), wrong)
    assert info.value.expected == wrong
    assert info.value.actual == hashlib.sha256(data).hexdigest()
    assert not store.exists("x/y.bin")
    assert list(store.list()) == []


def test_failed_put_leaves_nothing(store: ObjectStore) -> None:
    _put(store, "keep", b"old content")
    data = os.urandom(200_000)
    with pytest.raises(OSError, match="connection reset"):
        store.put("keep", FailingStream(data, 100_000), len(data))
    with pytest.raises(OSError):
        store.put("new", FailingStream(data, 100_000), len(data))
    assert list(store.list()) == ["keep"]
    with store.open("keep") as fh:
        assert fh.read() == b"old content"  # the old object is untouched


def test_short_and_long_streams_rejected(store: ObjectStore) -> None:
    with pytest.raises(SizeMismatch) as short:
        store.put("s", io.BytesIO(b"abc"), 10)
    assert (short.value.expected, short.value.actual) == (10, 3)
    with pytest.raises(SizeMismatch):
        store.put("l", io.BytesIO(b"abcdef"), 3)
    assert list(store.list()) == []


def test_multipart_round_trip(store: ObjectStore) -> None:
    # The S3 fixture lowers the threshold to 5 MiB (S3's minimum part size): 2 parts here.
    data = os.urandom(5 * 1024 * 1024 + 4097)
    sha = hashlib.sha256(data).hexdigest()
    info = store.put("lon/file.bin", io.BytesIO(data), len(data), sha)
    assert info.sha256 == sha
    head = store.head("lon/file.bin")
    assert head.size == len(data)
    assert head.sha256 in (None, sha)
    digest = hashlib.sha256()
    with store.open("lon/file.bin") as fh:
        for chunk in fh:
            digest.update(chunk)
    assert digest.hexdigest() == sha


def test_multipart_digest_mismatch_leaves_nothing(store: ObjectStore) -> None:
    data = os.urandom(5 * 1024 * 1024 + 10)
    wrong = hashlib.sha256(b"other").hexdigest()
    with pytest.raises(DigestMismatch):
        store.put("lon/bad.bin", io.BytesIO(data), len(data), wrong)
    assert list(store.list()) == []


@pytest.mark.parametrize(
    "key",
    ["", "/etc/passwd", "../outside", "a/../../b", "a//b", "a/./b", "a\\..\\b", "a/\x00", "a/"],
)
def test_key_escape_refused(store: ObjectStore, key: str) -> None:
    with pytest.raises(InvalidKey):
        store.put(key, io.BytesIO(b"x"), 1)
    with pytest.raises(InvalidKey):
        store.open(key)
    with pytest.raises(StorageError):
        store.delete(key)
    assert list(store.list()) == []


def test_list_prefix_escape_refused(store: ObjectStore) -> None:
    with pytest.raises(InvalidKey):
        list(store.list("../"))


def test_validate_key_accepts_vietnamese() -> None:
    assert validate_key("v1/content/Quyết định số 12.pdf") == "v1/content/Quyết định số 12.pdf"


def test_put_without_digests_returns_both_from_the_same_pass(store: ObjectStore) -> None:
    data = os.urandom(3 * 1024 * 1024 + 5)
    info = store.put("one/pass.bin", io.BytesIO(data), len(data))
    assert info.sha256 == hashlib.sha256(data).hexdigest()
    assert info.sha512 == hashlib.sha512(data).hexdigest()


@pytest.mark.parametrize("size", [13, 5 * 1024 * 1024 + 10])  # single put and multipart on S3
def test_known_sha512_put_rejects_other_bytes(store: ObjectStore, size: int) -> None:
    data = os.urandom(size)
    wrong = hashlib.sha512(b"noi dung khac").hexdigest()
    with pytest.raises(DigestMismatch) as info:
        store.put("x/y.bin", io.BytesIO(data), len(data), sha512_hex=wrong)
    assert info.value.algorithm == "sha512"
    assert info.value.expected == wrong
    assert list(store.list()) == []
    right = hashlib.sha512(data).hexdigest()
    stored = store.put("x/y.bin", io.BytesIO(data), len(data), sha512_hex=right.upper())
    assert stored.sha512 == right
    with store.open("x/y.bin") as fh:
        assert fh.read() == data


def test_known_digests_put_checks_the_bytes_it_writes(store: ObjectStore) -> None:
    data = b"ban goc " * 1000
    other = b"ban khac" * 1000  # same size, other bytes: what the caller digested changed
    sha256, sha512 = hashlib.sha256(data).hexdigest(), hashlib.sha512(data).hexdigest()
    with pytest.raises(DigestMismatch):
        store.put("k", io.BytesIO(other), len(other), sha256, sha512_hex=sha512)
    assert list(store.list()) == []
    info = store.put("k", io.BytesIO(data), len(data), sha256, sha512_hex=sha512)
    assert (info.sha256, info.sha512) == (sha256, sha512)
