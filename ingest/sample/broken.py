"""Broken SIP_hoso packages, one per rule, each named after the rule it breaks.

Every variant is built by ``package.stage_package`` from the same spec as a good package, then
changed in one place; METS sizes and checksums are rewritten afterwards so that each variant
breaks its own rule and, as far as possible, nothing else. Known unavoidable side effects:

- code-value-out-of-list, title-2000-characters: the EAD schemas enumerate codes and limit
  lengths, so the EAD file also fails its XSD (that is the same defect seen twice).
- encrypted-pdf: encrypting rewrites the file, so the signatures no longer cover its bytes.
- eicar-file: the test file is a plain-text attachment of document 1; a text file carries no
  signature and no pages.
- dates-reversed: the documents' issue dates then fall outside the dossier's range.
- zip-bomb: the bomb entry is not listed in METS (the reader must stop before unpacking).
- xml-external-entity, xml-billion-laughs: EAD_doc_1.xml cannot be read, so document 1 has no
  readable metadata for the checks that follow.
- secret-mark-in-document: the mark "MẬT" is printed as a line of its own at the top of page 1
  of document 1 (as extracted text shows a stamp) and EAD_doc_1 ``description`` says
  "Độ mật: Mật"; the document stays mode 01/02, as a careless QLVB would send it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pikepdf
from lxml import etree

from ingest.sample import signing
from ingest.sample.ead import document_xml
from ingest.sample.memo import memoised
from ingest.sample.mets import CSIP, METS
from ingest.sample.package import (
    BuiltPackage,
    ExtraEntry,
    PackageSpec,
    SignatureChoice,
    StagedDocument,
    StagedFile,
    StagedPackage,
    attachment_file_name,
    default_cache_dir,
    ead_path,
    finalise,
    main_file_name,
    stage_package,
    timestamp,
    write_document_files,
    write_representation_mets,
    write_root_mets,
    write_zip,
)
from ingest.sample.pdf_documents import write_document_pdf
from ingest.sample.scanned import ScanSettings
from ingest.sample.signing import default_signing_times
from ingest.sample.text import Block
from metadata_schemas.dates import format_date, parse_date
from metadata_schemas.enums import ConfidenceLevel, Mode

BOMB_BYTES = 400 * 1024 * 1024
_EICAR_PARTS = ("X5O!P%@AP[4\\PZX54(P^)7CC)7}$", "EICAR-STANDARD-", "ANTIVIRUS-TEST-FILE!$H+H*")

Mutation = Callable[[StagedPackage], list[ExtraEntry]]


@dataclass(frozen=True)
class BrokenVariant:
    name: str
    description_vi: str
    description_en: str
    expected_codes_hint: tuple[str, ...]
    build: Callable[[PackageSpec, Path, Path | None], BuiltPackage]


def _builder(
    mutate: Mutation, *, level: ConfidenceLevel | None = None, min_documents: int = 1
) -> Callable[[PackageSpec, Path, Path | None], BuiltPackage]:
    def build(spec: PackageSpec, out_dir: Path, cache_dir: Path | None = None) -> BuiltPackage:
        spec = dataclasses.replace(spec, documents=max(spec.documents, min_documents))
        if level is not None:
            spec = dataclasses.replace(spec, confidence_level=level)
        spec.check()
        out_dir.mkdir(parents=True, exist_ok=True)
        work = out_dir / f".work-broken-{spec.seed}-{spec.sequence}"
        shutil.rmtree(work, ignore_errors=True)
        try:
            staged = stage_package(spec, work, cache_dir=cache_dir or default_cache_dir())
            extra = mutate(staged)
            return write_zip(staged, out_dir / staged.zip_name, extra)
        finally:
            shutil.rmtree(work, ignore_errors=True)

    return build


def refresh(staged: StagedPackage) -> None:
    """Recount pages and documents into the records, then rewrite metadata and METS."""
    total = 0
    for document in staged.documents:
        if document.record is not None:
            pages = sum(item.pages for item in document.files)
            document.record = dataclasses.replace(document.record, numberOfPage=str(pages))
            total += pages
    count = sum(1 for document in staged.documents if document.record is not None)
    staged.dossier = dataclasses.replace(
        staged.dossier, numberOfPage=str(total), totalDoc=str(count)
    )
    finalise(staged)


def _first(staged: StagedPackage) -> StagedDocument:
    return staged.documents[0]


def _main_path(staged: StagedPackage) -> Path:
    return staged.data_dir / main_file_name(staged, 1)


def _remake_first(
    signature: SignatureChoice = "both", scan: ScanSettings | None = None
) -> Mutation:
    def mutate(staged: StagedPackage) -> list[ExtraEntry]:
        write_document_files(staged, _first(staged), signature=signature, scan=scan)
        refresh(staged)
        return []

    return mutate


def _edit_dossier(**changes: Any) -> Mutation:
    def mutate(staged: StagedPackage) -> list[ExtraEntry]:
        staged.dossier = dataclasses.replace(staged.dossier, **changes)
        finalise(staged)
        return []

    return mutate


def _dates_reversed(staged: StagedPackage) -> list[ExtraEntry]:
    start, end = parse_date(staged.dossier.startDate), parse_date(staged.dossier.endDate)
    if start == end:
        end = start - dt.timedelta(days=1)
    return _edit_dossier(startDate=format_date(end), endDate=format_date(start))(staged)


def _total_doc_wrong(staged: StagedPackage) -> list[ExtraEntry]:
    return _edit_dossier(totalDoc=str(int(staged.dossier.totalDoc) + 1))(staged)


def _number_of_page_mismatch(staged: StagedPackage) -> list[ExtraEntry]:
    first = _first(staged)
    assert first.record is not None
    pages = int(first.record.numberOfPage) + 1
    first.record = dataclasses.replace(first.record, numberOfPage=str(pages))
    dossier_pages = str(int(staged.dossier.numberOfPage) + 1)  # still the sum of the EAD_docs
    return _edit_dossier(numberOfPage=dossier_pages)(staged)


def _code_value_out_of_list(staged: StagedPackage) -> list[ExtraEntry]:
    first = _first(staged)
    assert first.record is not None
    first.record = dataclasses.replace(first.record, typeName="99")
    finalise(staged)
    return []


def _secret_mode(staged: StagedPackage) -> list[ExtraEntry]:
    for document in staged.documents:
        if document.record is not None:
            document.record = dataclasses.replace(document.record, mode=Mode.SECRET.value)
    return _edit_dossier(mode=Mode.SECRET.value)(staged)


def _secret_mark(staged: StagedPackage) -> list[ExtraEntry]:
    first = _first(staged)
    pages = first.content.body_pages
    marked = ((Block("MẬT", "centred_bold"), *pages[0]), *pages[1:])
    first.content = dataclasses.replace(first.content, body_pages=marked)
    write_document_files(staged, first)
    refresh(staged)
    assert first.record is not None
    first.record = dataclasses.replace(first.record, description="Độ mật: Mật")
    finalise(staged)
    return []


def _title_2000(staged: StagedPackage) -> list[ExtraEntry]:
    title = staged.dossier.title
    long_title = (title + "; ") * (2000 // (len(title) + 2) + 1)
    return _edit_dossier(title=long_title[:2000])(staged)


def _paper_file_code_missing(staged: StagedPackage) -> list[ExtraEntry]:
    return _edit_dossier(paperFileCode=None)(staged)


def _resign_first(edit: Callable[[pikepdf.Pdf], None]) -> Mutation:
    """Rewrite document 1 from its unsigned PDF/A changed by ``edit``, then sign it as usual.

    ``sign_main_document`` refuses input that is not PDF/A-2b; these variants need exactly
    such input signed, so that gate is switched off for the call.
    """

    def mutate(staged: StagedPackage) -> list[ExtraEntry]:
        first = _first(staged)
        work = staged.root.parent / "resign"
        work.mkdir()
        draft, unsigned = work / "draft.pdf", work / "unsigned.pdf"
        layout = write_document_pdf(first.content, draft)
        with pikepdf.open(draft) as pdf:
            edit(pdf)
            pdf.save(unsigned, deterministic_id=True)
        pki = staged.pki
        signing.sign_main_document(
            unsigned,
            _main_path(staged),
            first.content,
            layout,
            person=pki.person,
            organisation=pki.organisation,
            check_pdfa=False,
        )
        shutil.rmtree(work)
        refresh(staged)
        return []

    return mutate


def _strip_pdfa(pdf: pikepdf.Pdf) -> None:
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
        del xmp["pdfaid:part"]
        del xmp["pdfaid:conformance"]
    del pdf.Root["/OutputIntents"]


def _add_javascript(pdf: pikepdf.Pdf) -> None:
    action = pdf.make_indirect(
        pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert('luutru');"))
    )
    pdf.Root.OpenAction = action
    pdf.Root.Names = pikepdf.Dictionary(
        JavaScript=pikepdf.Dictionary(Names=pikepdf.Array([pikepdf.String("mo-tai-lieu"), action]))
    )


def _encrypt_first(staged: StagedPackage) -> list[ExtraEntry]:
    path = _main_path(staged)
    # RC4 (R=4) has no random salt or IV, so the encrypted bytes repeat from run to run.
    encryption = pikepdf.Encryption(
        owner="luutru-chu-so-huu", user="", R=4, aes=False, metadata=False
    )
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        pdf.save(path, encryption=encryption, static_id=True)
    finalise(staged)
    return []


def _change_signed_byte(staged: StagedPackage) -> list[ExtraEntry]:
    """Flip one byte of the binary-marker comment on line 2: inside the signed byte range,
    meaningless to a PDF reader, so only the signature digest notices."""
    path = _main_path(staged)
    with path.open("r+b") as stream:
        head = stream.read(64)
        position = head.index(b"\n%") + 2
        stream.seek(position)
        stream.write(bytes([head[position] ^ 0x01]))
    finalise(staged)
    return []


def _eicar(staged: StagedPackage) -> list[ExtraEntry]:
    first = _first(staged)
    name = attachment_file_name(staged, 1, len(first.files), "txt")
    (staged.data_dir / name).write_text("".join(_EICAR_PARTS), encoding="ascii")
    created = timestamp(default_signing_times(first.content.issued_date)[1])
    first.files.append(StagedFile(name, "text/plain", created, 0))
    refresh(staged)
    return []


def _file_without_ead_doc(staged: StagedPackage) -> list[ExtraEntry]:
    first = _first(staged)
    sequence = len(staged.documents) + 1
    name = main_file_name(staged, sequence)
    shutil.copyfile(_main_path(staged), staged.data_dir / name)
    orphan = StagedDocument(
        sequence=sequence,
        doc_id=f"{staged.file_code}.{sequence}",
        content=first.content,
        confidence_level=first.confidence_level,
        record=None,
        files=[dataclasses.replace(first.files[0], name=name)],
    )
    staged.documents.append(orphan)
    refresh(staged)
    return []


def _ead_doc_without_file(staged: StagedPackage) -> list[ExtraEntry]:
    last = staged.documents[-1]
    assert last.record is not None
    sequence = len(staged.documents) + 1
    doc_id = f"{staged.file_code}.{sequence}"
    record = dataclasses.replace(
        last.record, docId=doc_id, docCode=f"{staged.file_code}.{sequence:07d}"
    )
    staged.documents.append(
        StagedDocument(sequence, doc_id, last.content, last.confidence_level, record, files=[])
    )
    refresh(staged)  # totalDoc counts it; its numberOfPage is 0, so the sum is unchanged
    return []


def _checksum_mismatch(staged: StagedPackage) -> list[ExtraEntry]:
    rep_mets = staged.root / "representations/rep1/METS.xml"
    tree = etree.parse(str(rep_mets))
    (element,) = tree.xpath("//mets:file[@ID='file-1']", namespaces={"mets": METS})
    element.set("CHECKSUM", hashlib.sha256(b"not the file").hexdigest())
    tree.write(str(rep_mets), xml_declaration=True, encoding="UTF-8")
    write_root_mets(staged)  # the root METS describes the edited rep METS correctly
    return []


def _file_missing(staged: StagedPackage) -> list[ExtraEntry]:
    (staged.root / "schemas/codelists.xsd").unlink()
    return []


def _unexpected_file(staged: StagedPackage) -> list[ExtraEntry]:
    (staged.root / "ghi-chu.txt").write_text("Ghi chú của người lập gói, không có trong METS.\n")
    return []


def _mets_not_well_formed(staged: StagedPackage) -> list[ExtraEntry]:
    path = staged.root / "METS.xml"
    text = path.read_bytes()
    path.write_bytes(text[: text.rindex(b"</mets:mets>")])
    return []


def _mets_missing_csip_attributes(staged: StagedPackage) -> list[ExtraEntry]:
    path = staged.root / "METS.xml"
    tree = etree.parse(str(path))
    root = tree.getroot()
    for name in ("OBJID", "PROFILE", f"{{{CSIP}}}OAISPACKAGETYPE"):
        root.attrib.pop(name, None)
    for header in root.iter(f"{{{METS}}}metsHdr"):
        header.attrib.pop(f"{{{CSIP}}}OAISPACKAGETYPE", None)
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")
    return []


def _hostile_ead_doc(doctype: str, reference: str) -> Mutation:
    def mutate(staged: StagedPackage) -> list[ExtraEntry]:
        first = _first(staged)
        assert first.record is not None
        marker = "ENTITY-REFERENCE"
        text = document_xml(dataclasses.replace(first.record, description=marker))
        declaration, _, body = text.partition(b"\n")
        hostile = declaration + b"\n" + doctype.encode() + b"\n" + body
        ead_path(staged, 1).write_bytes(hostile.replace(marker.encode(), reference.encode()))
        write_representation_mets(staged)
        write_root_mets(staged)
        return []

    return mutate


_XXE = '<!DOCTYPE simpledc [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
_LOLS = '<!ENTITY lol1 "lol">' + "".join(
    f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(2, 10)
)
_BILLION_LAUGHS = f"<!DOCTYPE simpledc [{_LOLS}]>"


def _zip_entry(name: str, data: bytes = b"", mode: int = 0o100644) -> Mutation:
    def mutate(staged: StagedPackage) -> list[ExtraEntry]:
        return [ExtraEntry(name.replace("{objid}", staged.objid), data=data, unix_mode=mode)]

    return mutate


def _zeros(total: int) -> Iterator[bytes]:
    chunk = bytes(1024 * 1024)
    for _ in range(total // len(chunk)):
        yield chunk


def _zip_bomb(staged: StagedPackage) -> list[ExtraEntry]:
    name = f"{staged.objid}/representations/rep1/data/phu-luc.bin"
    return [ExtraEntry(name, chunks=_zeros(BOMB_BYTES))]


def _not_a_zip(spec: PackageSpec, out_dir: Path, cache_dir: Path | None = None) -> BuiltPackage:
    """The root METS.xml sent under the package's zip name."""
    captured: list[bytes] = []

    def keep_mets(staged: StagedPackage) -> list[ExtraEntry]:
        captured.append((staged.root / "METS.xml").read_bytes())
        return []

    built = _builder(keep_mets)(spec, out_dir, cache_dir)
    built.zip_path.write_bytes(captured[0])
    return dataclasses.replace(
        built, sha256=hashlib.sha256(captured[0]).hexdigest(), size=len(captured[0])
    )


