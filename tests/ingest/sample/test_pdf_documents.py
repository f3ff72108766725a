from __future__ import annotations

from pathlib import Path

import pikepdf
import pikepdf.pdfa
import pytest

from ingest.sample.agencies import AGENCIES, DOCUMENT_TYPES, QUYET_DINH
from ingest.sample.pdf_documents import write_attachment_pdf, write_document_pdf
from ingest.sample.text import DocumentContent, make_attachment_content, make_document_content
from tests.ingest.sample.conftest import MainDocument
from tests.ingest.sample.pdf_checks import extracted_text, fonts_without_program, is_nfc, pdfa_claim

REQUIRED_WORDS = ("Quyết định", "Ủy ban nhân dân", "đường")


def test_main_document_is_pdfa_2b_with_embedded_fonts(main_document: MainDocument) -> None:
    path = main_document.unsigned
    assert pikepdf.pdfa.validate_written(path, "2b").passed
    assert pdfa_claim(path) == ("2", "B")
    assert fonts_without_program(path) == []
    with pikepdf.open(path) as pdf:
        assert pdf.pdf_version == "1.7"
        assert len(pdf.pages) == main_document.content.page_count == 3


def test_text_comes_back_as_written(main_document: MainDocument) -> None:
    content = main_document.content
    text = extracted_text(main_document.unsigned)
    assert is_nfc(text)
    for word in (*REQUIRED_WORDS, content.number_symbol, content.signer.full_name):
        assert word in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert content.place_date_line in text


def test_same_content_gives_identical_bytes(main_document: MainDocument, tmp_path: Path) -> None:
    again = tmp_path / "again.pdf"
    write_document_pdf(main_document.content, again)
    assert again.read_bytes() == main_document.unsigned.read_bytes()


@pytest.mark.parametrize("seed", range(12))
def test_every_type_and_length_fits_its_pages(seed: int, tmp_path: Path) -> None:
    content = make_document_content(
        seed,
        pages=1 + seed % 4,
        agency=AGENCIES[seed % len(AGENCIES)],
        doc_type=DOCUMENT_TYPES[seed % len(DOCUMENT_TYPES)],
    )
    path = tmp_path / "doc.pdf"
    layout = write_document_pdf(content, path)
    with pikepdf.open(path) as pdf:
        assert len(pdf.pages) == content.page_count
    assert layout.signature_box is not None and layout.seal_box is not None
    assert layout.signature_box.page == content.page_count - 1
    text = extracted_text(path)
    assert "Quyết định" in text and "Ủy ban nhân dân" in text and "đường" in text
    if content.page_count > 1:
        assert f" {content.page_count} " in f" {text} "  # page numbers from page 2


def test_attachment_is_its_own_pdfa_file(decision: DocumentContent, tmp_path: Path) -> None:
    attachment = make_attachment_content(decision, 1, pages=2)
    path = tmp_path / "phu-luc.pdf"
    write_attachment_pdf(attachment, path)
    assert pikepdf.pdfa.validate_written(path, "2b").passed
    assert pdfa_claim(path) == ("2", "B")
    assert fonts_without_program(path) == []
    text = extracted_text(path)
    assert decision.doc_type == QUYET_DINH
    for word in (*REQUIRED_WORDS, "Phụ lục I", decision.number_symbol):
        assert word in text
    again = tmp_path / "again.pdf"
    write_attachment_pdf(attachment, again)
    assert again.read_bytes() == path.read_bytes()


def test_decision_seed_fixture_is_a_decision(decision: DocumentContent) -> None:
    assert decision.doc_type == QUYET_DINH
    assert (
        make_document_content(decision.seed, pages=3, agency=decision.agency, doc_type=QUYET_DINH)
        == decision
    )
