"""META- and SEC- checks, each on a factory package broken in exactly one way."""

from __future__ import annotations

from pathlib import Path

from ingest.findings import Finding, Outcome, Severity
from ingest.metadata_checks import check_metadata
from ingest.package import read_package
from tests.ingest.package_factory import AGENCY_CODE, FILE_CODE, DocSpec, PackageSpec, build_package


def _check(
    tmp_path: Path, spec: PackageSpec | None = None, agency: str | None = AGENCY_CODE
) -> list[Finding]:
    root = build_package(tmp_path, spec)
    return check_metadata(read_package(root)[0], root, agency_code=agency)


def _codes(findings: list[Finding]) -> list[str]:
    return [f.code for f in findings if f.code != "META-DOC-ID-LENGTH"]


def _doc(**fields: str | None) -> PackageSpec:
    return PackageSpec(documents=[DocSpec(fields=dict(fields)), DocSpec(attachments=(2,))])


def test_good_package_has_no_error(tmp_path: Path) -> None:
    findings = _check(tmp_path)
    assert not any(f.is_error or f.outcome is Outcome.INDETERMINATE for f in findings)


def test_meta_doc_id_length_is_a_warning_citing_tt05(tmp_path: Path) -> None:
    findings = [f for f in _check(tmp_path) if f.code == "META-DOC-ID-LENGTH"]
    assert len(findings) == 2 and findings[0].severity is Severity.WARNING
    assert (
        findings[0].detail["length"] == len(f"{FILE_CODE}.1")
        and "TT 05" in findings[0].detail["source"]
    )


def test_meta_schema_with_line_and_element(tmp_path: Path) -> None:
    findings = _check(tmp_path, PackageSpec(dossier={"title": None}))
    schema = [f for f in findings if f.code == "META-SCHEMA"]
    assert schema and schema[0].detail["schema"] == "EAD_SIP" and schema[0].detail["line"] > 0
    assert _codes(findings) == ["META-SCHEMA"]


def test_meta_org_code_format(tmp_path: Path) -> None:
    bad = "H41.00.00.000.2025.01.TCCB"  # written level 1 first
    assert "META-ORG-CODE-FORMAT" in _codes(
        _check(tmp_path, PackageSpec(dossier={"fileCode": bad}))
    )


def test_meta_agency_mismatch(tmp_path: Path) -> None:
    findings = _check(tmp_path, agency="000.00.00.G09")
    mismatches = [f for f in findings if f.code == "META-AGENCY-MISMATCH"]
    assert {f.detail["where"] for f in mismatches} == {"fileCode", "METS agent IDENTIFICATIONCODE"}
    assert "META-AGENCY-MISMATCH" not in _codes(_check(tmp_path / "none", agency=None))


def test_meta_file_code(tmp_path: Path) -> None:
    spec = PackageSpec(dossier={"fileCode": f"{AGENCY_CODE}.25.01.TCCB"})
    assert "META-FILE-CODE" in _codes(_check(tmp_path, spec))


def test_meta_doc_id(tmp_path: Path) -> None:
    assert _codes(_check(tmp_path, _doc(docId=f"{FILE_CODE}.7"))) == ["META-DOC-ID"]


def test_meta_doc_code(tmp_path: Path) -> None:
    assert _codes(_check(tmp_path, _doc(docCode=f"{FILE_CODE}.1"))) == ["META-DOC-CODE"]


def test_meta_date_format(tmp_path: Path) -> None:
    assert _codes(_check(tmp_path, _doc(issuedDate="30/02/2025"))) == ["META-DATE-FORMAT"]


def test_meta_date_order(tmp_path: Path) -> None:
    spec = PackageSpec(dossier={"startDate": "01/04/2025", "endDate": "01/03/2025"})
    codes = _codes(_check(tmp_path, spec))
    assert "META-DATE-ORDER" in codes


def test_meta_issued_outside_span(tmp_path: Path) -> None:
    assert _codes(_check(tmp_path, _doc(issuedDate="15/05/2025"))) == ["META-ISSUED-OUTSIDE-SPAN"]


def test_meta_code_value_also_reported_by_schema_once(tmp_path: Path) -> None:
    codes = _codes(_check(tmp_path, _doc(typeName="99")))
    assert codes == ["META-SCHEMA"]  # the XSD names it; the Python list check does not repeat it


def test_meta_total_doc(tmp_path: Path) -> None:
    assert _codes(_check(tmp_path, PackageSpec(dossier={"totalDoc": "3"}))) == ["META-TOTAL-DOC"]


def test_meta_page_count_document_and_dossier(tmp_path: Path) -> None:
    findings = _check(tmp_path, _doc(numberOfPage="9"))
    assert _codes(findings) == ["META-PAGE-COUNT"]
    assert findings[-1].detail["declared"] == 9 and findings[-1].detail["actual"] == 1
    dossier = _check(tmp_path / "d", PackageSpec(dossier={"numberOfPage": "5"}))
    assert [(f.code, f.detail["actual"]) for f in dossier if f.code == "META-PAGE-COUNT"] == [
        ("META-PAGE-COUNT", 4)
    ]