def _variant(
    name: str, vi: str, en: str, codes: tuple[str, ...], build: Callable[..., BuiltPackage]
) -> BrokenVariant:
    def build_once(spec: PackageSpec, out_dir: Path, cache_dir: Path | None = None) -> BuiltPackage:
        return memoised(
            f"broken:{name}", spec, out_dir, lambda target: build(spec, target, cache_dir)
        )

    return BrokenVariant(name, vi, en, codes, build_once)


_DIGITISED = ConfidenceLevel.DIGITISED
BROKEN_RULES: dict[str, BrokenVariant] = {
    variant.name: variant
    for variant in (
        _variant(
            "checksum-mismatch",
            "Mã băm SHA-256 trong METS không khớp tệp",
            "METS SHA-256 checksum does not match the file",
            ("PKG-CHECKSUM-MISMATCH",),
            _builder(_checksum_mismatch),
        ),
        _variant(
            "file-missing",
            "METS liệt kê một tệp không có trong gói",
            "METS lists a file the package does not hold",
            ("PKG-FILE-MISSING",),
            _builder(_file_missing),
        ),
        _variant(
            "unexpected-file",
            "Gói có tệp không được METS liệt kê",
            "The package holds a file METS does not list",
            ("PKG-FILE-UNEXPECTED",),
            _builder(_unexpected_file),
        ),
        _variant(
            "path-traversal-entry",
            "Mục zip có '../' thoát ra ngoài thư mục gói",
            "A zip entry escapes the package folder with '../'",
            ("PKG-PATH-TRAVERSAL",),
            _builder(_zip_entry("{objid}/../../luutru-path-traversal.txt", b"x\n")),
        ),
        _variant(
            "absolute-path-entry",
            "Mục zip có đường dẫn tuyệt đối",
            "A zip entry has an absolute path",
            ("PKG-ABSOLUTE-PATH",),
            _builder(_zip_entry("/tmp/luutru-absolute-path.txt", b"x\n")),
        ),
        _variant(
            "symlink-entry",
            "Mục zip là liên kết tượng trưng",
            "A zip entry is a symbolic link",
            ("PKG-LINK",),
            _builder(
                _zip_entry("{objid}/representations/rep1/data/lien-ket", b"/etc/passwd", 0o120777)
            ),
        ),
        _variant(
            "zip-bomb",
            "Mục zip có tỷ lệ nén bất thường (bom zip)",
            "A zip entry with an abnormal compression ratio (zip bomb)",
            ("PKG-ZIP-BOMB",),
            _builder(_zip_bomb),
        ),
        _variant(
            "not-a-zip",
            "Tệp gửi lên không phải zip",
            "The upload is not a zip",
            ("PKG-NOT-ZIP",),
            _not_a_zip,
        ),
        _variant(
            "mets-not-well-formed",
            "METS.xml gốc không đúng cú pháp XML",
            "The root METS.xml is not well-formed",
            ("PKG-METS-MALFORMED",),
            _builder(_mets_not_well_formed),
        ),
        _variant(
            "mets-missing-csip-attributes",
            "METS gốc thiếu OBJID, PROFILE, OAISPACKAGETYPE",
            "Root METS lacks OBJID, PROFILE, OAISPACKAGETYPE",
            ("PKG-CSIP1", "PKG-CSIP6", "PKG-CSIP9"),
            _builder(_mets_missing_csip_attributes),
        ),
        _variant(
            "ead-doc-without-file",
            "EAD_doc không có tệp tài liệu",
            "An EAD_doc without its document file",
            ("PKG-EAD-DOC-WITHOUT-FILE",),
            _builder(_ead_doc_without_file),
        ),
        _variant(
            "file-without-ead-doc",
            "Tệp tài liệu không có EAD_doc",
            "A document file without its EAD_doc",
            ("PKG-FILE-WITHOUT-EAD-DOC",),
            _builder(_file_without_ead_doc),
        ),
        _variant(
            "code-value-out-of-list",
            "typeName của tài liệu 1 ngoài danh mục (99)",
            "Document 1 typeName outside its code list (99)",
            ("MD-CODE-VALUE", "MD-SCHEMA"),
            _builder(_code_value_out_of_list),
        ),
        _variant(
            "dates-reversed",
            "startDate sau endDate",
            "startDate after endDate",
            ("MD-DATES-ORDER",),
            _builder(_dates_reversed, min_documents=2),
        ),
        _variant(
            "total-doc-wrong",
            "totalDoc khác số EAD_doc",
            "totalDoc differs from the number of EAD_doc",
            ("MD-TOTAL-DOC",),
            _builder(_total_doc_wrong),
        ),
        _variant(
            "number-of-page-mismatch",
            "numberOfPage khác số trang của PDF",
            "numberOfPage differs from the PDF page count",
            ("MD-NUMBER-OF-PAGE",),
            _builder(_number_of_page_mismatch),
        ),
        _variant(
            "secret-dossier-mode-03",
            "Hồ sơ chế độ sử dụng 03 (Mật)",
            "Dossier with access mode 03 (secret)",
            ("MD-SECRET",),
            _builder(_secret_mode),
        ),
        _variant(
            "secret-mark-in-document",
            "Tài liệu có dấu chỉ độ mật MẬT",
            "A document marked MẬT (state secret)",
            ("MD-SECRET-MARK",),
            _builder(_secret_mark),
        ),
        _variant(
            "pdf-not-pdfa",
            "Tài liệu là PDF nhưng không phải PDF/A",
            "A document is PDF but not PDF/A",
            ("PDFA-NOT-PDFA", "FMT-PDF-NOT-PDFA"),
            _builder(_resign_first(_strip_pdfa)),
        ),
        _variant(
            "pdfa-with-javascript",
            "PDF/A có JavaScript",
            "PDF/A with JavaScript",
            ("PDFA-JAVASCRIPT",),
            _builder(_resign_first(_add_javascript)),
        ),
        _variant(
            "encrypted-pdf",
            "PDF bị mã hóa",
            "Encrypted PDF",
            ("PDFA-ENCRYPTED",),
            _builder(_encrypt_first),
        ),
        _variant(
            "unsigned-document",
            "Tài liệu không có chữ ký số",
            "A document without digital signature",
            ("SIG-NONE",),
            _builder(_remake_first("none")),
        ),
        _variant(
            "signature-broken-by-changed-byte",
            "Một byte bị sửa sau khi ký",
            "One byte changed after signing",
            ("SIG-INTEGRITY",),
            _builder(_change_signed_byte),
        ),
        _variant(
            "signer-untrusted-root",
            "Chứng thư người ký từ CA gốc không tin cậy",
            "Signer certificate from an untrusted root",
            ("SIG-UNTRUSTED",),
            _builder(_remake_first("untrusted_person")),
        ),
        _variant(
            "signer-certificate-expired",
            "Chứng thư người ký đã hết hạn khi ký",
            "Signer certificate expired at signing time",
            ("SIG-CERT-EXPIRED",),
            _builder(_remake_first("expired_person")),
        ),
        _variant(
            "person-signature-only",
            "Thiếu chữ ký số của cơ quan",
            "The organisation's signature is missing",
            ("SIG-ORG-MISSING",),
            _builder(_remake_first("person_only")),
        ),
        _variant(
            "eicar-file",
            "Tệp thử nghiệm virus EICAR",
            "The EICAR anti-virus test file",
            ("VIR-FOUND",),
            _builder(_eicar),
        ),
        _variant(
            "xml-external-entity",
            "EAD_doc khai báo thực thể ngoài (XXE)",
            "EAD_doc declares an external entity (XXE)",
            ("MD-XML-UNSAFE",),
            _builder(_hostile_ead_doc(_XXE, "&xxe;")),
        ),
        _variant(
            "xml-billion-laughs",
            "EAD_doc có thực thể lồng nhau (billion laughs)",
            "EAD_doc with nested entities (billion laughs)",
            ("MD-XML-UNSAFE",),
            _builder(_hostile_ead_doc(_BILLION_LAUGHS, "&lol9;")),
        ),
        _variant(
            "title-2000-characters",
            "Tiêu đề hồ sơ dài 2000 ký tự (tối đa 1000)",
            "Dossier title of 2000 characters (at most 1000)",
            ("MD-SCHEMA",),
            _builder(_title_2000),
        ),
        _variant(
            "scan-150-dpi",
            "Bản số hóa 150 dpi (tối thiểu 200)",
            "Digitised at 150 dpi (at least 200)",
            ("DIG-LOW-RESOLUTION",),
            _builder(_remake_first(scan=ScanSettings(dpi=150)), level=_DIGITISED),
        ),
        _variant(
            "scan-no-text-layer",
            "Bản số hóa không có lớp văn bản",
            "Digitised without a text layer",
            ("DIG-NO-TEXT-LAYER",),
            _builder(_remake_first(scan=ScanSettings(text_layer=False)), level=_DIGITISED),
        ),
        _variant(
            "scan-greyscale-8-bit",
            "Bản số hóa ảnh xám 8 bit (tối thiểu 24 bit màu)",
            "Digitised in 8-bit greyscale (24-bit colour required)",
            ("DIG-COLOUR-DEPTH",),
            _builder(_remake_first(scan=ScanSettings(mode="L")), level=_DIGITISED),
        ),
        _variant(
            "paper-file-code-missing",
            "Hồ sơ số hóa thiếu paperFileCode",
            "Digitised dossier without paperFileCode",
            ("MD-PAPER-FILE-CODE",),
            _builder(_paper_file_code_missing, level=_DIGITISED),
        ),
    )
}
