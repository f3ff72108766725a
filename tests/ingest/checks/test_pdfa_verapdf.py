"""The veraPDF wrapper: its MRR report parser and its process handling.

veraPDF itself cannot be installed on the development machines, so the report is a hand-written
sample following veraPDF's published machine-readable report format, and the process tests use
a small fake executable written by the test: they test the wrapper's handling of a process
(one batch run, timeout, crash, garbage output), not veraPDF.
"""

from __future__ import annotations

import stat
import sys
from pathlib import Path

import pytest

from ingest.checks.pdfa import check_files
from ingest.checks.pdfa.verapdf import check_with_verapdf, parse_mrr
from ingest.context import CheckContext, PackageFile
from ingest.findings import Outcome

SAMPLE = Path(__file__).with_name("pdfa_verapdf_report_sample.xml")


def _pdfs(tmp_path: Path) -> dict[str, Path]:
    names = {"GOOD": "good.pdf", "BAD": "bad.pdf", "BROKEN": "broken.pdf"}
    paths = {}
    for key, name in names.items():
        path = tmp_path / name
        path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        paths[key] = path.resolve()
    return paths


def _report_for(paths: dict[str, Path]) -> str:
    text = SAMPLE.read_text(encoding="utf-8")
    for key, path in paths.items():
        text = text.replace(f"@{key}@", str(path))
    return text


def _fake_verapdf(tmp_path: Path, body: str) -> str:
    script = tmp_path / "fake-verapdf"
    script.write_text(f"#!{sys.executable}\n{body}\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return str(script)


def test_parse_mrr_reads_jobs_rules_and_exceptions(tmp_path: Path) -> None:
    paths = _pdfs(tmp_path)
    report = tmp_path / "report.xml"
    report.write_text(_report_for(paths), encoding="utf-8")
    jobs = {Path(job.item_name).name: job for job in parse_mrr(report)}
    assert jobs["good.pdf"].compliant is True
    bad = jobs["bad.pdf"]
    assert bad.compliant is False
    assert [(r.clause, r.test_number) for r in bad.failed_rules] == [
        ("6.2.11.4.1", "1"),
        ("6.6.4", "1"),
    ]
    assert bad.failed_rules[0].verapdf_rule == "ISO_19005_2:6.2.11.4.1-1"
    assert bad.failed_rules[0].failed_checks == 2
    assert "pages[1]" in bad.failed_rules[0].contexts[1]
    assert jobs["broken.pdf"].compliant is None
    assert "Couldn't parse stream" in jobs["broken.pdf"].exception


def test_batch_run_maps_results_to_logical_paths(tmp_path: Path) -> None:
    paths = _pdfs(tmp_path)
    output = tmp_path / "canned.xml"
    output.write_text(_report_for(paths), encoding="utf-8")
    arguments_log = tmp_path / "arguments.txt"
    executable = _fake_verapdf(
        tmp_path,
        "import os, sys\n"
        f"open({str(arguments_log)!r}, 'w').write(repr(sys.argv[1:]) + os.environ['JAVA_OPTS'])\n"
        f"sys.stdout.write(open({str(output)!r}).read())\n"
        "sys.exit(1)",
    )
    files = [(paths[key], f"data/{key.lower()}.pdf") for key in ("GOOD", "BAD", "BROKEN")]
    findings = check_with_verapdf(executable, files, timeout_seconds=30, heap="512m")
    by_path: dict[str | None, list[str]] = {}
    for finding in findings:
        by_path.setdefault(finding.path, []).append(finding.code)
    assert by_path["data/good.pdf"] == ["PDFA-VERAPDF-COMPLIANT"]
    assert by_path["data/bad.pdf"] == ["PDFA-VERAPDF-RULE", "PDFA-VERAPDF-RULE"]
    assert by_path["data/broken.pdf"] == ["PDFA-VERAPDF-INDETERMINATE"]
    font_rule = next(f for f in findings if f.detail.get("clause") == "6.2.11.4.1")
    assert font_rule.detail["test_number"] == "1" and font_rule.outcome is Outcome.FAILED
    logged = arguments_log.read_text(encoding="utf-8")
    assert "'--format', 'mrr'" in logged and "'--flavour', '2b'" in logged
    assert logged.count(".pdf") == 3  # all files in one process
    assert logged.endswith("-Xmx512m")


@pytest.mark.parametrize(
    ("body", "reason_part"),
    [
        ("import time\ntime.sleep(30)", "timed out"),
        ("import sys\nsys.stderr.write('Exception in thread main')\nsys.exit(7)", "exit code 7"),
        ("print('<report><jobs><job>')\nimport sys\nsys.exit(0)", "no readable report"),
    ],
    ids=["timeout", "crash-without-report", "truncated-report"],
)
def test_process_failures_are_indeterminate(tmp_path: Path, body: str, reason_part: str) -> None:
    paths = _pdfs(tmp_path)
    executable = _fake_verapdf(tmp_path, body)
    files = [(paths["GOOD"], "data/good.pdf"), (paths["BAD"], "data/bad.pdf")]
    findings = check_with_verapdf(executable, files, timeout_seconds=1.5, heap="256m")
    assert {f.path for f in findings} == {"data/good.pdf", "data/bad.pdf"}
    assert all(f.outcome is Outcome.INDETERMINATE for f in findings)
    assert all(reason_part in f.message_en for f in findings)


def test_check_files_runs_verapdf_when_configured(tmp_path: Path) -> None:
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    executable = _fake_verapdf(tmp_path, "import sys\nsys.exit(2)")
    ctx = CheckContext(verapdf_path=executable, verapdf_timeout_seconds=10)
    findings = check_files([PackageFile(pdf, "data/a.pdf", pdf.stat().st_size)], ctx)
    engines = {f.detail.get("engine") for f in findings}
    assert {"builtin", "veraPDF"} <= engines
    assert any(f.code == "PDFA-VERAPDF-INDETERMINATE" for f in findings)
