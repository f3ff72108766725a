"""Local folder backend specifics."""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path

import pytest

import storage.local
from storage import DigestMismatch, LocationConfig, StorageError, open_store
from storage.interfaces import TEMP_MARKER
from storage.local import LocalStore
from tests.storage.helpers import FailingStream


def _files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*"))


def test_failed_writes_leave_no_temp_files_or_dirs(tmp_path: Path) -> None:
    store = LocalStore("l", tmp_path)
    with pytest.raises(DigestMismatch):
        store.put("a/b/c", io.BytesIO(b"x"), 1, "0" * 64)
    with pytest.raises(OSError):
        store.put("d/e", FailingStream(b"y" * 10, 5), 10)
    assert _files(tmp_path) == []


def test_delete_prunes_empty_directories(tmp_path: Path) -> None:
    store = LocalStore("l", tmp_path)
    store.put("a/b/c.txt", io.BytesIO(b"1"), 1)
    store.put("a/d.txt", io.BytesIO(b"2"), 1)
    store.delete("a/b/c.txt")
    assert _files(tmp_path) == ["a", "a/d.txt"]  # OCFL forbids empty directories


def test_list_hides_temporary_files(tmp_path: Path) -> None:
    store = LocalStore("l", tmp_path)
    store.put("a/x", io.BytesIO(b"1"), 1)
    (tmp_path / "a" / f"{TEMP_MARKER}123").write_bytes(b"half")
    assert list(store.list()) == ["a/x"]


def test_symlink_out_of_root_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    root = tmp_path / "root"
    root.mkdir()
    os.symlink(outside, root / "link")
    store = LocalStore("l", root)
    with pytest.raises(StorageError, match="outside the root"):
        store.put("link/evil", io.BytesIO(b"1"), 1)
    assert list(outside.iterdir()) == []


def test_prefix_is_a_subfolder(tmp_path: Path) -> None:
    store = open_store(
        LocationConfig(name="l", kind="local", path=tmp_path, prefix="kho/a"), create=True
    )
    store.put("k", io.BytesIO(b"1"), 1)
    assert (tmp_path / "kho" / "a" / "k").read_bytes() == b"1"


def test_ping_reports_missing_folder(tmp_path: Path) -> None:
    store = LocalStore("kho", tmp_path / "missing")
    reason = store.ping()
    assert reason is not None and "does not exist" in reason and "kho" in reason


def test_new_directories_are_made_durable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    synced: list[Path] = []
    monkeypatch.setattr(storage.local, "_fsync_dir", synced.append)
    store = LocalStore("l", tmp_path)
    store.put("a/b/c.txt", io.BytesIO(b"1"), 1)
    # The file's directory, and every directory holding a directory this put created.
    assert sorted(synced) == sorted([tmp_path, tmp_path / "a", tmp_path / "a" / "b"])
    synced.clear()
    store.put("a/b/d.txt", io.BytesIO(b"2"), 1)
    assert synced == [tmp_path / "a" / "b"]


def test_batch_syncs_each_directory_once_and_everything_lands(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced: list[Path] = []
    monkeypatch.setattr(storage.local, "_fsync_dir", synced.append)
    files: list[str] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        files.append(os.readlink(f"/proc/self/fd/{fd}"))
        real_fsync(fd)

    monkeypatch.setattr(storage.local.os, "fsync", fsync)
    store = LocalStore("l", tmp_path)
    with store.batch():
        for i in range(5):
            info = store.put(f"v1/content/{i}.pdf", io.BytesIO(b"x" * i), i)
            assert info.sha256 == hashlib.sha256(b"x" * i).hexdigest()
        with store.batch():  # joins the outer one
            store.put("v1/inventory.json", io.BytesIO(b"{}"), 2)
    assert _files(tmp_path) == sorted(
        ["v1", "v1/content", "v1/inventory.json", *[f"v1/content/{i}.pdf" for i in range(5)]]
    )
    assert (tmp_path / "v1/content/3.pdf").read_bytes() == b"xxx"
    assert len(files) == 6  # every file synced (before its rename) ...
    assert all(TEMP_MARKER in f for f in files)
    assert sorted(synced) == sorted([tmp_path, tmp_path / "v1", tmp_path / "v1/content"])  # once


def test_batch_raises_a_deferred_failure_and_leaves_no_temp_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = LocalStore("l", tmp_path)
    real_fsync = os.fsync
    calls = {"n": 0}

    def failing_fsync(fd: int) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError(5, "Input/output error")
        real_fsync(fd)

    monkeypatch.setattr(storage.local.os, "fsync", failing_fsync)
    with pytest.raises(OSError, match="Input/output"), store.batch():
        for i in range(3):
            store.put(f"d/{i}", io.BytesIO(b"abc"), 3)
    names = _files(tmp_path)
    assert not any(TEMP_MARKER in n for n in names)
    assert len([n for n in names if n.startswith("d/")]) == 2  # the one that failed is absent


def test_batch_put_still_rejects_bad_bytes_at_once(tmp_path: Path) -> None:
    store = LocalStore("l", tmp_path)
    with store.batch():
        with pytest.raises(DigestMismatch):
            store.put("a/b", io.BytesIO(b"x"), 1, sha512_hex="0" * 128)
        store.put("a/c", io.BytesIO(b"y"), 1)
    assert _files(tmp_path) == ["a", "a/c"]