def test_meta_page_count_unknown_is_indeterminate(tmp_path: Path) -> None:
    spec = PackageSpec(replace_bytes={f"representations/rep1/data/{FILE_CODE}.1.pdf": b"not a pdf"})
    findings = [f for f in _check(tmp_path, spec) if f.code == "META-PAGE-COUNT-UNKNOWN"]
    assert findings and findings[0].outcome is Outcome.INDETERMINATE


def test_meta_risk_recovery(tmp_path: Path) -> None:
    assert _codes(_check(tmp_path, PackageSpec(dossier={"riskRecovery": "1"}))) == [
        "META-RISK-RECOVERY"
    ]
    both = _doc(riskRecovery="0", riskRecoveryStatus="01")
    assert _codes(_check(tmp_path / "b", both)) == ["META-RISK-RECOVERY"]


def test_meta_paper_file_code(tmp_path: Path) -> None:
    spec = PackageSpec(dossier={"confidenceLevel": "02"})
    assert _codes(_check(tmp_path, spec)) == ["META-PAPER-FILE-CODE"]
    ok = PackageSpec(dossier={"confidenceLevel": "02", "paperFileCode": "H41.01.02.15"})
    assert _codes(_check(tmp_path / "ok", ok)) == []


def test_meta_process_flag(tmp_path: Path) -> None:
    assert _codes(_check(tmp_path, _doc(process="0"))) == ["META-PROCESS-FLAG"]
    mixed = _check(tmp_path / "m", _doc(process="0", confidenceLevel="03"))
    assert [f.severity for f in mixed if f.code == "META-PROCESS-FLAG-MIXED"] == [Severity.WARNING]


def test_meta_retention_longer(tmp_path: Path) -> None:
    spec = PackageSpec(
        dossier={"maintenance": "06"}, documents=[DocSpec(fields={"maintenance": "04"})]
    )
    assert _codes(_check(tmp_path, spec)) == ["META-RETENTION-LONGER"]


def test_meta_retention_undecided(tmp_path: Path) -> None:
    spec = PackageSpec(documents=[DocSpec(fields={"maintenance": "07"})])
    findings = [f for f in _check(tmp_path, spec) if f.code == "META-RETENTION-UNDECIDED"]
    assert findings and findings[0].outcome is Outcome.INDETERMINATE


def test_meta_duplicate_number(tmp_path: Path) -> None:
    spec = PackageSpec(
        documents=[DocSpec(fields={"codeNumber": "05"}), DocSpec(fields={"codeNumber": "05"})]
    )
    findings = [f for f in _check(tmp_path, spec) if f.code == "META-DUPLICATE-NUMBER"]
    assert len(findings) == 1 and findings[0].detail["other"] == f"{FILE_CODE}.1"


def test_sec_mode_03(tmp_path: Path) -> None:
    findings = _check(tmp_path, _doc(mode="03"))
    assert _codes(findings) == ["SEC-MODE-03"]
    secret = next(f for f in findings if f.code == "SEC-MODE-03")
    assert "EAD_doc_1" in secret.detail["where"] and secret.is_error


def test_sec_marked_in_metadata(tmp_path: Path) -> None:
    findings = _check(tmp_path, PackageSpec(dossier={"title": "Hồ sơ hội nghị\nTỐI MẬT"}))
    marked = [f for f in findings if f.code == "SEC-MARKED"]
    assert [(f.detail["mark"], f.detail["field"]) for f in marked] == [("TỐI MẬT", "title")]


def test_sec_marked_on_first_page(tmp_path: Path) -> None:
    spec = PackageSpec(documents=[DocSpec(first_page_text="MẬT\nQUYẾT ĐỊNH về việc điều động")])
    marked = [f for f in _check(tmp_path, spec) if f.code == "SEC-MARKED"]
    assert (
        len(marked) == 1
        and marked[0].detail["mark"] == "MẬT"
        and marked[0].detail["field"] == "pdf"
    )
    assert marked[0].path == f"representations/rep1/data/{FILE_CODE}.1.pdf"


def test_ordinary_words_are_not_secrecy_marks(tmp_path: Path) -> None:
    spec = _doc(subject="Quy chế bảo vệ bí mật nhà nước và mật khẩu hệ thống")
    assert "SEC-MARKED" not in _codes(_check(tmp_path, spec))


def test_meta_check_failed_is_indeterminate(tmp_path: Path) -> None:
    root = build_package(tmp_path)
    package, _ = read_package(root)
    package.documents = None  # type: ignore[assignment]
    findings = check_metadata(package, root, agency_code=None)
    assert [f.code for f in findings] == ["META-CHECK-FAILED"]
    assert findings[0].outcome is Outcome.INDETERMINATE
