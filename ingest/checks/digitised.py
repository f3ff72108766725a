"""Digitised paper (TT 05/2025 Điều 8, NĐ 30/2020 Phụ lục I): checked from the PDF itself.

Applies to documents with confidenceLevel 02, and to the image-only pages of 03 (mixed)
documents (a page whose largest image covers the page and that shows no visible text). Per page:

- ``DIG-NO-IMAGE``: no scanned image drawn on the page;
- ``DIG-NO-TEXT-LAYER``: no text layer ("hai lớp": the OCR text, normally invisible, render
  mode 3) - text is looked for in the page and in the form XObjects it draws;
- ``DIG-LOW-RESOLUTION``: the scan's resolution, computed from its pixel size and the size it
  is drawn at on the page, is under 200 dpi (300 dpi for maps and technical drawings);
- ``DIG-COLOUR-DEPTH``: under 24 bits per pixel (greyscale, bilevel or palette images fail);
- ``DIG-NOT-FULL-SCALE``: the image does not fill the page or is stretched (dpi differs between
  the axes): at 100 % scale the page is the scanned sheet at its own resolution.
Once per file: ``DIG-SIGNATURE-POSITION`` when page 1 has no signature widget of the
organisation in its top-right quarter. ``DIG-PAGE-OK`` records each page that passed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pikepdf
from asn1crypto import cms

from ingest.checks.signer_roles import SignerRole, classify
from ingest.context import CheckContext, PackageFile
from ingest.findings import Finding, Outcome, Severity, rule

NAME = "digitised"

MIN_DPI = 200.0
MIN_DPI_MAP_OR_DRAWING = 300.0
MIN_COLOUR_BITS = 24
# Rounding in scanners and PDF writers: a 1 % margin on sizes and resolutions.
TOLERANCE = 0.01
IMAGE_ONLY_COVERAGE = 0.9
MAX_FORM_DEPTH = 8
SOURCE = "TT 05/2025/TT-BNV Điều 8; NĐ 30/2020/NĐ-CP Phụ lục I"

DIG_NO_IMAGE = rule(
    "DIG-NO-IMAGE",
    Severity.ERROR,
    "Trang {page} không có lớp ảnh quét",
    "Page {page} has no scanned image layer",
    source=SOURCE,
)
DIG_NO_TEXT_LAYER = rule(
    "DIG-NO-TEXT-LAYER",
    Severity.ERROR,
    "Trang {page} không có lớp văn bản (PDF/A hai lớp)",
    "Page {page} has no text layer (two-layer PDF/A)",
    source=SOURCE,
)
DIG_LOW_RESOLUTION = rule(
    "DIG-LOW-RESOLUTION",
    Severity.ERROR,
    "Độ phân giải trang {page} là {dpi:.0f} dpi, thấp hơn {minimum:.0f} dpi",
    "Page {page} is scanned at {dpi:.0f} dpi, below {minimum:.0f} dpi",
    source=SOURCE,
)
DIG_COLOUR_DEPTH = rule(
    "DIG-COLOUR-DEPTH",
    Severity.ERROR,
    "Độ sâu màu trang {page} là {bits} bit, thấp hơn 24 bit ({colour_space})",
    "Page {page} has a colour depth of {bits} bits, below 24 bits ({colour_space})",
    source=SOURCE,
)
DIG_NOT_FULL_SCALE = rule(
    "DIG-NOT-FULL-SCALE",
    Severity.ERROR,
    "Ảnh quét trang {page} không ở tỷ lệ 100 % ({reason})",
    "The scan on page {page} is not at 100 % scale ({reason})",
    source=SOURCE,
)
DIG_SIGNATURE_POSITION = rule(
    "DIG-SIGNATURE-POSITION",
    Severity.ERROR,
    "Không có chữ ký số của cơ quan, tổ chức ở góc trên bên phải trang đầu",
    "No organisation signature at the top right of the first page",
    source="TT 05/2025/TT-BNV; NĐ 30/2020/NĐ-CP Phụ lục I",
)
DIG_NOT_CHECKED = rule(
    "DIG-NOT-CHECKED",
    Severity.ERROR,
    "Không kiểm tra được yêu cầu số hóa: {reason}",
    "The digitisation requirements could not be checked: {reason}",
    outcome=Outcome.INDETERMINATE,
)
DIG_PAGE_OK = rule(
    "DIG-PAGE-OK",
    Severity.INFO,
    "Trang {page} đạt yêu cầu số hóa",
    "Page {page} meets the digitisation requirements",
    outcome=Outcome.PASSED,
)

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _multiply(m: Matrix, n: Matrix) -> Matrix:
    """m then n (PDF row-vector convention: the result maps as m applied first)."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s, e * p + f * r + t,
            e * q + f * s + u)  # fmt: skip


