"""Run the veraPDF command line over all PDFs of a package and read its machine-readable report.

One process (one JVM) checks every PDF of the package: starting Java costs more than checking a
typical document. The report (``--format mrr``) is written to a temporary file and read as a
stream, so a large report never sits wholly in memory.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from lxml import etree

from ingest.checks.pdfa import rules
from ingest.findings import Finding

ENGINE = "veraPDF"
FLAVOUR = "2b"
MAX_CONTEXTS_PER_RULE = 5


@dataclass(frozen=True)
class VeraPdfRun:
    """What one veraPDF process produced: its exit code and where its report was written."""

    returncode: int | None  # None when the process was killed on timeout
    report_path: Path
    stderr_tail: str
    timed_out: bool


def run_verapdf(
    executable: str,
    pdf_paths: Sequence[Path],
    *,
    timeout_seconds: float,
    heap: str,
    work_dir: Path | None = None,
) -> VeraPdfRun:
    """Start veraPDF once for all ``pdf_paths``; kill its whole process group on timeout."""
    env = dict(os.environ)
    # veraPDF's launcher script passes JAVA_OPTS to the JVM.
    env["JAVA_OPTS"] = f"{env.get('JAVA_OPTS', '')} -Xmx{heap}".strip()
    command = [executable, "--format", "mrr", "--flavour", FLAVOUR, *map(str, pdf_paths)]
    report_fd, report_name = tempfile.mkstemp(prefix="verapdf-", suffix=".xml", dir=work_dir)
    with os.fdopen(report_fd, "wb") as report_file, tempfile.TemporaryFile() as stderr_file:
        try:
            process = subprocess.Popen(
                command,
                stdout=report_file,
                stderr=stderr_file,
                stdin=subprocess.DEVNULL,
                env=env,
                start_new_session=True,
            )
        except OSError as exc:
            return VeraPdfRun(None, Path(report_name), f"{type(exc).__name__}: {exc}", False)
        timed_out = False
        try:
            returncode: int | None = process.wait(timeout=timeout_seconds)
        except subprocess.TimeoutExpired:
            timed_out = True
            _kill_group(process)
            returncode = None
        return VeraPdfRun(returncode, Path(report_name), _tail(stderr_file), timed_out)


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def _tail(stream: IO[bytes], limit: int = 2000) -> str:
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    stream.seek(max(0, size - limit))
    return stream.read().decode("utf-8", "replace").strip()


def check_with_verapdf(
    executable: str,
    files: Sequence[tuple[Path, str]],
    *,
    timeout_seconds: float,
    heap: str,
    work_dir: Path | None = None,
) -> list[Finding]:
    """Validate ``files`` (disk path, logical path) with veraPDF; one finding list for all."""
    if not files:
        return []
    disk_paths = [path.resolve() for path, _ in files]
    run = run_verapdf(
        executable, disk_paths, timeout_seconds=timeout_seconds, heap=heap, work_dir=work_dir
    )
    try:
        return findings_from_run(run, files, timeout_seconds)
    finally:
        run.report_path.unlink(missing_ok=True)


def findings_from_run(
    run: VeraPdfRun, files: Sequence[tuple[Path, str]], timeout_seconds: float
) -> list[Finding]:
    logical_by_disk = {str(path.resolve()): logical for path, logical in files}
    if run.timed_out:
        reason = f"quá thời gian {timeout_seconds:g} s / timed out after {timeout_seconds:g} s"
        return _all_indeterminate(logical_by_disk.values(), reason, run)
    try:
        parsed = parse_mrr(run.report_path)
    except (etree.XMLSyntaxError, OSError) as exc:
        reason = (
            f"exit code {run.returncode}, no readable report ({type(exc).__name__}: {exc}); "
            f"{run.stderr_tail[-300:]}"
        )
        return _all_indeterminate(logical_by_disk.values(), reason, run)
    findings: list[Finding] = []
    reported: set[str] = set()
    for job in parsed:
        logical = _match_logical(job.item_name, logical_by_disk)
        if logical is None:
            continue
        reported.add(logical)
        findings.extend(job.findings(logical))
    missing = [logical for logical in logical_by_disk.values() if logical not in reported]
    if missing:
        reason = f"exit code {run.returncode}, the report has no result for this file"
        findings.extend(_all_indeterminate(missing, reason, run))
    return findings


def _match_logical(item_name: str, logical_by_disk: dict[str, str]) -> str | None:
    if item_name in logical_by_disk:
        return logical_by_disk[item_name]
    try:
        return logical_by_disk.get(str(Path(item_name).resolve()))
    except OSError:
        return None


def _all_indeterminate(logicals: Iterable[str], reason: str, run: VeraPdfRun) -> list[Finding]:
    return [
        rules.VERAPDF_INDETERMINATE.finding(
            logical, reason=reason, engine=ENGINE, returncode=run.returncode
        )
        for logical in logicals
    ]


@dataclass(frozen=True)
class FailedRule:
    specification: str
    clause: str
    test_number: str
    description: str
    failed_checks: int
    contexts: tuple[str, ...]
    error_messages: tuple[str, ...]

    @property
    def verapdf_rule(self) -> str:
        part = "2" if "19005-2" in self.specification else ""
        prefix = f"ISO_19005_{part}" if part else self.specification.replace(" ", "_")
        return f"{prefix}:{self.clause}-{self.test_number}"


@dataclass(frozen=True)
class JobResult:
    """One file's result in a veraPDF batch report."""

    item_name: str
    compliant: bool | None  # None: no validation report (parse error, exception, timeout)
    profile: str
    job_end_status: str
    failed_rules: tuple[FailedRule, ...]
    exception: str

    def findings(self, logical: str) -> list[Finding]:
        if self.compliant is None or self.job_end_status not in ("", "normal"):
            reason = self.exception or f"jobEndStatus={self.job_end_status or 'missing'}"
            return [rules.VERAPDF_INDETERMINATE.finding(logical, reason=reason, engine=ENGINE)]
        if self.compliant:
            return [rules.VERAPDF_COMPLIANT.finding(logical, profile=self.profile, engine=ENGINE)]
        found = [
            rules.VERAPDF_RULE_FAILED.finding(
                logical,
                engine=ENGINE,
                specification=failed.specification,
                clause=failed.clause,
                test_number=failed.test_number,
                verapdf_rule=failed.verapdf_rule,
                description=failed.description,
                failed_checks=failed.failed_checks,
                contexts=list(failed.contexts),
                error_messages=list(failed.error_messages),
            )
            for failed in self.failed_rules
        ]
        if not found:
            reason = "isCompliant=false without any failed rule in the report"
            found.append(rules.VERAPDF_INDETERMINATE.finding(logical, reason=reason, engine=ENGINE))
        return found


