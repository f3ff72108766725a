"""The built-in PDF/A-2b pre-flight: pikepdf.pdfa plus this package's own rules.

It is not a full conformance validation. Its result always carries the list of clauses it
covers (``PDFA-BUILTIN-SCOPE``) and, when nothing was found, says "pre-flight passed", never
"valid PDF/A".
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pikepdf
import pikepdf.pdfa

from ingest.checks.pdfa import rules
from ingest.checks.pdfa.actions import check_actions
from ingest.checks.pdfa.colour import check_device_colour
from ingest.checks.pdfa.content import PaintedContent, painted_content
from ingest.checks.pdfa.file_structure import check_file_structure
from ingest.checks.pdfa.fonts import check_fonts_embedded
from ingest.checks.pdfa.interactive import (
    check_embedded_files,
    check_forms,
    check_optional_content,
)
from ingest.checks.pdfa.pikepdf_bridge import BridgeContext, translate
from ingest.checks.pdfa.spot_colour import check_spot_colour
from ingest.checks.pdfa.xmp import XmpReading, check_xmp, read_xmp
from ingest.findings import Finding, Outcome, Severity

ENGINE = "builtin"
FLAVOUR = "2b"

COVERED_CLAUSES: tuple[str, ...] = (
    "6.1.2 header",
    "6.1.3 trailer, encryption, %%EOF",
    "6.1.6 strings",
    "6.1.7 streams (filters)",
    "6.1.8 names",
    "6.1.9 object syntax",
    "6.1.10 inline images",
    "6.1.12 permissions",
    "6.1.13 implementation limits",
    "6.2.2 content streams",
    "6.2.3 output intent",
    "6.2.4 colour spaces",
    "6.2.5 graphics state",
    "6.2.6 rendering intents",
    "6.2.8 images (not JPEG 2000)",
    "6.2.9 XObjects",
    "6.2.10 transparency",
    "6.2.11 fonts",
    "6.3 annotations",
    "6.4 forms and signatures",
    "6.5 actions and JavaScript",
    "6.6.2 XMP metadata: predefined schema value types, extension schemas",
    "6.6.4 PDF/A identification",
    "6.8 embedded files",
    "6.9 optional content",
    "6.10 alternate presentations",
    "6.11 document requirements",
)


def check_pdf_builtin(disk_path: Path, logical: str) -> list[Finding]:
    findings: list[Finding] = []
    _run_step(findings, logical, "file structure", lambda: check_file_structure(disk_path, logical))
    try:
        pdf = pikepdf.open(disk_path, inherit_page_attributes=False)
    except pikepdf.PasswordError:
        findings.append(
            rules.ENCRYPTED.finding(logical, clause="6.1.3", verapdf_rule="ISO_19005_2:6.1.3-2")
        )
        return _with_scope(findings, logical)
    except Exception as exc:
        findings.append(rules.UNREADABLE.finding(logical, reason=f"{type(exc).__name__}: {exc}"))
        return _with_scope(findings, logical)
    with pdf:
        findings.extend(_check_open(pdf, disk_path, logical))
    return _with_scope(findings, logical)


def _check_open(pdf: pikepdf.Pdf, disk_path: Path, logical: str) -> list[Finding]:
    findings: list[Finding] = []
    xmp = XmpReading()
    try:
        xmp = read_xmp(pdf)
    except Exception as exc:
        findings.append(_indeterminate(logical, "XMP", exc))
    painted_cache: list[PaintedContent] = []

    def painted() -> PaintedContent:
        if not painted_cache:
            painted_cache.append(painted_content(pdf))
        return painted_cache[0]

    def pikepdf_findings() -> list[Finding]:
        report = pikepdf.pdfa.validate_written(disk_path, FLAVOUR)
        context = BridgeContext(
            logical,
            xmp,
            lambda: painted().painted_forms,
            lambda: any(
                op == "Tr" and operands and operands[0] == 3
                for op, operands, _resources in painted().operators
            ),
        )
        return translate(report.findings, context)

    _run_step(findings, logical, "pikepdf.pdfa", pikepdf_findings)
    _run_step(findings, logical, "XMP", lambda: check_xmp(xmp, logical))
    _run_step(findings, logical, "actions", lambda: check_actions(pdf, logical))
    _run_step(findings, logical, "forms", lambda: check_forms(pdf, logical))
    _run_step(findings, logical, "embedded files", lambda: check_embedded_files(pdf, logical))
    _run_step(findings, logical, "optional content", lambda: check_optional_content(pdf, logical))
    _run_step(findings, logical, "fonts", lambda: check_fonts_embedded(painted(), logical))
    _run_step(
        findings, logical, "device colour", lambda: check_device_colour(pdf, painted(), logical)
    )
    _run_step(findings, logical, "spot colour", lambda: check_spot_colour(pdf, painted(), logical))
    return findings


def _run_step(
    findings: list[Finding], logical: str, step: str, run: Callable[[], list[Finding]]
) -> None:
    """Run one group of rules; a crash in it is indeterminate and does not stop the others."""
    try:
        findings.extend(run())
    except Exception as exc:
        findings.append(_indeterminate(logical, step, exc))


def _indeterminate(logical: str, step: str, exc: Exception) -> Finding:
    return rules.UNREADABLE.finding(logical, reason=f"{step}: {type(exc).__name__}: {exc}")


def _with_scope(findings: list[Finding], logical: str) -> list[Finding]:
    unique = _deduplicate(findings)
    for finding in unique:
        finding.detail.setdefault("engine", ENGINE)
    clauses = ", ".join(COVERED_CLAUSES)
    unique.append(
        rules.BUILTIN_SCOPE.finding(
            logical, clauses=clauses, covered_clauses=list(COVERED_CLAUSES), engine=ENGINE
        )
    )
    if not any(f.outcome is not Outcome.PASSED and f.severity is Severity.ERROR for f in unique):
        unique.append(rules.PREFLIGHT_PASSED.finding(logical, engine=ENGINE))
    return unique


def _deduplicate(findings: list[Finding]) -> list[Finding]:
    seen: set[tuple[str, str, str]] = set()
    unique: list[Finding] = []
    for finding in findings:
        key = (finding.code, str(finding.detail.get("verapdf_rule")), finding.message_en)
        if key not in seen:
            seen.add(key)
            unique.append(finding)
    return unique
