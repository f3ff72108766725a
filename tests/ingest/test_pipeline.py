"""The whole pipeline on the sample library: each broken variant is rejected with the code of
the rule it breaks; good born-digital, digitised and mixed dossiers pass every check (real
ClamAV with a test signature database, real Siegfried, real pyHanko)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ingest.context import CheckContext
from ingest.findings import Outcome, Report
from ingest.pipeline import PipelineConfig, PipelineResult, run_pipeline
from ingest.sample.agencies import SO_NOI_VU_NGHE_AN
from ingest.sample.broken import BROKEN_RULES
from ingest.sample.package import PackageSpec, agency_pki, build_package
from metadata_schemas.enums import ConfidenceLevel
from ops.services.clamav import build_test_database

# The specific code each variant must get (a variant may trigger consequences too).
EXPECTED_CODE = {
    "checksum-mismatch": "PKG-CHECKSUM-MISMATCH",
    "file-missing": "PKG-FILE-MISSING",
    "unexpected-file": "PKG-UNEXPECTED-FILE",
    "path-traversal-entry": "PKG-PATH-TRAVERSAL",
    "absolute-path-entry": "PKG-ABSOLUTE-PATH",
    "symlink-entry": "PKG-LINK",
    "zip-bomb": "PKG-ZIP-BOMB",
    "not-a-zip": "PKG-NOT-ZIP",
    "mets-not-well-formed": "PKG-METS-MALFORMED",
    "mets-missing-csip-attributes": "PKG-METS-CSIP",
    "ead-doc-without-file": "PKG-EAD-DOC-WITHOUT-FILE",
    "file-without-ead-doc": "PKG-FILE-WITHOUT-EAD-DOC",
    "code-value-out-of-list": "META-SCHEMA",
    "dates-reversed": "META-DATE-ORDER",
    "total-doc-wrong": "META-TOTAL-DOC",
    "number-of-page-mismatch": "META-PAGE-COUNT",
    "secret-dossier-mode-03": "SEC-MODE-03",
    "secret-mark-in-document": "SEC-MARKED",
    "pdf-not-pdfa": "PDFA-NOT-PDFA",
    "pdfa-with-javascript": "PDFA-JAVASCRIPT",
    "encrypted-pdf": "PDFA-ENCRYPTED",
    "unsigned-document": "SIG-NONE",
    "signature-broken-by-changed-byte": "SIG-INTEGRITY",
    "signer-untrusted-root": "SIG-UNTRUSTED",
    "signer-certificate-expired": "SIG-CERT-EXPIRED",
    "person-signature-only": "SIG-ORG-MISSING",
    "eicar-file": "VIR-FOUND",
    "xml-external-entity": "META-XML-UNSAFE",
    "xml-billion-laughs": "META-XML-UNSAFE",
    "title-2000-characters": "META-SCHEMA",
    "scan-150-dpi": "DIG-LOW-RESOLUTION",
    "scan-no-text-layer": "DIG-NO-TEXT-LAYER",
    "scan-greyscale-8-bit": "DIG-COLOUR-DEPTH",
    "paper-file-code-missing": "META-PAPER-FILE-CODE",
}
DIGITISED_RULES = {"scan-150-dpi", "scan-no-text-layer", "scan-greyscale-8-bit"}
DIGITISED_RULES |= {"paper-file-code-missing"}
AGENCY = SO_NOI_VU_NGHE_AN


@pytest.fixture(scope="module")
def pipeline_context(tmp_path_factory: pytest.TempPathFactory) -> CheckContext:
    if shutil.which("clamscan") is None:
        pytest.skip("ClamAV (clamscan) is not installed; ./ops/test installs it from Debian")
    database = build_test_database(tmp_path_factory.mktemp("clamav-db"))
    pki, _ = agency_pki(AGENCY, 2025, tmp_path_factory.mktemp("pki"))
    return CheckContext(trust_roots_pem=[pki.root_pem.read_bytes()], clamav_database_dir=database)


def _run(zip_path: Path, work: Path, ctx: CheckContext) -> PipelineResult:
    return run_pipeline(zip_path, work, PipelineConfig(check_context=ctx, agency_code=AGENCY.code))


def _errors(report: Report) -> set[str]:
    return {finding.code for finding in report.findings if finding.is_error}


def test_every_rule_of_the_library_is_covered() -> None:
    assert set(EXPECTED_CODE) == set(BROKEN_RULES)


@pytest.mark.parametrize(
    "confidence_level",
    [ConfidenceLevel.BORN_DIGITAL, ConfidenceLevel.DIGITISED, ConfidenceLevel.MIXED],
)
def test_good_dossiers_pass_every_check(
    confidence_level: ConfidenceLevel, tmp_path: Path, pipeline_context: CheckContext
) -> None:
    spec = PackageSpec(seed=3, agency=AGENCY, documents=3, confidence_level=confidence_level)
    built = build_package(spec, tmp_path / "out")
    result = _run(built.zip_path, tmp_path / "work", pipeline_context)
    assert _errors(result.report) == set()
    assert result.file_code == built.file_code
    # every step ran and recorded itself
    assert [step.name for step in result.steps] == [
        "unpack",
        "read",
        "package",
        "metadata",
        "virus",
        "format",
        "pdfa",
        "digitised",
        "signature",
    ]
    passed = {f.code for f in result.report.findings if f.outcome is Outcome.PASSED}
    assert {"VIR-CLEAN", "SIG-VALID", "PDFA-PREFLIGHT-PASSED"} <= passed
    # only revocation can stay undecided offline
    undecided = {f.code for f in result.report.findings if f.outcome is Outcome.INDETERMINATE}
    assert undecided <= {"SIG-REVOCATION-UNKNOWN"}


def test_same_package_same_report(tmp_path: Path, pipeline_context: CheckContext) -> None:
    built = build_package(PackageSpec(seed=4, agency=AGENCY, documents=2), tmp_path / "out")
    first = _run(built.zip_path, tmp_path / "work", pipeline_context).report
    again = _run(built.zip_path, tmp_path / "work", pipeline_context).report
    assert [f.to_dict() for f in first.findings] == [f.to_dict() for f in again.findings]


@pytest.mark.slow
@pytest.mark.parametrize("rule", sorted(EXPECTED_CODE))
def test_broken_variant_is_rejected_with_its_code(
    rule: str, tmp_path: Path, pipeline_context: CheckContext
) -> None:
    level = ConfidenceLevel.DIGITISED if rule in DIGITISED_RULES else ConfidenceLevel.BORN_DIGITAL
    spec = PackageSpec(seed=5, agency=AGENCY, documents=2, confidence_level=level)
    built = BROKEN_RULES[rule].build(spec, tmp_path / "out", None)
    result = _run(built.zip_path, tmp_path / "work", pipeline_context)
    assert result.report.outcome is Outcome.FAILED
    assert EXPECTED_CODE[rule] in _errors(result.report), sorted(_errors(result.report))
    if rule.startswith("secret-"):
        assert result.secret
        assert result.files == []  # rejected at once: no content check opened its documents
    if rule == "eicar-file":
        assert result.infected
