"""A minimal SIP_hoso writer for the package and metadata tests (ingest/package/LAYOUT.md).

``build_package`` writes a conforming package tree; a :class:`PackageSpec` breaks one thing at
a time: field overrides (``None`` removes an element), replaced file bytes (before checksums
are taken), or a hook that edits a METS tree before it is written and checksummed.
"""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from metadata_schemas.schemas import XSD_DIR

REPO_ROOT = Path(__file__).resolve().parents[2]
FONT = REPO_ROOT / "ingest" / "sample" / "fonts" / "DejaVuSerif.ttf"
AGENCY_CODE = "000.00.00.H41"
FILE_CODE = f"{AGENCY_CODE}.2025.01.TCCB"
OBJID = "uuid-3f1c2a4e-8b7d-4c1e-9a2b-5d6e7f801234"
CREATED = "2025-09-01T09:00:00.000+07:00"
METS_NS = "http://www.loc.gov/METS/"
XLINK_NS = "http://www.w3.org/1999/xlink"
CSIP_NS = "https://DILCIS.eu/XML/METS/CSIPExtensionMETS"
PROFILE = "https://earkcsip.dilcis.eu/profile/E-ARK-CSIP.xml"
SCHEMAS = {
    "METS.xsd": "METS.xsd",
    "xlink.xsd": "xlink.xsd",
    "DILCISExtensionMETS.xsd": "DILCISExtensionMETS.xsd",
    "EAD.xsd": "EAD_SIP_hoso.xsd",
    "EAD_doc.xsd": "EAD_doc_SIP.xsd",
    "codelists.xsd": "codelists.xsd",
    "common.xsd": "common.xsd",
}
DOSSIER_ORDER = [
    "fileCode",
    "title",
    "maintenance",
    "mode",
    "language",
    "startDate",
    "endDate",
    "keyword",
    "totalDoc",
    "numberOfPaper",
    "numberOfPage",
    "format",
    "inforSign",
    "confidenceLevel",
    "paperFileCode",
    "riskRecovery",
    "riskRecoveryStatus",
    "description",
]
DOC_ORDER = [
    "docId",
    "docCode",
    "maintenance",
    "typeName",
    "codeNumber",
    "codeNotation",
    "issuedDate",
    "organName",
    "subject",
    "language",
    "numberOfPage",
    "inforSign",
    "keyword",
    "mode",
    "confidenceLevel",
    "autograph",
    "format",
    "riskRecovery",
    "riskRecoveryStatus",
    "process",
    "description",
]

Fields = dict[str, str | None]
MetsEdit = Callable[[etree._Element], None]


@dataclass
class DocSpec:
    pages: int = 1
    attachments: tuple[int, ...] = ()  # page count of each attachment
    first_page_text: str = "QUYẾT ĐỊNH về việc ban hành quy chế"
    fields: Fields = field(default_factory=dict)


@dataclass
class PackageSpec:
    documents: list[DocSpec] = field(default_factory=lambda: [DocSpec(), DocSpec(attachments=(2,))])
    dossier: Fields = field(default_factory=dict)
    replace_bytes: dict[str, bytes] = field(default_factory=dict)  # root-relative path → bytes
    edit_rep_mets: MetsEdit | None = None
    edit_root_mets: MetsEdit | None = None
    objid: str = OBJID


def _font() -> str:
    if "DejaVuSerif" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVuSerif", str(FONT)))
    return "DejaVuSerif"


