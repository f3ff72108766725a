"""Unpacking untrusted zips: every unsafe entry reported, nothing written outside dest."""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path

import pytest

from ingest.findings import Severity
from ingest.unpack import UnpackLimits, unpack
from tests.ingest.package_factory import OBJID, build_package, zip_package

TOP = OBJID


def _zip(path: Path, entries: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", method) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return path


def _codes(result: object) -> list[str]:
    return [finding.code for finding in result.findings]  # type: ignore[attr-defined]


def _nothing_outside(tmp_path: Path, dest: Path) -> None:
    outside = {p for p in tmp_path.rglob("*") if not p.is_relative_to(dest)}
    assert all(p.suffix == ".zip" or p == dest for p in outside), outside


def test_good_package_unpacks_into_its_top_folder(tmp_path: Path) -> None:
    archive = zip_package(build_package(tmp_path / "src"), tmp_path / "p.zip")
    result = unpack(archive, tmp_path / "dest")
    assert not any(f.is_error for f in result.findings)
    assert result.root == tmp_path / "dest" / TOP
    assert (result.root / "METS.xml").is_file()
    mets = next(e for e in result.entries if e.name == "METS.xml")
    assert mets.size == (result.root / "METS.xml").stat().st_size
    assert len(mets.sha256) == 64


def test_pkg_not_zip(tmp_path: Path) -> None:
    path = tmp_path / "p.zip"
    path.write_bytes(b"%PDF-1.7 not a zip at all")
    result = unpack(path, tmp_path / "dest")
    assert _codes(result) == ["PKG-NOT-ZIP"] and result.root is None


def test_pkg_path_traversal_and_absolute_all_reported(tmp_path: Path) -> None:
    entries = {
        f"{TOP}/METS.xml": b"<x/>",
        "../evil.txt": b"x",
        f"{TOP}/../../evil2.txt": b"x",
        "/etc/evil3": b"x",
        "C:/evil4": b"x",
        "..\\evil5": b"x",
    }
    result = unpack(_zip(tmp_path / "p.zip", entries), tmp_path / "dest")
    codes = _codes(result)
    assert codes.count("PKG-PATH-TRAVERSAL") == 3
    assert codes.count("PKG-ABSOLUTE-PATH") == 2
    assert result.root is None
    assert not (tmp_path / "evil.txt").exists() and not (tmp_path / "evil2.txt").exists()
    assert not any((tmp_path / "dest").iterdir())
    _nothing_outside(tmp_path, tmp_path / "dest")


def _with_mode(path: Path, name: str, mode: int, data: bytes = b"target") -> Path:
    with zipfile.ZipFile(path, "a") as archive:
        info = zipfile.ZipInfo(name)
        info.create_system = 3
        info.external_attr = mode << 16
        archive.writestr(info, data)
    return path


def test_pkg_link_from_external_attr(tmp_path: Path) -> None:
    path = _zip(tmp_path / "p.zip", {f"{TOP}/METS.xml": b"<x/>"})
    _with_mode(path, f"{TOP}/link", stat.S_IFLNK | 0o777, b"/etc/passwd")
    result = unpack(path, tmp_path / "dest")
    assert "PKG-LINK" in _codes(result) and result.root is None
    assert not (tmp_path / "dest" / TOP / "link").exists()


def test_pkg_special_file(tmp_path: Path) -> None:
    path = _zip(tmp_path / "p.zip", {f"{TOP}/METS.xml": b"<x/>"})
    _with_mode(path, f"{TOP}/fifo", stat.S_IFIFO | 0o644, b"")
    _with_mode(path, f"{TOP}/dev", stat.S_IFCHR | 0o644, b"")
    assert _codes(unpack(path, tmp_path / "dest")).count("PKG-SPECIAL-FILE") == 2


def test_pkg_duplicate_name(tmp_path: Path) -> None:
    path = _zip(tmp_path / "p.zip", {f"{TOP}/METS.xml": b"<x/>"})
    with pytest.warns(UserWarning), zipfile.ZipFile(path, "a") as archive:
        archive.writestr(f"{TOP}/METS.xml", b"<y/>")
    result = unpack(path, tmp_path / "dest")
    assert "PKG-DUPLICATE-NAME" in _codes(result) and result.root is None


def test_pkg_case_collision(tmp_path: Path) -> None:
    entries = {f"{TOP}/METS.xml": b"<x/>", f"{TOP}/data/A.pdf": b"1", f"{TOP}/data/a.PDF": b"2"}
    result = unpack(_zip(tmp_path / "p.zip", entries), tmp_path / "dest")
    assert _codes(result) == ["PKG-CASE-COLLISION"]


def test_pkg_too_many_entries(tmp_path: Path) -> None:
    entries = {f"{TOP}/f{i}": b"x" for i in range(6)}
    result = unpack(_zip(tmp_path / "p.zip", entries), tmp_path / "d", UnpackLimits(max_entries=5))
    assert _codes(result) == ["PKG-TOO-MANY-ENTRIES"]


def test_pkg_too_large_total(tmp_path: Path) -> None:
    entries = {f"{TOP}/METS.xml": b"x" * 600, f"{TOP}/b": b"y" * 600}
    limits = UnpackLimits(max_total_bytes=1000)
    assert "PKG-TOO-LARGE" in _codes(
        unpack(_zip(tmp_path / "p.zip", entries), tmp_path / "d", limits)
    )


def test_pkg_zip_bomb_written_streaming(tmp_path: Path) -> None:
    path = tmp_path / "bomb.zip"
    chunk = bytes(1024 * 1024)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{TOP}/METS.xml", b"<x/>")
        with archive.open(f"{TOP}/zeros.bin", "w", force_zip64=True) as stream:
            for _ in range(64):  # 64 MiB of zeros, never held in memory at once
                stream.write(chunk)
    assert path.stat().st_size < 1024 * 1024
    result = unpack(path, tmp_path / "dest")
    bomb = [f for f in result.findings if f.code == "PKG-ZIP-BOMB"]
    assert bomb and bomb[0].detail["ratio"] > 100 and result.root is None
    assert not (tmp_path / "dest" / TOP / "zeros.bin").exists()


def _patch(path: Path, signature: bytes, offset: int, value: bytes) -> None:
    data = bytearray(path.read_bytes())
    start = 0
    while (at := data.find(signature, start)) != -1:
        data[at + offset : at + offset + len(value)] = value
        start = at + 4
    path.write_bytes(bytes(data))


def test_pkg_encrypted_entry_flag(tmp_path: Path) -> None:
    path = _zip(tmp_path / "p.zip", {f"{TOP}/METS.xml": b"<x/>"})
    _patch(path, b"PK\x01\x02", 8, b"\x01\x00")  # central directory general purpose flags
    _patch(path, b"PK\x03\x04", 6, b"\x01\x00")
    result = unpack(path, tmp_path / "dest")
    assert "PKG-ENCRYPTED" in _codes(result) and result.root is None


def test_pkg_crc_error_by_patched_bytes(tmp_path: Path) -> None:
    path = _zip(tmp_path / "p.zip", {f"{TOP}/METS.xml": b"<mets>hello</mets>"}, zipfile.ZIP_STORED)
    data = path.read_bytes()
    path.write_bytes(data.replace(b"hello", b"jello"))
    result = unpack(path, tmp_path / "dest")
    assert _codes(result) == ["PKG-CRC-ERROR"] and result.root is None
    assert not any((tmp_path / "dest").iterdir())


def test_forged_size_is_caught_while_extracting(tmp_path: Path) -> None:
    path = _zip(tmp_path / "p.zip", {f"{TOP}/METS.xml": b"a" * 5000})
    # Central directory says 10 bytes: the header passes the planning, the bytes do not.
    _patch(path, b"PK\x01\x02", 24, (10).to_bytes(4, "little"))
    result = unpack(path, tmp_path / "dest")
    assert _codes(result) == ["PKG-CRC-ERROR"] and result.root is None


def test_pkg_unsupported_compression(tmp_path: Path) -> None:
    path = _zip(tmp_path / "p.zip", {f"{TOP}/METS.xml": b"<x/>"}, zipfile.ZIP_STORED)
    _patch(path, b"PK\x01\x02", 10, (99).to_bytes(2, "little"))
    _patch(path, b"PK\x03\x04", 8, (99).to_bytes(2, "little"))
    assert "PKG-UNSUPPORTED-COMPRESSION" in _codes(unpack(path, tmp_path / "dest"))


def test_pkg_name_not_utf8(tmp_path: Path) -> None:
    path = _zip(tmp_path / "p.zip", {f"{TOP}/METS.xml": b"<x/>", f"{TOP}/tài.pdf": b"1"})
    # A legacy 8-bit name (not UTF-8) of the same length, without the UTF-8 flag.
    _patch(path, b"PK\x01\x02", 8, b"\x00\x00")
    _patch(path, b"PK\x03\x04", 6, b"\x00\x00")
    path.write_bytes(path.read_bytes().replace("tài".encode(), b"t\xe0i_"))
    result = unpack(path, tmp_path / "dest")
    assert "PKG-NAME-NOT-UTF8" in _codes(result)
    assert (
        next(f for f in result.findings if f.code == "PKG-NAME-NOT-UTF8").severity is Severity.ERROR
    )


def test_pkg_name_utf8_unflagged_is_read_as_utf8(tmp_path: Path) -> None:
    path = _zip(tmp_path / "p.zip", {f"{TOP}/METS.xml": b"<x/>", f"{TOP}/tài.pdf": b"1"})
    _patch(path, b"PK\x01\x02", 8, b"\x00\x00")  # clear the UTF-8 flag, keep the bytes
    _patch(path, b"PK\x03\x04", 6, b"\x00\x00")
    result = unpack(path, tmp_path / "dest")
    assert _codes(result) == ["PKG-NAME-UTF8-UNFLAGGED"]
    assert (tmp_path / "dest" / TOP / "tài.pdf").is_file()


def test_pkg_no_top_folder_is_a_warning(tmp_path: Path) -> None:
    result = unpack(_zip(tmp_path / "p.zip", {"METS.xml": b"<x/>"}), tmp_path / "dest")
    assert _codes(result) == ["PKG-NO-TOP-FOLDER"] and result.root == tmp_path / "dest"


def test_pkg_top_folder_not_objid(tmp_path: Path) -> None:
    entries = {"package/METS.xml": b"<x/>", "other/file": b"1"}
    result = unpack(_zip(tmp_path / "p.zip", entries), tmp_path / "dest")
    assert _codes(result) == ["PKG-TOP-FOLDER"] and result.root is None


def test_pkg_path_invalid_control_character(tmp_path: Path) -> None:
    entries = {f"{TOP}/METS.xml": b"<x/>", f"{TOP}/a\x01b": b"1"}
    assert _codes(unpack(_zip(tmp_path / "p.zip", entries), tmp_path / "d")) == ["PKG-PATH-INVALID"]


def test_a_folder_that_is_not_empty_is_left_alone(tmp_path: Path) -> None:
    dest = tmp_path / "dest"
    dest.mkdir()
    (dest / "keep.txt").write_text("mine")
    archive = zip_package(build_package(tmp_path / "src"), tmp_path / "p.zip")
    result = unpack(archive, dest)
    assert _codes(result) == ["PKG-UNPACK-FAILED"] and result.root is None
    assert (dest / "keep.txt").read_text() == "mine"
