"""Virus scan with ClamAV: clamd's socket when configured and answering, else ``clamscan``.

Fail closed: a file is clean only when the engine said ``OK`` for it. No signature database,
a file over the engine's limits, a crash, a timeout or an unreadable file all give
``VIR-NOT-SCANNED`` (indeterminate), never a pass. ClamAV reports files over its size limits
as ``Heuristics.Limits.Exceeded.*`` when asked to (``--alert-exceeds-max``, clamd
``AlertExceedsMax``); those are "not scanned", not viruses.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ingest.checks.clamd_client import ClamdClient, ClamdError, ScanAnswer
from ingest.context import CheckContext, PackageFile
from ingest.findings import Finding, Outcome, Severity, rule

NAME = "virus"

DEFAULT_DATABASE_DIR = Path("/var/lib/clamav")
LIMIT_SIGNATURE_PREFIX = "Heuristics.Limits.Exceeded"
DATABASE_SUFFIXES = (".cvd", ".cld", ".cud", ".hdb", ".hsb", ".ndb", ".ldb", ".mdb", ".msb", ".cdb")

VIR_FOUND = rule(
    "VIR-FOUND",
    Severity.ERROR,
    "Phát hiện mã độc trong tệp: {signature}",
    "Malware found in the file: {signature}",
    source="TT 05/2025/TT-BNV Điều 26 (bảo đảm an toàn tài liệu lưu trữ số)",
)
VIR_NOT_SCANNED = rule(
    "VIR-NOT-SCANNED",
    Severity.ERROR,
    "Không quét được mã độc cho tệp: {reason}",
    "The file could not be scanned for malware: {reason}",
    outcome=Outcome.INDETERMINATE,
    source="TT 05/2025/TT-BNV Điều 26 (bảo đảm an toàn tài liệu lưu trữ số)",
)
VIR_CLEAN = rule(
    "VIR-CLEAN",
    Severity.INFO,
    "Không phát hiện mã độc",
    "No malware found",
    outcome=Outcome.PASSED,
)


def check_files(files: Sequence[PackageFile], ctx: CheckContext) -> list[Finding]:
    if not files:
        return []
    if ctx.clamd_socket:
        client = ClamdClient(ctx.clamd_socket, timeout=ctx.step_timeout_seconds)
        if client.ping():
            return [_scan_with_clamd(client, item) for item in files]
        fallback = f"clamd at {ctx.clamd_socket} did not answer PING; used clamscan"
        return _scan_with_clamscan(files, ctx, note=fallback)
    return _scan_with_clamscan(files, ctx)


def _answer_finding(item: PackageFile, answer: ScanAnswer, engine: str) -> Finding:
    path = item.logical_path
    if answer.status == "found" and answer.signature:
        if answer.signature.startswith(LIMIT_SIGNATURE_PREFIX):
            return VIR_NOT_SCANNED.finding(
                path, reason=f"over the scanner's limits ({answer.signature})", engine=engine
            )
        return VIR_FOUND.finding(path, signature=answer.signature, engine=engine)
    if answer.status == "clean":
        return VIR_CLEAN.finding(path, engine=engine)
    return VIR_NOT_SCANNED.finding(path, reason=answer.message or "scanner error", engine=engine)


def _scan_with_clamd(client: ClamdClient, item: PackageFile) -> Finding:
    try:
        answer = client.scan_file(item.path)
    except OSError as exc:
        return VIR_NOT_SCANNED.finding(item.logical_path, reason=f"unreadable: {exc}")
    except ClamdError as exc:
        return VIR_NOT_SCANNED.finding(item.logical_path, reason=str(exc), engine="clamd")
    return _answer_finding(item, answer, "clamd")


def _clamscan_command(ctx: CheckContext, list_file: Path) -> list[str]:
    command = [ctx.clamscan_path, "--no-summary", "--stdout", "--alert-exceeds-max=yes"]
    if ctx.clamav_database_dir is not None:
        command.append(f"--database={ctx.clamav_database_dir}")
    command.append(f"--file-list={list_file}")
    return command


def _parse_clamscan_line(line: str) -> ScanAnswer:
    _, _, verdict = line.rpartition(": ")
    # Nothing to scan in a zero-byte file; clamd answers OK for it too.
    if verdict in ("OK", "Empty file"):
        return ScanAnswer("clean", message=line)
    if verdict.endswith(" FOUND"):
        return ScanAnswer("found", signature=verdict[: -len(" FOUND")], message=line)
    return ScanAnswer("error", message=verdict or line)


def _scan_with_clamscan(
    files: Sequence[PackageFile], ctx: CheckContext, note: str = ""
) -> list[Finding]:
    extra = {"note": note} if note else {}
    if shutil.which(ctx.clamscan_path) is None:
        return [
            VIR_NOT_SCANNED.finding(
                item.logical_path, reason=f"{ctx.clamscan_path} is not installed", **extra
            )
            for item in files
        ]
    with tempfile.TemporaryDirectory(prefix="luutru-clamscan-") as tmp:
        list_file = Path(tmp) / "files.txt"
        # One clamscan run for all files: loading a full signature database takes seconds.
        list_file.write_text("".join(f"{item.path}\n" for item in files), encoding="utf-8")
        try:
            completed = subprocess.run(
                _clamscan_command(ctx, list_file),
                capture_output=True,
                text=True,
                timeout=ctx.step_timeout_seconds,
                check=False,
            )
        except subprocess.TimeoutExpired:
            reason = f"clamscan timed out after {ctx.step_timeout_seconds:g} s"
            return [VIR_NOT_SCANNED.finding(i.logical_path, reason=reason, **extra) for i in files]
        except OSError as exc:
            reason = f"clamscan could not run: {exc}"
            return [VIR_NOT_SCANNED.finding(i.logical_path, reason=reason, **extra) for i in files]
    answers: dict[str, ScanAnswer] = {}
    for line in completed.stdout.splitlines():
        for item in files:
            if line.startswith(f"{item.path}: "):
                answers[str(item.path)] = _parse_clamscan_line(line)
    stderr = " ".join(completed.stderr.split())[:500]
    findings: list[Finding] = []
    for item in files:
        answer = answers.get(str(item.path))
        if answer is None:
            reason = f"clamscan exit code {completed.returncode}: {stderr or 'no result'}"
            findings.append(VIR_NOT_SCANNED.finding(item.logical_path, reason=reason, **extra))
            continue
        finding = _answer_finding(item, answer, "clamscan")
        if extra:
            finding.detail.update(extra)
        findings.append(finding)
    return findings


@dataclass(frozen=True)
class DatabaseFile:
    name: str
    version: int | None  # CVD/CLD header version; None for custom signature files
    built_at: dt.datetime
    signatures: int | None


@dataclass
class DatabaseStatus:
    """What ``luutru check`` shows of the virus scanner: engine, database files and age."""

    engine: str
    engine_version: str | None
    database_dir: Path
    files: list[DatabaseFile] = field(default_factory=list)
    error: str | None = None

    @property
    def newest(self) -> dt.datetime | None:
        return max((item.built_at for item in self.files), default=None)

    def age(self, now: dt.datetime | None = None) -> dt.timedelta | None:
        newest = self.newest
        if newest is None:
            return None
        return (now or dt.datetime.now(dt.UTC)) - newest

    @property
    def usable(self) -> bool:
        return self.error is None and bool(self.files)


def _read_database_file(path: Path) -> DatabaseFile:
    mtime = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC)
    if path.suffix not in (".cvd", ".cld", ".cud"):
        return DatabaseFile(path.name, None, mtime, None)
    with path.open("rb") as stream:
        header = stream.read(512).decode("ascii", "replace").rstrip("\0 ")
    # ClamAV-VDB:<build time>:<version>:<signatures>:<functionality>:<md5>:<dsig>:<builder>:<stime>
    fields = header.split(":")
    if len(fields) < 4 or fields[0] != "ClamAV-VDB":
        return DatabaseFile(path.name, None, mtime, None)
    built_at = mtime
    if len(fields) > 8 and fields[8].strip().isdigit():
        built_at = dt.datetime.fromtimestamp(int(fields[8].strip()), dt.UTC)
    version = int(fields[2]) if fields[2].isdigit() else None
    signatures = int(fields[3]) if fields[3].isdigit() else None
    return DatabaseFile(path.name, version, built_at, signatures)


def database_status(ctx: CheckContext) -> DatabaseStatus:
    """Engine version and the signature database's files, versions and build times."""
    database_dir = ctx.clamav_database_dir or DEFAULT_DATABASE_DIR
    engine, engine_version = "clamscan", None
    if ctx.clamd_socket:
        client = ClamdClient(ctx.clamd_socket, timeout=10.0)
        try:
            engine_version, engine = client.version(), "clamd"
        except ClamdError:
            engine_version = None
    if engine_version is None and shutil.which(ctx.clamscan_path):
        try:
            completed = subprocess.run(
                [ctx.clamscan_path, "--version"],
                capture_output=True,
                text=True,
                timeout=30,
                check=False,
            )
            engine_version = completed.stdout.strip() or None
        except (OSError, subprocess.TimeoutExpired):
            engine_version = None
    status = DatabaseStatus(engine, engine_version, database_dir)
    if engine_version is None:
        status.error = "ClamAV is not installed or clamd does not answer"
    try:
        entries = sorted(os.scandir(database_dir), key=lambda entry: entry.name)
    except OSError as exc:
        status.error = f"cannot read the signature database directory: {exc}"
        return status
    for entry in entries:
        if entry.is_file() and entry.name.endswith(DATABASE_SUFFIXES):
            status.files.append(_read_database_file(Path(entry.path)))
    if not status.files and status.error is None:
        status.error = f"no signature database in {database_dir}"
    return status
