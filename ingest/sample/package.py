"""Build one SIP_hoso dossier package (TT 05/2025/TT-BNV on E-ARK CSIP), exactly as
``ingest/package/LAYOUT.md`` describes it, from a seed.

The package is first staged as a folder tree (``stage_package``), then zipped
(``write_zip``). Everything — the agency, dates, numbers, OBJID, signing times — is drawn from
the seed and the year, never from the clock, so the same spec gives a byte-identical zip.
Metadata is written after the documents, from the PDFs actually produced (page counts), and
METS after metadata, from the files on disk (sizes, checksums): a broken variant can change a
staged file or record and call :func:`finalise` to get a package whose only defect is its own.

Signers and PKIs are per agency and year (not per package), so a PKI is generated once and
reused from the on-disk cache by every package of that agency and year.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
import random
import shutil
import uuid
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pikepdf

from ingest.sample.agencies import AGENCIES, Agency
from ingest.sample.ead import DocumentRecord, DossierRecord, document_xml, dossier_xml
from ingest.sample.memo import memoised
from ingest.sample.mets import (
    MetsDocument,
    MetsFile,
    Software,
    digest,
    representation_mets,
    root_mets,
)
from ingest.sample.pdf_documents import VIETNAM, write_attachment_pdf, write_document_pdf
from ingest.sample.pki import PkiSubjects, SamplePki, build_test_pki
from ingest.sample.scanned import ScanSettings, write_scanned_pdf
from ingest.sample.signing import (
    default_signing_times,
    sign_attachment,
    sign_digitised,
    sign_main_document,
)
from ingest.sample.text import (
    AttachmentContent,
    DocumentContent,
    make_attachment_content,
    make_document_content,
)
from metadata_schemas.dates import format_date
from metadata_schemas.enums import ConfidenceLevel, Maintenance, Mode
from metadata_schemas.identifiers import DocCode, DocId, parse_file_code, sip_objid
from metadata_schemas.schemas import XSD_DIR

SOFTWARE = Software(name="Phần mềm QLVB&HSCV mẫu (luutru sample)", version="2025.1")
ZIP_TIMESTAMP = (2000, 1, 1, 0, 0, 0)
CHUNK = 1024 * 1024
PDF = "application/pdf"
# Package schema file → the shipped schema it copies (LAYOUT.md "schemas/").
SCHEMA_COPIES: dict[str, str] = {
    "METS.xsd": "METS.xsd",
    "xlink.xsd": "xlink.xsd",
    "DILCISExtensionMETS.xsd": "DILCISExtensionMETS.xsd",
    "EAD.xsd": "EAD_SIP_hoso.xsd",
    "EAD_doc.xsd": "EAD_doc_SIP.xsd",
    "codelists.xsd": "codelists.xsd",
    "common.xsd": "common.xsd",
}
SignatureChoice = Literal["both", "none", "person_only", "expired_person", "untrusted_person"]


class PackageSpecError(ValueError):
    """The spec asks for something a package cannot be."""


@dataclass(frozen=True)
class PackageSpec:
    seed: int
    agency: Agency | None = None  # None: drawn from the seed
    year: int = 2025
    dossier_number: str | None = None  # số và ký hiệu hồ sơ, e.g. "01.VP"; None: from the seed
    documents: int = 5
    pages_min: int = 1
    pages_max: int = 3
    attachment_share: float = 0.3  # share of born-digital documents with an attachment file
    confidence_level: ConfidenceLevel = ConfidenceLevel.BORN_DIGITAL
    maintenance: Maintenance = Maintenance.YEARS_20
    mode: Mode = Mode.PUBLIC
    large_mb: int = 0  # > 0: document 1 gets a scanned-like attachment of about this size
    sequence: int = 1  # the package's sequence in the transfer: the zip name's prefix

    def check(self, *, allow_secret: bool = False) -> None:
        if self.documents < 1:
            raise PackageSpecError("a dossier holds at least one document")
        if self.confidence_level == ConfidenceLevel.MIXED and self.documents < 2:
            # every second document is digitised: one document would make a "mixed" dossier
            # with nothing digitised, which TT05's paperFileCode rule rightly rejects
            raise PackageSpecError("a mixed (03) dossier needs at least two documents")
        if not 1 <= self.pages_min <= self.pages_max:
            raise PackageSpecError("pages: need 1 <= pages-min <= pages-max")
        if not 0.0 <= self.attachment_share <= 1.0:
            raise PackageSpecError("attachment share must be between 0 and 1")
        if not 1000 <= self.year <= 9999:
            raise PackageSpecError("year must have 4 digits")
        if self.mode == Mode.SECRET and not allow_secret:
            raise PackageSpecError("mode 03 (Mật) may not enter a networked archive")
        if self.large_mb < 0:
            raise PackageSpecError("large file size must not be negative")


@dataclass
class StagedFile:
    name: str  # in representations/rep1/data/
    mimetype: str
    created: str
    pages: int  # 0 for a file that is not a PDF


@dataclass
class StagedDocument:
    sequence: int
    doc_id: str
    content: DocumentContent
    confidence_level: ConfidenceLevel  # 01 or 02 (a mixed dossier mixes the two)
    record: DocumentRecord | None
    files: list[StagedFile] = field(default_factory=list)


@dataclass
class StagedPackage:
    spec: PackageSpec
    root: Path  # the uuid-… folder
    objid: str
    file_code: str
    agency: Agency
    pki: SamplePki
    created: str
    dossier: DossierRecord
    documents: list[StagedDocument]

    @property
    def data_dir(self) -> Path:
        return self.root / "representations" / "rep1" / "data"

    @property
    def zip_name(self) -> str:
        return f"{self.spec.sequence}{self.objid}.zip"


@dataclass(frozen=True)
class BuiltDocument:
    sequence: int
    doc_id: str
    files: tuple[str, ...]  # paths inside the zip; the main file first
    pages: int


@dataclass(frozen=True)
class BuiltPackage:
    zip_path: Path
    objid: str
    file_code: str
    documents: tuple[BuiltDocument, ...]
    sha256: str
    size: int
    agency: Agency
    year: int


@dataclass(frozen=True)
class ExtraEntry:
    """A zip entry that is not a staged file (broken variants): bytes or a chunk generator."""

    name: str
    data: bytes | None = None
    chunks: Iterable[bytes] | None = None
    unix_mode: int = 0o100644


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "luutru" / "sample-pki"


def build_package(
    spec: PackageSpec, out_dir: Path, *, cache_dir: Path | None = None
) -> BuiltPackage:
    """Write ``<sequence><OBJID>.zip`` for ``spec`` into ``out_dir``."""
    spec.check()

    def build(target: Path) -> BuiltPackage:
        target.mkdir(parents=True, exist_ok=True)
        work = target / f".work-{spec.seed}-{spec.sequence}"
        shutil.rmtree(work, ignore_errors=True)
        try:
            staged = stage_package(spec, work, cache_dir=cache_dir)
            return write_zip(staged, target / staged.zip_name)
        finally:
            shutil.rmtree(work, ignore_errors=True)

    return memoised("good", spec, out_dir, build)


def derived_seed(*parts: object) -> int:
    text = "/".join(str(part) for part in parts)
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")


def stage_package(spec: PackageSpec, work: Path, *, cache_dir: Path | None = None) -> StagedPackage:
    """Write the whole package tree under ``work`` and return its description."""
    rng = random.Random(derived_seed("package", spec.seed))
    agency = spec.agency or rng.choice(AGENCIES)
    number = spec.dossier_number or _dossier_number(rng, agency)
    file_code = f"{agency.code}.{spec.year:04d}.{number}"
    parse_file_code(file_code)  # raises InvalidValueError on a malformed number
    identity = hashlib.sha256(f"{spec!r}|{file_code}".encode()).digest()[:16]
    objid = sip_objid(uuid.UUID(bytes=identity, version=4))
    root = work / objid
    pki, signer_content = agency_pki(agency, spec.year, cache_dir or default_cache_dir())
    days = sorted(
        dt.date(spec.year, 1, 2) + dt.timedelta(days=rng.randrange(340))
        for _ in range(spec.documents)
    )
    created_at = dt.datetime.combine(
        days[-1] + dt.timedelta(days=14), dt.time(16, 30), tzinfo=VIETNAM
    )
    staged = StagedPackage(
        spec=spec,
        root=root,
        objid=objid,
        file_code=file_code,
        agency=agency,
        pki=pki,
        created=timestamp(created_at),
        dossier=None,  # type: ignore[arg-type]  # set below, once the documents exist
        documents=[],
    )
    staged.data_dir.mkdir(parents=True)
    for sequence, day in enumerate(days, start=1):
        doc_rng = random.Random(derived_seed("document", spec.seed, sequence))
        content = make_document_content(
            derived_seed("content", spec.seed, sequence),
            pages=doc_rng.randint(spec.pages_min, spec.pages_max),
            agency=agency,
            issued_date=day,
        )
        content = dataclasses.replace(content, signer=signer_content.signer)
        level = _document_level(spec.confidence_level, sequence)
        document = StagedDocument(
            sequence=sequence,
            doc_id=str(DocId(parse_file_code(file_code), sequence)),
            content=content,
            confidence_level=level,
            record=None,
        )
        attachments = 0
        if level == ConfidenceLevel.BORN_DIGITAL and doc_rng.random() < spec.attachment_share:
            attachments = 1
        write_document_files(staged, document, attachments=attachments, rng=doc_rng)
        if sequence == 1 and spec.large_mb > 0:
            add_large_attachment(staged, document, spec.large_mb)
        document.record = document_record(staged, document)
        staged.documents.append(document)
    staged.dossier = dossier_record(staged, rng)
    _copy_schemas(root / "schemas")
    finalise(staged)
    return staged


def timestamp(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="milliseconds")


def _dossier_number(rng: random.Random, agency: Agency) -> str:
    units = [unit for unit in agency.drafting_units if unit.isascii()] or ["VP"]
    return f"{rng.randint(1, 60):02d}.{rng.choice(units)}"


def _document_level(level: ConfidenceLevel, sequence: int) -> ConfidenceLevel:
    if level == ConfidenceLevel.MIXED:  # every second document was digitised from paper
        return ConfidenceLevel.DIGITISED if sequence % 2 == 0 else ConfidenceLevel.BORN_DIGITAL
    return level


def agency_pki(agency: Agency, year: int, cache_dir: Path) -> tuple[SamplePki, DocumentContent]:
    """The PKI of an agency's signer for a year, and a content whose signer is that person."""
    seed = derived_seed("signer", agency.code, year)
    holder = make_document_content(seed, agency=agency, issued_date=dt.date(year, 1, 1))
    pki = build_test_pki(seed, PkiSubjects.of(holder), dt.date(year, 1, 1), cache_dir)
    return pki, holder


