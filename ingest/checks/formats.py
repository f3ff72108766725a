"""Format identification by content with Siegfried (PRONOM), judged by the TT05 format policy.

Every file gets an ``FMT-IDENTIFIED`` info finding recording PUID, format name, version, MIME
type and Siegfried's basis (the evidence for the AIP's PREMIS format). Then, from
``metadata_schemas.format_policy``: not allowed → ``FMT-NOT-ALLOWED``; plain PDF for a record →
``FMT-PDF-NOT-PDFA``; digitised paper not in PDF/A → ``FMT-DIGITISED-NOT-PDFA``; no
identification → ``FMT-UNIDENTIFIED``; extension disagreeing with the content →
``FMT-EXTENSION-MISMATCH`` (warning).

A match on the file extension alone is not an identification by content. It is accepted only
for text formats that PRONOM cannot recognise by bytes (CSV) and only if the file really is text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pygfried

from ingest.context import CheckContext, PackageFile
from ingest.findings import Finding, Outcome, Severity, rule
from metadata_schemas import format_policy
from metadata_schemas.format_policy import Verdict

NAME = "format"

TEXT_ONLY_PUIDS = frozenset({"x-fmt/18"})  # no byte signature in PRONOM
TEXT_SNIFF_BYTES = 64 * 1024
SOURCE_TT05 = "TT 05/2025/TT-BNV Điều 8 và Phụ lục (bảng định dạng MIME)"

FMT_IDENTIFIED = rule(
    "FMT-IDENTIFIED",
    Severity.INFO,
    "Định dạng tệp: {format_name} ({puid})",
    "File format: {format_name} ({puid})",
    outcome=Outcome.PASSED,
)
FMT_NOT_ALLOWED = rule(
    "FMT-NOT-ALLOWED",
    Severity.ERROR,
    "Định dạng {format_name} ({puid}) không thuộc danh mục định dạng được phép",
    "Format {format_name} ({puid}) is not in the list of allowed formats",
    source=SOURCE_TT05,
)
FMT_PDF_NOT_PDFA = rule(
    "FMT-PDF-NOT-PDFA",
    Severity.ERROR,
    "Tài liệu PDF chưa ở định dạng PDF/A ({puid}); cần chuyển sang PDF/A trước khi ký số",
    "The PDF document is not PDF/A ({puid}); convert it to PDF/A before signing",
    source=SOURCE_TT05,
)
FMT_DIGITISED_NOT_PDFA = rule(
    "FMT-DIGITISED-NOT-PDFA",
    Severity.ERROR,
    "Tài liệu số hóa phải ở định dạng PDF/A, tệp này là {format_name} ({puid})",
    "A digitised document must be PDF/A; this file is {format_name} ({puid})",
    source=SOURCE_TT05,
)
FMT_UNIDENTIFIED = rule(
    "FMT-UNIDENTIFIED",
    Severity.ERROR,
    "Không xác định được định dạng của tệp theo nội dung: {reason}",
    "The file's format could not be identified from its content: {reason}",
    source=SOURCE_TT05,
)
FMT_EXTENSION_MISMATCH = rule(
    "FMT-EXTENSION-MISMATCH",
    Severity.WARNING,
    "Phần mở rộng của tệp (.{extension}) không khớp với nội dung ({format_name})",
    "The file extension (.{extension}) does not match its content ({format_name})",
)
FMT_NOT_CHECKED = rule(
    "FMT-NOT-CHECKED",
    Severity.ERROR,
    "Không kiểm tra được định dạng của tệp: {reason}",
    "The file's format could not be checked: {reason}",
    outcome=Outcome.INDETERMINATE,
)


@dataclass(frozen=True)
class Identification:
    puid: str
    format_name: str
    version: str
    mime: str
    basis: str
    warning: str
    alternatives: tuple[str, ...] = ()

    @property
    def extension_only(self) -> bool:
        return "match on extension only" in self.warning

    def detail(self) -> dict[str, Any]:
        return {
            "puid": self.puid,
            "format_name": self.format_name,
            "format_version": self.version,
            "mime": self.mime,
            "basis": self.basis,
            "siegfried_warning": self.warning,
            "alternatives": list(self.alternatives),
        }


class IdentificationError(Exception):
    pass


def identify(path: Path) -> Identification | None:
    """Siegfried's PRONOM match for a file; None when it matched nothing."""
    try:
        result = pygfried.identify(str(path), detailed=True)
    except Exception as exc:  # pygfried raises its own Go error types
        raise IdentificationError(f"siegfried failed: {exc}") from exc
    entries = result.get("files") or []
    if not entries:
        raise IdentificationError("siegfried returned no result")
    entry = entries[0]
    errors = str(entry.get("errors") or "")
    if errors and errors != "empty source":
        raise IdentificationError(errors)
    matches = [m for m in entry.get("matches") or [] if m.get("ns") == "pronom"]
    if errors == "empty source" or not matches or matches[0].get("id") == "UNKNOWN":
        return None
    first = matches[0]
    return Identification(
        puid=str(first["id"]),
        format_name=str(first.get("format") or ""),
        version=str(first.get("version") or ""),
        mime=str(first.get("mime") or ""),
        basis=str(first.get("basis") or ""),
        warning=str(first.get("warning") or ""),
        alternatives=tuple(str(m["id"]) for m in matches[1:]),
    )


def siegfried_version() -> str:
    return str(pygfried.version())


def _looks_like_text(path: Path) -> bool:
    with path.open("rb") as stream:
        head = stream.read(TEXT_SNIFF_BYTES)
    if not head or b"\0" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the sample is still text.
        return exc.start >= len(head) - 3
    return True


def check_file(item: PackageFile) -> list[Finding]:
    path = item.logical_path
    try:
        found = identify(item.path)
    except IdentificationError as exc:
        return [FMT_NOT_CHECKED.finding(path, reason=str(exc))]
    if found is None:
        reason = "empty file" if item.size == 0 else "no PRONOM signature matched"
        return [FMT_UNIDENTIFIED.finding(path, reason=reason)]
    detail = found.detail()
    if found.extension_only:
        try:
            accepted = found.puid in TEXT_ONLY_PUIDS and _looks_like_text(item.path)
        except OSError as exc:
            return [FMT_NOT_CHECKED.finding(path, reason=f"unreadable: {exc}")]
        if not accepted:
            reason = f"only the extension suggests {found.format_name} ({found.puid})"
            return [FMT_UNIDENTIFIED.finding(path, reason=reason, **detail)]
    findings = [FMT_IDENTIFIED.finding(path, **detail)]
    confidence = item.document.confidence_level if item.document else None
    verdict = format_policy.decide(found.puid, path, confidence)
    if verdict is Verdict.NOT_ALLOWED:
        findings.append(FMT_NOT_ALLOWED.finding(path, **detail))
    elif verdict is Verdict.PDF_NOT_PDFA:
        findings.append(FMT_PDF_NOT_PDFA.finding(path, **detail))
    elif verdict is Verdict.DIGITISED_NOT_PDFA:
        findings.append(FMT_DIGITISED_NOT_PDFA.finding(path, **detail))
    if "extension mismatch" in found.warning:
        extension = Path(path).suffix.lstrip(".") or "(none)"
        findings.append(FMT_EXTENSION_MISMATCH.finding(path, extension=extension, **detail))
    return findings


def check_files(files: Sequence[PackageFile], ctx: CheckContext) -> list[Finding]:
    findings: list[Finding] = []
    for item in files:
        findings.extend(check_file(item))
    return findings
