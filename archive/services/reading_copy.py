"""Reading copies on screen (bản đọc, TT 05/2025/TT-BNV Điều 37), and who may download.

A reading copy is a PDF rendition of one document — its main file followed by its attachment
files — with the archive's name centred in the bottom margin of every page, served inline and
never cached. It is rendered from the preserved files at each request into the staging area and
removed once sent; nothing of it is kept.

The stamp is real text (an embedded DejaVu font with a ToUnicode map), so it can be searched
and extracted like the page's own text. Signature fields are flattened into the page: the
seals and signature images stay visible, but the copy does not pretend to carry signatures
that the stamping has necessarily broken.

Who may do what with a document (the visibility rule of :mod:`archive.services.visibility`
decides first; a record the caller may not see is a 404 everywhere):

- **view** (this reading copy): anyone who may see the document — officials and approvers of
  the agencies the record belongs to, for conditional-use (mode 02) records only with a valid
  grant; archivists, auditors and admins of those agencies.
- **download the original** (the unaltered preserved file): archivists and admins of the
  agencies they serve, for any mode; officials and approvers only for public records (the
  document and its dossier both mode 01). A grant opens a conditional-use record for viewing
  only: a copy of it to take away is a DIP, which an archivist approves (TT05 Điều 42). A
  per-grant download permission would need a column (``access_grants.allow_download``).
  :func:`download_condition` states this rule as SQL for the download route.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import sqlalchemy as sa
from fastapi import Request
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy.orm import Session

from archive.catalog.accounts import Role
from archive.catalog.base import utcnow
from archive.catalog.records import Document, Dossier, File
from archive.errors import ArchiveError, NotFound
from archive.services.access_log import AccessAction, log_access
from archive.services.accounts import Principal
from archive.services.stored_files import open_stored_file
from archive.services.visibility import PUBLIC, document_condition
from archive.settings import Settings
from ingest.sample.typeface import REGULAR, register_reportlab_fonts, text_width

STAMP_SIZE = 9.0  # points
STAMP_MIN_SIZE = 5.0
STAMP_BASELINE = 22.0  # points above the bottom edge: inside any NĐ 30/2020 bottom margin
STAMP_WIDTH_SHARE = 0.8  # the name never runs wider than this share of the page
CHUNK = 1024 * 1024
PDF_MAGIC = b"%PDF-"
CONTENT_ROLES = ("document", "attachment")


class NoRendition(ArchiveError):
    status = 409
    type_slug = "no-rendition"
    title_vi = "Không có bản PDF để đọc"
    title_en = "No PDF rendition"


@dataclass
class ReadingCopy:
    path: Path  # a temporary file; call discard() once it has been sent
    filename: str
    pages: int
    document_id: str
    dossier_id: str

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)


# --- who may see and download -------------------------------------------------------------


def visible_document(
    session: Session,
    principal: Principal,
    document_id: str,
    *,
    dossier_id: str | None = None,
    now: dt.datetime | None = None,
) -> tuple[Document, Dossier]:
    """The document and its dossier if the principal may see them; NotFound otherwise."""
    query = (
        sa.select(Document, Dossier)
        .join(Dossier, Dossier.id == Document.dossier_id)
        .where(Document.id == document_id, document_condition(principal, now or utcnow()))
    )
    if dossier_id is not None:
        query = query.where(Document.dossier_id == dossier_id)
    row = session.execute(query).first()
    if row is None:
        raise NotFound(f"tài liệu {document_id} không tồn tại / document {document_id} not found")
    return row[0], row[1]


def may_download_original(principal: Principal, document: Document, dossier: Dossier) -> bool:
    """For a document the principal may already see (see the module docstring)."""
    if principal.has_any(Role.ARCHIVIST, Role.ADMIN):
        return True
    if not principal.has_any(Role.OFFICIAL, Role.APPROVER):
        return False
    return document.mode == PUBLIC and dossier.mode == PUBLIC


def download_condition(principal: Principal, now: dt.datetime) -> sa.ColumnElement[bool]:
    """:func:`may_download_original` as a condition over ``Document`` joined to ``Dossier``."""
    visible = document_condition(principal, now)
    if principal.has_any(Role.ARCHIVIST, Role.ADMIN):
        return visible
    if not principal.has_any(Role.OFFICIAL, Role.APPROVER):
        return sa.false()
    return sa.and_(visible, Document.mode == PUBLIC, Dossier.mode == PUBLIC)


# --- the stamp ----------------------------------------------------------------------------


def _display_size(page: pikepdf.Page) -> tuple[list[float], int, float, float]:
    box = [float(v) for v in page.cropbox]
    x0, x1 = sorted((box[0], box[2]))
    y0, y1 = sorted((box[1], box[3]))
    rotate = int(page.obj.get("/Rotate", 0)) % 360
    width, height = x1 - x0, y1 - y0
    if rotate in (90, 270):
        return [x0, y0, x1, y1], rotate, height, width
    return [x0, y0, x1, y1], rotate, width, height


def _display_matrix(box: list[float], rotate: int) -> tuple[float, ...]:
    """Maps coordinates of the page as displayed (origin bottom left, upright) to the page's
    user space, undoing /Rotate, so that the stamp reads upright on a rotated page."""
    x0, y0, x1, y1 = box
    width, height = x1 - x0, y1 - y0
    if rotate == 90:
        return (0, 1, -1, 0, x0 + width, y0)
    if rotate == 180:
        return (-1, 0, 0, -1, x0 + width, y0 + height)
    if rotate == 270:
        return (0, -1, 1, 0, x0, y0 + height)
    return (1, 0, 0, 1, x0, y0)


def _stamp_pdf(text: str, width: float, height: float, path: Path) -> None:
    register_reportlab_fonts()
    size = STAMP_SIZE
    while size > STAMP_MIN_SIZE and text_width(text, False, size) > width * STAMP_WIDTH_SHARE:
        size -= 0.5
    canvas = Canvas(str(path), pagesize=(width, height), invariant=1, initialFontName=REGULAR)
    canvas.setFont(REGULAR, size)
    canvas.setFillColorRGB(0, 0, 0)
    canvas.drawCentredString(width / 2, min(STAMP_BASELINE, height / 10), text)
    canvas.showPage()
    canvas.save()


def _drop_signatures(pdf: pikepdf.Pdf) -> None:
    """Widget appearances (seals, signature images) become page content; the signature
    fields and the ETSI extension go, since stamping the pages invalidates them anyway."""
    pdf.flatten_annotations("all")
    if "/AcroForm" in pdf.Root:
        del pdf.Root["/AcroForm"]
    extensions = pdf.Root.get("/Extensions")
    if isinstance(extensions, pikepdf.Dictionary) and "/ESIC" in extensions:
        del extensions["/ESIC"]
        if not extensions.keys():
            del pdf.Root["/Extensions"]


def stamp_pages(sources: list[Path], destination: Path, text: str, work: Path) -> int:
    """Concatenate ``sources`` and put ``text`` centred in the bottom margin of every page.

    Returns the number of pages written."""
    work.mkdir(parents=True, exist_ok=True)
    opened: list[pikepdf.Pdf] = []
    stamps: dict[tuple[float, float], pikepdf.Pdf] = {}
    try:
        for source in sources:
            pdf = pikepdf.open(source)
            opened.append(pdf)
            _drop_signatures(pdf)
        output = opened[0]
        for other in opened[1:]:
            output.pages.extend(other.pages)
        for page in output.pages:
            box, rotate, width, height = _display_size(page)
            key = (round(width, 2), round(height, 2))
            if key not in stamps:
                stamp_path = work / f"stamp-{len(stamps)}.pdf"
                _stamp_pdf(text, width, height, stamp_path)
                stamps[key] = pikepdf.open(stamp_path)
                opened.append(stamps[key])
            form = output.copy_foreign(stamps[key].pages[0].as_form_xobject())
            name = page.add_resource(form, pikepdf.Name.XObject, prefix="LuuTru")
            matrix = " ".join(f"{value:g}" for value in _display_matrix(box, rotate))
            # Wrap the page's own content in q…Q so that a graphics state it leaves behind
            # cannot move or hide the stamp.
            page.contents_add(b"q\n", prepend=True)
            page.contents_add(f"\nQ\nq {matrix} cm {name} Do Q\n".encode("ascii"))
        output.save(destination)
        return len(output.pages)
    finally:
        for pdf in reversed(opened):
            pdf.close()


# --- rendering for a reader ---------------------------------------------------------------


_NUMBERS = re.compile(r"(\d+)")


def _natural(path: str) -> list[object]:
    return [int(part) if part.isdigit() else part for part in _NUMBERS.split(path)]


def content_files(session: Session, document: Document) -> list[File]:
    """The document's main file first, then its attachments in order."""
    files = session.scalars(
        sa.select(File).where(File.document_id == document.id, File.role.in_(CONTENT_ROLES))
    ).all()
    return sorted(files, key=lambda f: (f.role != "document", _natural(f.logical_path)))


