"""The DIP (gói thông tin truy cập, TT 05/2025/TT-BNV Phụ lục V) of an approved access request.

One zip, one top folder ``uuid-<request id>/``, the CSIP tree of ``ingest/package/LAYOUT.md``
adapted to a DIP::

    METS.xml                                     OAISPACKAGETYPE DIP, TYPE MIXED, E-ARK DIP
    metadata/descriptive/EAD.xml                 the request (EAD_DIP_request)
    documentation/PhieuXacThuc.pdf               the authentication sheet, PDF/A-2b, signed
    representations/rep1/METS.xml
    representations/rep1/metadata/descriptive/EAD_doc_<n>.xml   one per document (EAD_doc_DIP)
    representations/rep1/data/<files>            the preserved files, byte for byte
    schemas/…                                    copies of the schemas the XML refers to

``n`` is the document's position in the request. Checksums are SHA-256; each data file is
streamed from preservation storage into the zip and its digest checked against the catalog on
the way, so a DIP never carries a damaged file. The authentication sheet lists, for each
document, its archival code, original number and symbol, type, subject, the purpose of use,
the date of issue, the period of use and the number of copies, with the archive's name, the
recipient and the authentication code (mã xác thực lưu trữ). It is signed (PAdES B-B, RSA,
SHA-256) with the archive's key from the settings; without a key it is left unsigned and the
METS says so — the caller records that in the event too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pikepdf.pdfa
import sqlalchemy as sa
from lxml import etree
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from sqlalchemy.orm import Session

from archive.catalog.access import AccessRequest
from archive.catalog.records import Document, Dossier, DossierStatus, File
from archive.errors import ArchiveError, NotFound
from archive.services.reading_copy import content_files
from archive.services.stored_files import open_stored_file
from archive.settings import Settings
from ingest.sample.typeface import BOLD, REGULAR, register_reportlab_fonts
from metadata_schemas.codelists import DIP_PURPOSE, PHYSICAL_CONDITION, TYPE_NAME
from metadata_schemas.schemas import XSD_DIR, validate

VIETNAM = dt.timezone(dt.timedelta(hours=7))
METS_NS = "http://www.loc.gov/METS/"
XLINK = "http://www.w3.org/1999/xlink"
CSIP = "https://DILCIS.eu/XML/METS/CSIPExtensionMETS"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
DIP_PROFILE = "https://earkdip.dilcis.eu/profile/E-ARK-DIP.xml"
CONTENT_TYPE = "TT05/2025-DIP"
SOFTWARE = ("Lưu trữ điện tử", "0.1.0")
SHEET_PATH = "documentation/PhieuXacThuc.pdf"
SIGNATURE_FIELD = "ChuKyCoQuanLuuTru"
PERIOD_OF_USE = "Không thời hạn"
COPIES = 1
CHUNK = 1024 * 1024
# Package schema file → the shipped schema it copies.
SCHEMA_COPIES: dict[str, str] = {
    "METS.xsd": "METS.xsd",
    "xlink.xsd": "xlink.xsd",
    "DILCISExtensionMETS.xsd": "DILCISExtensionMETS.xsd",
    "EAD.xsd": "EAD_DIP_request.xsd",
    "EAD_doc.xsd": "EAD_doc_DIP.xsd",
    "codelists.xsd": "codelists.xsd",
    "common.xsd": "common.xsd",
}
_NSMAP = {"mets": METS_NS, "xlink": XLINK, "csip": CSIP, "xsi": XSI}


class DipError(ArchiveError):
    status = 500
    type_slug = "dip-error"
    title_vi = "Không tạo được gói DIP"
    title_en = "The DIP could not be built"


@dataclass
class DipDocument:
    sequence: int  # position in the request, 1-based
    document: Document
    dossier: Dossier
    files: list[File]  # main file first
    names: list[str]  # their names under representations/rep1/data/


@dataclass(frozen=True)
class PackageFile:
    """A file the METS lists: its path in the package, size and SHA-256."""

    id: str
    path: str
    size: int
    sha256: str
    mimetype: str


@dataclass(frozen=True)
class BuiltDip:
    path: Path
    sha256: str
    size: int
    authentication_code: str
    signed: bool
    documents: int


# --- codes --------------------------------------------------------------------------------


def arc_doc_code(dossier: Dossier, document: Document, archive_code: str) -> str:
    """Mã lưu trữ tài liệu: archive code + dossier code + the 7-digit sequence."""
    base = dossier.arc_file_code or f"{archive_code}.{dossier.file_code}"
    return f"{base}.{document.sequence:07d}"


def authentication_code(archive_code: str, request_id: str, digests: list[str]) -> str:
    """Mã xác thực lưu trữ: the same request over the same files always gets the same code."""
    seed = "|".join([request_id, *sorted(digests)]).encode()
    return f"{archive_code}-XT-{hashlib.sha256(seed).hexdigest()[:16].upper()}"


def vn_date(moment: dt.datetime) -> str:
    return moment.astimezone(VIETNAM).strftime("%d/%m/%Y")


def iso(moment: dt.datetime) -> str:
    return moment.astimezone(VIETNAM).isoformat(timespec="milliseconds")


def _label(codelist_codes: dict[str, str], code: str | None) -> str:
    return codelist_codes.get(code or "", code or "")


TYPE_LABELS = {c.code: c.vi for c in TYPE_NAME.codes}
PURPOSE_LABELS = {c.code: c.vi for c in DIP_PURPOSE.codes}
CONDITION_CODES = {c.code: c.code for c in PHYSICAL_CONDITION.codes} | {
    c.vi.casefold(): c.code for c in PHYSICAL_CONDITION.codes
}


# --- gathering ----------------------------------------------------------------------------


def requested_documents(session: Session, request: AccessRequest) -> list[DipDocument]:
    found: list[DipDocument] = []
    used: set[str] = set()
    for sequence, document_id in enumerate(request.document_ids, start=1):
        row = session.execute(
            sa.select(Document, Dossier)
            .join(Dossier, Dossier.id == Document.dossier_id)
            .where(Document.id == document_id)
        ).first()
        if row is None or row[1].status == DossierStatus.DESTROYED.value:
            raise NotFound(f"tài liệu {document_id} không còn / document {document_id} is gone")
        document, dossier = row[0], row[1]
        files = content_files(session, document)
        if not files:
            raise DipError(f"tài liệu {document.doc_id} không có tệp / has no files")
        names = []
        for item in files:
            name = item.logical_path.rsplit("/", 1)[-1]
            if name in used:
                name = f"{sequence}-{name}"
            used.add(name)
            names.append(name)
        found.append(DipDocument(sequence, document, dossier, files, names))
    return found


# --- metadata -----------------------------------------------------------------------------


def _simpledc(fields_: list[tuple[str, str | None]], schema_location: str) -> etree._Element:
    root = etree.Element("simpledc", nsmap={"xsi": XSI})
    root.set(f"{{{XSI}}}noNamespaceSchemaLocation", schema_location)
    for name, value in fields_:
        if value is not None:
            etree.SubElement(root, name).text = value
    return root


def request_ead(request: AccessRequest, documents: int) -> etree._Element:
    note = f"Người yêu cầu: {request.requester_name}. Số tài liệu: {documents}."
    if request.decided_by:
        note += f" Phê duyệt: {request.decided_by}"
        if request.decided_at:
            note += f", ngày {vn_date(request.decided_at)}"
        note += "."
    return _simpledc(
        [
            ("requestID", request.id),
            ("requestDate", vn_date(request.created_at)),
            ("purpose", request.purpose),
            ("purposeContent", request.purpose_content[:500]),
            ("feeObjectType", request.fee_object_type or "10"),
            ("researchTopic", (request.research_topic or "")[:250]),
            ("description", note[:2000]),
        ],
        "../../schemas/EAD.xsd",
    )


def _meta(document: Document, name: str, default: str = "") -> str:
    value = (document.metadata_json or {}).get(name)
    return default if value is None else str(value).strip()


def _issued_date(document: Document, dossier: Dossier) -> str:
    if document.issued_date:
        return document.issued_date
    if dossier.end_year:
        return f"{dossier.end_year:04d}"
    return vn_date(dossier.created_at)


def document_ead(item: DipDocument, archive_code: str) -> etree._Element:
    document, dossier = item.document, item.dossier
    condition = CONDITION_CODES.get(_meta(document, "format").casefold(), "")
    risk = _meta(document, "riskRecovery", "0")
    return _simpledc(
        [
            ("docId", document.doc_id),
            ("arcDocCode", arc_doc_code(dossier, document, archive_code)),
            ("maintenance", document.maintenance or dossier.maintenance),
            ("typeName", document.type_name or "32"),
            ("codeNumber", document.code_number or ""),
            ("codeNotation", document.code_notation or ""),
            ("issuedDate", _issued_date(document, dossier)),
            ("subject", document.subject or document.doc_id),
            ("language", _meta(document, "language") or dossier.language or "01"),
            ("numberOfPage", str(document.number_of_page)),
            ("inforSign", _meta(document, "inforSign")[:30]),
            ("keyword", _meta(document, "keyword")[:100]),
            ("mode", document.mode),
            ("confidenceLevel", document.confidence_level or dossier.confidence_level),
            ("autograph", _meta(document, "autograph")[:2000]),
            ("format", condition),
            ("riskRecovery", risk if risk in ("0", "1") else "0"),
            ("riskRecoveryStatus", _meta(document, "riskRecoveryStatus") if risk == "1" else ""),
            ("process", "1" if _meta(document, "process") == "1" else "0"),
            ("description", _meta(document, "description")[:500]),
        ],
        "../../../../schemas/EAD_doc.xsd",
    )


def _serialise(root: etree._Element) -> bytes:
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def _write_checked(root: etree._Element, schema: str, path: Path) -> None:
    errors = validate(schema, root)
    if errors:
        raise DipError(f"{path.name} does not validate against {schema}: {errors[0].message}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_serialise(root))


# --- METS ---------------------------------------------------------------------------------


def _q(namespace: str, name: str) -> str:
    return f"{{{namespace}}}{name}"


def _mets_root(objid: str, label: str, schema_prefix: str) -> etree._Element:
    root = etree.Element(_q(METS_NS, "mets"), nsmap=_NSMAP)
    root.set("OBJID", objid)
    root.set("LABEL", label)
    root.set("TYPE", "MIXED")
    root.set("PROFILE", DIP_PROFILE)
    root.set(_q(CSIP, "CONTENTINFORMATIONTYPE"), "OTHER")
    root.set(_q(CSIP, "OTHERCONTENTINFORMATIONTYPE"), CONTENT_TYPE)
    root.set(_q(CSIP, "OAISPACKAGETYPE"), "DIP")
    root.set(
        _q(XSI, "schemaLocation"),
        f"{METS_NS} {schema_prefix}METS.xsd {XLINK} {schema_prefix}xlink.xsd "
        f"{CSIP} {schema_prefix}DILCISExtensionMETS.xsd",
    )
    return root


@dataclass(frozen=True)
class Issuer:
    archive_name: str
    archive_code: str
    created: str
    authentication_code: str
    signature_note: str


def _header(root: etree._Element, issuer: Issuer, *, with_signature: bool) -> None:
    header = etree.SubElement(root, _q(METS_NS, "metsHdr"), CREATEDATE=issuer.created)
    header.set("RECORDSTATUS", "NEW")
    header.set(_q(CSIP, "OAISPACKAGETYPE"), "DIP")
    tool = etree.SubElement(
        header, _q(METS_NS, "agent"), ROLE="CREATOR", TYPE="OTHER", OTHERTYPE="SOFTWARE"
    )
    etree.SubElement(tool, _q(METS_NS, "name")).text = SOFTWARE[0]
    version = etree.SubElement(tool, _q(METS_NS, "note"))
    version.set(_q(CSIP, "NOTETYPE"), "SOFTWARE VERSION")
    version.text = SOFTWARE[1]
    archive = etree.SubElement(
        header, _q(METS_NS, "agent"), ROLE="DISSEMINATOR", TYPE="ORGANIZATION"
    )
    etree.SubElement(archive, _q(METS_NS, "name")).text = issuer.archive_name
    code = etree.SubElement(archive, _q(METS_NS, "note"))
    code.set(_q(CSIP, "NOTETYPE"), "IDENTIFICATIONCODE")
    code.text = issuer.archive_code
    if with_signature:
        etree.SubElement(archive, _q(METS_NS, "note")).text = issuer.signature_note
        record = etree.SubElement(header, _q(METS_NS, "altRecordID"), TYPE="AUTHENTICATIONCODE")
        record.text = issuer.authentication_code


def _checksummed(element: etree._Element, item: PackageFile, created: str) -> None:
    element.set("MIMETYPE", item.mimetype)
    element.set("SIZE", str(item.size))
    element.set("CREATED", created)
    element.set("CHECKSUM", item.sha256)
    element.set("CHECKSUMTYPE", "SHA-256")


def _dmd_sec(
    parent: etree._Element, dmd_id: str, item: PackageFile, href: str, kind: str, created: str
) -> None:
    section = etree.SubElement(parent, _q(METS_NS, "dmdSec"), ID=dmd_id, CREATED=created)
    reference = etree.SubElement(section, _q(METS_NS, "mdRef"), LOCTYPE="URL", MDTYPE="OTHER")
    reference.set("OTHERMDTYPE", kind)
    reference.set(_q(XLINK, "type"), "simple")
    reference.set(_q(XLINK, "href"), href)
    _checksummed(reference, item, created)


def _file(group: etree._Element, item: PackageFile, href: str, created: str) -> None:
    element = etree.SubElement(group, _q(METS_NS, "file"), ID=item.id)
    _checksummed(element, item, created)
    location = etree.SubElement(element, _q(METS_NS, "FLocat"), LOCTYPE="URL")
    location.set(_q(XLINK, "type"), "simple")
    location.set(_q(XLINK, "href"), href)


def _div(parent: etree._Element, div_id: str, label: str, **attributes: str) -> etree._Element:
    div = etree.SubElement(parent, _q(METS_NS, "div"), ID=div_id, LABEL=label)
    for name, value in attributes.items():
        div.set(name, value)
    return div


def representation_mets(
    objid: str, issuer: Issuer, documents: list[DipDocument], eads: list[PackageFile]
) -> etree._Element:
    root = _mets_root(f"{objid}_rep1", f"{objid} rep1", "../../schemas/")
    _header(root, issuer, with_signature=False)
    for item, ead in zip(documents, eads, strict=True):
        href = ead.path.removeprefix("representations/rep1/")
        _dmd_sec(root, f"dmd-doc-{item.sequence}", ead, href, "EAD_doc", issuer.created)
    file_section = etree.SubElement(root, _q(METS_NS, "fileSec"), ID="filesec-rep1")
    group = etree.SubElement(file_section, _q(METS_NS, "fileGrp"), ID="grp-data", USE="Data")
    for item in documents:
        for index, (stored, name) in enumerate(zip(item.files, item.names, strict=True)):
            listed = PackageFile(
                _file_id(item.sequence, index),
                f"representations/rep1/data/{name}",
                stored.size,
                stored.sha256,
                stored.mime_type or "application/octet-stream",
            )
            _file(group, listed, f"data/{name}", issuer.created)
    struct_map = etree.SubElement(
        root, _q(METS_NS, "structMap"), ID="structmap-rep1", TYPE="PHYSICAL", LABEL="CSIP"
    )
    representation = _div(struct_map, "div-rep1", "rep1")
    dmd_ids = " ".join(f"dmd-doc-{item.sequence}" for item in documents)
    _div(representation, "div-rep1-metadata", "Metadata", DMDID=dmd_ids)
    data = _div(representation, "div-rep1-data", "Data")
    for item in documents:
        div = _div(data, f"div-doc-{item.sequence}", item.document.doc_id)
        div.set("DMDID", f"dmd-doc-{item.sequence}")
        div.set("ORDER", str(item.sequence))
        for index in range(len(item.files)):
            etree.SubElement(div, _q(METS_NS, "fptr"), FILEID=_file_id(item.sequence, index))
    return root


def _file_id(sequence: int, index: int) -> str:
    return f"file-{sequence}" if index == 0 else f"file-{sequence}-{index}"


def root_mets(
    objid: str,
    issuer: Issuer,
    ead: PackageFile,
    sheet: PackageFile,
    schemas: list[PackageFile],
    representation: PackageFile,
) -> etree._Element:
    root = _mets_root(objid, f"DIP {objid}", "schemas/")
    _header(root, issuer, with_signature=True)
    _dmd_sec(root, "dmd-ead", ead, ead.path, "EAD", issuer.created)
    file_section = etree.SubElement(root, _q(METS_NS, "fileSec"), ID="filesec")
    schema_group = etree.SubElement(
        file_section, _q(METS_NS, "fileGrp"), ID="grp-schemas", USE="Schemas"
    )
    for schema in schemas:
        _file(schema_group, schema, schema.path, issuer.created)
    documentation = etree.SubElement(
        file_section, _q(METS_NS, "fileGrp"), ID="grp-documentation", USE="Documentation"
    )
    _file(documentation, sheet, sheet.path, issuer.created)
    rep_group = etree.SubElement(
        file_section, _q(METS_NS, "fileGrp"), ID="grp-rep1", USE="Representations/rep1"
    )
    rep_group.set(_q(CSIP, "CONTENTINFORMATIONTYPE"), "OTHER")
    rep_group.set(_q(CSIP, "OTHERCONTENTINFORMATIONTYPE"), CONTENT_TYPE)
    _file(rep_group, representation, representation.path, issuer.created)
    struct_map = etree.SubElement(
        root, _q(METS_NS, "structMap"), ID="structmap-csip", TYPE="PHYSICAL", LABEL="CSIP"
    )
    package = _div(struct_map, "div-package", objid)
    _div(package, "div-metadata", "Metadata", DMDID="dmd-ead")
    doc_div = _div(package, "div-documentation", "Documentation")
    etree.SubElement(doc_div, _q(METS_NS, "fptr"), FILEID=sheet.id)
    schema_div = _div(package, "div-schemas", "Schemas")
    for schema in schemas:
        etree.SubElement(schema_div, _q(METS_NS, "fptr"), FILEID=schema.id)
    rep_div = _div(package, "div-rep1", "Representations/rep1")
    pointer = etree.SubElement(rep_div, _q(METS_NS, "mptr"), LOCTYPE="URL")
    pointer.set(_q(XLINK, "type"), "simple")
    pointer.set(_q(XLINK, "href"), representation.path)
    return root


# --- the authentication sheet ---------------------------------------------------------------


@dataclass(frozen=True)
class SheetRow:
    arc_doc_code: str
    number_symbol: str
    type_label: str
    subject: str


@dataclass(frozen=True)
class Sheet:
    authentication_code: str
    archive_name: str
    recipient: str
    recipient_id: str
    purpose: str
    issued: dt.datetime
    rows: list[SheetRow]
    signed: bool


def _styles() -> tuple[ParagraphStyle, ParagraphStyle, ParagraphStyle, ParagraphStyle]:
    register_reportlab_fonts()
    # <b> inside a paragraph must find the embedded bold face, not Helvetica-Bold.
    pdfmetrics.registerFontFamily(
        REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD
    )
    body = ParagraphStyle("body", fontName=REGULAR, fontSize=10.5, leading=14)
    title = ParagraphStyle(
        "title", fontName=BOLD, fontSize=14, leading=18, alignment=TA_CENTER, spaceAfter=4
    )
    centred = ParagraphStyle("centred", parent=body, alignment=TA_CENTER, fontSize=10)
    cell = ParagraphStyle("cell", fontName=REGULAR, fontSize=8.5, leading=10.5)
    return body, title, centred, cell


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def draw_sheet(sheet: Sheet, path: Path) -> None:
    """The sheet as a plain PDF (fonts embedded); :func:`save_pdfa` makes it PDF/A-2b."""
    body, title, centred, cell = _styles()
    bold = ParagraphStyle("bold", parent=body, fontName=BOLD)
    issued = vn_date(sheet.issued)
    story: list[object] = [
        Paragraph(_escape(sheet.archive_name.upper()), bold),
        Spacer(1, 4 * mm),
        Paragraph("PHIẾU XÁC THỰC TÀI LIỆU LƯU TRỮ SỐ", title),
        Paragraph("(kèm theo gói thông tin truy cập — DIP, Thông tư 05/2025/TT-BNV)", centred),
        Spacer(1, 5 * mm),
    ]
    for label, value in (
        ("Mã xác thực lưu trữ", sheet.authentication_code),
        ("Cơ quan lưu trữ", sheet.archive_name),
        ("Người nhận", sheet.recipient),
        ("Số định danh cá nhân / giấy tờ tùy thân", sheet.recipient_id),
        ("Mục đích sử dụng", sheet.purpose),
        ("Ngày cấp", issued),
        ("Thời hạn sử dụng", PERIOD_OF_USE),
    ):
        story.append(Paragraph(f"{label}: <b>{_escape(value)}</b>", body))
    story.append(Spacer(1, 5 * mm))
    header = [
        "STT",
        "Mã lưu trữ của tài liệu",
        "Số và ký hiệu",
        "Tên loại",
        "Trích yếu nội dung",
        "Mục đích sử dụng",
        "Ngày cấp",
        "Thời hạn sử dụng",
        "Số lượng bản",
    ]
    rows: list[list[object]] = [[Paragraph(f"<b>{h}</b>", cell) for h in header]]
    for index, row in enumerate(sheet.rows, start=1):
        values = [
            str(index),
            row.arc_doc_code,
            row.number_symbol,
            row.type_label,
            row.subject,
            sheet.purpose,
            issued,
            PERIOD_OF_USE,
            str(COPIES),
        ]
        rows.append([Paragraph(_escape(value), cell) for value in values])
    table = Table(
        rows,
        colWidths=[x * mm for x in (10, 52, 28, 22, 72, 32, 20, 22, 14)],
        repeatRows=1,
    )
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), REGULAR),  # the default is Helvetica
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.92, 0.92, 0.92)),
            ]
        )
    )
    story += [table, Spacer(1, 6 * mm)]
    if sheet.signed:
        closing = (
            f"Phiếu được ký số bởi {sheet.archive_name}. Tính toàn vẹn của phiếu và của các "
            "tệp trong gói được bảo đảm bằng chữ ký số và mã SHA-256 ghi trong METS.xml."
        )
    else:
        closing = (
            "PHIẾU CHƯA ĐƯỢC KÝ SỐ: cơ quan lưu trữ chưa cấu hình khóa ký số. Tính toàn vẹn "
            "của các tệp trong gói được bảo đảm bằng mã SHA-256 ghi trong METS.xml."
        )
    story.append(Paragraph(_escape(closing), body))
    document = SimpleDocTemplate(
        str(path),
        pagesize=landscape(A4),
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title="Phiếu xác thực tài liệu lưu trữ số",
        author=sheet.archive_name,
        invariant=1,
        # Pages would otherwise start in Helvetica, a font that is not embedded (PDF/A).
        initialFontName=REGULAR,
    )
    document.build(story)


def _pdf_date(moment: dt.datetime) -> str:
    local = moment.astimezone(VIETNAM)
    return local.strftime("D:%Y%m%d%H%M%S") + "+07'00'"


def save_pdfa(
    source: Path, destination: Path, *, title: str, author: str, when: dt.datetime
) -> None:
    with pikepdf.open(source) as pdf:
        for page in pdf.pages:
            if "/Trans" in page.obj:  # ReportLab's empty page transition is not PDF/A
                del page.obj["/Trans"]
        stamp = _pdf_date(when)
        pdf.docinfo["/Title"] = title
        pdf.docinfo["/Author"] = author
        pdf.docinfo["/Creator"] = SOFTWARE[0]
        pdf.docinfo["/CreationDate"] = stamp
        pdf.docinfo["/ModDate"] = stamp
        pikepdf.pdfa.prepare(pdf, "2b")
        pikepdf.pdfa.save(pdf, destination, "2b", repair=False, force_version="1.7")
    report = pikepdf.pdfa.validate_written(destination, "2b")
    if not report.passed:
        raise DipError(f"the authentication sheet is not PDF/A-2b: {report}")


class _MetadataKeepingWriter(IncrementalPdfFileWriter):
    """pyHanko would rewrite the XMP packet and DocInfo dates in the increment, leaving them
    out of step with each other (a PDF/A fault); the signature needs neither."""

    def _update_meta(self) -> None:
        return None


def signing_configured(settings: Settings) -> bool:
    return settings.archive_signing_key is not None and settings.archive_signing_cert is not None


def sign_sheet(settings: Settings, source: Path, destination: Path, *, reason: str) -> None:
    """PAdES B-B with the archive's RSA key: RSA keeps the file at PDF 1.7 (PDF/A-2)."""
    assert settings.archive_signing_key and settings.archive_signing_cert
    signer = signers.SimpleSigner.load(
        str(settings.archive_signing_key),
        str(settings.archive_signing_cert),
        ca_chain_files=tuple(str(path) for path in settings.archive_signing_chain),
    )
    if signer is None or signer.signing_cert is None:
        raise DipError("không nạp được khóa ký của cơ quan lưu trữ / cannot load the signing key")
    if signer.signing_cert.public_key.algorithm != "rsa":
        raise DipError("khóa ký phải là RSA / the archive's signing key must be RSA (PDF/A-2)")
    metadata = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason,
        location=settings.archive_name,
    )
    pdf_signer = signers.PdfSigner(
        metadata, signer, new_field_spec=fields.SigFieldSpec(SIGNATURE_FIELD)
    )
    with source.open("rb") as input_stream, destination.open("wb") as output:
        pdf_signer.sign_pdf(_MetadataKeepingWriter(input_stream), output=output)
    with pikepdf.open(destination) as signed:
        if signed.pdf_version != "1.7":
            raise DipError(f"signing changed the PDF version to {signed.pdf_version}")