@dataclass
class DrawnImage:
    width_px: int
    height_px: int
    drawn_width_pt: float
    drawn_height_pt: float
    colour_space: str
    bits_per_pixel: int | None

    @property
    def dpi(self) -> tuple[float, float]:
        return (
            self.width_px / (self.drawn_width_pt / 72.0) if self.drawn_width_pt else 0.0,
            self.height_px / (self.drawn_height_pt / 72.0) if self.drawn_height_pt else 0.0,
        )


@dataclass
class PageContent:
    images: list[DrawnImage] = field(default_factory=list)
    invisible_text_chars: int = 0
    visible_text_chars: int = 0


def _colour(image: pikepdf.Object) -> tuple[str, int | None]:
    if image.get("/ImageMask", False):
        return "ImageMask", 1
    bits = int(image.get("/BitsPerComponent", 8))
    space = image.get("/ColorSpace")
    if space is None:
        return "unknown", None
    if isinstance(space, pikepdf.Array):
        kind = str(space[0])
        if kind == "/ICCBased":
            components = int(space[1].get("/N", 0))
            return f"ICCBased N={components}", components * bits
        if kind == "/Indexed":
            return "Indexed", bits
        if kind in ("/CalRGB", "/Lab"):
            return kind.lstrip("/"), 3 * bits
        if kind == "/CalGray":
            return "CalGray", bits
        return kind.lstrip("/"), None
    per_pixel = {"/DeviceRGB": 3, "/DeviceCMYK": 4, "/DeviceGray": 1}.get(str(space))
    return str(space).lstrip("/"), None if per_pixel is None else per_pixel * bits


def _text_length(operands: Sequence[Any]) -> int:
    total = 0
    for operand in operands:
        if isinstance(operand, pikepdf.String):
            total += len(bytes(operand).strip())
        elif isinstance(operand, pikepdf.Array):
            total += _text_length(list(operand))
    return total


def _scan(
    container: pikepdf.Object | pikepdf.Page,
    resources: pikepdf.Object | None,
    ctm: Matrix,
    content: PageContent,
    depth: int,
) -> None:
    stack: list[Matrix] = []
    render_mode = 0
    xobjects: Any = resources.get("/XObject") if resources is not None else None
    for instruction in pikepdf.parse_content_stream(container):
        operands: Any = instruction.operands
        op = str(instruction.operator)
        if op == "q":
            stack.append(ctm)
        elif op == "Q" and stack:
            ctm = stack.pop()
        elif op == "cm" and len(operands) == 6:
            ctm = _multiply(tuple(float(x) for x in operands), ctm)  # type: ignore[arg-type]
        elif op == "Tr" and operands:
            render_mode = int(operands[0])
        elif op in ("Tj", "TJ", "'", '"'):
            length = _text_length(operands)
            if render_mode == 3:
                content.invisible_text_chars += length
            else:
                content.visible_text_chars += length
        elif op == "Do" and operands:
            xobject = xobjects.get(str(operands[0])) if xobjects else None
            if xobject is None:
                continue
            subtype = xobject.get("/Subtype")
            if subtype == "/Image":
                a, b, c, d, _, _ = ctm
                space, bits = _colour(xobject)
                content.images.append(
                    DrawnImage(
                        int(xobject.get("/Width", 0)),
                        int(xobject.get("/Height", 0)),
                        math.hypot(a, b),
                        math.hypot(c, d),
                        space,
                        bits,
                    )
                )
            elif subtype == "/Form" and depth < MAX_FORM_DEPTH:
                matrix = tuple(float(x) for x in xobject.get("/Matrix", IDENTITY))
                form_ctm = _multiply(matrix, ctm)  # type: ignore[arg-type]
                form_resources = xobject.get("/Resources", resources)
                _scan(xobject, form_resources, form_ctm, content, depth + 1)


