"""The validation pipeline: a package in, a report out. Pure: no catalog, no HTTP.

Order: unpack safely → read the package → package checks → metadata checks (which include the
state-secret rules: a secret dossier is rejected at once, before any content check opens its
documents) → content checks (virus, format, PDF/A, digitisation, signatures, each a registered
step) → report. Every step reports what it did through ``on_step`` so the caller can record a
PREMIS event for it; every finding of every step is kept. A step that crashes becomes an
indeterminate finding, never a pass. Findings are ordered deterministically, so running the
pipeline again on the same package gives the same report.
"""

from __future__ import annotations

import datetime as dt
import functools
import shutil
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ingest.checks.runner import DEFAULT_ORDER, run_check
from ingest.context import CheckContext, PackageFile
from ingest.findings import Finding, Outcome, Report, Severity, overall_outcome, rule
from ingest.metadata_checks import check_metadata
from ingest.package import Package, content_files, read_package
from ingest.package_checks import check_package
from ingest.unpack import UnpackLimits, unpack

CONTENT_CHECKS: tuple[str, ...] = DEFAULT_ORDER

# PREMIS event types (Library of Congress vocabulary) for each step.
PREMIS_EVENT_TYPES = {
    "unpack": "unpacking",
    "read": "metadata extraction",
    "package": "validation",
    "metadata": "validation",
    "virus": "virus check",
    "format": "format identification",
    "pdfa": "validation",
    "digitised": "validation",
    "signature": "digital signature validation",
}

STEP_CRASHED = rule(
    "PIPE-STEP-CRASHED",
    Severity.ERROR,
    "Bước kiểm tra {step} không hoàn thành: {error}",
    "Check step {step} did not finish: {error}",
    outcome=Outcome.INDETERMINATE,
)
STEP_SKIPPED = rule(
    "PIPE-STEP-SKIPPED",
    Severity.INFO,
    "Bước kiểm tra {step} không chạy: {reason}",
    "Check step {step} was not run: {reason}",
    outcome=Outcome.INDETERMINATE,
)


@dataclass(frozen=True)
class PipelineConfig:
    check_context: CheckContext
    unpack_limits: UnpackLimits = field(default_factory=UnpackLimits)
    content_checks: Sequence[str] = CONTENT_CHECKS
    agency_code: str | None = None  # the submitting agency; the dossier must belong to it


@dataclass(frozen=True)
class StepRecord:
    name: str
    outcome: Outcome
    started_at: dt.datetime
    seconds: float
    findings: int
    errors: int

    @property
    def premis_event_type(self) -> str:
        return PREMIS_EVENT_TYPES.get(self.name, "validation")


@dataclass
class PipelineResult:
    report: Report
    steps: list[StepRecord]
    package: Package | None
    files: list[PackageFile]

    @property
    def file_code(self) -> str | None:
        if self.package is None:
            return None
        return self.package.file_code

    @property
    def secret(self) -> bool:
        """A state secret: its bytes must not be kept (Luật Bảo vệ bí mật nhà nước)."""
        return any(f.code.startswith("SEC-") and f.is_error for f in self.report.findings)

    @property
    def infected(self) -> bool:
        return any(f.code == "VIR-FOUND" for f in self.report.findings)


def _sort_key(finding: Finding) -> tuple[str, str, str]:
    return (finding.path or "", finding.code, finding.message_en)


class _Steps:
    def __init__(self, on_step: Callable[[StepRecord], None] | None) -> None:
        self.findings: list[Finding] = []
        self.records: list[StepRecord] = []
        self.on_step = on_step

    def run(self, name: str, step: Callable[[], list[Finding]]) -> list[Finding]:
        started = dt.datetime.now(dt.UTC)
        clock = time.perf_counter()
        try:
            found = list(step())
        except Exception as exc:  # a crash is reported, never taken for a pass
            error = "".join(traceback.format_exception_only(exc)).strip()
            found = [STEP_CRASHED.finding(None, step=name, error=error)]
        found.sort(key=_sort_key)
        self.findings.extend(found)
        record = StepRecord(
            name=name,
            outcome=overall_outcome(found),
            started_at=started,
            seconds=time.perf_counter() - clock,
            findings=len(found),
            errors=sum(1 for f in found if f.is_error),
        )
        self.records.append(record)
        if self.on_step is not None:
            self.on_step(record)
        return found

    def skip(self, names: Sequence[str], reason: str) -> None:
        for name in names:
            finding = STEP_SKIPPED.finding(None, step=name, reason=reason)
            self.run(name, functools.partial(list, [finding]))


def run_pipeline(
    zip_path: Path,
    work_dir: Path,
    config: PipelineConfig,
    on_step: Callable[[StepRecord], None] | None = None,
) -> PipelineResult:
    """Validate one package. ``work_dir`` is emptied first: a re-run starts from scratch."""
    if work_dir.exists():
        shutil.rmtree(work_dir)
    work_dir.mkdir(parents=True)
    steps = _Steps(on_step)
    later = ["read", "package", "metadata", *config.content_checks]

    unpacked: list[Path | None] = [None]

    def do_unpack() -> list[Finding]:
        result = unpack(zip_path, work_dir / "package", config.unpack_limits)
        unpacked[0] = result.root
        return list(result.findings)

    steps.run("unpack", do_unpack)
    root = unpacked[0]
    if root is None:
        steps.skip(later, "gói tin không giải nén an toàn được / the package could not be unpacked")
        return PipelineResult(_report(steps, config), steps.records, None, [])

    read: list[Package | None] = [None]

    def do_read() -> list[Finding]:
        package, found = read_package(root)
        read[0] = package
        return list(found)

    steps.run("read", do_read)
    package = read[0]
    if package is None:
        steps.skip(later[1:], "không đọc được METS / the METS could not be read")
        return PipelineResult(_report(steps, config), steps.records, None, [])

    steps.run("package", lambda: check_package(package, root))
    metadata = steps.run(
        "metadata", lambda: check_metadata(package, root, agency_code=config.agency_code)
    )
    if any(f.code.startswith("SEC-") and f.is_error for f in metadata):
        steps.skip(
            config.content_checks,
            "hồ sơ mật bị từ chối ngay / a state-secret dossier is rejected at once",
        )
        return PipelineResult(_report(steps, config), steps.records, package, [])

    files = content_files(package)
    existing = [f for f in files if f.path.is_file()]
    ctx = config.check_context
    if ctx.work_dir is None:
        ctx = _with_work_dir(ctx, work_dir / "checks")
    for name in config.content_checks:
        steps.run(name, functools.partial(run_check, name, existing, ctx))
    return PipelineResult(_report(steps, config), steps.records, package, files)


def _with_work_dir(ctx: CheckContext, path: Path) -> CheckContext:
    path.mkdir(parents=True, exist_ok=True)
    clone = CheckContext(**{**ctx.__dict__, "work_dir": path})
    return clone


def _report(steps: _Steps, config: PipelineConfig) -> Report:
    engines = {
        "pipeline": [record.name for record in steps.records],
        "content_checks": list(config.content_checks),
    }
    return Report(checked_at=dt.datetime.now(dt.UTC), findings=steps.findings, engines=engines)
