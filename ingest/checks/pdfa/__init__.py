"""PDF/A conformance check (codes ``PDFA-…``): veraPDF when configured, built-in pre-flight always.

The pipeline calls :func:`check_files`; :func:`check_pdf` checks one file with the built-in
engine only. Every finding says in ``detail["engine"]`` which engine produced it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ingest.checks.pdfa.builtin import COVERED_CLAUSES, check_pdf_builtin
from ingest.checks.pdfa.verapdf import check_with_verapdf
from ingest.context import CheckContext, PackageFile
from ingest.findings import Finding

NAME = "pdfa"
_PDF_MAGIC = b"%PDF-"
_MAGIC_WINDOW = 1024  # readers accept the header within the first kilobyte

__all__ = ["COVERED_CLAUSES", "NAME", "check_files", "check_pdf", "is_pdf"]


def is_pdf(path: Path) -> bool:
    """Content, not extension, decides: a PDF has ``%PDF-`` near its start."""
    try:
        with path.open("rb") as handle:
            return _PDF_MAGIC in handle.read(_MAGIC_WINDOW)
    except OSError:
        return path.suffix.lower() == ".pdf"


def check_pdf(path: Path | str, logical_path: str | None = None) -> list[Finding]:
    """Built-in PDF/A-2b pre-flight of one file."""
    disk_path = Path(path)
    return check_pdf_builtin(disk_path, logical_path or disk_path.name)


def check_files(files: Sequence[PackageFile], ctx: CheckContext) -> list[Finding]:
    pdfs = [f for f in files if f.path.suffix.lower() == ".pdf" or is_pdf(f.path)]
    findings: list[Finding] = []
    for package_file in pdfs:
        findings.extend(check_pdf_builtin(package_file.path, package_file.logical_path))
    if ctx.verapdf_path and pdfs:
        findings.extend(
            check_with_verapdf(
                ctx.verapdf_path,
                [(f.path, f.logical_path) for f in pdfs],
                timeout_seconds=ctx.verapdf_timeout_seconds,
                heap=ctx.verapdf_heap,
                work_dir=ctx.work_dir,
            )
        )
    return findings
