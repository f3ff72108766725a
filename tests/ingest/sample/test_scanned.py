from __future__ import annotations

from pathlib import Path

import pikepdf
import pikepdf.pdfa
import pytest

from ingest.sample.scanned import ScanSettings, page_dpi, write_scanned_pdf
from ingest.sample.text import DocumentContent, make_document_content
from tests.ingest.sample.pdf_checks import extracted_text, is_nfc, pdfa_claim


@pytest.fixture(scope="module")
def paper() -> DocumentContent:
    return make_document_content(77, pages=2)


@pytest.fixture(scope="module")
def scan(paper: DocumentContent, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("scan") / "scan.pdf"
    write_scanned_pdf(paper, path)
    return path


def _image_modes(path: Path) -> list[tuple[str, tuple[int, int]]]:
    with pikepdf.open(path) as pdf:
        modes = []
        for page in pdf.pages:
            (image,) = page.get_images().values()
            picture = pikepdf.PdfImage(image)
            modes.append((picture.mode, picture.size))
        return modes


def test_scan_is_pdfa_with_200_dpi_colour_pages(scan: Path, paper: DocumentContent) -> None:
    assert pikepdf.pdfa.validate_written(scan, "2b").passed
    assert pdfa_claim(scan) == ("2", "B")
    with pikepdf.open(scan) as pdf:
        assert len(pdf.pages) == paper.page_count
        for page in pdf.pages:
            assert page_dpi(page) == pytest.approx((200, 200), abs=0.01)
    assert {mode for mode, _ in _image_modes(scan)} == {"RGB"}


def test_scan_has_a_text_layer_with_the_document_text(scan: Path, paper: DocumentContent) -> None:
    text = extracted_text(scan)
    assert is_nfc(text)
    for word in ("Quyết định", "Ủy ban nhân dân", "đường", paper.number_symbol):
        assert word in text
    with pikepdf.open(scan) as pdf:
        content = pdf.pages[0].Contents.read_bytes()
    assert b"3 Tr" in content  # invisible text, as OCR software writes it


def test_broken_variants_really_differ(scan: Path, paper: DocumentContent, tmp_path: Path) -> None:
    low = tmp_path / "150.pdf"
    write_scanned_pdf(paper, low, ScanSettings(dpi=150))
    with pikepdf.open(low) as pdf:
        assert page_dpi(pdf.pages[0]) == pytest.approx((150, 150), abs=0.01)
    grey = tmp_path / "grey.pdf"
    write_scanned_pdf(paper, grey, ScanSettings(mode="L"))
    assert {mode for mode, _ in _image_modes(grey)} == {"L"}
    bare = tmp_path / "bare.pdf"
    write_scanned_pdf(paper, bare, ScanSettings(text_layer=False))
    assert extracted_text(bare) == ""
    for variant in (low, grey, bare):
        assert pikepdf.pdfa.validate_written(variant, "2b").passed
        assert variant.read_bytes() != scan.read_bytes()


def test_same_content_gives_identical_scan(
    scan: Path, paper: DocumentContent, tmp_path: Path
) -> None:
    again = tmp_path / "again.pdf"
    write_scanned_pdf(paper, again)
    assert again.read_bytes() == scan.read_bytes()
