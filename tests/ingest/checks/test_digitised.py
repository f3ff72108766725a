"""Digitised paper: PDFs built here from a Pillow image (reportlab), with or without OCR text."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from ingest.checks import digitised
from ingest.context import CheckContext
from ingest.findings import Outcome

from .conftest import Identity, SamplePkiBundle, package_file

WIDTH_IN, HEIGHT_IN = 4.0, 3.0


def scanned_pdf(dpi: int = 200, mode: str = "RGB", text: bool = True, fill: float = 1.0) -> bytes:
    """A one-page 'scan': an image of WIDTH_IN x HEIGHT_IN inches at ``dpi``, OCR text in mode 3."""
    pixels = (int(WIDTH_IN * dpi), int(HEIGHT_IN * dpi))
    image = Image.new(mode, pixels, "white" if mode != "1" else 1)
    page_size = (WIDTH_IN * 72, HEIGHT_IN * 72)
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=page_size)
    page.drawImage(ImageReader(image), 0, 0, width=page_size[0] * fill, height=page_size[1] * fill)
    if text:
        layer = page.beginText(20, 150)
        layer.setTextRenderMode(3)
        layer.textLine("Quyet dinh so 123/QD-UBND")
        page.drawText(layer)
    page.showPage()
    page.save()
    return buffer.getvalue()


def sign_top_right(pdf: bytes, identity: Identity, field_name: str = "SigOrg") -> bytes:
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    width, height = WIDTH_IN * 72, HEIGHT_IN * 72
    spec = fields.SigFieldSpec(
        sig_field_name=field_name,
        on_page=0,
        box=(width - 130, height - 50, width - 10, height - 10),
    )
    fields.append_signature_field(writer, spec)
    metadata = signers.PdfSignatureMetadata(field_name=field_name, md_algorithm="sha256")
    return signers.sign_pdf(writer, metadata, signer=identity.signer()).getvalue()


def run(tmp_path: Path, name: str, data: bytes, level: str = "02", **doc: object) -> list:
    path = tmp_path / name
    path.write_bytes(data)
    return digitised.check_files(
        [package_file(path, confidence_level=level, **doc)], CheckContext()
    )


def codes(findings: list) -> set[str]:
    return {f.code for f in findings if f.outcome is not Outcome.PASSED}


def test_good_200dpi_rgb_scan_with_text_and_org_signature_passes(
    tmp_path: Path, test_pki: SamplePkiBundle
) -> None:
    findings = run(tmp_path, "good.pdf", sign_top_right(scanned_pdf(), test_pki.organisation))
    assert codes(findings) == set()
    [page] = [f for f in findings if f.code == "DIG-PAGE-OK"]
    assert page.detail["page"] == 1
    assert page.detail["dpi"] == [200.0, 200.0]
    assert page.detail["bits_per_pixel"] == 24
    assert page.detail["invisible_text_chars"] > 0


def test_150_dpi_is_dig_low_resolution(tmp_path: Path, test_pki: SamplePkiBundle) -> None:
    data = sign_top_right(scanned_pdf(dpi=150), test_pki.organisation)
    findings = run(tmp_path, "dig-low-resolution.pdf", data)
    assert codes(findings) == {"DIG-LOW-RESOLUTION"}
    [low] = [f for f in findings if f.code == "DIG-LOW-RESOLUTION"]
    assert low.detail["page"] == 1 and round(low.detail["dpi"]) == 150


def test_maps_need_300_dpi(tmp_path: Path, test_pki: SamplePkiBundle) -> None:
    data = sign_top_right(scanned_pdf(dpi=200), test_pki.organisation)
    findings = run(tmp_path, "map.pdf", data, is_map_or_drawing=True)
    assert codes(findings) == {"DIG-LOW-RESOLUTION"}
    assert next(f for f in findings if f.code == "DIG-LOW-RESOLUTION").detail["minimum"] == 300


def test_8_bit_greyscale_is_dig_colour_depth(tmp_path: Path, test_pki: SamplePkiBundle) -> None:
    data = sign_top_right(scanned_pdf(mode="L"), test_pki.organisation)
    findings = run(tmp_path, "dig-colour-depth.pdf", data)
    assert codes(findings) == {"DIG-COLOUR-DEPTH"}
    assert next(f for f in findings if f.code == "DIG-COLOUR-DEPTH").detail["bits"] == 8


def test_image_without_text_is_dig_no_text_layer(tmp_path: Path, test_pki: SamplePkiBundle) -> None:
    data = sign_top_right(scanned_pdf(text=False), test_pki.organisation)
    assert codes(run(tmp_path, "dig-no-text-layer.pdf", data)) == {"DIG-NO-TEXT-LAYER"}


def test_image_drawn_smaller_than_page_is_dig_not_full_scale(
    tmp_path: Path, test_pki: SamplePkiBundle
) -> None:
    # Drawn at half size the same pixels count as 400 dpi: resolution passes, scale does not.
    data = sign_top_right(scanned_pdf(fill=0.5), test_pki.organisation)
    assert codes(run(tmp_path, "dig-not-full-scale.pdf", data)) == {"DIG-NOT-FULL-SCALE"}


def test_unsigned_or_person_signed_scan_is_dig_signature_position(
    tmp_path: Path, test_pki: SamplePkiBundle
) -> None:
    assert codes(run(tmp_path, "unsigned.pdf", scanned_pdf())) == {"DIG-SIGNATURE-POSITION"}
    by_person = sign_top_right(scanned_pdf(), test_pki.person)
    findings = run(tmp_path, "dig-signature-position.pdf", by_person)
    assert codes(findings) == {"DIG-SIGNATURE-POSITION"}
    [position] = [f for f in findings if f.code == "DIG-SIGNATURE-POSITION"]
    assert position.detail["widgets"][0]["signer_role"] == "person"
    assert position.detail["widgets"][0]["top_right"] is True


def test_text_page_without_image_is_dig_no_image(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, "typed, not scanned")
    page.save()
    findings = run(tmp_path, "dig-no-image.pdf", buffer.getvalue())
    assert "DIG-NO-IMAGE" in codes(findings)


def test_mixed_document_checks_only_its_image_only_pages(tmp_path: Path) -> None:
    typed = io.BytesIO()
    page = canvas.Canvas(typed)
    page.drawString(72, 720, "born-digital page")
    page.save()
    findings = run(tmp_path, "mixed-typed.pdf", typed.getvalue(), level="03")
    assert findings == []  # no image-only page: nothing digitised to check
    findings = run(tmp_path, "mixed-scan.pdf", scanned_pdf(dpi=150, text=False), level="03")
    assert codes(findings) == {"DIG-LOW-RESOLUTION", "DIG-NO-TEXT-LAYER"}


def test_born_digital_documents_are_not_checked(tmp_path: Path) -> None:
    assert run(tmp_path, "born.pdf", scanned_pdf(dpi=100), level="01") == []
