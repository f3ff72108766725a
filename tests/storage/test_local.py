"""Local folder backend specifics."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

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