# --- the zip ------------------------------------------------------------------------------


def _digest(path: Path) -> tuple[int, str]:
    sha = hashlib.sha256()
    size = 0
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            sha.update(chunk)
            size += len(chunk)
    return size, sha.hexdigest()


def _local(file_id: str, root: Path, path: str, mimetype: str = "text/xml") -> PackageFile:
    size, sha = _digest(root / path)
    return PackageFile(file_id, path, size, sha, mimetype)


def _zip_info(name: str, when: dt.datetime, *, stored: bool, size: int) -> zipfile.ZipInfo:
    local = when.astimezone(VIETNAM)
    info = zipfile.ZipInfo(name, date_time=local.timetuple()[:6])
    info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    info.create_system = 3
    info.external_attr = 0o100644 << 16
    info.file_size = size
    return info


def _copy_verified(settings: Settings, item: DipDocument, stored: File, out: object) -> None:
    """Stream a preserved file into the zip entry, checking its SHA-256 and size."""
    if item.dossier.ocfl_object_id is None:
        raise DipError(f"hồ sơ {item.dossier.id} chưa có bản lưu / dossier has no stored copy")
    sha = hashlib.sha256()
    size = 0
    opened = open_stored_file(settings, item.dossier.ocfl_object_id, stored.logical_path)
    with opened.stream as stream:
        while chunk := stream.read(CHUNK):
            sha.update(chunk)
            size += len(chunk)
            out.write(chunk)  # type: ignore[attr-defined]
    if sha.hexdigest() != stored.sha256 or size != stored.size:
        raise DipError(
            f"tệp {stored.logical_path} sai mã băm tại {opened.location} / fixity mismatch "
            f"on location {opened.location}; the DIP is not built from a damaged file"
        )


