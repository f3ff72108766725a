"""Metadata checks (``META-…``) and state-secret checks (``SEC-…``) of a SIP_hoso.

EAD.xml and every EAD_doc are validated against the shipped XSDs, then the cross-field rules of
REFERENCE.md §9 are applied: identifiers (QĐ20 organisation code, fileCode, docId, docCode),
dates, code values, counts against what the package really holds (pages read with pikepdf),
riskRecovery/paperFileCode/process rules, retention, uniqueness of (số, ký hiệu, cơ quan, năm).
State secrets (mode 03, or a MẬT / TỐI MẬT / TUYỆT MẬT mark in the metadata or on a document's
first page) are ``SEC-…`` errors; the caller deletes the bytes, this module only reports.
"""

from __future__ import annotations

from pathlib import Path

from ingest.findings import Finding, Outcome, Severity, rule
from ingest.package.description_rules import identifiers_findings, values_findings
from ingest.package.model import Description, Package
from ingest.package.pdf_facts import first_page_text, page_count
from metadata_schemas.marks import find_secrecy_marks
from metadata_schemas.schemas import validate

SOURCE_SECRETS = "Luật Bảo vệ bí mật nhà nước 2018 Điều 5; NĐ 30/2020 Phụ lục I (REFERENCE §8)"
MARKED_FIELDS = ("title", "subject", "description", "keyword")
MAX_SCHEMA_FINDINGS = 100

META_SCHEMA = rule(
    "META-SCHEMA",
    Severity.ERROR,
    "Tệp đặc tả không hợp lệ theo lược đồ {schema} (dòng {line}, phần tử {element}): {reason}",
    "The description is not valid against schema {schema} (line {line}, element {element}): "
    "{reason}",
    source="TT 05/2025/TT-BNV Phụ lục III",
)
META_TOTAL_DOC = rule(
    "META-TOTAL-DOC",
    Severity.ERROR,
    "totalDoc ghi {declared} nhưng gói có {actual} tài liệu",
    "totalDoc says {declared} but the package holds {actual} documents",
    source="TT 05/2025/TT-BNV Phụ lục III",
)
META_PAGE_COUNT = rule(
    "META-PAGE-COUNT",
    Severity.ERROR,
    "numberOfPage ({level}) ghi {declared} nhưng các tệp PDF có {actual} trang",
    "numberOfPage ({level}) says {declared} but the PDF files have {actual} pages",
    source="TT 05/2025/TT-BNV Phụ lục III",
)
META_PAGE_COUNT_UNKNOWN = rule(
    "META-PAGE-COUNT-UNKNOWN",
    Severity.ERROR,
    "Không đếm được số trang của tệp để đối chiếu numberOfPage: {reason}",
    "The file's pages could not be counted to check numberOfPage: {reason}",
    outcome=Outcome.INDETERMINATE,
)
META_CHECK_FAILED = rule(
    "META-CHECK-FAILED",
    Severity.ERROR,
    "Kiểm tra đặc tả không hoàn thành: {reason}",
    "The metadata check did not finish: {reason}",
    outcome=Outcome.INDETERMINATE,
)
SEC_MODE_03 = rule(
    "SEC-MODE-03",
    Severity.ERROR,
    "Chế độ sử dụng là 03 (Mật) ở {where}: tài liệu mật không được đưa vào hệ thống kết nối mạng",
    "Access regime is 03 (secret) in {where}: secret records may not enter a networked system",
    source=SOURCE_SECRETS,
)
SEC_MARKED = rule(
    "SEC-MARKED",
    Severity.ERROR,
    "Phát hiện dấu mức độ mật «{mark}» ở {where}: tài liệu mật không được đưa vào hệ thống "
    "kết nối mạng",
    "Secrecy mark «{mark}» found in {where}: secret records may not enter a networked system",
    source=SOURCE_SECRETS,
)
SEC_NOT_CHECKED = rule(
    "SEC-NOT-CHECKED",
    Severity.WARNING,
    "Không tìm được dấu mức độ mật trên trang đầu của tệp (không trích được văn bản): {reason}",
    "Secrecy marks could not be looked for on the file's first page (no text extracted): {reason}",
    outcome=Outcome.INDETERMINATE,
    source=SOURCE_SECRETS,
)


