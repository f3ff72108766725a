"""Signatures: PDFs signed here with pyHanko by a test PKI, and pyHanko's own test PDFs."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from ingest.checks import signatures
from ingest.context import CheckContext
from ingest.findings import Finding, Outcome

from .conftest import SHARED, SamplePkiBundle, package_file, sign_pdf, simple_pdf

PYHANKO_DATA = SHARED / "corpora" / "pyhanko-testdata"


@pytest.fixture(scope="module")
def signed_by_both(test_pki: SamplePkiBundle) -> bytes:
    by_person = sign_pdf(simple_pdf(), test_pki.person, "SigPerson")
    return sign_pdf(by_person, test_pki.organisation, "SigOrg")


def check(
    tmp_path: Path,
    name: str,
    data: bytes,
    roots: list[bytes],
    level: str | None = "01",
    **kw: object,
) -> list[Finding]:
    path = tmp_path / name
    path.write_bytes(data)
    ctx = CheckContext(trust_roots_pem=roots, **kw)  # type: ignore[arg-type]
    return signatures.check_files([package_file(path, confidence_level=level)], ctx)


def failed(findings: list[Finding]) -> set[str]:
    return {f.code for f in findings if f.outcome is Outcome.FAILED}


def test_person_and_organisation_signatures_pass(
    tmp_path: Path, test_pki: SamplePkiBundle, signed_by_both: bytes
) -> None:
    evidence = tmp_path / "evidence"
    findings = check(
        tmp_path, "both.pdf", signed_by_both, [test_pki.root_pem], evidence_dir=evidence
    )
    assert failed(findings) == set()
    valid = {f.detail["field"]: f.detail["signature"] for f in findings if f.code == "SIG-VALID"}
    assert set(valid) == {"SigPerson", "SigOrg"}
    person, org = valid["SigPerson"], valid["SigOrg"]
    assert person["signer_role"] == "person" and person["signer_identifier"] == "CCCD:001099000001"
    assert org["signer_role"] == "organisation" and org["signer_identifier"] == "MST:0100109106"
    assert "Nguyễn Văn A" in person["signer_subject"]
    assert any("Luutru Test Root CA" in subject for subject in person["issuer_chain"])
    assert any("Luutru Test Issuing CA" in subject for subject in person["issuer_chain"])
    assert org["whole_document"] is True and org["modification_level"] == "NONE"
    # the person's signature covers its revision; the organisation's signing is form filling
    assert (
        person["coverage"] == "ENTIRE_REVISION" and person["modification_level"] == "FORM_FILLING"
    )
    assert person["digest_algorithm"] == "sha256" and person["certificate_valid_at_signing_time"]
    assert person["signing_time_claimed"] and person["signing_time_timestamped"] is None
    # offline: revocation cannot be checked, which is a warning, not a failure
    unknown = [f for f in findings if f.code == "SIG-REVOCATION-UNKNOWN"]
    assert len(unknown) == 2 and all(f.outcome is Outcome.INDETERMINATE for f in unknown)
    # evidence kept for the AIP
    [folder] = list(evidence.iterdir())
    record = json.loads((folder / "validation.json").read_text(encoding="utf-8"))
    assert [s["field"] for s in record["signatures"]] == ["SigPerson", "SigOrg"]
    assert len(list((folder / "certs").glob("*.pem"))) == 4  # person, org, issuing CA, root


def test_one_byte_changed_in_signed_range_is_sig_integrity(
    tmp_path: Path, test_pki: SamplePkiBundle, signed_by_both: bytes
) -> None:
    tampered = signed_by_both.replace(b"page 1", b"page 7", 1)
    assert tampered != signed_by_both
    findings = check(tmp_path, "sig-integrity.pdf", tampered, [test_pki.root_pem])
    assert {"SIG-INTEGRITY", "SIG-PERSON-MISSING", "SIG-ORG-MISSING"} <= failed(findings)
    assert not any(f.code == "SIG-VALID" for f in findings)


def test_content_added_after_signing_is_sig_modified(
    tmp_path: Path, test_pki: SamplePkiBundle, signed_by_both: bytes
) -> None:
    writer = IncrementalPdfFileWriter(io.BytesIO(signed_by_both))
    stream = writer.add_object(
        generic.StreamObject(stream_data=b"BT /F1 24 Tf 72 600 Td (Da sua) Tj ET")
    )
    writer.add_stream_to_page(0, stream)
    output = io.BytesIO()
    writer.write(output)
    findings = check(tmp_path, "sig-modified.pdf", output.getvalue(), [test_pki.root_pem])
    assert "SIG-MODIFIED" in failed(findings)
    assert "SIG-INTEGRITY" not in failed(findings)  # the signed bytes themselves are intact
    modified = [f for f in findings if f.code == "SIG-MODIFIED"]
    assert {f.detail["signature"]["modification_level"] for f in modified} == {"OTHER"}


def test_unrelated_root_is_sig_untrusted(
    tmp_path: Path, test_pki: SamplePkiBundle, signed_by_both: bytes
) -> None:
    findings = check(tmp_path, "sig-untrusted.pdf", signed_by_both, [test_pki.other_root_pem])
    assert {"SIG-UNTRUSTED", "SIG-PERSON-MISSING", "SIG-ORG-MISSING"} == failed(findings)


def test_expired_certificate_is_sig_cert_expired(tmp_path: Path, test_pki: SamplePkiBundle) -> None:
    by_expired = sign_pdf(simple_pdf(), test_pki.expired_person, "SigPerson")
    data = sign_pdf(by_expired, test_pki.organisation, "SigOrg")
    findings = check(tmp_path, "sig-cert-expired.pdf", data, [test_pki.root_pem])
    assert failed(findings) == {"SIG-CERT-EXPIRED", "SIG-PERSON-MISSING"}
    expired = next(f for f in findings if f.code == "SIG-CERT-EXPIRED")
    assert expired.detail["field"] == "SigPerson"


def test_certificate_not_yet_valid_at_validation_time(
    tmp_path: Path, test_pki: SamplePkiBundle, signed_by_both: bytes
) -> None:
    # Validated as of a moment before the certificates existed: no valid chain then. The claimed
    # signing time lies inside the certificate's validity, so this is not SIG-CERT-NOT-YET-VALID.
    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=365)
    findings = check(
        tmp_path, "early.pdf", signed_by_both, [test_pki.root_pem], validation_time=long_ago
    )
    assert "SIG-UNTRUSTED" in failed(findings)
    assert not any(f.code == "SIG-VALID" for f in findings)


def test_only_person_signature_on_born_digital_is_sig_org_missing(
    tmp_path: Path, test_pki: SamplePkiBundle
) -> None:
    data = sign_pdf(simple_pdf(), test_pki.person, "SigPerson")
    findings = check(tmp_path, "sig-org-missing.pdf", data, [test_pki.root_pem])
    assert failed(findings) == {"SIG-ORG-MISSING"}
    # a digitised copy needs only the organisation's signature: the person's is not enough
    assert failed(check(tmp_path, "copy.pdf", data, [test_pki.root_pem], level="02")) == {
        "SIG-ORG-MISSING"
    }


def test_only_organisation_signature_is_sig_person_missing_but_fine_for_copies(
    tmp_path: Path, test_pki: SamplePkiBundle
) -> None:
    data = sign_pdf(simple_pdf(), test_pki.organisation, "SigOrg")
    assert failed(check(tmp_path, "sig-person-missing.pdf", data, [test_pki.root_pem])) == {
        "SIG-PERSON-MISSING"
    }
    assert failed(check(tmp_path, "digitised.pdf", data, [test_pki.root_pem], level="02")) == set()


def test_unrecognised_signer_counts_as_neither(tmp_path: Path, test_pki: SamplePkiBundle) -> None:
    data = sign_pdf(simple_pdf(), test_pki.unknown_role, "Sig1")
    findings = check(tmp_path, "unknown.pdf", data, [test_pki.root_pem])
    assert failed(findings) == {"SIG-PERSON-MISSING", "SIG-ORG-MISSING"}
    assert next(f for f in findings if f.code == "SIG-VALID").detail["role"] == "unknown"


def test_unsigned_pdf_is_sig_none(tmp_path: Path, test_pki: SamplePkiBundle) -> None:
    findings = check(tmp_path, "sig-none.pdf", simple_pdf(), [test_pki.root_pem])
    assert [f.code for f in findings] == ["SIG-NONE"]
    assert findings[0].is_error


def test_non_pdf_is_not_checked_and_metadata_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "photo.txt").write_text("not a pdf")
    ctx = CheckContext()
    [finding] = signatures.check_files([package_file(tmp_path / "photo.txt")], ctx)
    assert finding.code == "SIG-NOT-CHECKED" and finding.outcome is Outcome.INDETERMINATE
    metadata = package_file(tmp_path / "photo.txt", "metadata/descriptive/EAD.xml")
    assert signatures.check_files([metadata], ctx) == []


# ------------------------------------------------------------ pyHanko's own test PDFs

corpus = pytest.mark.skipif(
    not PYHANKO_DATA.is_dir(), reason="../shared/corpora/pyhanko-testdata is not available"
)


def corpus_findings(relative: str) -> dict[str, list[Finding]]:
    """Findings per signature field, validated as of 2020-11-01 against the testing CA root."""
    root = (PYHANKO_DATA / "crypto/testing-ca/root/root.cert.pem").read_bytes()
    ctx = CheckContext(
        trust_roots_pem=[root], validation_time=dt.datetime(2020, 11, 1, tzinfo=dt.UTC)
    )
    path = PYHANKO_DATA / "pdf" / relative
    per_field: dict[str, list[Finding]] = {}
    for finding in signatures.check_files([package_file(path)], ctx):
        per_field.setdefault(str(finding.detail.get("field")), []).append(finding)
    return per_field


@corpus
def test_corpus_file_signed_by_testing_ca_is_intact_and_trusted() -> None:
    # sig-with-ski-sid.pdf: one signature by the testing CA's signer1, covering the whole file.
    result = corpus_findings("sig-with-ski-sid.pdf")
    [valid] = [f for f in result["Sig1"] if f.code == "SIG-VALID"]
    assert valid.detail["signature"]["whole_document"] is True
    assert "Intermediate CA" in " ".join(valid.detail["signature"]["issuer_chain"])


@corpus
def test_corpus_certified_document_is_trusted() -> None:
    result = corpus_findings("certified-with-indirect-refs-in-dir.pdf")
    assert {f.code for f in result["Sig1"]} >= {"SIG-VALID"}


@corpus
@pytest.mark.parametrize(
    "name",
    [
        "minimal-signed-twice-both-created.pdf",
        "minimal-signed-twice-second-created.pdf",
        "minimal-signed-twice-no-sig-type.pdf",
    ],
)
def test_corpus_signed_twice_is_intact_but_self_signed(name: str) -> None:
    # Both signatures are by "Lord Testerino", a self-signed certificate outside the testing CA:
    # intact, the first one followed by an allowed form-filling revision, but untrusted.
    result = corpus_findings(name)
    assert len(result) == 2
    for per_signature in result.values():
        codes = {f.code for f in per_signature}
        assert "SIG-UNTRUSTED" in codes
        assert not codes & {"SIG-INTEGRITY", "SIG-MODIFIED", "SIG-VALID"}
    levels = sorted(
        f.detail["signature"]["modification_level"]
        for per_signature in result.values()
        for f in per_signature
        if f.code == "SIG-UNTRUSTED"
    )
    assert levels == ["FORM_FILLING", "NONE"]


@corpus
@pytest.mark.parametrize(
    ("name", "coverage"),
    [
        ("tail-uncovered.pdf", "CONTIGUOUS_BLOCK_FROM_START"),
        ("one-byterange.pdf", "UNCLEAR"),
        ("signature-gap-too-big.pdf", "UNCLEAR"),
        ("weird-byterange.pdf", "UNCLEAR"),
    ],
)
def test_corpus_coverage_anomalies_are_sig_modified(name: str, coverage: str) -> None:
    # The signed bytes hash correctly (intact), but the ByteRange leaves parts of the file
    # unsigned: pyHanko rates the coverage non-standard and the modifications illegitimate.
    result = corpus_findings(f"coverage-anomalies/{name}")
    [modified] = [f for f in result["Sig1"] if f.code == "SIG-MODIFIED"]
    assert modified.detail["signature"]["coverage"] == coverage
    assert modified.detail["signature"]["intact"] is True
    assert "SIG-INTEGRITY" not in {f.code for f in result["Sig1"]}