def write_pdf(path: Path, pages: int, first_page_text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf = canvas.Canvas(str(path), pageCompression=0, invariant=1)
    for page in range(pages):
        pdf.setFont(_font(), 13)
        for number, line in enumerate(
            (first_page_text if page == 0 else f"Trang {page + 1}").splitlines()
        ):
            pdf.drawString(72, 760 - 18 * number, line)
        pdf.showPage()
    pdf.save()


def _simpledc(order: list[str], values: Fields) -> bytes:
    root = etree.Element("simpledc")
    names = [name for name in order if name in values] + [n for n in values if n not in order]
    for name in names:
        value = values[name]
        if value is not None:
            etree.SubElement(root, name).text = value
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def doc_fields(n: int, spec: DocSpec) -> Fields:
    values: Fields = {
        "docId": f"{FILE_CODE}.{n}",
        "docCode": f"{FILE_CODE}.{n:07d}",
        "maintenance": "01",
        "typeName": "02",
        "codeNumber": f"{n:02d}",
        "codeNotation": "QĐ-UBND",
        "issuedDate": f"{10 + n:02d}/03/2025",
        "organName": "Ủy ban nhân dân tỉnh Hà Giang",
        "subject": f"Quyết định số {n} về công tác tổ chức cán bộ",
        "language": "01",
        "numberOfPage": str(spec.pages + sum(spec.attachments)),
        "mode": "01",
        "confidenceLevel": "01",
        "riskRecovery": "0",
        "process": "1",
    }
    values.update(spec.fields)
    return values


def dossier_fields(spec: PackageSpec) -> Fields:
    pages = sum(doc.pages + sum(doc.attachments) for doc in spec.documents)
    values: Fields = {
        "fileCode": FILE_CODE,
        "title": "Hồ sơ về công tác tổ chức cán bộ năm 2025",
        "maintenance": "01",
        "mode": "01",
        "language": "01",
        "startDate": "01/03/2025",
        "endDate": "31/03/2025",
        "totalDoc": str(len(spec.documents)),
        "numberOfPage": str(pages),
        "confidenceLevel": "01",
        "riskRecovery": "0",
        "description": "Văn phòng Ủy ban nhân dân tỉnh",
    }
    values.update(spec.dossier)
    return values


def _m(tag: str) -> str:
    return f"{{{METS_NS}}}{tag}"


def _x(tag: str) -> str:
    return f"{{{XLINK_NS}}}{tag}"


def _c(tag: str) -> str:
    return f"{{{CSIP_NS}}}{tag}"


def _checksum_attrs(file: Path, mimetype: str) -> dict[str, str]:
    data = file.read_bytes()
    return {
        "MIMETYPE": mimetype,
        "SIZE": str(len(data)),
        "CREATED": CREATED,
        "CHECKSUM": hashlib.sha256(data).hexdigest(),
        "CHECKSUMTYPE": "SHA-256",
    }


def _mets_root(objid: str, content_type: bool) -> etree._Element:
    mets = etree.Element(_m("mets"), nsmap={"mets": METS_NS, "xlink": XLINK_NS, "csip": CSIP_NS})
    mets.set("OBJID", objid)
    mets.set("TYPE", "Mixed")
    mets.set("PROFILE", PROFILE)
    mets.set(_c("OAISPACKAGETYPE"), "SIP")
    if content_type:
        mets.set(_c("CONTENTINFORMATIONTYPE"), "OTHER")
        mets.set(_c("OTHERCONTENTINFORMATIONTYPE"), "TT05/2025-SIP_hoso")
    return mets


def _md_ref(mets: etree._Element, dmd_id: str, href: str, file: Path) -> None:
    dmd = etree.SubElement(mets, _m("dmdSec"), ID=dmd_id, CREATED=CREATED)
    ref = etree.SubElement(dmd, _m("mdRef"), LOCTYPE="URL", MDTYPE="OTHER", OTHERMDTYPE="EAD")
    ref.set(_x("type"), "simple")
    ref.set(_x("href"), href)
    for name, value in _checksum_attrs(file, "text/xml").items():
        ref.set(name, value)


def _file(group: etree._Element, file_id: str, href: str, file: Path, mimetype: str) -> None:
    element = etree.SubElement(group, _m("file"), ID=file_id, **_checksum_attrs(file, mimetype))
    location = etree.SubElement(element, _m("FLocat"), LOCTYPE="URL")
    location.set(_x("type"), "simple")
    location.set(_x("href"), href)


def _write(root: Path, relative: str, data: bytes, spec: PackageSpec) -> Path:
    target = root / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(spec.replace_bytes.get(relative, data))
    return target


def _write_mets(root: Path, relative: str, mets: etree._Element, spec: PackageSpec) -> None:
    data = etree.tostring(mets, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    _write(root, relative, data, spec)


def _representation(root: Path, spec: PackageSpec) -> None:
    rep = root / "representations" / "rep1"
    mets = _mets_root(f"{spec.objid}_rep1", content_type=False)
    etree.SubElement(mets, _m("metsHdr"), CREATEDATE=CREATED, RECORDSTATUS="NEW")
    group = etree.Element(_m("fileGrp"), USE="Data")
    data_div = etree.Element(_m("div"), LABEL="Data")
    for n, doc in enumerate(spec.documents, start=1):
        ead = f"metadata/descriptive/EAD_doc_{n}.xml"
        file = _write(rep, ead, _simpledc(DOC_ORDER, doc_fields(n, doc)), spec)
        _md_ref(mets, f"dmd-doc-{n}", ead, file)
        div = etree.SubElement(data_div, _m("div"), LABEL=f"{FILE_CODE}.{n}", ORDER=str(n))
        div.set("DMDID", f"dmd-doc-{n}")
        names = [(f"file-{n}", f"{FILE_CODE}.{n}.pdf", doc.pages, doc.first_page_text)]
        for k, pages in enumerate(doc.attachments, start=1):
            names.append((f"file-{n}-{k}", f"{FILE_CODE}.{n}.{k}.pdf", pages, f"Phụ lục {k}"))
        for file_id, name, pages, text in names:
            pdf = rep / "data" / name
            write_pdf(pdf, pages, text)
            if f"representations/rep1/data/{name}" in spec.replace_bytes:
                _write(root, f"representations/rep1/data/{name}", b"", spec)
            _file(group, file_id, f"data/{name}", pdf, "application/pdf")
            etree.SubElement(div, _m("fptr"), FILEID=file_id)
    etree.SubElement(mets, _m("fileSec")).append(group)
    struct = etree.SubElement(mets, _m("structMap"), TYPE="PHYSICAL", LABEL="CSIP")
    etree.SubElement(struct, _m("div"), LABEL="rep1").append(data_div)
    if spec.edit_rep_mets:
        spec.edit_rep_mets(mets)
    _write_mets(root, "representations/rep1/METS.xml", mets, spec)


def _root_mets(root: Path, spec: PackageSpec) -> None:
    mets = _mets_root(spec.objid, content_type=True)
    header = etree.SubElement(mets, _m("metsHdr"), CREATEDATE=CREATED, RECORDSTATUS="NEW")
    software = etree.SubElement(header, _m("agent"), ROLE="CREATOR", TYPE="OTHER")
    software.set("OTHERTYPE", "SOFTWARE")
    etree.SubElement(software, _m("name")).text = "QLVB thử nghiệm"
    etree.SubElement(software, _m("note"), {_c("NOTETYPE"): "SOFTWARE VERSION"}).text = "1.0"
    agency = etree.SubElement(header, _m("agent"), ROLE="CREATOR", TYPE="ORGANIZATION")
    etree.SubElement(agency, _m("name")).text = "Ủy ban nhân dân tỉnh Hà Giang"
    note = etree.SubElement(agency, _m("note"), {_c("NOTETYPE"): "IDENTIFICATIONCODE"})
    note.text = AGENCY_CODE
    _md_ref(mets, "dmd-ead", "metadata/descriptive/EAD.xml", root / "metadata/descriptive/EAD.xml")
    file_sec = etree.SubElement(mets, _m("fileSec"))
    schemas = etree.SubElement(file_sec, _m("fileGrp"), USE="Schemas")
    schema_div = etree.Element(_m("div"), LABEL="Schemas")
    for index, name in enumerate(SCHEMAS, start=1):
        _file(schemas, f"schema-{index}", f"schemas/{name}", root / "schemas" / name, "text/xml")
        etree.SubElement(schema_div, _m("fptr"), FILEID=f"schema-{index}")
    reps = etree.SubElement(file_sec, _m("fileGrp"), USE="Representations/rep1")
    rep_mets = "representations/rep1/METS.xml"
    _file(reps, "rep1-mets", rep_mets, root / rep_mets, "text/xml")
    struct = etree.SubElement(mets, _m("structMap"), TYPE="PHYSICAL", LABEL="CSIP")
    top = etree.SubElement(struct, _m("div"), LABEL=spec.objid)
    etree.SubElement(top, _m("div"), LABEL="Metadata", DMDID="dmd-ead")
    top.append(schema_div)
    rep_div = etree.SubElement(top, _m("div"), LABEL="Representations/rep1")
    pointer = etree.SubElement(rep_div, _m("mptr"), LOCTYPE="URL")
    pointer.set(_x("href"), rep_mets)
    if spec.edit_root_mets:
        spec.edit_root_mets(mets)
    _write_mets(root, "METS.xml", mets, spec)


def build_package(parent: Path, spec: PackageSpec | None = None) -> Path:
    """Write the package tree under ``parent``; returns its root folder (named after OBJID)."""
    spec = spec or PackageSpec()
    root = parent / spec.objid
    root.mkdir(parents=True)
    for name, source in SCHEMAS.items():
        _write(root, f"schemas/{name}", (XSD_DIR / source).read_bytes(), spec)
    _write(
        root, "metadata/descriptive/EAD.xml", _simpledc(DOSSIER_ORDER, dossier_fields(spec)), spec
    )
    _representation(root, spec)
    _root_mets(root, spec)
    return root


def zip_package(root: Path, zip_path: Path) -> Path:
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(p for p in root.rglob("*") if p.is_file()):
            archive.write(file, f"{root.name}/{file.relative_to(root).as_posix()}")
    return zip_path
