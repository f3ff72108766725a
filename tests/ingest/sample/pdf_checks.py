"""Reading back what the generators wrote, for the tests (pypdf is a test-only dependency)."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pikepdf
import pypdf


def extracted_text(path: Path) -> str:
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)
    return " ".join(text.split())


def is_nfc(text: str) -> bool:
    return unicodedata.is_normalized("NFC", text)


def pdfa_claim(path: Path) -> tuple[str, str]:
    with pikepdf.open(path) as pdf, pdf.open_metadata() as xmp:
        return str(xmp.get("pdfaid:part")), str(xmp.get("pdfaid:conformance"))


def fonts_without_program(path: Path) -> list[str]:
    """Names of fonts used anywhere in the file that do not embed their font program."""
    missing = []
    with pikepdf.open(path) as pdf:
        for obj in pdf.objects:
            if not isinstance(obj, pikepdf.Dictionary) or obj.get("/Type") != "/Font":
                continue
            if obj.get("/Subtype") in ("/Type0", "/Type3"):
                continue  # descendants are checked as CIDFonts; Type 3 glyphs are in the file
            descriptor = obj.get("/FontDescriptor")
            if descriptor is None or not any(
                key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
            ):
                missing.append(str(obj.get("/BaseFont")))
    return missing


def font_count(path: Path) -> int:
    with pikepdf.open(path) as pdf:
        return sum(
            1
            for obj in pdf.objects
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/Font"
        )
