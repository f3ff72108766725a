"""The runner: named checks over files, each guarded, pdfa loaded lazily."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

import pytest

from ingest.checks import runner
from ingest.context import CheckContext, PackageFile
from ingest.findings import Finding, Outcome

from .conftest import SamplePkiBundle, package_file, requires_clamav, sign_pdf, simple_pdf


def test_runs_format_and_signature_checks_over_paths(
    tmp_path: Path, test_pki: SamplePkiBundle
) -> None:
    signed = tmp_path / "signed.pdf"
    signed.write_bytes(sign_pdf(simple_pdf(), test_pki.organisation, "SigOrg"))
    ctx = CheckContext(trust_roots_pem=[test_pki.root_pem])
    report = runner.run_file_checks([signed], ["format", "signature"], ctx)
    codes = {f.code for f in report.findings}
    assert {"FMT-IDENTIFIED", "FMT-PDF-NOT-PDFA", "SIG-VALID"} <= codes
    assert set(report.engines) == {"format", "signature"}
    assert report.outcome is Outcome.FAILED  # a plain PDF record is an error under TT05


@requires_clamav
def test_all_checks_with_virus_scan(
    tmp_path: Path, clamav_database: Path, test_pki: SamplePkiBundle
) -> None:
    path = tmp_path / "doc.pdf"
    path.write_bytes(simple_pdf())
    ctx = CheckContext(clamav_database_dir=clamav_database, trust_roots_pem=[test_pki.root_pem])
    report = runner.run_file_checks([package_file(path, confidence_level="01")], None, ctx)
    assert list(report.engines) == ["virus", "format", "pdfa", "digitised", "signature"]
    codes = {f.code for f in report.findings}
    assert {"VIR-CLEAN", "FMT-PDF-NOT-PDFA", "SIG-NONE"} <= codes


def test_missing_pdfa_module_is_indeterminate_never_passed(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(runner.CHECK_MODULES, "pdfa", "ingest.checks.pdfa_not_written_yet")
    path = tmp_path / "doc.pdf"
    path.write_bytes(simple_pdf())
    report = runner.run_file_checks([path], ["pdfa"], CheckContext())
    [finding] = report.findings
    assert finding.code == "CHECK-NOT-AVAILABLE"
    assert finding.outcome is Outcome.INDETERMINATE
    assert report.outcome is Outcome.INDETERMINATE


def test_a_crashing_check_does_not_stop_the_others(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def crash(files: Sequence[PackageFile], ctx: CheckContext) -> list[Finding]:
        raise RuntimeError("engine exploded")

    real_load = runner.load_check
    monkeypatch.setattr(
        runner, "load_check", lambda name: crash if name == "digitised" else real_load(name)
    )
    path = tmp_path / "doc.pdf"
    path.write_bytes(simple_pdf())
    report = runner.run_file_checks([path], ["digitised", "format"], CheckContext())
    crashed = [f for f in report.findings if f.code == "CHECK-CRASHED"]
    assert len(crashed) == 1 and "engine exploded" in crashed[0].message_en
    assert crashed[0].outcome is Outcome.INDETERMINATE
    assert any(f.code == "FMT-IDENTIFIED" for f in report.findings)


def test_a_slow_check_times_out(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def slow(files: Sequence[PackageFile], ctx: CheckContext) -> list[Finding]:
        time.sleep(2)
        return []

    monkeypatch.setattr(runner, "load_check", lambda name: slow)
    path = tmp_path / "doc.pdf"
    path.write_bytes(simple_pdf())
    report = runner.run_file_checks([path], ["format"], CheckContext(step_timeout_seconds=0.2))
    [finding] = report.findings
    assert finding.code == "CHECK-TIMEOUT" and finding.outcome is Outcome.INDETERMINATE


def test_unknown_check_name_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "doc.pdf"
    path.write_bytes(simple_pdf())
    report = runner.run_file_checks([path], ["ocr"], CheckContext())
    assert [f.code for f in report.findings] == ["CHECK-UNKNOWN"]