def _schema_findings(description: Description, schema: str) -> list[Finding]:
    errors = validate(schema, description.tree)
    return [
        META_SCHEMA.finding(
            description.path,
            schema=schema,
            line=error.line,
            element=error.path.rpartition("/")[2] or "?",
            reason=error.message,
        )
        for error in errors[:MAX_SCHEMA_FINDINGS]
    ]


def _secrets_in(description: Description, level: str) -> list[Finding]:
    findings = []
    if description.mode == "03":
        where = f"{level} ({description.path}, mode)"
        findings.append(SEC_MODE_03.finding(description.path, where=where, field="mode"))
    for name in MARKED_FIELDS:
        for found in find_secrecy_marks(description.text(name)):
            where = f"{level} ({description.path}, {name})"
            findings.append(
                SEC_MARKED.finding(description.path, mark=found.mark.value, where=where, field=name)
            )
    return findings


def _secrets_on_first_pages(package: Package) -> list[Finding]:
    findings = []
    for document in package.documents:
        for ref in document.files:
            path = package.root / ref.path if ref.path else None
            if path is None or not path.is_file() or ref.mimetype != "application/pdf":
                continue
            text, reason = first_page_text(path)
            if text is None or not text.strip():
                findings.append(SEC_NOT_CHECKED.finding(ref.path, reason=reason or "empty page"))
                continue
            for found in find_secrecy_marks(text):
                where = f"trang đầu / first page of {ref.path}"
                findings.append(
                    SEC_MARKED.finding(ref.path, mark=found.mark.value, where=where, field="pdf")
                )
    return findings


def _page_findings(package: Package) -> list[Finding]:
    findings: list[Finding] = []
    dossier_total: int | None = 0
    for document in package.documents:
        pages: int | None = 0
        for ref in document.files:
            counted, reason = page_count(package.root / ref.path) if ref.path else (None, "no path")
            if counted is None:
                findings.append(META_PAGE_COUNT_UNKNOWN.finding(ref.path, reason=reason))
                pages = None
            elif pages is not None:
                pages += counted
        declared = document.description.number_of_page if document.description else None
        if pages is not None and declared is not None and declared != pages:
            findings.append(
                META_PAGE_COUNT.finding(
                    document.ead_path, level=document.doc_id, declared=declared, actual=pages
                )
            )
        dossier_total = None if pages is None or dossier_total is None else dossier_total + pages
    declared = package.dossier.number_of_page if package.dossier else None
    if dossier_total is not None and declared is not None and declared != dossier_total:
        findings.append(
            META_PAGE_COUNT.finding(
                package.dossier.path if package.dossier else None,
                level="hồ sơ / dossier",
                declared=declared,
                actual=dossier_total,
            )
        )
    return findings


def _counts(package: Package) -> list[Finding]:
    dossier = package.dossier
    if dossier is None:
        return []
    declared = dossier.number("totalDoc")
    if declared is not None and declared != len(package.documents):
        return [
            META_TOTAL_DOC.finding(dossier.path, declared=declared, actual=len(package.documents))
        ]
    return []


def _check(package: Package, agency_code: str | None) -> list[Finding]:
    findings: list[Finding] = []
    descriptions = [d.description for d in package.documents if d.description is not None]
    if package.dossier is not None:
        findings.extend(_schema_findings(package.dossier, "EAD_SIP"))
        findings.extend(_secrets_in(package.dossier, "hồ sơ / dossier"))
    for description in descriptions:
        findings.extend(_schema_findings(description, "EAD_doc_SIP"))
        findings.extend(_secrets_in(description, "tài liệu / document"))
    findings.extend(_secrets_on_first_pages(package))
    invalid = {(f.path, f.detail.get("element")) for f in findings if f.code == "META-SCHEMA"}
    findings.extend(identifiers_findings(package, agency_code))
    findings.extend(values_findings(package, invalid))
    findings.extend(_counts(package))
    findings.extend(_page_findings(package))
    return findings


def check_metadata(package: Package, root: Path, *, agency_code: str | None) -> list[Finding]:
    """Every ``META-…`` and ``SEC-…`` finding of the package read from ``root``; never raises."""
    package.root = Path(root)
    try:
        return _check(package, agency_code)
    except Exception as error:  # a crash is a check that did not finish, not a pass
        return [META_CHECK_FAILED.finding(reason=f"{type(error).__name__}: {error}")]