def main_file_name(staged: StagedPackage, sequence: int) -> str:
    return f"{staged.file_code}.{sequence}.pdf"


def attachment_file_name(
    staged: StagedPackage, sequence: int, ordinal: int, ext: str = "pdf"
) -> str:
    return f"{staged.file_code}.{sequence}.{ordinal}.{ext}"


def write_document_files(
    staged: StagedPackage,
    document: StagedDocument,
    *,
    attachments: int = 0,
    rng: random.Random | None = None,
    signature: SignatureChoice = "both",
    scan: ScanSettings | None = None,
) -> None:
    """Write (or rewrite) the document's main file and ``attachments`` attachment files."""
    content = document.content
    work = staged.root.parent / f"unsigned-{document.sequence}"
    work.mkdir(exist_ok=True)
    unsigned = work / "main.pdf"
    destination = staged.data_dir / main_file_name(staged, document.sequence)
    person_time, organisation_time = default_signing_times(content.issued_date)
    pki = staged.pki
    if document.confidence_level == ConfidenceLevel.DIGITISED:
        layout = write_scanned_pdf(content, unsigned, scan)
        if signature == "none":
            shutil.copyfile(unsigned, destination)
        else:
            sign_digitised(unsigned, destination, content, layout, organisation=pki.organisation)
    else:
        layout = write_document_pdf(content, unsigned)
        person = {
            "expired_person": pki.expired_person,
            "untrusted_person": pki.untrusted_person,
        }.get(signature, pki.person)
        if signature == "none":
            shutil.copyfile(unsigned, destination)
        else:
            organisation = None if signature == "person_only" else pki.organisation
            sign_main_document(
                unsigned, destination, content, layout, person=person, organisation=organisation
            )
    created = timestamp(organisation_time if signature != "none" else person_time)
    main = StagedFile(destination.name, PDF, created, pdf_pages(destination))
    kept = [item for item in document.files if item.name != destination.name]
    document.files = [main, *kept]
    page_rng = rng or random.Random(
        derived_seed("attachments", staged.spec.seed, document.sequence)
    )
    for ordinal in range(1, attachments + 1):
        pages = page_rng.randint(1, max(1, min(2, staged.spec.pages_max)))
        attachment = make_attachment_content(content, ordinal, pages=pages)
        name = attachment_file_name(staged, document.sequence, ordinal)
        _write_attachment(staged, attachment, work / f"attachment-{ordinal}.pdf", name)
        document.files.append(
            StagedFile(name, PDF, timestamp(organisation_time), pdf_pages(staged.data_dir / name))
        )
    shutil.rmtree(work, ignore_errors=True)