def page_content(page: pikepdf.Page) -> PageContent:
    content = PageContent()
    _scan(page, page.obj.get("/Resources"), IDENTITY, content, 0)
    return content


def _page_size(page: pikepdf.Page) -> tuple[float, float]:
    box = [float(v) for v in page.obj.get("/CropBox", page.mediabox)]
    width, height = abs(box[2] - box[0]), abs(box[3] - box[1])
    return (height, width) if int(page.obj.get("/Rotate", 0)) % 180 else (width, height)


def _is_image_only(content: PageContent, page_width: float, page_height: float) -> bool:
    if not content.images or content.visible_text_chars:
        return False
    largest = max(content.images, key=lambda i: i.drawn_width_pt * i.drawn_height_pt)
    area = largest.drawn_width_pt * largest.drawn_height_pt
    return area >= IMAGE_ONLY_COVERAGE * page_width * page_height


def check_page(path: str, number: int, page: pikepdf.Page, minimum_dpi: float) -> list[Finding]:
    content = page_content(page)
    page_width, page_height = _page_size(page)
    findings: list[Finding] = []
    if not content.images:
        return [DIG_NO_IMAGE.finding(path, page=number)]
    scan = max(content.images, key=lambda i: i.drawn_width_pt * i.drawn_height_pt)
    dpi_x, dpi_y = scan.dpi
    detail = {
        "page": number,
        "pixels": [scan.width_px, scan.height_px],
        "drawn_size_pt": [round(scan.drawn_width_pt, 2), round(scan.drawn_height_pt, 2)],
        "page_size_pt": [round(page_width, 2), round(page_height, 2)],
        "dpi": [round(dpi_x, 1), round(dpi_y, 1)],
        "colour_space": scan.colour_space,
        "bits_per_pixel": scan.bits_per_pixel,
        "invisible_text_chars": content.invisible_text_chars,
        "visible_text_chars": content.visible_text_chars,
    }
    if content.invisible_text_chars + content.visible_text_chars == 0:
        findings.append(DIG_NO_TEXT_LAYER.finding(path, **detail))
    dpi = min(dpi_x, dpi_y)
    if dpi < minimum_dpi * (1 - TOLERANCE):
        findings.append(DIG_LOW_RESOLUTION.finding(path, **{**detail, "dpi": dpi},
                                                   minimum=minimum_dpi))  # fmt: skip
    if scan.bits_per_pixel is None:
        reason = f"colour depth of {scan.colour_space} image unknown"
        findings.append(DIG_NOT_CHECKED.finding(path, reason=reason, **detail))
    elif scan.bits_per_pixel < MIN_COLOUR_BITS or scan.colour_space == "Indexed":
        findings.append(DIG_COLOUR_DEPTH.finding(path, bits=scan.bits_per_pixel, **detail))
    reasons = []
    if (
        abs(scan.drawn_width_pt - page_width) > TOLERANCE * page_width
        or abs(scan.drawn_height_pt - page_height) > TOLERANCE * page_height
    ):
        reasons.append("the image does not fill the page")
    if dpi_x and dpi_y and abs(dpi_x - dpi_y) > TOLERANCE * max(dpi_x, dpi_y):
        reasons.append("horizontal and vertical resolutions differ")
    if reasons:
        findings.append(DIG_NOT_FULL_SCALE.finding(path, reason="; ".join(reasons), **detail))
    if not findings:
        findings.append(DIG_PAGE_OK.finding(path, **detail))
    return findings