def _zip_entries(
    work: Path, objid: str, documents: list[DipDocument]
) -> Iterator[tuple[str, Path | tuple[DipDocument, File]]]:
    generated = sorted(p for p in work.rglob("*") if p.is_file())
    data: list[tuple[str, tuple[DipDocument, File]]] = [
        (f"representations/rep1/data/{name}", (item, stored))
        for item in documents
        for stored, name in zip(item.files, item.names, strict=True)
    ]
    entries: list[tuple[str, Path | tuple[DipDocument, File]]] = [
        (path.relative_to(work).as_posix(), path) for path in generated
    ]
    entries += data
    for name, source in sorted(entries, key=lambda entry: entry[0]):
        yield f"{objid}/{name}", source


def build_dip(session: Session, settings: Settings, request: AccessRequest) -> BuiltDip:
    """Write the DIP of ``request`` to ``<staging>/dip/<request id>.zip`` and return it."""
    documents = requested_documents(session, request)
    now = dt.datetime.now(VIETNAM)
    objid = f"uuid-{request.id}"
    folder = settings.staging / "dip"
    work = folder / f"work-{request.id}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    destination = folder / f"{request.id}.zip"
    partial = folder / f"{request.id}.zip.part"
    signed = signing_configured(settings)
    code = authentication_code(
        settings.archive_code,
        request.id,
        [stored.sha256 for item in documents for stored in item.files],
    )
    issuer = Issuer(
        archive_name=settings.archive_name,
        archive_code=settings.archive_code,
        created=iso(now),
        authentication_code=code,
        signature_note=(
            f"Phiếu xác thực {SHEET_PATH} được ký số (PAdES) bởi {settings.archive_name} / "
            "the authentication sheet is digitally signed"
            if signed
            else f"Phiếu xác thực {SHEET_PATH} KHÔNG được ký số: chưa cấu hình khóa ký / "
            "the authentication sheet is NOT signed: no archive signing key is configured"
        ),
    )
    try:
        for name, shipped in SCHEMA_COPIES.items():
            target = work / "schemas" / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(XSD_DIR / shipped, target)
        _write_checked(
            request_ead(request, len(documents)),
            "EAD_DIP_request",
            work / "metadata/descriptive/EAD.xml",
        )
        eads = []
        for item in documents:
            path = f"representations/rep1/metadata/descriptive/EAD_doc_{item.sequence}.xml"
            _write_checked(document_ead(item, settings.archive_code), "EAD_doc_DIP", work / path)
            eads.append(_local(f"ead-doc-{item.sequence}", work, path))
        purpose = PURPOSE_LABELS.get(request.purpose, request.purpose)
        if request.purpose_content:
            purpose = f"{purpose}: {request.purpose_content}"
        sheet = Sheet(
            authentication_code=code,
            archive_name=settings.archive_name,
            recipient=request.requester_name,
            recipient_id=request.requester_id_number or "",
            purpose=purpose,
            issued=now,
            rows=[
                SheetRow(
                    arc_doc_code=arc_doc_code(item.dossier, item.document, settings.archive_code),
                    number_symbol="/".join(
                        part
                        for part in (item.document.code_number, item.document.code_notation)
                        if part
                    ),
                    type_label=_label(TYPE_LABELS, item.document.type_name),
                    subject=item.document.subject or "",
                )
                for item in documents
            ],
            signed=signed,
        )
        scratch = folder / f"scratch-{request.id}"
        scratch.mkdir(exist_ok=True)
        try:
            draw_sheet(sheet, scratch / "sheet.pdf")
            pdfa = scratch / "sheet-pdfa.pdf"
            (work / SHEET_PATH).parent.mkdir(parents=True, exist_ok=True)
            save_pdfa(
                scratch / "sheet.pdf",
                pdfa if signed else work / SHEET_PATH,
                title="Phiếu xác thực tài liệu lưu trữ số",
                author=settings.archive_name,
                when=now,
            )
            if signed:
                sign_sheet(
                    settings,
                    pdfa,
                    work / SHEET_PATH,
                    reason=f"Xác thực tài liệu lưu trữ số, mã {code}",
                )
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        rep_mets = representation_mets(objid, issuer, documents, eads)
        _write_checked(rep_mets, "METS", work / "representations/rep1/METS.xml")
        schemas = [
            _local(f"schema-{Path(name).stem}", work, f"schemas/{name}")
            for name in sorted(SCHEMA_COPIES)
        ]
        mets = root_mets(
            objid,
            issuer,
            _local("ead", work, "metadata/descriptive/EAD.xml"),
            _local("sheet", work, SHEET_PATH, "application/pdf"),
            schemas,
            _local("rep1-mets", work, "representations/rep1/METS.xml"),
        )
        _write_checked(mets, "METS", work / "METS.xml")
        with zipfile.ZipFile(partial, "w", allowZip64=True) as archive:
            for name, source in _zip_entries(work, objid, documents):
                if isinstance(source, Path):
                    info = _zip_info(name, now, stored=False, size=source.stat().st_size)
                    with source.open("rb") as src, archive.open(info, "w") as out:
                        shutil.copyfileobj(src, out, CHUNK)
                else:
                    item, stored = source
                    info = _zip_info(name, now, stored=True, size=stored.size)
                    with archive.open(info, "w", force_zip64=stored.size > 2**31) as out:
                        _copy_verified(settings, item, stored, out)
        size, sha = _digest(partial)
        partial.replace(destination)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return BuiltDip(destination, sha, size, code, signed, len(documents))
