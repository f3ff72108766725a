"""Which file formats TT 05/2025/TT-BNV accepts, by PRONOM identifier (PUID).

Source: TT05 Điều 8 and its MIME table (REFERENCE §3.5).

- Digitised paper (confidenceLevel 02) must be PDF/A "hai lớp" (image + invisible text).
- Born-digital records (01, and 03 mixed) may be in the listed office, image, audio and video
  formats: txt, rtf (1.8/1.9.1), docx, pdf/a, doc, odt (1.2), csv, xlsx, xls, ods, htm, pptx,
  ppt, odp, jpeg, gif 89a, tiff, png, MPEG-1/2/4, avi, wmv, mov, mp3, wma, aac.
- Plain PDF (not PDF/A) is NOT accepted for a record: the table lists ".pdf/a", not ".pdf", and
  TT05 makes PDF/A the preservation format for documents. It gets its own finding code so the
  sender knows the fix (convert to PDF/A before signing) rather than "unknown format".
- XML is accepted only as package metadata (METS.xml, ``metadata/``, ``schemas/``), never as a
  record in ``data/``.

PUIDs were checked with Siegfried (pygfried 2.2, PRONOM V125) on sample files for: PDF/A-2b
(fmt/477), DOCX fmt/412, XLSX fmt/214, ODT 1.2 fmt/291, JPEG fmt/43, PNG fmt/11, TIFF fmt/353,
GIF 89a fmt/4 (87a is fmt/3, not allowed), MP3 fmt/134, MP4 fmt/199, QuickTime x-fmt/384,
AVI fmt/5, AAC/ADTS fmt/1812, HTML5 fmt/471, plain text x-fmt/111, CSV x-fmt/18, XML fmt/101.
The others are taken from PRONOM.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import PurePosixPath


class FormatFamily(StrEnum):
    DOCUMENT = "document"
    SPREADSHEET = "spreadsheet"
    PRESENTATION = "presentation"
    IMAGE = "image"
    VIDEO = "video"
    AUDIO = "audio"
    PDFA = "pdfa"
    METADATA = "metadata"


@dataclass(frozen=True)
class AllowedFormat:
    puid: str
    name: str
    family: FormatFamily


def _formats(family: FormatFamily, *entries: tuple[str, str]) -> dict[str, AllowedFormat]:
    return {puid: AllowedFormat(puid, name, family) for puid, name in entries}


PDFA_FORMATS = _formats(
    FormatFamily.PDFA,
    ("fmt/95", "PDF/A-1a"),
    ("fmt/354", "PDF/A-1b"),
    ("fmt/476", "PDF/A-2a"),
    ("fmt/477", "PDF/A-2b"),
    ("fmt/478", "PDF/A-2u"),
    ("fmt/479", "PDF/A-3a"),
    ("fmt/480", "PDF/A-3b"),
    ("fmt/481", "PDF/A-3u"),
)

# Plain PDF, every version: recognised so that it gets FMT-PDF-NOT-PDFA, not FMT-NOT-ALLOWED.
PLAIN_PDF_PUIDS = frozenset(
    {
        "fmt/14",
        "fmt/15",
        "fmt/16",
        "fmt/17",
        "fmt/18",
        "fmt/19",
        "fmt/20",
        "fmt/276",
        "fmt/1129",
    }
)

BORN_DIGITAL_FORMATS: dict[str, AllowedFormat] = {
    **_formats(
        FormatFamily.DOCUMENT,
        ("x-fmt/111", "Plain text"),
        ("fmt/53", "Rich Text Format 1.8"),
        ("fmt/355", "Rich Text Format 1.9"),
        ("fmt/969", "Rich Text Format (version not stated)"),
        ("fmt/412", "Microsoft Word (DOCX)"),
        ("fmt/40", "Microsoft Word 97-2003 (DOC)"),
        ("fmt/291", "OpenDocument Text 1.2"),
    ),
    **_formats(
        FormatFamily.SPREADSHEET,
        ("x-fmt/18", "Comma Separated Values"),
        ("fmt/214", "Microsoft Excel (XLSX)"),
        ("fmt/61", "Microsoft Excel 97 (XLS)"),
        ("fmt/62", "Microsoft Excel 2000-2003 (XLS)"),
        ("fmt/295", "OpenDocument Spreadsheet 1.2"),
    ),
    **_formats(
        FormatFamily.PRESENTATION,
        ("fmt/96", "HTML"),
        ("fmt/99", "HTML 4.0"),
        ("fmt/100", "HTML 4.01"),
        ("fmt/471", "HTML 5"),
        ("fmt/215", "Microsoft PowerPoint (PPTX)"),
        ("fmt/126", "Microsoft PowerPoint 97-2003 (PPT)"),
        ("fmt/293", "OpenDocument Presentation 1.2"),
    ),
    **_formats(
        FormatFamily.IMAGE,
        ("fmt/41", "Raw JPEG stream"),
        ("fmt/42", "JPEG File Interchange Format 1.00"),
        ("fmt/43", "JPEG File Interchange Format 1.01"),
        ("fmt/44", "JPEG File Interchange Format 1.02"),
        ("x-fmt/398", "Exif JPEG 2.0"),
        ("x-fmt/390", "Exif JPEG 2.1"),
        ("x-fmt/391", "Exif JPEG 2.2"),
        ("fmt/645", "Exif JPEG 2.21"),
        ("fmt/4", "GIF 89a"),
        ("fmt/353", "TIFF"),
        ("fmt/11", "PNG 1.0"),
        ("fmt/12", "PNG 1.1"),
        ("fmt/13", "PNG 1.2"),
    ),
    **_formats(
        FormatFamily.VIDEO,
        ("x-fmt/385", "MPEG-1 Program Stream"),
        ("x-fmt/386", "MPEG-2 Program Stream"),
        ("fmt/199", "MPEG-4 Media File"),
        ("fmt/5", "Audio/Video Interleaved (AVI)"),
        ("fmt/133", "Windows Media Video"),
        ("x-fmt/384", "QuickTime"),
    ),
    **_formats(
        FormatFamily.AUDIO,
        ("fmt/134", "MPEG 1/2 Audio Layer 3 (MP3)"),
        ("fmt/132", "Windows Media Audio"),
        ("fmt/1812", "AAC in Audio Data Transport Stream (ADTS)"),
    ),
    **PDFA_FORMATS,
}

METADATA_FORMATS = _formats(FormatFamily.METADATA, ("fmt/101", "XML 1.0"))
METADATA_DIRECTORIES = frozenset({"metadata", "schemas"})


def is_metadata_path(logical_path: str) -> bool:
    """METS.xml at any level, or anything under a ``metadata/`` or ``schemas/`` folder."""
    path = PurePosixPath(logical_path)
    return path.name == "METS.xml" or any(part in METADATA_DIRECTORIES for part in path.parts[:-1])


class Verdict(StrEnum):
    ALLOWED = "allowed"
    NOT_ALLOWED = "not_allowed"
    PDF_NOT_PDFA = "pdf_not_pdfa"  # plain PDF where PDF/A is required
    DIGITISED_NOT_PDFA = "digitised_not_pdfa"  # digitised paper in anything but PDF/A


def decide(puid: str, logical_path: str, confidence_level: str | None) -> Verdict:
    """Is a file of this PUID acceptable at this place, for this kind of document?"""
    if is_metadata_path(logical_path):
        return Verdict.ALLOWED if puid in METADATA_FORMATS else Verdict.NOT_ALLOWED
    if confidence_level == "02":
        return Verdict.ALLOWED if puid in PDFA_FORMATS else Verdict.DIGITISED_NOT_PDFA
    if puid in BORN_DIGITAL_FORMATS:
        return Verdict.ALLOWED
    if puid in PLAIN_PDF_PUIDS:
        return Verdict.PDF_NOT_PDFA
    return Verdict.NOT_ALLOWED


def format_name(puid: str) -> str | None:
    known = BORN_DIGITAL_FORMATS.get(puid) or METADATA_FORMATS.get(puid)
    return known.name if known else None