def parse_mrr(report_path: Path) -> list[JobResult]:
    """Read a veraPDF machine-readable report (``--format mrr``) job by job.

    Raises ``etree.XMLSyntaxError`` when the report is not well-formed or has no ``<jobs>``.
    """
    jobs: list[JobResult] = []
    saw_jobs = False
    parser_events = etree.iterparse(
        str(report_path), events=("end",), resolve_entities=False, no_network=True, huge_tree=True
    )
    for _event, element in parser_events:
        if element.tag == "jobs":
            saw_jobs = True
        if element.tag != "job":
            continue
        jobs.append(_read_job(element))
        element.clear()
    if not saw_jobs:
        raise etree.XMLSyntaxError("no <jobs> element in the veraPDF report", 0, 0, 0)
    return jobs


def _read_job(job: etree._Element) -> JobResult:
    item_name = (job.findtext("item/name") or "").strip()
    exception_messages = [
        (element.findtext("exceptionMessage") or element.get("type") or "").strip()
        for element in job.iter("taskException")
    ]
    report = job.find("validationReport")
    if report is None:
        return JobResult(item_name, None, "", "", (), "; ".join(exception_messages))
    compliant_text = report.get("isCompliant")
    compliant = None if compliant_text is None else compliant_text.strip().lower() == "true"
    failed_rules = tuple(
        _read_rule(element)
        for element in report.iterfind("details/rule")
        if element.get("status", "").lower() == "failed"
    )
    return JobResult(
        item_name=item_name,
        compliant=compliant,
        profile=report.get("profileName", ""),
        job_end_status=report.get("jobEndStatus", ""),
        failed_rules=failed_rules,
        exception="; ".join(exception_messages),
    )


def _read_rule(element: etree._Element) -> FailedRule:
    checks = [c for c in element.iterfind("check") if c.get("status", "").lower() == "failed"]
    shown = checks[:MAX_CONTEXTS_PER_RULE]
    try:
        failed_count = int(element.get("failedChecks", str(len(checks))))
    except ValueError:
        failed_count = len(checks)
    return FailedRule(
        specification=element.get("specification", ""),
        clause=element.get("clause", ""),
        test_number=element.get("testNumber", ""),
        description=(element.findtext("description") or "").strip(),
        failed_checks=failed_count,
        contexts=tuple((c.findtext("context") or "").strip() for c in shown),
        error_messages=tuple((c.findtext("errorMessage") or "").strip() for c in shown),
    )
