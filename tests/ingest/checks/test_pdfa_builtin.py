"""The built-in PDF/A-2b pre-flight on small PDFs made here with ReportLab, pikepdf and pyHanko."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pikepdf
import pikepdf.pdfa
import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from ingest.checks.pdfa import NAME, check_files, check_pdf
from ingest.context import CheckContext, PackageFile
from ingest.findings import Finding, Outcome, overall_outcome

DEJAVU_SERIF = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
VIETNAMESE_TEXT = "Quyết định số 123/QĐ-UBND về việc lưu trữ hồ sơ điện tử"


def _codes(findings: list[Finding]) -> set[str]:
    return {f.code for f in findings if f.outcome is not Outcome.PASSED}


def _reportlab_pdf(embedded_font: bool) -> bytes:
    buffer = io.BytesIO()
    if embedded_font:
        pdfmetrics.registerFont(TTFont("DejaVuSerif", str(DEJAVU_SERIF)))
        # the initial font is written into the resources even if unused: make it the TTF
        page = canvas.Canvas(buffer, initialFontName="DejaVuSerif")
        page.setFont("DejaVuSerif", 12)
    else:
        page = canvas.Canvas(buffer)
        page.setFont("Helvetica", 12)
    page.drawString(72, 720, VIETNAMESE_TEXT if embedded_font else "Quyet dinh so 123")
    page.showPage()
    page.save()
    return buffer.getvalue()


def _pdfa(tmp_path: Path, name: str = "valid.pdf") -> Path:
    if not DEJAVU_SERIF.exists():
        pytest.skip(f"font {DEJAVU_SERIF} is not installed")
    target = tmp_path / name
    with pikepdf.open(io.BytesIO(_reportlab_pdf(embedded_font=True))) as pdf:
        for page in pdf.pages:
            if "/Trans" in page.obj:  # ReportLab writes an empty page transition
                del page.obj["/Trans"]
        pikepdf.pdfa.save(pdf, target, "2b")
    return target


def test_valid_pdfa_2b_with_embedded_ttf_passes_preflight(tmp_path: Path) -> None:
    findings = check_pdf(_pdfa(tmp_path))
    assert overall_outcome(findings) is Outcome.PASSED, [f.message_en for f in findings]
    codes = {f.code for f in findings}
    assert "PDFA-PREFLIGHT-PASSED" in codes
    scope = next(f for f in findings if f.code == "PDFA-BUILTIN-SCOPE")
    assert "6.2.11 fonts" in scope.detail["covered_clauses"]
    assert all(f.detail.get("engine") for f in findings)


def test_plain_pdf_is_not_pdfa(tmp_path: Path) -> None:
    path = tmp_path / "PDFA-NOT-PDFA.pdf"
    path.write_bytes(_reportlab_pdf(embedded_font=False))
    findings = check_pdf(path)
    assert "PDFA-NOT-PDFA" in _codes(findings)
    assert overall_outcome(findings) is Outcome.FAILED
    assert "PDFA-PREFLIGHT-PASSED" not in {f.code for f in findings}


def test_pdfa_with_javascript_open_action(tmp_path: Path) -> None:
    path = tmp_path / "PDFA-JAVASCRIPT.pdf"
    with pikepdf.open(_pdfa(tmp_path)) as pdf:
        pdf.Root.OpenAction = pdf.make_indirect(
            pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert('x')"))
        )
        pdf.save(path)
    findings = check_pdf(path)
    javascript = [f for f in findings if f.code == "PDFA-JAVASCRIPT"]
    assert javascript and javascript[0].detail["clause"] == "6.5.1"
    assert javascript[0].detail["verapdf_rule"] == "ISO_19005_2:6.5.1-1"


def test_pdfa_with_launch_action_in_link(tmp_path: Path) -> None:
    path = tmp_path / "PDFA-FORBIDDEN-ACTION.pdf"
    with pikepdf.open(_pdfa(tmp_path)) as pdf:
        launch = pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("cmd.exe"))
        link = pikepdf.Dictionary(
            Type=pikepdf.Name.Annot,
            Subtype=pikepdf.Name.Link,
            Rect=[0, 0, 10, 10],
            F=4,
            A=launch,
        )
        pdf.pages[0].obj.Annots = pdf.make_indirect(pikepdf.Array([pdf.make_indirect(link)]))
        pdf.save(path)
    findings = check_pdf(path)
    actions = [f for f in findings if f.code == "PDFA-FORBIDDEN-ACTION"]
    assert any("/Launch" in f.message_en for f in actions)


def test_encrypted_pdf(tmp_path: Path) -> None:
    path = tmp_path / "PDFA-ENCRYPTED.pdf"
    with pikepdf.open(_pdfa(tmp_path)) as pdf:
        pdf.save(path, encryption=pikepdf.Encryption(user="", owner="secret", R=6))
    findings = check_pdf(path)
    assert "PDFA-ENCRYPTED" in _codes(findings)
    assert overall_outcome(findings) is Outcome.FAILED


def test_non_embedded_font(tmp_path: Path) -> None:
    path = tmp_path / "PDFA-FONT-NOT-EMBEDDED.pdf"
    with pikepdf.open(io.BytesIO(_reportlab_pdf(embedded_font=False))) as pdf:
        pikepdf.pdfa.prepare(pdf, "2b")
        pdf.save(path)
    findings = check_pdf(path)
    assert "PDFA-FONT-NOT-EMBEDDED" in _codes(findings), [f.message_en for f in findings]
    failed = next(f for f in findings if f.code == "PDFA-FONT-NOT-EMBEDDED")
    assert failed.detail["verapdf_rule"].startswith("ISO_19005_2:6.2.11.4.1")


@pytest.mark.parametrize(
    "content",
    [b"", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog", b"not a pdf at all"],
    ids=["empty", "truncated", "garbage"],
)
def test_corrupt_file_is_indeterminate_not_a_crash(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "PDFA-UNREADABLE.pdf"
    path.write_bytes(content)
    findings = check_pdf(path)
    assert overall_outcome(findings) is not Outcome.PASSED
    assert any(f.code == "PDFA-UNREADABLE" and f.outcome is Outcome.INDETERMINATE for f in findings)


def _sign(source: Path, target: Path, tmp_path: Path) -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Nguyễn Văn A")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_path, cert_path = tmp_path / "signer.key.pem", tmp_path / "signer.crt.pem"
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    signer = signers.SimpleSigner.load(str(key_path), str(cert_path))
    assert signer is not None
    metadata = signers.PdfSignatureMetadata(
        field_name="Sig1", subfilter=fields.SigSeedSubFilter.PADES, md_algorithm="sha256"
    )
    with source.open("rb") as handle:
        output = signers.sign_pdf(IncrementalPdfFileWriter(handle), metadata, signer=signer)
        target.write_bytes(output.getvalue())


def test_pdfa_signed_with_pyhanko_still_passes(tmp_path: Path) -> None:
    signed = tmp_path / "signed.pdf"
    _sign(_pdfa(tmp_path), signed, tmp_path)
    with pikepdf.open(signed) as pdf:
        assert "/AcroForm" in pdf.Root  # the signature form pikepdf.pdfa calls unsupported
    findings = check_pdf(signed)
    assert overall_outcome(findings) is Outcome.PASSED, [f.message_en for f in findings]
    assert not [f for f in findings if f.code == "PDFA-UNSUPPORTED-CONSTRUCT"]


def test_check_files_examines_only_pdfs(tmp_path: Path) -> None:
    pdf_path = _pdfa(tmp_path)
    text_path = tmp_path / "note.txt"
    text_path.write_text("không phải PDF", encoding="utf-8")
    files = [
        PackageFile(pdf_path, "representations/rep1/data/a.pdf", pdf_path.stat().st_size),
        PackageFile(text_path, "representations/rep1/data/note.txt", text_path.stat().st_size),
    ]
    findings = check_files(files, CheckContext())
    assert NAME == "pdfa"
    assert {f.path for f in findings} == {"representations/rep1/data/a.pdf"}
    assert overall_outcome(findings) is Outcome.PASSED
