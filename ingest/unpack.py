"""Unpack an untrusted package zip into a staging folder, safely.

Every entry is judged from the central directory before a byte is written (names, links,
special files, duplicates, sizes, compression ratio, encryption, compression method), and
every unsafe entry is reported, not just the first. Only if the whole zip passes are entries
extracted, in chunks, counting the real decompressed bytes per entry and in total, so a
header that lies about sizes is caught while extracting too. Files are created with
``O_EXCL | O_NOFOLLOW`` below ``dest`` only. On any error nothing is left in ``dest``.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import stat
import unicodedata
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO

from ingest.findings import Finding, Outcome, Severity, rule
from metadata_schemas.errors import InvalidValueError
from metadata_schemas.identifiers import parse_sip_objid

SOURCE_ZIP = "TT 05/2025/TT-BNV Phụ lục III (gói SIP nén zip); E-ARK CSIP"
_UTF8_FLAG = 0x800
_ENCRYPTED_FLAGS = 0x1 | 0x40  # traditional and strong encryption
_SUPPORTED_METHODS = {
    zipfile.ZIP_STORED,
    zipfile.ZIP_DEFLATED,
    zipfile.ZIP_BZIP2,
    zipfile.ZIP_LZMA,
}
_DRIVE = re.compile(r"^[A-Za-z]:")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

PKG_NOT_ZIP = rule(
    "PKG-NOT-ZIP",
    Severity.ERROR,
    "Gói tin không phải là tệp zip hợp lệ: {reason}",
    "The package is not a valid zip file: {reason}",
    source=SOURCE_ZIP,
)
PKG_PATH_TRAVERSAL = rule(
    "PKG-PATH-TRAVERSAL",
    Severity.ERROR,
    "Tên mục trong zip chứa '..' (thoát ra ngoài thư mục gói): {name}",
    "A zip entry name contains '..' (escapes the package folder): {name}",
)
PKG_ABSOLUTE_PATH = rule(
    "PKG-ABSOLUTE-PATH",
    Severity.ERROR,
    "Tên mục trong zip là đường dẫn tuyệt đối hoặc có ký tự ổ đĩa: {name}",
    "A zip entry name is an absolute path or carries a drive letter: {name}",
)
PKG_PATH_INVALID = rule(
    "PKG-PATH-INVALID",
    Severity.ERROR,
    "Tên mục trong zip không hợp lệ ({reason}): {name}",
    "A zip entry name is not acceptable ({reason}): {name}",
)
PKG_LINK = rule(
    "PKG-LINK",
    Severity.ERROR,
    "Gói tin chứa liên kết (symlink/hard link), không được phép: {name}",
    "The package holds a link (symlink/hard link), which is not allowed: {name}",
)
PKG_SPECIAL_FILE = rule(
    "PKG-SPECIAL-FILE",
    Severity.ERROR,
    "Gói tin chứa tệp đặc biệt ({kind}), không được phép: {name}",
    "The package holds a special file ({kind}), which is not allowed: {name}",
)
PKG_DUPLICATE_NAME = rule(
    "PKG-DUPLICATE-NAME",
    Severity.ERROR,
    "Tên mục bị trùng trong zip: {name}",
    "A zip entry name occurs more than once: {name}",
)
PKG_CASE_COLLISION = rule(
    "PKG-CASE-COLLISION",
    Severity.ERROR,
    "Hai mục trong zip chỉ khác nhau về chữ hoa/thường: {name} và {other}",
    "Two zip entries differ only by letter case: {name} and {other}",
)
PKG_TOO_MANY_ENTRIES = rule(
    "PKG-TOO-MANY-ENTRIES",
    Severity.ERROR,
    "Gói tin có {count} mục, vượt giới hạn {limit}",
    "The package holds {count} entries, more than the limit of {limit}",
)
PKG_TOO_LARGE = rule(
    "PKG-TOO-LARGE",
    Severity.ERROR,
    "Dung lượng sau giải nén ({size} byte) vượt giới hạn {limit} byte{where}",
    "The uncompressed size ({size} bytes) exceeds the limit of {limit} bytes{where}",
)
PKG_ZIP_BOMB = rule(
    "PKG-ZIP-BOMB",
    Severity.ERROR,
    "Nghi ngờ bom zip ở mục {name}: {reason}",
    "Suspected zip bomb at entry {name}: {reason}",
)
PKG_ENCRYPTED = rule(
    "PKG-ENCRYPTED",
    Severity.ERROR,
    "Mục trong zip bị mã hóa, không thể kiểm tra: {name}",
    "A zip entry is encrypted and cannot be checked: {name}",
)
PKG_UNSUPPORTED_COMPRESSION = rule(
    "PKG-UNSUPPORTED-COMPRESSION",
    Severity.ERROR,
    "Mục {name} dùng phương thức nén không được hỗ trợ (mã {method})",
    "Entry {name} uses an unsupported compression method (code {method})",
)
PKG_CRC_ERROR = rule(
    "PKG-CRC-ERROR",
    Severity.ERROR,
    "Mục {name} bị hỏng (sai CRC hoặc dữ liệu nén lỗi): {reason}",
    "Entry {name} is corrupt (CRC mismatch or bad compressed data): {reason}",
)
PKG_NAME_NOT_UTF8 = rule(
    "PKG-NAME-NOT-UTF8",
    Severity.ERROR,
    "Tên mục không mã hóa UTF-8 nên không đọc được chính xác: {name}",
    "An entry name is not UTF-8 encoded, so it cannot be read reliably: {name}",
)
PKG_NAME_UTF8_UNFLAGGED = rule(
    "PKG-NAME-UTF8-UNFLAGGED",
    Severity.WARNING,
    "Tên mục là UTF-8 nhưng zip không đặt cờ UTF-8; đã đọc theo UTF-8: {name}",
    "An entry name is UTF-8 but the zip does not set the UTF-8 flag; read as UTF-8: {name}",
)
PKG_NO_TOP_FOLDER = rule(
    "PKG-NO-TOP-FOLDER",
    Severity.WARNING,
    "Gói tin không có thư mục gốc mang tên OBJID; cây thư mục nằm ngay ở gốc zip",
    "The package has no top folder named after its OBJID; the tree is at the zip root",
    source="ingest/package/LAYOUT.md",
)
PKG_TOP_FOLDER = rule(
    "PKG-TOP-FOLDER",
    Severity.ERROR,
    "Cấu trúc gốc của zip không đúng: {reason}",
    "The zip's top level is not as required: {reason}",
    source="ingest/package/LAYOUT.md; E-ARK CSIP (CSIP1)",
)
PKG_UNPACK_FAILED = rule(
    "PKG-UNPACK-FAILED",
    Severity.ERROR,
    "Không giải nén được gói tin: {reason}",
    "The package could not be unpacked: {reason}",
    outcome=Outcome.INDETERMINATE,
)


@dataclass(frozen=True)
class UnpackLimits:
    max_entries: int = 10_000
    max_total_bytes: int = 20 * 1024**3
    max_entry_bytes: int = 4 * 1024**3
    max_ratio: float = 100.0  # uncompressed / compressed, per entry
    ratio_floor_bytes: int = 1024 * 1024  # smaller entries may compress as well as they like
    max_name_length: int = 1024
    chunk_size: int = 1024 * 1024


@dataclass(frozen=True)
class UnpackedEntry:
    name: str  # path inside the package root, POSIX form
    path: Path  # where it was written
    size: int
    sha256: str


@dataclass
class UnpackResult:
    findings: list[Finding] = field(default_factory=list)
    root: Path | None = None  # the package root inside dest; None when nothing was unpacked
    entries: list[UnpackedEntry] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.root is not None


@dataclass(frozen=True)
class _Planned:
    info: zipfile.ZipInfo
    name: str  # decoded, checked name as in the zip
    parts: tuple[str, ...]


def _decoded_name(info: zipfile.ZipInfo, findings: list[Finding]) -> str:
    name = info.filename
    if info.flag_bits & _UTF8_FLAG or name.isascii():
        return name
    # Without the flag zipfile decoded the raw bytes as cp437, a bijection: recover them.
    raw = info.orig_filename.encode("cp437")
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError:
        findings.append(PKG_NAME_NOT_UTF8.finding(name, name=name))
        return name
    findings.append(PKG_NAME_UTF8_UNFLAGGED.finding(decoded, name=decoded))
    return decoded


def _unix_mode(info: zipfile.ZipInfo) -> int:
    return (info.external_attr >> 16) & 0xFFFF


def _check_type(info: zipfile.ZipInfo, name: str) -> Finding | None:
    mode = _unix_mode(info)
    if not mode:
        return None
    kind = stat.S_IFMT(mode)
    if stat.S_ISLNK(mode):
        return PKG_LINK.finding(name, name=name)
    if kind in (0, stat.S_IFREG, stat.S_IFDIR):
        return None
    labels = {
        stat.S_IFCHR: "character device",
        stat.S_IFBLK: "block device",
        stat.S_IFIFO: "FIFO",
        stat.S_IFSOCK: "socket",
    }
    return PKG_SPECIAL_FILE.finding(name, name=name, kind=labels.get(kind, f"mode {kind:o}"))


def _check_name(name: str, limits: UnpackLimits) -> tuple[list[Finding], tuple[str, ...]]:
    """Findings for an unsafe name, and its components when it is safe."""
    if not name:
        return [PKG_PATH_INVALID.finding(name, name=name, reason="empty name")], ()
    if _CONTROL.search(name):
        return [PKG_PATH_INVALID.finding(name, name=name, reason="control character")], ()
    if len(name) > limits.max_name_length:
        return [PKG_PATH_INVALID.finding(name, name=name, reason="name too long")], ()
    findings: list[Finding] = []
    if name.startswith(("/", "\\")) or _DRIVE.match(name):
        findings.append(PKG_ABSOLUTE_PATH.finding(name, name=name))
    parts = re.split(r"[/\\]", name.rstrip("/\\"))
    if ".." in parts:
        findings.append(PKG_PATH_TRAVERSAL.finding(name, name=name))
    if findings:
        return findings, ()
    if "\\" in name:
        return [PKG_PATH_INVALID.finding(name, name=name, reason="backslash separator")], ()
    if any(part in ("", ".") for part in parts):
        return [PKG_PATH_INVALID.finding(name, name=name, reason="empty or '.' component")], ()
    return [], tuple(parts)


def _fold(name: str) -> str:
    return unicodedata.normalize("NFC", name).casefold()


def _plan(archive: zipfile.ZipFile, limits: UnpackLimits) -> tuple[list[_Planned], list[Finding]]:
    """Judge every entry from the central directory; nothing is read or written yet."""
    infos = archive.infolist()
    findings: list[Finding] = []
    if len(infos) > limits.max_entries:
        findings.append(PKG_TOO_MANY_ENTRIES.finding(count=len(infos), limit=limits.max_entries))
        return [], findings
    planned: list[_Planned] = []
    seen: dict[str, str] = {}
    folded: dict[str, str] = {}
    total = 0
    for info in infos:
        name = _decoded_name(info, findings)
        type_finding = _check_type(info, name)
        if type_finding is not None:
            findings.append(type_finding)
            continue
        name_findings, parts = _check_name(name, limits)
        findings.extend(name_findings)
        if not parts:
            continue
        key = "/".join(parts)
        if key in seen:
            findings.append(PKG_DUPLICATE_NAME.finding(name, name=name))
            continue
        if _fold(key) in folded:
            other = folded[_fold(key)]
            findings.append(PKG_CASE_COLLISION.finding(name, name=name, other=other))
            continue
        seen[key] = name
        folded[_fold(key)] = name
        if info.is_dir():
            continue
        if info.flag_bits & _ENCRYPTED_FLAGS:
            findings.append(PKG_ENCRYPTED.finding(name, name=name))
        if info.compress_type not in _SUPPORTED_METHODS:
            findings.append(
                PKG_UNSUPPORTED_COMPRESSION.finding(name, name=name, method=info.compress_type)
            )
        if info.file_size > limits.max_entry_bytes:
            findings.append(
                PKG_TOO_LARGE.finding(
                    name, size=info.file_size, limit=limits.max_entry_bytes, where=f" ({name})"
                )
            )
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > limits.ratio_floor_bytes and ratio > limits.max_ratio:
            findings.append(
                PKG_ZIP_BOMB.finding(
                    name,
                    name=name,
                    reason=f"compression ratio {ratio:.0f} > {limits.max_ratio:.0f}",
                    ratio=round(ratio, 1),
                    declared_size=info.file_size,
                    compressed_size=info.compress_size,
                )
            )
        total += info.file_size
        planned.append(_Planned(info, name, parts))
    # A file whose name is also a folder of another entry cannot be laid out on disk.
    folders = {"/".join(p.parts[:i]) for p in planned for i in range(1, len(p.parts))}
    for item in planned:
        if not item.info.is_dir() and "/".join(item.parts) in folders:
            findings.append(PKG_DUPLICATE_NAME.finding(item.name, name=item.name))
    if total > limits.max_total_bytes:
        findings.append(PKG_TOO_LARGE.finding(size=total, limit=limits.max_total_bytes, where=""))
    return planned, findings


def _top_folder(planned: list[_Planned]) -> tuple[str | None, list[Finding]]:
    """The single top folder (``uuid-…``), None for a tree at the zip root, or findings."""
    files = [p for p in planned if not p.info.is_dir()]
    if not files:
        return None, [PKG_TOP_FOLDER.finding(reason="the zip holds no files")]
    if any(p.parts == ("METS.xml",) for p in files):
        return None, [PKG_NO_TOP_FOLDER.finding()]
    tops = {p.parts[0] for p in files}
    if len(tops) != 1 or any(len(p.parts) == 1 for p in files):
        return None, [
            PKG_TOP_FOLDER.finding(
                reason="expected one top folder uuid-<UUID> holding METS.xml",
                top_level=sorted(tops)[:20],
            )
        ]
    top = tops.pop()
    try:
        parse_sip_objid(top)
    except InvalidValueError as error:
        return None, [PKG_TOP_FOLDER.finding(top, reason=str(error), top_folder=top)]
    if top != top.lower():
        return None, [PKG_TOP_FOLDER.finding(top, reason="the UUID must be lower-case")]
    return top, []


def _chunks(stream: IO[bytes], size: int) -> Iterator[bytes]:
    while chunk := stream.read(size):
        yield chunk


class _LimitExceeded(Exception):
    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message_en)
        self.finding = finding


def _extract_one(
    archive: zipfile.ZipFile,
    item: _Planned,
    target: Path,
    limits: UnpackLimits,
    written_total: int,
) -> tuple[int, str]:
    """Write one entry to ``target``; the number of bytes and their SHA-256."""
    target.parent.mkdir(parents=True, exist_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    digest = hashlib.sha256()
    size = 0
    fd = os.open(target, flags, 0o600)
    with os.fdopen(fd, "wb") as out, archive.open(item.info) as stream:
        for chunk in _chunks(stream, limits.chunk_size):
            size += len(chunk)
            if size > item.info.file_size:
                raise _LimitExceeded(
                    PKG_ZIP_BOMB.finding(
                        item.name,
                        name=item.name,
                        reason="more bytes than the declared size",
                        declared_size=item.info.file_size,
                    )
                )
            if size > limits.max_entry_bytes or written_total + size > limits.max_total_bytes:
                raise _LimitExceeded(
                    PKG_TOO_LARGE.finding(
                        item.name,
                        size=written_total + size,
                        limit=min(limits.max_entry_bytes, limits.max_total_bytes),
                        where=f" ({item.name})",
                    )
                )
            digest.update(chunk)
            out.write(chunk)
    if size != item.info.file_size:
        raise zipfile.BadZipFile(f"{size} bytes read, {item.info.file_size} declared")
    return size, digest.hexdigest()


def _inside(dest: Path, target: Path) -> bool:
    return target.resolve(strict=False).is_relative_to(dest.resolve())


def unpack(zip_path: Path, dest: Path, limits: UnpackLimits | None = None) -> UnpackResult:
    """Unpack ``zip_path`` into ``dest`` (created, must be empty) and say where the root is."""
    limits, dest = limits or UnpackLimits(), Path(dest)
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        # Never clear a folder that held something before: report and leave it alone.
        return UnpackResult([PKG_UNPACK_FAILED.finding(reason=f"{dest} is not an empty folder")])
    try:
        return _unpack(Path(zip_path), dest, limits)
    except Exception as error:  # an unexpected failure must not pass for a clean unpack
        _clear(dest)
        return UnpackResult([PKG_UNPACK_FAILED.finding(reason=f"{type(error).__name__}: {error}")])


def _clear(dest: Path) -> None:
    if dest.is_dir():
        for child in dest.iterdir():
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()


def _unpack(zip_path: Path, dest: Path, limits: UnpackLimits) -> UnpackResult:
    if not zipfile.is_zipfile(zip_path):
        return UnpackResult([PKG_NOT_ZIP.finding(reason="no zip central directory found")])
    dest.mkdir(parents=True, exist_ok=True)
    try:
        archive = zipfile.ZipFile(zip_path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as error:
        return UnpackResult([PKG_NOT_ZIP.finding(reason=str(error))])
    with archive:
        planned, findings = _plan(archive, limits)
        top, top_findings = _top_folder(planned) if planned else (None, [])
        findings.extend(top_findings)
        if any(f.is_error for f in findings):
            return UnpackResult(findings)
        entries, extract_findings = _extract_all(archive, planned, dest, top, limits)
    findings.extend(extract_findings)
    if any(f.is_error for f in findings):
        _clear(dest)
        return UnpackResult(findings)
    return UnpackResult(findings, dest / top if top else dest, entries)


def _extract_all(
    archive: zipfile.ZipFile,
    planned: list[_Planned],
    dest: Path,
    top: str | None,
    limits: UnpackLimits,
) -> tuple[list[UnpackedEntry], list[Finding]]:
    entries: list[UnpackedEntry] = []
    findings: list[Finding] = []
    total = 0
    for item in planned:
        if item.info.is_dir():
            continue
        target = dest.joinpath(*item.parts)
        if not _inside(dest, target):  # defence in depth: the name checks should make this moot
            findings.append(PKG_PATH_TRAVERSAL.finding(item.name, name=item.name))
            continue
        try:
            size, sha256 = _extract_one(archive, item, target, limits, total)
        except _LimitExceeded as exceeded:
            findings.append(exceeded.finding)
            break  # the budget is spent: stop reading the zip at all
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as error:
            # CRC errors and corrupt streams are per entry: keep going to report every one.
            findings.append(PKG_CRC_ERROR.finding(item.name, name=item.name, reason=str(error)))
            continue
        total += size
        inner = PurePosixPath(*item.parts[1:] if top else item.parts).as_posix()
        entries.append(UnpackedEntry(inner, target, size, sha256))
    return entries, findings
