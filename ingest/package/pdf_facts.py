"""Facts read from a package's PDF files: page count (pikepdf) and first-page text (pypdf).

Both return ``(value, None)`` or ``(None, reason)``: a PDF that cannot be read is a fact the
caller must report as undecided, never a zero. Files are read through a stream, not loaded.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pikepdf


def page_count(path: Path) -> tuple[int | None, str | None]:
    try:
        with pikepdf.open(path) as pdf:
            return len(pdf.pages), None
    except (pikepdf.PdfError, pikepdf.PasswordError, OSError, ValueError) as error:
        return None, f"{type(error).__name__}: {error}"


def first_page_text(path: Path) -> tuple[str | None, str | None]:
    try:
        from pypdf import PdfReader
        from pypdf.errors import PyPdfError
    except ImportError:
        return None, "pypdf is not installed"
    # pypdf logs every font quirk it meets; those are not findings.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        with path.open("rb") as stream:  # a path would make pypdf read the whole file
            reader = PdfReader(stream)
            if reader.is_encrypted or not reader.pages:
                return None, "encrypted or no pages"
            return reader.pages[0].extract_text() or "", None
    except (PyPdfError, OSError, ValueError, KeyError, TypeError) as error:
        return None, f"{type(error).__name__}: {error}"
