"""Large data files on demand: a scanned-like PDF/A attachment of hundreds of MB, streamed.

The attachment's first page is a normal text page (what the organisation's signature stamps);
every further page shows a 300 dpi colour "scan" of paper texture. One JPEG tile is made with
Pillow and its bytes are copied into each page's image object while the PDF is written by
hand, so memory holds one tile (a few MB), never the file. pikepdf then joins the two files
(qpdf copies stream data from the source files as it writes) and makes the result PDF/A-2b;
JPEG (DCTDecode) streams are passed through unchanged.
"""

from __future__ import annotations

import io
import random
from pathlib import Path

import pikepdf
from PIL import Image

from ingest.sample.pdf_documents import drafted_at, write_attachment_pdf
from ingest.sample.pdfa_output import PdfaInfo, save_pdfa_2b
from ingest.sample.pki import SamplePki
from ingest.sample.signing import sign_attachment
from ingest.sample.text import AttachmentContent

A4_POINTS = (595.276, 841.89)
TILE_DPI = 300
TILE_PIXELS = (2480, 3508)  # A4 at 300 dpi
JPEG_QUALITY = 92


def write_large_attachment(
    attachment: AttachmentContent, destination: Path, target_bytes: int, pki: SamplePki, work: Path
) -> None:
    """Write a signed PDF/A-2b attachment of at least ``target_bytes`` bytes."""
    first = work / "first.pdf"
    layout = write_attachment_pdf(attachment, first)
    tile = _paper_tile(attachment.main.seed)
    scans = work / "scans.pdf"
    _write_image_pages(scans, tile, max(1, -(-target_bytes // len(tile))))
    combined = work / "combined.pdf"
    with pikepdf.open(first) as pdf, pikepdf.open(scans) as extra:
        pdf.pages.extend(extra.pages)
        pdf.save(combined, stream_decode_level=pikepdf.StreamDecodeLevel.none)
    unsigned = work / "unsigned.pdf"
    main = attachment.main
    info = PdfaInfo(
        title=f"{attachment.label} - {main.doc_type.name} số {main.number_symbol} (bản quét)",
        author=main.issuer_name,
        subject=attachment.title,
        created=drafted_at(main.issued_date),
    )
    save_pdfa_2b(combined, unsigned, info)
    sign_attachment(unsigned, destination, attachment, layout, organisation=pki.organisation)


def _paper_tile(seed: int) -> bytes:
    """A JPEG of noisy off-white paper: incompressible enough to make the file truly large."""
    rng = random.Random(f"{seed}/large-tile")
    noise = Image.frombytes("L", TILE_PIXELS, rng.randbytes(TILE_PIXELS[0] * TILE_PIXELS[1]))
    paper = Image.new("RGB", TILE_PIXELS, (246, 242, 230))
    paper.paste((200, 196, 186), mask=noise.point(lambda value: 70 if value > 128 else 0))
    buffer = io.BytesIO()
    paper.save(buffer, "JPEG", quality=JPEG_QUALITY, dpi=(TILE_DPI, TILE_DPI))
    return buffer.getvalue()


def _write_image_pages(path: Path, jpeg: bytes, pages: int) -> None:
    """A minimal PDF of ``pages`` pages, each drawing its own copy of ``jpeg`` full-page."""
    width, height = A4_POINTS
    offsets: list[int] = []
    with path.open("wb") as out:

        def write_object(number: int, body: bytes, stream: bytes | None = None) -> None:
            while len(offsets) < number:
                offsets.append(0)
            offsets[number - 1] = out.tell()
            out.write(b"%d 0 obj\n" % number + body)
            if stream is not None:
                out.write(b"\nstream\n" + stream + b"\nendstream")
            out.write(b"\nendobj\n")

        out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        # Objects: 1 catalog, 2 pages, then per page i: page, contents, image.
        kids = b" ".join(b"%d 0 R" % (3 + 3 * i) for i in range(pages))
        write_object(1, b"<< /Type /Catalog /Pages 2 0 R >>")
        write_object(2, b"<< /Type /Pages /Count %d /Kids [%s] >>" % (pages, kids))
        drawing = b"q %.3f 0 0 %.3f 0 0 cm /Scan Do Q" % (width, height)
        for i in range(pages):
            page, contents, image = 3 + 3 * i, 4 + 3 * i, 5 + 3 * i
            write_object(
                page,
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.3f %.3f] /Contents %d 0 R "
                b"/Resources << /XObject << /Scan %d 0 R >> >> >>"
                % (width, height, contents, image),
            )
            write_object(contents, b"<< /Length %d >>" % len(drawing), drawing)
            write_object(
                image,
                b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB "
                b"/BitsPerComponent 8 /Filter /DCTDecode /Length %d >>"
                % (TILE_PIXELS[0], TILE_PIXELS[1], len(jpeg)),
                jpeg,
            )
        xref = out.tell()
        out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1))
        for offset in offsets:
            out.write(b"%010d 00000 n \n" % offset)
        out.write(
            b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
            % (len(offsets) + 1, xref)
        )
