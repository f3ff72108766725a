"""Format identification with the real Siegfried (pygfried) on files made here."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest
from PIL import Image

from ingest.checks import formats
from ingest.context import CheckContext
from ingest.findings import Outcome, Severity
from metadata_schemas import format_policy

from .conftest import claim_pdfa_2b, package_file, simple_pdf


def check(path: Path, logical_path: str | None = None, level: str | None = "01") -> list:
    return formats.check_files([package_file(path, logical_path, level)], CheckContext())


def problems(findings: list) -> set[str]:
    return {f.code for f in findings if f.outcome is not Outcome.PASSED}


def identified(findings: list) -> dict:
    return next(f for f in findings if f.code == "FMT-IDENTIFIED").detail


@pytest.fixture
def pdfa(tmp_path: Path) -> Path:
    plain = tmp_path / "plain.pdf"
    plain.write_bytes(simple_pdf())
    return claim_pdfa_2b(plain, tmp_path / "record.pdf")


def test_pdfa_record_is_identified_and_allowed(pdfa: Path) -> None:
    findings = check(pdfa)
    assert problems(findings) == set()
    detail = identified(findings)
    assert detail["puid"] == "fmt/477"
    assert detail["mime"] == "application/pdf"
    assert "byte match" in detail["basis"]


def test_allowed_born_digital_formats(tmp_path: Path) -> None:
    Image.new("RGB", (8, 8), "red").save(tmp_path / "photo.jpg")
    Image.new("RGB", (8, 8), "red").save(tmp_path / "photo.png")
    Image.new("RGB", (8, 8), "red").save(tmp_path / "photo.tif")
    openpyxl.Workbook().save(tmp_path / "table.xlsx")
    (tmp_path / "note.txt").write_text("Quyết định số 1\n", encoding="utf-8")
    (tmp_path / "table.csv").write_text("ma,ten\n1,Hà Nội\n", encoding="utf-8")
    expected = {
        "photo.jpg": "fmt/43",
        "photo.png": "fmt/11",
        "photo.tif": "fmt/353",
        "table.xlsx": "fmt/214",
        "note.txt": "x-fmt/111",
        "table.csv": "x-fmt/18",
    }
    for name, puid in expected.items():
        findings = check(tmp_path / name)
        assert problems(findings) == set(), name
        assert identified(findings)["puid"] == puid
        assert puid in format_policy.BORN_DIGITAL_FORMATS


def test_gif_87a_is_fmt_not_allowed_and_89a_is_allowed(tmp_path: Path) -> None:
    Image.new("P", (8, 8)).save(tmp_path / "old.gif")  # Pillow writes 87a without extensions
    image = Image.new("P", (8, 8))
    image.save(tmp_path / "new.gif", transparency=0)  # transparency needs 89a
    assert problems(check(tmp_path / "old.gif")) == {"FMT-NOT-ALLOWED"}
    assert identified(check(tmp_path / "new.gif"))["puid"] == "fmt/4"
    assert problems(check(tmp_path / "new.gif")) == set()


def test_zip_is_fmt_not_allowed(tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "fmt-not-allowed.zip", "w") as archive:
        archive.writestr("a.txt", "x")
    findings = check(tmp_path / "fmt-not-allowed.zip")
    assert problems(findings) == {"FMT-NOT-ALLOWED"}
    assert next(f for f in findings if f.code == "FMT-NOT-ALLOWED").severity is Severity.ERROR


def test_plain_pdf_for_born_digital_record_is_fmt_pdf_not_pdfa(tmp_path: Path) -> None:
    (tmp_path / "fmt-pdf-not-pdfa.pdf").write_bytes(simple_pdf())
    findings = check(tmp_path / "fmt-pdf-not-pdfa.pdf")
    assert problems(findings) == {"FMT-PDF-NOT-PDFA"}
    assert identified(findings)["puid"] in format_policy.PLAIN_PDF_PUIDS


def test_digitised_document_must_be_pdfa(tmp_path: Path, pdfa: Path) -> None:
    Image.new("RGB", (8, 8)).save(tmp_path / "fmt-digitised-not-pdfa.jpg")
    findings = check(tmp_path / "fmt-digitised-not-pdfa.jpg", level="02")
    assert problems(findings) == {"FMT-DIGITISED-NOT-PDFA"}
    assert problems(check(pdfa, level="02")) == set()


def test_pdf_named_docx_is_fmt_extension_mismatch(tmp_path: Path, pdfa: Path) -> None:
    renamed = tmp_path / "fmt-extension-mismatch.docx"
    renamed.write_bytes(pdfa.read_bytes())
    findings = check(renamed)
    assert problems(findings) == {"FMT-EXTENSION-MISMATCH"}
    mismatch = next(f for f in findings if f.code == "FMT-EXTENSION-MISMATCH")
    assert mismatch.severity is Severity.WARNING
    assert mismatch.detail["puid"] == "fmt/477"  # identified by content, not by name


def test_unknown_bytes_and_empty_file_are_fmt_unidentified(tmp_path: Path) -> None:
    (tmp_path / "fmt-unidentified.bin").write_bytes(bytes(range(256)) * 8)
    (tmp_path / "fmt-unidentified.csv").write_bytes(b"\x00\x01binary" * 50)
    (tmp_path / "empty.txt").write_bytes(b"")
    for name in ("fmt-unidentified.bin", "fmt-unidentified.csv", "empty.txt"):
        assert problems(check(tmp_path / name)) == {"FMT-UNIDENTIFIED"}, name


def test_xml_is_allowed_only_as_package_metadata(tmp_path: Path) -> None:
    xml = tmp_path / "EAD.xml"
    xml.write_text('<?xml version="1.0" encoding="UTF-8"?><ead/>', encoding="utf-8")
    as_metadata = check(xml, "metadata/descriptive/EAD.xml", level=None)
    assert problems(as_metadata) == set()
    assert identified(as_metadata)["puid"] == "fmt/101"
    assert problems(check(xml, "representations/rep1/data/EAD.xml")) == {"FMT-NOT-ALLOWED"}


def test_unreadable_file_is_indeterminate(tmp_path: Path) -> None:
    (tmp_path / "gone.pdf").write_bytes(simple_pdf())
    item = package_file(tmp_path / "gone.pdf")
    (tmp_path / "gone.pdf").unlink()
    [finding] = formats.check_files([item], CheckContext())
    assert finding.code == "FMT-NOT-CHECKED"
    assert finding.outcome is Outcome.INDETERMINATE
