"""The one typeface every sample document uses: DejaVu Serif shipped in ``fonts/``.

Only the copies next to this module are used, never the system's, so that builds are
byte-identical on every machine (see ``fonts/README.md``).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PIL import ImageFont
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).parent / "fonts"
REGULAR_TTF = FONT_DIR / "DejaVuSerif.ttf"
BOLD_TTF = FONT_DIR / "DejaVuSerif-Bold.ttf"

REGULAR = "DejaVuSerif"
BOLD = "DejaVuSerif-Bold"


@cache
def register_reportlab_fonts() -> None:
    """Make :data:`REGULAR` and :data:`BOLD` usable in ReportLab canvases (idempotent)."""
    pdfmetrics.registerFont(TTFont(REGULAR, str(REGULAR_TTF)))
    pdfmetrics.registerFont(TTFont(BOLD, str(BOLD_TTF)))


def font_name(bold: bool) -> str:
    return BOLD if bold else REGULAR


def text_width(text: str, bold: bool, size: float) -> float:
    """Width of ``text`` in points, as ReportLab will draw it."""
    register_reportlab_fonts()
    return float(pdfmetrics.stringWidth(text, font_name(bold), size))


@cache
def pillow_font(bold: bool, size_px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(BOLD_TTF if bold else REGULAR_TTF), size_px)