def _signer_certificate(signature_value: pikepdf.Object) -> Any:
    contents = bytes(signature_value.get("/Contents", b""))
    # /Contents is zero-padded; the DER length says where the CMS ends. Stripping the zeros
    # would also cut a signature that happens to end in a zero byte (1 in 256).
    signed_data = cms.ContentInfo.load(contents, strict=False)["content"]
    sid = signed_data["signer_infos"][0]["sid"]
    for choice in signed_data["certificates"] or []:
        cert = choice.chosen
        if sid.name == "issuer_and_serial_number":
            wanted = sid.chosen
            if (
                cert.issuer == wanted["issuer"]
                and cert.serial_number == wanted["serial_number"].native
            ):
                return cert
        elif cert.key_identifier == sid.chosen.native:
            return cert
    return None


def _organisation_widget_top_right(
    page: pikepdf.Page, ctx: CheckContext
) -> tuple[bool, list[dict[str, Any]]]:
    width, height = _page_size(page)
    seen: list[dict[str, Any]] = []
    for annotation in page.obj.get("/Annots", []):
        if annotation.get("/Subtype") != "/Widget":
            continue
        field_dict = annotation if "/FT" in annotation else annotation.get("/Parent", annotation)
        if field_dict.get("/FT") != "/Sig" or "/V" not in field_dict:
            continue
        x1, y1, x2, y2 = (float(v) for v in annotation.get("/Rect", [0, 0, 0, 0]))
        visible = abs(x2 - x1) > 0 and abs(y2 - y1) > 0
        top_right = visible and (x1 + x2) / 2 > width / 2 and (y1 + y2) / 2 > height / 2
        try:
            cert = _signer_certificate(field_dict["/V"])
        except (ValueError, KeyError, TypeError):
            cert = None
        role = classify(cert, ctx.signer_recognition).role if cert is not None else None
        seen.append(
            {
                "field": str(field_dict.get("/T", "")),
                "rect": [x1, y1, x2, y2],
                "top_right": top_right,
                "signer_role": role.value if role else "unknown",
            }
        )
        if top_right and role is SignerRole.ORGANISATION:
            return True, seen
    return False, seen


def check_file(item: PackageFile, ctx: CheckContext) -> list[Finding]:
    document = item.document
    assert document is not None
    path = item.logical_path
    minimum = MIN_DPI_MAP_OR_DRAWING if document.is_map_or_drawing else MIN_DPI
    findings: list[Finding] = []
    try:
        with pikepdf.open(item.path) as pdf:
            for number, page in enumerate(pdf.pages, start=1):
                try:
                    if document.confidence_level == "03":
                        width, height = _page_size(page)
                        if not _is_image_only(page_content(page), width, height):
                            continue
                    findings.extend(check_page(path, number, page, minimum))
                except (pikepdf.PdfError, ValueError, TypeError, KeyError) as exc:
                    reason = f"page {number}: {exc}"
                    findings.append(DIG_NOT_CHECKED.finding(path, reason=reason, page=number))
            if document.confidence_level == "02" and len(pdf.pages):
                found, widgets = _organisation_widget_top_right(pdf.pages[0], ctx)
                if not found:
                    findings.append(DIG_SIGNATURE_POSITION.finding(path, page=1, widgets=widgets))
    except (pikepdf.PdfError, OSError) as exc:
        return [DIG_NOT_CHECKED.finding(path, reason=f"PDF not readable: {exc}")]
    return findings


def check_files(files: Sequence[PackageFile], ctx: CheckContext) -> list[Finding]:
    findings: list[Finding] = []
    for item in files:
        if item.document is None or item.document.confidence_level not in ("02", "03"):
            continue
        try:
            with item.path.open("rb") as stream:
                is_pdf = b"%PDF-" in stream.read(1024)
        except OSError as exc:
            findings.append(DIG_NOT_CHECKED.finding(item.logical_path, reason=str(exc)))
            continue
        if not is_pdf:
            reason = "a digitised document must be a PDF/A file"
            findings.append(DIG_NOT_CHECKED.finding(item.logical_path, reason=reason))
            continue
        findings.extend(check_file(item, ctx))
    return findings
