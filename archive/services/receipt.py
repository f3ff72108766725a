"""Biên bản giao nhận hồ sơ, tài liệu (NĐ 30/2020 Phụ lục V mục V) for one accepted dossier:
JSON and a PDF/A-2b page (ReportLab, DejaVu fonts), signed by the archive's own key (PAdES,
pyHanko, RSA). Without a configured key the receipt is produced unsigned and its JSON says so.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pikepdf
import pikepdf.pdfa
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from archive.errors import ArchiveError
from archive.settings import Settings
from ingest.sample.typeface import BOLD, REGULAR, register_reportlab_fonts
from metadata_schemas.codelists import PHYSICAL_CONDITION, TYPE_NAME

PDF_NAME = "bien-ban-giao-nhan.pdf"
JSON_NAME = "bien-ban-giao-nhan.json"
SIGNATURE_FIELD = "ChuKyLuuTru"
VIETNAM = dt.timezone(dt.timedelta(hours=7))
LEGAL_BASES = (
    "Luật Lưu trữ số 33/2024/QH15 ngày 21 tháng 6 năm 2024",
    "Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư",
    "Thông tư số 05/2025/TT-BNV ngày 14 tháng 5 năm 2025 của Bộ Nội vụ quy định nghiệp vụ "
    "lưu trữ tài liệu lưu trữ số",
)
_TYPES = {item.code: item.vi for item in TYPE_NAME.codes}
_CONDITIONS = {item.code: item.vi for item in PHYSICAL_CONDITION.codes}


class ReceiptError(ArchiveError):
    type_slug = "receipt-error"
    title_vi = "Không lập được biên bản giao nhận"
    title_en = "The receipt could not be made"


@dataclass(frozen=True)
class ReceiptItem:
    """One row of the attached Mục lục (Phụ lục V mục IV)."""

    sequence: int
    number: str  # số, ký hiệu
    date: str
    type_and_subject: str
    author: str
    pages: int


@dataclass(frozen=True)
class ReceiptFacts:
    receipt_id: str
    submission_id: str
    created: dt.datetime
    agency_name: str
    agency_code: str
    accepted_by: str | None
    file_code: str
    arc_file_code: str
    title: str
    start_date: str
    end_date: str
    dossiers: int
    files: int
    documents: int
    pages: int
    condition: str  # code 01–03
    items: Sequence[ReceiptItem]


def item_of(sequence: int, fields: dict[str, str]) -> ReceiptItem:
    number = "/".join(x for x in (fields.get("codeNumber"), fields.get("codeNotation")) if x)
    kind = _TYPES.get(fields.get("typeName", ""), "")
    return ReceiptItem(
        sequence=sequence,
        number=number,
        date=fields.get("issuedDate", ""),
        type_and_subject=" ".join(x for x in (kind, fields.get("subject", "")) if x),
        author=fields.get("organName", ""),
        pages=int(fields.get("numberOfPage") or 0),
    )


def receipt_content(settings: Settings, facts: ReceiptFacts) -> dict[str, Any]:
    return {
        "type": "Biên bản giao nhận hồ sơ, tài liệu",
        "form": "Nghị định 30/2020/NĐ-CP, Phụ lục V mục V",
        "id": facts.receipt_id,
        "submission_id": facts.submission_id,
        "created_at": facts.created.astimezone(VIETNAM).isoformat(),
        "legal_bases": list(LEGAL_BASES),
        "handing_over": {"name": facts.agency_name, "code": facts.agency_code},
        "receiving": {
            "name": settings.archive_name,
            "code": settings.archive_code,
            "received_by": facts.accepted_by,
        },
        "batch_name": f"Hồ sơ {facts.file_code}: {facts.title}",
        "time_span": {"start": facts.start_date, "end": facts.end_date},
        "quantity": {
            "dossiers": facts.dossiers,
            "files": facts.files,
            "documents": facts.documents,
            "pages": facts.pages,
        },
        "condition": {"code": facts.condition, "label": _CONDITIONS.get(facts.condition, "")},
        "arcFileCode": facts.arc_file_code,
        "attached_list": [item.__dict__ for item in facts.items],
        "copies": "Biên bản được lập thành 02 bản điện tử, mỗi bên giữ 01 bản",
    }


def _styles() -> dict[str, ParagraphStyle]:
    register_reportlab_fonts()
    base = ParagraphStyle("base", fontName=REGULAR, fontSize=11, leading=15)
    return {
        "base": base,
        "center": ParagraphStyle("center", parent=base, alignment=1),
        "title": ParagraphStyle("title", parent=base, fontName=BOLD, fontSize=13, alignment=1),
        "bold": ParagraphStyle("bold", parent=base, fontName=BOLD),
        "cell": ParagraphStyle("cell", parent=base, fontSize=9, leading=11),
    }


def _render(content: dict[str, Any], destination: Path) -> None:
    s = _styles()
    created = dt.datetime.fromisoformat(content["created_at"])
    story: list[Any] = [
        Paragraph("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", s["title"]),
        Paragraph("Độc lập - Tự do - Hạnh phúc", s["center"]),
        Spacer(1, 6 * mm),
        Paragraph("BIÊN BẢN GIAO NHẬN HỒ SƠ, TÀI LIỆU", s["title"]),
        Paragraph(f"Số: {content['id']}", s["center"]),
        Spacer(1, 4 * mm),
    ]
    story += [Paragraph(f"Căn cứ {basis};", s["base"]) for basis in content["legal_bases"]]
    story += [
        Paragraph(
            f"Hôm nay, ngày {created.day:02d} tháng {created.month:02d} năm {created.year}, "
            "chúng tôi gồm:",
            s["base"],
        ),
        Paragraph(
            f"BÊN GIAO: {content['handing_over']['name']} (mã {content['handing_over']['code']})",
            s["bold"],
        ),
        Paragraph(
            f"BÊN NHẬN: {content['receiving']['name']} (mã {content['receiving']['code']}), "
            f"người nhận: {content['receiving']['received_by'] or 'tiếp nhận tự động'}",
            s["bold"],
        ),
        Paragraph("Thống nhất lập biên bản giao nhận tài liệu với nội dung như sau:", s["base"]),
        Paragraph(f"1. Tên khối tài liệu giao nộp: {content['batch_name']}", s["base"]),
        Paragraph(
            f"2. Thời gian của tài liệu: {content['time_span']['start']} – "
            f"{content['time_span']['end']}",
            s["base"],
        ),
        Paragraph(
            f"3. Số lượng tài liệu: {content['quantity']['dossiers']} hồ sơ điện tử, "
            f"{content['quantity']['files']} tệp tin ({content['quantity']['documents']} văn bản, "
            f"{content['quantity']['pages']} trang)",
            s["base"],
        ),
        Paragraph(f"4. Tình trạng tài liệu giao nộp: {content['condition']['label']}", s["base"]),
        Paragraph(
            "5. Mục lục hồ sơ, tài liệu giao nộp kèm theo (mã hồ sơ lưu trữ "
            f"{content['arcFileCode']}):",
            s["base"],
        ),
        Spacer(1, 3 * mm),
    ]
    header = [
        "STT",
        "Số, ký hiệu",
        "Ngày tháng",
        "Tên loại và trích yếu nội dung",
        "Tác giả",
        "Số trang",
    ]
    rows = [[Paragraph(text, s["cell"]) for text in header]]
    for item in content["attached_list"]:
        rows.append(
            [
                Paragraph(str(value), s["cell"])
                for value in (
                    item["sequence"],
                    item["number"],
                    item["date"],
                    item["type_and_subject"],
                    item["author"],
                    item["pages"],
                )
            ]
        )
    table = Table(rows, colWidths=[10 * mm, 28 * mm, 22 * mm, 70 * mm, 35 * mm, 15 * mm])
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story += [table, Spacer(1, 4 * mm), Paragraph(content["copies"] + ".", s["base"])]
    signed = content.get("signature", {})
    if not signed.get("signed"):
        story.append(Paragraph(f"Ghi chú: {signed.get('reason_vi', '')}", s["base"]))
    doc = SimpleDocTemplate(
        str(destination),
        pagesize=A4,
        invariant=1,
        leftMargin=18 * mm,
        rightMargin=15 * mm,
        initialFontName=REGULAR,  # ReportLab's default Helvetica is not embedded: not PDF/A
    )
    doc.build(story)


def _to_pdfa(source: Path, destination: Path, content: dict[str, Any]) -> None:
    with pikepdf.open(source) as pdf:
        for page in pdf.pages:
            if "/Trans" in page.obj:  # ReportLab's empty page transition is not PDF/A
                del page.obj["/Trans"]
        pdf.docinfo["/Title"] = "Biên bản giao nhận hồ sơ, tài liệu"
        pdf.docinfo["/Author"] = content["receiving"]["name"]
        pikepdf.pdfa.prepare(pdf, "2b")
        pikepdf.pdfa.save(pdf, destination, "2b", force_version="1.7")


def _sign(settings: Settings, source: Path, destination: Path) -> None:
    assert settings.archive_signing_key and settings.archive_signing_cert
    signer = signers.SimpleSigner.load(
        str(settings.archive_signing_key),
        str(settings.archive_signing_cert),
        ca_chain_files=tuple(str(p) for p in settings.archive_signing_chain),
    )
    if signer is None:
        raise ReceiptError("không đọc được khóa ký của lưu trữ / the archive's key cannot be read")
    metadata = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        location=settings.archive_name,
        reason="Biên bản giao nhận hồ sơ, tài liệu",
    )
    pdf_signer = signers.PdfSigner(
        metadata, signer, new_field_spec=fields.SigFieldSpec(SIGNATURE_FIELD)
    )
    with source.open("rb") as stream, destination.open("wb") as output:
        pdf_signer.sign_pdf(IncrementalPdfFileWriter(stream), output=output)


def make_receipt(settings: Settings, facts: ReceiptFacts, folder: Path) -> tuple[Path, Path]:
    """Write ``bien-ban-giao-nhan.pdf`` and ``.json`` into ``folder``; return (pdf, json)."""
    folder.mkdir(parents=True, exist_ok=True)
    content = receipt_content(settings, facts)
    cert = settings.archive_signing_cert
    has_key = bool(settings.archive_signing_key and cert)
    content["signature"] = (
        {
            "signed": True,
            "format": "PAdES B-B",
            "field": SIGNATURE_FIELD,
            "certificate": cert.name if cert else None,
        }
        if has_key
        else {
            "signed": False,
            "reason_vi": "Biên bản chưa được ký số: hệ thống chưa cấu hình khóa ký của lưu trữ.",
            "reason_en": "Not signed: no archive signing key is configured.",
        }
    )
    pdf_path, json_path = folder / PDF_NAME, folder / JSON_NAME
    with tempfile.TemporaryDirectory(dir=folder) as scratch:
        drawn, pdfa = Path(scratch) / "drawn.pdf", Path(scratch) / "pdfa.pdf"
        _render(content, drawn)
        _to_pdfa(drawn, pdfa, content)
        if has_key:
            _sign(settings, pdfa, pdf_path)
        else:
            pdfa.replace(pdf_path)
    json_path.write_text(
        json.dumps(content, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    return pdf_path, json_path
