"""Digitised paper (TT05 confidenceLevel 02): page images with an invisible text layer.

Each page is drawn with Pillow as a colour scan of the signed paper original (off-white paper,
near-black ink, the blue signature and red seal), embedded at 100 % scale in a PDF/A-2b page
whose size is the image size divided by the resolution, with the same text in render mode 3
over it, as OCR software produces ("PDF/A hai lớp"). Only one page image is in memory at a
time: every page becomes its own small PDF and pikepdf copies the pages across lazily.
"""

from __future__ import annotations

import base64
import random
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pikepdf
from PIL import Image, ImageDraw
from reportlab.pdfgen.canvas import Canvas

from ingest.sample.ink import seal_image, signature_image
from ingest.sample.layout import Box, DocumentLayout, PageLayout, layout_document
from ingest.sample.pdf_documents import drafted_at, draw_page_text
from ingest.sample.pdfa_output import PdfaInfo, save_pdfa_2b
from ingest.sample.text import DocumentContent
from ingest.sample.typeface import REGULAR, pillow_font, register_reportlab_fonts

PAPER = (246, 242, 230)  # slightly yellowish white: the scan is truly colour
INK = (28, 28, 34)
JPEG_QUALITY = 80


@dataclass(frozen=True)
class ScanSettings:
    dpi: int = 200  # TT05: 200 dpi for administrative documents
    mode: Literal["RGB", "L"] = "RGB"  # "L" (8-bit grey) is a broken variant
    text_layer: bool = True  # False is a broken variant (image only, not "hai lớp")


def write_scanned_pdf(
    content: DocumentContent, destination: Path, settings: ScanSettings | None = None
) -> DocumentLayout:
    """Write a digitised copy of the paper document; return the layout in PDF points."""
    settings = settings or ScanSettings()
    layout = layout_document(content)
    register_reportlab_fonts()
    with tempfile.TemporaryDirectory(dir=destination.parent) as work_dir:
        work = Path(work_dir)
        page_files = []
        for index, page in enumerate(layout.pages):
            image = _page_image(content, layout, index, page, settings)
            page_files.append(_page_pdf(image, page, settings, work / f"page-{index:04d}"))
        combined = work / "combined.pdf"
        with pikepdf.new() as pdf:
            sources = [pikepdf.open(path) for path in page_files]
            try:
                for source in sources:
                    pdf.pages.extend(source.pages)
                pdf.save(combined, deterministic_id=True)
            finally:
                for source in sources:
                    source.close()
        info = PdfaInfo(
            title=f"Bản số hóa {content.doc_type.name} số {content.number_symbol}",
            author=content.issuer_name,
            subject=content.subject,
            created=drafted_at(content.issued_date),
        )
        save_pdfa_2b(combined, destination, info)
    return layout


def _page_image(
    content: DocumentContent,
    layout: DocumentLayout,
    index: int,
    page: PageLayout,
    settings: ScanSettings,
) -> Image.Image:
    scale = settings.dpi / 72
    size = (round(layout.width * scale), round(layout.height * scale))
    image = Image.new("RGB", size, PAPER)
    draw = ImageDraw.Draw(image)
    rng = random.Random(f"{content.seed}/scan/{index}")
    for _ in range(size[0] * size[1] // 4000):  # paper fibres and dust
        x, y = rng.randrange(size[0]), rng.randrange(size[1])
        shade = rng.randint(200, 235)
        draw.point((x, y), fill=(shade, shade - 4, shade - 14))
    for line in page.lines:
        font = pillow_font(line.bold, round(line.size * scale))
        position = (line.x * scale, (layout.height - line.y) * scale)
        draw.text(position, line.text, font=font, fill=INK, anchor="ls")
    for rule in page.rules:
        rule_y = (layout.height - rule.y) * scale
        draw.line(
            [(rule.x1 * scale, rule_y), (rule.x2 * scale, rule_y)],
            fill=INK,
            width=max(1, round(scale)),
        )
    if layout.signature_box and layout.signature_box.page == index:
        _paste(
            image, signature_image(content.signer.full_name), layout.signature_box, layout, scale
        )
    if layout.seal_box and layout.seal_box.page == index:
        seal = seal_image(content.agency.name, content.agency.parent_name)
        _paste(image, seal, layout.seal_box, layout, scale)
    return image.convert("L") if settings.mode == "L" else image


def _paste(
    image: Image.Image, ink: Image.Image, box: Box, layout: DocumentLayout, scale: float
) -> None:
    size = (round(box.width * scale), round(box.height * scale))
    placed = ink.resize(size, Image.Resampling.LANCZOS)
    corner = (round(box.x1 * scale), round((layout.height - box.y2) * scale))
    image.paste(placed, corner, placed)


def _page_pdf(image: Image.Image, page: PageLayout, settings: ScanSettings, stem: Path) -> Path:
    picture = stem.with_suffix(".jpg")
    image.save(picture, "JPEG", quality=JPEG_QUALITY, dpi=(settings.dpi, settings.dpi))
    width, height = (pixels * 72 / settings.dpi for pixels in image.size)
    target = stem.with_suffix(".pdf")
    canvas = Canvas(str(target), pagesize=(width, height), invariant=1, initialFontName=REGULAR)
    canvas.drawImage(str(picture), 0, 0, width=width, height=height)
    if settings.text_layer:
        draw_page_text(canvas, page, invisible=True)
    canvas.showPage()
    canvas.save()
    picture.unlink()
    _drop_ascii85(target)
    return target


def _drop_ascii85(path: Path) -> None:
    """ReportLab wraps the JPEG in ASCII85, a quarter larger for nothing: store it plain.

    It also names the image after the temporary file's path; rename it so the bytes repeat.
    """
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        for page in pdf.pages:
            xobjects = page.Resources.XObject
            (old_name,) = list(xobjects.keys())
            xobjects["/Scan"] = xobjects[old_name]
            del xobjects[old_name]
            drawing = page.Contents.read_bytes()
            page.Contents.write(drawing.replace(old_name.encode(), b"/Scan"))
            for image in page.get_images().values():
                encoded = b"".join(image.read_raw_bytes().split())
                framed = encoded if encoded.startswith(b"<~") else b"<~" + encoded
                jpeg = base64.a85decode(framed, adobe=True)
                image.write(jpeg, filter=pikepdf.Name.DCTDecode)
        pdf.save(path)


def page_dpi(pdf_page: pikepdf.Page) -> tuple[float, float]:
    """Resolution of the one image on a digitised page (pixels per inch of the page box)."""
    ((_, image),) = pdf_page.images.items()
    box = pdf_page.mediabox
    return (
        float(image.Width) * 72 / float(box[2] - box[0]),
        float(image.Height) * 72 / float(box[3] - box[1]),
    )
