"""Born-digital sample documents: PDF/A-2b with real, extractable Vietnamese text."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from reportlab.pdfgen.canvas import Canvas

from ingest.sample.layout import (
    DocumentLayout,
    PageLayout,
    layout_attachment,
    layout_document,
)
from ingest.sample.pdfa_output import PdfaInfo, save_pdfa_2b
from ingest.sample.text import AttachmentContent, DocumentContent
from ingest.sample.typeface import REGULAR, font_name, register_reportlab_fonts

VIETNAM = dt.timezone(dt.timedelta(hours=7))


def drafted_at(day: dt.date) -> dt.datetime:
    """When the file was produced: 08:00 Vietnam time on the day of issue."""
    return dt.datetime(day.year, day.month, day.day, 8, 0, tzinfo=VIETNAM)


def write_document_pdf(content: DocumentContent, destination: Path) -> DocumentLayout:
    """Write the main document as PDF/A-2b; return its layout (where the signatures go)."""
    layout = layout_document(content)
    info = PdfaInfo(
        title=f"{content.doc_type.name} số {content.number_symbol}: {content.subject}",
        author=content.issuer_name,
        subject=content.subject,
        created=drafted_at(content.issued_date),
    )
    _write(layout, info, destination)
    return layout


def write_attachment_pdf(content: AttachmentContent, destination: Path) -> DocumentLayout:
    layout = layout_attachment(content)
    main = content.main
    info = PdfaInfo(
        title=f"{content.label} - {main.doc_type.name} số {main.number_symbol}",
        author=main.issuer_name,
        subject=content.title,
        created=drafted_at(main.issued_date),
    )
    _write(layout, info, destination)
    return layout


def draw_page_text(canvas: Canvas, page: PageLayout, *, invisible: bool = False) -> None:
    """Draw the page's lines; ``invisible`` uses text render mode 3 (an OCR-style layer)."""
    for line in page.lines:
        text = canvas.beginText(line.x, line.y)
        text.setFont(font_name(line.bold), line.size)
        if invisible:
            text.setTextRenderMode(3)
        text.textOut(line.text)
        canvas.drawText(text)


def _write(layout: DocumentLayout, info: PdfaInfo, destination: Path) -> None:
    register_reportlab_fonts()
    with tempfile.TemporaryDirectory(dir=destination.parent) as work:
        draft = Path(work) / "draft.pdf"
        canvas = Canvas(
            str(draft),
            pagesize=(layout.width, layout.height),
            invariant=1,
            pdfVersion=(1, 7),
            initialFontName=REGULAR,  # otherwise ReportLab declares an unembedded Helvetica
        )
        for page in layout.pages:
            draw_page_text(canvas, page)
            canvas.setLineWidth(0.6)
            for rule in page.rules:
                canvas.line(rule.x1, rule.y, rule.x2, rule.y)
            canvas.showPage()
        canvas.save()
        save_pdfa_2b(draft, destination, info)