def _copy_to(settings: Settings, dossier: Dossier, item: File, target: Path) -> bool:
    """Copy a stored file to ``target``; False if it is not a PDF."""
    if dossier.ocfl_object_id is None:
        raise NotFound(f"hồ sơ {dossier.id} chưa có bản lưu / dossier has no stored copy")
    stored = open_stored_file(settings, dossier.ocfl_object_id, item.logical_path)
    with stored.stream as stream, target.open("wb") as out:
        head = stream.read(len(PDF_MAGIC))
        if head != PDF_MAGIC:
            return False
        out.write(head)
        shutil.copyfileobj(stream, out, CHUNK)
    return True


def render_reading_copy(
    session: Session,
    settings: Settings,
    principal: Principal,
    dossier_id: str,
    document_id: str,
    *,
    request: Request | None = None,
) -> ReadingCopy:
    document, dossier = visible_document(session, principal, document_id, dossier_id=dossier_id)
    files = content_files(session, document)
    folder = settings.staging / "reading-copies"
    work = folder / f"work-{uuid.uuid4().hex}"
    work.mkdir(parents=True, exist_ok=True)
    destination = folder / f"{uuid.uuid4().hex}.pdf"
    try:
        if not files or files[0].role != "document":
            raise NoRendition(
                "tài liệu không có tệp để hiển thị / the document has no main file to show"
            )
        sources: list[Path] = []
        for index, item in enumerate(files):
            target = work / f"{index}.pdf"
            if _copy_to(settings, dossier, item, target):
                sources.append(target)
            elif index == 0:
                raise NoRendition(
                    "tệp chính của tài liệu không phải PDF / the document's main file is not a "
                    "PDF; a non-PDF file has no reading copy"
                )
        pages = stamp_pages(sources, destination, settings.archive_name, work)
    except BaseException:
        destination.unlink(missing_ok=True)
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    log_access(
        session,
        principal,
        AccessAction.VIEW,
        request=request,
        dossier_id=dossier.id,
        document_id=document.id,
        detail={"pages": pages, "files": [item.logical_path for item in files]},
    )
    return ReadingCopy(
        path=destination,
        filename=f"{document.doc_id}.ban-doc.pdf",
        pages=pages,
        document_id=document.id,
        dossier_id=dossier.id,
    )