def _write_attachment(
    staged: StagedPackage, attachment: AttachmentContent, unsigned: Path, name: str
) -> None:
    layout = write_attachment_pdf(attachment, unsigned)
    sign_attachment(
        unsigned, staged.data_dir / name, attachment, layout, organisation=staged.pki.organisation
    )


def add_large_attachment(staged: StagedPackage, document: StagedDocument, megabytes: int) -> None:
    from ingest.sample.bigfile import write_large_attachment

    ordinal = len(document.files)  # attachments so far + 1
    name = attachment_file_name(staged, document.sequence, ordinal)
    attachment = make_attachment_content(document.content, ordinal, pages=1)
    work = staged.root.parent / f"large-{document.sequence}"
    work.mkdir(exist_ok=True)
    try:
        write_large_attachment(
            attachment, staged.data_dir / name, megabytes * 1024 * 1024, staged.pki, work
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    organisation_time = default_signing_times(document.content.issued_date)[1]
    document.files.append(
        StagedFile(name, PDF, timestamp(organisation_time), pdf_pages(staged.data_dir / name))
    )


def pdf_pages(path: Path) -> int:
    with pikepdf.open(path) as pdf:
        return len(pdf.pages)


def document_record(staged: StagedPackage, document: StagedDocument) -> DocumentRecord:
    content = document.content
    spec = staged.spec
    return DocumentRecord(
        docId=document.doc_id,
        docCode=str(DocCode(parse_file_code(staged.file_code), document.sequence)),
        maintenance=spec.maintenance.value,
        typeName=content.doc_type.type_code,
        codeNumber=content.code_number,
        codeNotation=content.code_notation,
        issuedDate=format_date(content.issued_date),
        organName=content.issuer_name,
        subject=content.subject,
        language="01",
        numberOfPage=str(sum(item.pages for item in document.files)),
        inforSign="",
        keyword="",
        mode=spec.mode.value,
        confidenceLevel=document.confidence_level.value,
        autograph="",
        format="Tốt",
        riskRecovery="0",
        riskRecoveryStatus="",
        # TT05: 1 for documents processed in the electronic system; digitised paper was not.
        process="1" if document.confidence_level == ConfidenceLevel.BORN_DIGITAL else "0",
        description="",
    )


def dossier_record(staged: StagedPackage, rng: random.Random) -> DossierRecord:
    spec = staged.spec
    documents = staged.documents
    first = documents[0].content
    subject = first.subject.removeprefix("Về việc ").removeprefix("V/v ")
    digitised = [d for d in documents if d.confidence_level == ConfidenceLevel.DIGITISED]
    paper_code = ""
    if digitised:
        paper_code = f"{staged.agency.code}.K{rng.randint(1, 9):02d}.H{rng.randint(1, 300):03d}"
        paper_code += f".{rng.randint(1, 999):03d}"
    creator = documents[0].content.signer
    return DossierRecord(
        fileCode=staged.file_code,
        title=f"Hồ sơ về {subject[0].lower()}{subject[1:]}",
        maintenance=spec.maintenance.value,
        mode=spec.mode.value,
        language="01",
        startDate=format_date(min(d.content.issued_date for d in documents)),
        endDate=format_date(max(d.content.issued_date for d in documents)),
        keyword="đầu tư công",
        totalDoc=str(sum(1 for d in documents if d.record is not None)),
        numberOfPaper=str(sum(d.files[0].pages for d in digitised)),
        numberOfPage=str(sum(int(d.record.numberOfPage) for d in documents if d.record)),
        format="Tốt",
        inforSign="",
        confidenceLevel=spec.confidence_level.value,
        paperFileCode=paper_code or "",
        riskRecovery="0",
        riskRecoveryStatus="",
        description=f"Người lập hồ sơ: {creator.full_name}, {staged.agency.name}",
    )


def _copy_schemas(schemas: Path) -> None:
    schemas.mkdir(parents=True, exist_ok=True)
    for name, source in SCHEMA_COPIES.items():
        shutil.copyfile(XSD_DIR / source, schemas / name)


def ead_path(staged: StagedPackage, sequence: int) -> Path:
    return staged.root / "representations/rep1/metadata/descriptive" / f"EAD_doc_{sequence}.xml"


def finalise(staged: StagedPackage) -> None:
    """Write every EAD and both METS from the staged records and files."""
    for document in staged.documents:
        if document.record is not None:
            path = ead_path(staged, document.sequence)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(document_xml(document.record))
    write_representation_mets(staged)
    dossier = staged.root / "metadata/descriptive/EAD.xml"
    dossier.parent.mkdir(parents=True, exist_ok=True)
    dossier.write_bytes(dossier_xml(staged.dossier))
    write_root_mets(staged)


def write_representation_mets(staged: StagedPackage) -> None:
    rep = staged.root / "representations/rep1"
    documents = []
    for document in staged.documents:
        ead = None
        if document.record is not None:
            ead = MetsFile(
                id=f"ead-doc-{document.sequence}",
                href=f"metadata/descriptive/EAD_doc_{document.sequence}.xml",
                path=ead_path(staged, document.sequence),
                mimetype="text/xml",
                created=staged.created,
            )
        files = tuple(
            MetsFile(
                id=_file_id(document.sequence, index),
                href=f"data/{item.name}",
                path=staged.data_dir / item.name,
                mimetype=item.mimetype,
                created=item.created,
            )
            for index, item in enumerate(document.files)
        )
        documents.append(MetsDocument(document.sequence, document.doc_id, ead, files))
    (rep / "METS.xml").write_bytes(
        representation_mets(
            objid=f"{staged.objid}_rep1",
            label=f"{staged.file_code} rep1",
            created=staged.created,
            software=SOFTWARE,
            agency_name=staged.agency.name,
            agency_code=staged.agency.code,
            documents=documents,
        )
    )


def _file_id(sequence: int, index: int) -> str:
    return f"file-{sequence}" if index == 0 else f"file-{sequence}-{index}"


def write_root_mets(staged: StagedPackage) -> None:
    root = staged.root
    schemas = [
        MetsFile(
            f"schema-{Path(name).stem}",
            f"schemas/{name}",
            root / "schemas" / name,
            "text/xml",
            staged.created,
        )
        for name in sorted(SCHEMA_COPIES)
    ]
    (root / "METS.xml").write_bytes(
        root_mets(
            objid=staged.objid,
            label=staged.dossier.title[:200],
            created=staged.created,
            software=SOFTWARE,
            agency_name=staged.agency.name,
            agency_code=staged.agency.code,
            submission_agreement=None,
            ead=MetsFile(
                "ead",
                "metadata/descriptive/EAD.xml",
                root / "metadata/descriptive/EAD.xml",
                "text/xml",
                staged.created,
            ),
            schemas=schemas,
            representation=MetsFile(
                "rep1-mets",
                "representations/rep1/METS.xml",
                root / "representations/rep1/METS.xml",
                "text/xml",
                staged.created,
            ),
        )
    )


def _zip_info(name: str, unix_mode: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_TIMESTAMP)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3  # Unix, so that external_attr carries the mode bits
    info.external_attr = unix_mode << 16
    return info


def _file_chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            yield chunk


def write_zip(
    staged: StagedPackage, zip_path: Path, extra: Iterable[ExtraEntry] = ()
) -> BuiltPackage:
    """Zip the staged tree (sorted entries, fixed timestamps, streamed) and describe it."""
    entries: dict[str, ExtraEntry | Path] = {
        path.relative_to(staged.root.parent).as_posix(): path
        for path in staged.root.rglob("*")
        if path.is_file()
    }
    for item in extra:
        entries[item.name] = item
    with zipfile.ZipFile(zip_path, "w", allowZip64=True) as archive:
        for name in sorted(entries):
            entry = entries[name]
            if isinstance(entry, Path):
                info, chunks, size = (
                    _zip_info(name, 0o100644),
                    _file_chunks(entry),
                    entry.stat().st_size,
                )
            else:
                info, size = _zip_info(name, entry.unix_mode), -1
                chunks = iter([entry.data]) if entry.data is not None else iter(entry.chunks or ())
            # Streamed entries of unknown size may be large: always allow ZIP64 for them.
            large = size < 0 or size >= zipfile.ZIP64_LIMIT
            with archive.open(info, "w", force_zip64=large) as target:
                for chunk in chunks:
                    target.write(chunk)
    size, checksum = digest(zip_path)
    prefix = f"{staged.objid}/representations/rep1/data/"
    documents = tuple(
        BuiltDocument(
            sequence=document.sequence,
            doc_id=document.doc_id,
            files=tuple(prefix + item.name for item in document.files),
            pages=sum(item.pages for item in document.files),
        )
        for document in staged.documents
    )
    return BuiltPackage(
        zip_path,
        staged.objid,
        staged.file_code,
        documents,
        checksum,
        size,
        staged.agency,
        staged.spec.year,
    )
