"""Run a selection of content checks over files, each guarded and time-limited.

A check that raises, or does not finish within ``ctx.step_timeout_seconds``, becomes one
``CHECK-CRASHED`` / ``CHECK-TIMEOUT`` finding (indeterminate) and the other checks still run.
A check whose module cannot be imported (``pdfa`` is written separately) is reported
``CHECK-NOT-AVAILABLE`` (indeterminate), never passed.

The time limit runs the check in a worker thread and stops waiting for it; Python cannot kill
a thread, so a check that hangs keeps its thread until it returns. The external tools the checks
call (clamscan, clamd) have their own timeouts.
"""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import importlib
import traceback
from collections.abc import Iterable, Sequence
from pathlib import Path

from ingest.checks import FileCheck
from ingest.context import CheckContext, PackageFile
from ingest.findings import Finding, Outcome, Report, Severity, rule

CHECK_MODULES: dict[str, str] = {
    "virus": "ingest.checks.virus",
    "format": "ingest.checks.formats",
    "pdfa": "ingest.checks.pdfa",
    "digitised": "ingest.checks.digitised",
    "signature": "ingest.checks.signatures",
}
DEFAULT_ORDER: tuple[str, ...] = tuple(CHECK_MODULES)

CHECK_NOT_AVAILABLE = rule(
    "CHECK-NOT-AVAILABLE",
    Severity.ERROR,
    "Bước kiểm tra {check} chưa có trong hệ thống: {reason}",
    "Check {check} is not available: {reason}",
    outcome=Outcome.INDETERMINATE,
)
CHECK_CRASHED = rule(
    "CHECK-CRASHED",
    Severity.ERROR,
    "Bước kiểm tra {check} gặp lỗi và không hoàn thành: {error}",
    "Check {check} failed with an error and did not finish: {error}",
    outcome=Outcome.INDETERMINATE,
)
CHECK_TIMEOUT = rule(
    "CHECK-TIMEOUT",
    Severity.ERROR,
    "Bước kiểm tra {check} vượt quá thời gian cho phép ({seconds:g} giây)",
    "Check {check} exceeded its time limit ({seconds:g} s)",
    outcome=Outcome.INDETERMINATE,
)
CHECK_UNKNOWN = rule(
    "CHECK-UNKNOWN",
    Severity.ERROR,
    "Không có bước kiểm tra tên {check}",
    "There is no check named {check}",
    outcome=Outcome.INDETERMINATE,
)


def load_check(name: str) -> FileCheck:
    """The ``check_files`` function of a named check; ImportError when it is not there."""
    module = importlib.import_module(CHECK_MODULES[name])
    function = getattr(module, "check_files", None)
    if function is None:
        raise ImportError(f"{CHECK_MODULES[name]} has no check_files")
    checked: FileCheck = function
    return checked


def _as_files(paths_or_files: Iterable[PackageFile | Path | str]) -> list[PackageFile]:
    files = []
    for item in paths_or_files:
        if isinstance(item, PackageFile):
            files.append(item)
            continue
        path = Path(item)
        files.append(PackageFile(path=path, logical_path=path.name, size=path.stat().st_size))
    return files


def run_check(name: str, files: Sequence[PackageFile], ctx: CheckContext) -> list[Finding]:
    """One check, guarded: whatever happens, the result is findings."""
    if name not in CHECK_MODULES:
        return [CHECK_UNKNOWN.finding(None, check=name)]
    try:
        check = load_check(name)
    except ImportError as exc:
        return [CHECK_NOT_AVAILABLE.finding(None, check=name, reason=str(exc))]
    executor = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
    try:
        future = executor.submit(check, files, ctx)
        return list(future.result(timeout=ctx.step_timeout_seconds))
    except concurrent.futures.TimeoutError:
        return [CHECK_TIMEOUT.finding(None, check=name, seconds=ctx.step_timeout_seconds)]
    except Exception as exc:
        return [
            CHECK_CRASHED.finding(
                None,
                check=name,
                error=f"{type(exc).__name__}: {exc}",
                traceback=traceback.format_exc(limit=5),
            )
        ]
    finally:
        executor.shutdown(wait=False, cancel_futures=True)


def run_file_checks(
    paths_or_files: Iterable[PackageFile | Path | str],
    checks: Sequence[str] | None,
    ctx: CheckContext,
) -> Report:
    """Run the named checks (all of them, in pipeline order, when ``checks`` is None)."""
    files = _as_files(paths_or_files)
    report = Report(checked_at=dt.datetime.now(dt.UTC))
    for name in checks or DEFAULT_ORDER:
        started = dt.datetime.now(dt.UTC)
        findings = run_check(name, files, ctx)
        report.findings.extend(findings)
        report.engines[name] = {
            "module": CHECK_MODULES.get(name),
            "findings": len(findings),
            "seconds": round((dt.datetime.now(dt.UTC) - started).total_seconds(), 3),
        }
    return report
