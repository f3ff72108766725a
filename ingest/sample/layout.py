"""Where every line of a document goes on A4 pages, following NĐ 30/2020 Phụ lục I.

The layout is computed once, in points from the bottom-left corner, and drawn twice: as vector
text by ``pdf_documents`` and as pixels plus an invisible text layer by ``scanned``. It also says
where the signature images and the organisation's corner stamp go, for ``signing``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ingest.sample.agencies import CONG_VAN
from ingest.sample.text import AttachmentContent, Block, DocumentContent
from ingest.sample.typeface import text_width

MM = 72 / 25.4
PAGE_WIDTH = 210 * MM
PAGE_HEIGHT = 297 * MM
LEFT = 30 * MM  # NĐ30 margins: left 30–35 mm, right 15–20 mm, top and bottom 20–25 mm
RIGHT = PAGE_WIDTH - 15 * MM
TOP = PAGE_HEIGHT - 20 * MM
BOTTOM = 20 * MM
BODY_SIZE = 13.0
LEADING = 1.25
PARAGRAPH_GAP = 4.0
INDENT = 10 * MM

SIGNATURE_SIZE = (50 * MM, 25 * MM)
SEAL_DIAMETER = 36 * MM


class LayoutError(ValueError):
    """The text given for a page does not fit on it."""


@dataclass(frozen=True)
class TextLine:
    x: float  # left end of the baseline
    y: float
    text: str
    bold: bool
    size: float


@dataclass(frozen=True)
class Rule:
    x1: float
    x2: float
    y: float


@dataclass(frozen=True)
class Box:
    """A rectangle on a page; signature boxes are whole points, as a signature field needs."""

    page: int  # 0-based
    x1: float
    y1: float
    x2: float
    y2: float

    @property
    def width(self) -> float:
        return self.x2 - self.x1

    @property
    def height(self) -> float:
        return self.y2 - self.y1


@dataclass
class PageLayout:
    lines: list[TextLine] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)


@dataclass(frozen=True)
class DocumentLayout:
    pages: tuple[PageLayout, ...]
    corner_box: Box  # organisation signature on attachments and digitised copies (top right)
    signature_box: Box | None = None  # the competent person's signature image
    seal_box: Box | None = None  # the organisation's seal, over the signature's left third
    width: float = PAGE_WIDTH
    height: float = PAGE_HEIGHT


def whole_box(page: int, x1: float, y1: float, x2: float, y2: float) -> Box:
    return Box(page, round(x1), round(y1), round(x2), round(y2))


CORNER_BOX = whole_box(
    0, RIGHT - 80 * MM, PAGE_HEIGHT - 19 * MM, RIGHT + 5 * MM, PAGE_HEIGHT - 4 * MM
)


class _Page:
    """A page being filled from the top down."""

    def __init__(self, number: int) -> None:
        self.layout = PageLayout()
        self.y = TOP
        if number > 1:  # NĐ30: page numbers from page 2, centred in the top margin
            self.centred(str(number), False, BODY_SIZE, LEFT, RIGHT, y=PAGE_HEIGHT - 12 * MM)

    def line(self, text: str, bold: bool, size: float, x: float, y: float | None = None) -> None:
        y = self.y if y is None else y
        if y < BOTTOM:
            raise LayoutError(f"text runs past the bottom margin: {text[:40]!r}")
        self.layout.lines.append(TextLine(x, y, text, bold, size))

    def centred(
        self, text: str, bold: bool, size: float, x1: float, x2: float, y: float | None = None
    ) -> None:
        self.line(text, bold, size, (x1 + x2 - text_width(text, bold, size)) / 2, y)

    def centred_block(self, text: str, bold: bool, size: float, x1: float, x2: float) -> float:
        """Wrap ``text`` between x1 and x2, centre each line, move down; return the widest."""
        widest = 0.0
        for piece in wrap(text, bold, size, x2 - x1):
            self.y -= size * LEADING
            self.centred(piece, bold, size, x1, x2)
            widest = max(widest, text_width(piece, bold, size))
        return widest

    def rule_under(self, centre: float, width: float, gap: float = 4.0) -> None:
        self.layout.rules.append(Rule(centre - width / 2, centre + width / 2, self.y - gap))

    def body(self, block: Block) -> None:
        if block.style == "centred_bold":
            self.y -= PARAGRAPH_GAP
            self.centred_block(block.text, True, BODY_SIZE, LEFT, RIGHT)
        else:
            bold = block.style == "heading"
            pieces = wrap(block.text, bold, BODY_SIZE, RIGHT - LEFT, first_indent=INDENT)
            for index, piece in enumerate(pieces):
                self.y -= BODY_SIZE * LEADING
                self.line(piece, bold, BODY_SIZE, LEFT + (INDENT if index == 0 else 0))
        self.y -= PARAGRAPH_GAP


def wrap(text: str, bold: bool, size: float, width: float, first_indent: float = 0) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        available = width - (first_indent if not lines else 0)
        if current and text_width(candidate, bold, size) > available:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines


def layout_document(content: DocumentContent) -> DocumentLayout:
    pages = [_Page(n + 1) for n in range(content.page_count)]
    first = pages[0]
    _header(first, content)
    for page, blocks in zip(pages, content.body_pages, strict=True):
        for block in blocks:
            page.body(block)
    signature_box, seal_box = _signer_block(pages[-1], len(pages) - 1, content)
    return DocumentLayout(
        pages=tuple(p.layout for p in pages),
        corner_box=CORNER_BOX,
        signature_box=signature_box,
        seal_box=seal_box,
    )


def layout_attachment(content: AttachmentContent) -> DocumentLayout:
    pages = [_Page(n + 1) for n in range(content.page_count)]
    first = pages[0]
    first.y = CORNER_BOX.y1 - 4 * MM  # keep the corner free for the organisation's stamp
    first.centred_block(content.label, True, BODY_SIZE, LEFT, RIGHT)
    first.centred_block(content.title, True, BODY_SIZE, LEFT, RIGHT)
    first.centred_block(content.reference_line, False, 12, LEFT, RIGHT)
    first.rule_under((LEFT + RIGHT) / 2, 40 * MM)
    first.y -= 6 * MM
    for page, blocks in zip(pages, content.body_pages, strict=True):
        for block in blocks:
            page.body(block)
    return DocumentLayout(pages=tuple(p.layout for p in pages), corner_box=CORNER_BOX)


# The header runs wider than the body text, as in NĐ30's samples: 20 mm to 200 mm.
_AGENCY_COLUMN = (20 * MM, 95 * MM)
_MOTTO_COLUMN = (95 * MM, 200 * MM)


def _header(page: _Page, content: DocumentContent) -> None:
    agency = content.agency
    left_x1, left_x2 = _AGENCY_COLUMN
    right_x1, right_x2 = _MOTTO_COLUMN
    top = page.y + 12  # baseline of the first header line sits just under the top margin
    page.y = top
    if agency.parent_name:
        page.centred_block(agency.parent_name.upper(), False, 12, left_x1, left_x2)
    name_width = page.centred_block(agency.name.upper(), True, 12, left_x1, left_x2)
    page.rule_under((left_x1 + left_x2) / 2, min(name_width, 30 * MM))
    left_bottom = page.y
    page.y = top
    page.centred_block("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True, 12, right_x1, right_x2)
    motto_width = page.centred_block("Độc lập - Tự do - Hạnh phúc", True, 13, right_x1, right_x2)
    page.rule_under((right_x1 + right_x2) / 2, motto_width)
    row2 = min(left_bottom, page.y) - 8
    page.y = row2
    page.centred_block(f"Số: {content.number_symbol}", False, BODY_SIZE, left_x1, left_x2)
    if content.doc_type == CONG_VAN:
        page.centred_block(content.subject, False, 12, left_x1, left_x2)
    left_bottom = page.y
    page.y = row2
    page.centred_block(content.place_date_line, False, 12, right_x1, right_x2)
    page.y = min(left_bottom, page.y) - 10
    if content.doc_type != CONG_VAN:
        page.y -= 6
        page.centred_block(content.doc_type.name.upper(), True, 14, LEFT, RIGHT)
        page.centred_block(content.subject, True, BODY_SIZE, LEFT + 10 * MM, RIGHT - 10 * MM)
        page.rule_under((LEFT + RIGHT) / 2, 40 * MM)
        page.y -= 10
    else:
        page.y -= BODY_SIZE
        page.centred_block(
            f"Kính gửi: Các sở, ban, ngành thuộc {agency.name}", False, 13, LEFT, RIGHT
        )
        page.y -= 6


_RECIPIENTS_COLUMN = (LEFT, 105 * MM)
_SIGNER_COLUMN = (105 * MM, RIGHT)


def _signer_block(page: _Page, page_index: int, content: DocumentContent) -> tuple[Box, Box]:
    page.y -= 8
    top = page.y
    x1, x2 = _SIGNER_COLUMN
    for line in content.signer.authority_lines:
        page.centred_block(line, True, BODY_SIZE, x1, x2)
    centre = (x1 + x2) / 2
    width, height = SIGNATURE_SIZE
    space = 32 * MM  # room left for the signature and seal between the title and the name
    signature_top = page.y - 2 * MM
    signature = whole_box(
        page_index, centre - width / 2, signature_top - height, centre + width / 2, signature_top
    )
    seal_x2 = signature.x1 + width / 3
    seal_centre_y = (signature.y1 + signature.y2) / 2
    seal = whole_box(
        signature.page,
        seal_x2 - SEAL_DIAMETER,
        seal_centre_y - SEAL_DIAMETER / 2,
        seal_x2,
        seal_centre_y + SEAL_DIAMETER / 2,
    )
    page.y -= space
    page.centred_block(content.signer.full_name, True, BODY_SIZE, x1, x2)

    page.y = top - 12
    r1, r2 = _RECIPIENTS_COLUMN
    page.line("Nơi nhận:", True, 12, r1)
    for recipient in content.recipients:
        for index, piece in enumerate(wrap(recipient, False, 11, r2 - r1 - 3 * MM)):
            page.y -= 11 * 1.15
            page.line(piece, False, 11, r1 + (0 if index == 0 else 3 * MM))
    return signature, seal
