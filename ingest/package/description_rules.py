"""Rules over a package's EAD.xml and EAD_doc values (REFERENCE.md §2.3, §3.4, §9).

Identifiers: the QĐ20 organisation code, fileCode, docId and docCode composition, and the
submitting agency. Values: dates and their order, code lists, riskRecovery, paperFileCode,
process, retention, and uniqueness of (số, ký hiệu, cơ quan ban hành, năm). A value the XSD
already rejected is not reported again (``invalid`` holds those (file, element) pairs).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from ingest.findings import Finding, Outcome, Severity, rule
from ingest.package.model import Description, Package
from metadata_schemas import codelists
from metadata_schemas.dates import parse_date
from metadata_schemas.enums import Maintenance
from metadata_schemas.errors import InvalidValueError
from metadata_schemas.identifiers import (
    DOC_ID_MAX_LENGTH,
    doc_id_within_limit,
    parse_file_code,
    parse_organisation_code,
)
from metadata_schemas.retention import is_longer, retention_from_code

SOURCE_TT05 = "TT 05/2025/TT-BNV Phụ lục III"
SOURCE_QD20 = "QĐ 20/2020/QĐ-TTg (mã định danh cơ quan)"
CODE_LISTS = {
    "maintenance": codelists.MAINTENANCE.code_values(),
    "mode": codelists.MODE.code_values(),
    "language": codelists.LANGUAGE.code_values(),
    "confidenceLevel": codelists.CONFIDENCE_LEVEL.code_values(),
    "typeName": codelists.TYPE_NAME.code_values(),
    "riskRecovery": ("0", "1"),
    "riskRecoveryStatus": codelists.RISK_RECOVERY_STATUS.code_values(),
    "process": ("0", "1"),
}
Invalid = set[tuple[str | None, object]]


META_ORG_CODE_FORMAT = rule(
    "META-ORG-CODE-FORMAT",
    Severity.ERROR,
    "Mã định danh cơ quan «{value}» ({where}) không đúng QĐ 20/2020: {reason}",
    "Organisation code «{value}» ({where}) does not follow QĐ 20/2020: {reason}",
    source=SOURCE_QD20,
)
META_AGENCY_MISMATCH = rule(
    "META-AGENCY-MISMATCH",
    Severity.ERROR,
    "Mã cơ quan «{value}» ({where}) khác cơ quan gửi gói «{agency}»",
    "Organisation code «{value}» ({where}) is not the submitting agency «{agency}»",
    source=SOURCE_QD20,
)
META_FILE_CODE = rule(
    "META-FILE-CODE",
    Severity.ERROR,
    "Mã hồ sơ «{value}» không gồm mã cơ quan + năm + số và ký hiệu hồ sơ: {reason}",
    "fileCode «{value}» is not organisation code + year + dossier number: {reason}",
    source="NĐ 30/2020 Phụ lục VI; " + SOURCE_TT05,
)
META_DOC_ID = rule(
    "META-DOC-ID",
    Severity.ERROR,
    'docId «{value}» phải là mã hồ sơ + "." + số thứ tự ({expected})',
    'docId «{value}» must be the fileCode + "." + the sequence ({expected})',
    source=SOURCE_TT05,
)
META_DOC_ID_LENGTH = rule(
    "META-DOC-ID-LENGTH",
    Severity.WARNING,
    "docId dài {length} ký tự, quá {limit} ký tự TT05 quy định (TT05 tự mâu thuẫn: mã hồ sơ đã "
    "dài hơn); chấp nhận, chờ lưu trữ tiếp nhận xác nhận",
    "docId is {length} characters, over TT05's {limit} (TT05 contradicts itself: the fileCode "
    "alone is longer); accepted until the receiving archive decides",
    source=SOURCE_TT05 + "; metadata_schemas/identifiers.py",
)
META_DOC_CODE = rule(
    "META-DOC-CODE",
    Severity.ERROR,
    'docCode «{value}» phải là mã hồ sơ + "." + số thứ tự 7 chữ số ({expected})',
    'docCode «{value}» must be the fileCode + "." + a 7-digit sequence ({expected})',
    source=SOURCE_TT05,
)
META_DATE_FORMAT = rule(
    "META-DATE-FORMAT",
    Severity.ERROR,
    "{element} «{value}» không phải ngày DD/MM/YYYY có thật",
    "{element} «{value}» is not a real DD/MM/YYYY date",
    source=SOURCE_TT05,
)
META_DATE_ORDER = rule(
    "META-DATE-ORDER",
    Severity.ERROR,
    "Thời gian bắt đầu ({start}) sau thời gian kết thúc ({end})",
    "startDate ({start}) is after endDate ({end})",
    source=SOURCE_TT05,
)
META_ISSUED_OUTSIDE_SPAN = rule(
    "META-ISSUED-OUTSIDE-SPAN",
    Severity.ERROR,
    "Ngày tài liệu {issued} nằm ngoài thời gian của hồ sơ ({start} – {end})",
    "The document date {issued} is outside the dossier's span ({start} – {end})",
    source="NĐ 30/2020 Phụ lục VI; " + SOURCE_TT05,
)
META_CODE_VALUE = rule(
    "META-CODE-VALUE",
    Severity.ERROR,
    "{element} có giá trị «{value}» không thuộc danh mục mã",
    "{element} has the value «{value}», which is not in its code list",
    source=SOURCE_TT05,
)
META_RISK_RECOVERY = rule(
    "META-RISK-RECOVERY",
    Severity.ERROR,
    "riskRecoveryStatus phải có khi và chỉ khi riskRecovery = 1 (riskRecovery={risk}, "
    "riskRecoveryStatus=«{status}»)",
    "riskRecoveryStatus is required if and only if riskRecovery = 1 (riskRecovery={risk}, "
    "riskRecoveryStatus=«{status}»)",
    source=SOURCE_TT05,
)
META_PAPER_FILE_CODE = rule(
    "META-PAPER-FILE-CODE",
    Severity.ERROR,
    "Hồ sơ số hóa hoặc hỗn hợp (confidenceLevel {level}) phải có paperFileCode",
    "A digitised or mixed dossier (confidenceLevel {level}) needs a paperFileCode",
    source=SOURCE_TT05,
)
META_PROCESS_FLAG = rule(
    "META-PROCESS-FLAG",
    Severity.ERROR,
    "Tài liệu gốc điện tử phải có process = 1 (kèm tệp quy trình xử lý), đang là «{value}»",
    "A born-digital document needs process = 1 (processing trail attached), found «{value}»",
    source=SOURCE_TT05 + "; NĐ 30/2020 Phụ lục VI III.5.a",
)
META_PROCESS_FLAG_MIXED = rule(
    "META-PROCESS-FLAG-MIXED",
    Severity.WARNING,
    "Tài liệu hỗn hợp nên có process = 1 nếu được xử lý trên hệ thống, đang là «{value}»",
    "A mixed document should have process = 1 if it was handled in a system, found «{value}»",
    source=SOURCE_TT05,
)
META_RETENTION_LONGER = rule(
    "META-RETENTION-LONGER",
    Severity.ERROR,
    "Thời hạn lưu trữ của tài liệu ({document}) dài hơn của hồ sơ ({dossier})",
    "The document's retention ({document}) is longer than the dossier's ({dossier})",
    source="TT 10/2022/TT-BNV; " + SOURCE_TT05,
)
META_RETENTION_UNDECIDED = rule(
    "META-RETENTION-UNDECIDED",
    Severity.WARNING,
    "Không so sánh được thời hạn lưu trữ của tài liệu ({document}) với hồ sơ ({dossier}): mã 07",
    "The document's retention ({document}) cannot be compared with the dossier's ({dossier}): "
    "code 07",
    outcome=Outcome.INDETERMINATE,
    source=SOURCE_TT05,
)
META_DUPLICATE_NUMBER = rule(
    "META-DUPLICATE-NUMBER",
    Severity.ERROR,
    "Trùng số, ký hiệu, cơ quan ban hành và năm với tài liệu {other}: {number}/{notation}",
    "Same number, symbol, issuer and year as document {other}: {number}/{notation}",
    source="NĐ 30/2020 Điều 15, Phụ lục VI",
)


def _organisation(value: str, where: str, agency: str | None, path: str) -> list[Finding]:
    try:
        parse_organisation_code(value)
    except InvalidValueError as error:
        return [META_ORG_CODE_FORMAT.finding(path, value=value, where=where, reason=str(error))]
    if agency is not None and value != agency:
        return [META_AGENCY_MISMATCH.finding(path, value=value, where=where, agency=agency)]
    return []


def identifiers_findings(package: Package, agency: str | None) -> list[Finding]:
    findings = []
    mets_code = package.agency_code()
    if mets_code:
        findings.extend(
            _organisation(mets_code, "METS agent IDENTIFICATIONCODE", agency, "METS.xml")
        )
    dossier = package.dossier
    if dossier is None or not dossier.file_code:
        return findings
    file_code = dossier.file_code
    organisation = ".".join(file_code.split(".")[:4])
    org_findings = _organisation(organisation, "fileCode", agency, dossier.path)
    findings.extend(org_findings)
    if not org_findings:
        try:
            parse_file_code(file_code)
        except InvalidValueError as error:
            findings.append(
                META_FILE_CODE.finding(dossier.path, value=file_code, reason=str(error))
            )
    for document in package.documents:
        description = document.description
        if description is None:
            continue
        path, n = description.path, document.sequence
        doc_id = description.text("docId")
        expected = f"{file_code}.{n}"
        if doc_id != expected or (document.label and document.label != doc_id):
            findings.append(
                META_DOC_ID.finding(path, value=doc_id, expected=expected, div_label=document.label)
            )
        if not doc_id_within_limit(doc_id):
            findings.append(
                META_DOC_ID_LENGTH.finding(path, length=len(doc_id), limit=DOC_ID_MAX_LENGTH)
            )
        doc_code, expected_code = description.text("docCode"), f"{file_code}.{n:07d}"
        if doc_code != expected_code:
            findings.append(META_DOC_CODE.finding(path, value=doc_code, expected=expected_code))
    return findings


def _descriptions(package: Package) -> Iterator[Description]:
    if package.dossier is not None:
        yield package.dossier
    for document in package.documents:
        if document.description is not None:
            yield document.description


def _date(
    description: Description, name: str, invalid: Invalid, out: list[Finding]
) -> dt.date | None:
    value = description.text(name)
    if not value or (description.path, name) in invalid:
        return None
    try:
        return parse_date(value)
    except InvalidValueError:
        out.append(META_DATE_FORMAT.finding(description.path, element=name, value=value))
        return None


def _dates(package: Package, invalid: Invalid) -> list[Finding]:
    findings: list[Finding] = []
    start = end = None
    if package.dossier is not None:
        start = _date(package.dossier, "startDate", invalid, findings)
        end = _date(package.dossier, "endDate", invalid, findings)
        if start and end and start > end:
            findings.append(
                META_DATE_ORDER.finding(package.dossier.path, start=str(start), end=str(end))
            )
    for document in package.documents:
        if document.description is None:
            continue
        issued = _date(document.description, "issuedDate", invalid, findings)
        if issued and start and end and not start <= issued <= end:
            findings.append(
                META_ISSUED_OUTSIDE_SPAN.finding(
                    document.description.path, issued=str(issued), start=str(start), end=str(end)
                )
            )
    return findings


def _code_values(package: Package, invalid: Invalid) -> list[Finding]:
    findings = []
    for description in _descriptions(package):
        for name, allowed in CODE_LISTS.items():
            if name not in description.fields or (description.path, name) in invalid:
                continue
            value = description.text(name)
            values = value.split() if name == "language" else [value]
            optional_empty = name == "riskRecoveryStatus" and not value
            if not optional_empty and (not values or any(v not in allowed for v in values)):
                findings.append(
                    META_CODE_VALUE.finding(description.path, element=name, value=value)
                )
    return findings


def _cross_fields(package: Package) -> list[Finding]:
    findings = []
    dossier_level = package.dossier.confidence_level if package.dossier else ""
    for description in _descriptions(package):
        risk, status = description.text("riskRecovery"), description.text("riskRecoveryStatus")
        if (risk == "1") != bool(status):
            findings.append(META_RISK_RECOVERY.finding(description.path, risk=risk, status=status))
        if description is not package.dossier:
            level = description.confidence_level or dossier_level
            process = description.text("process")
            if level == "01" and process != "1":
                findings.append(META_PROCESS_FLAG.finding(description.path, value=process))
            elif level == "03" and process != "1":
                findings.append(META_PROCESS_FLAG_MIXED.finding(description.path, value=process))
    dossier = package.dossier
    if dossier is not None and dossier_level in ("02", "03") and not dossier.text("paperFileCode"):
        findings.append(META_PAPER_FILE_CODE.finding(dossier.path, level=dossier_level))
    return findings


def _retention(package: Package) -> list[Finding]:
    dossier = package.dossier
    if dossier is None or dossier.maintenance not in CODE_LISTS["maintenance"]:
        return []
    findings = []
    for document in package.documents:
        code = document.description.maintenance if document.description else ""
        if code not in CODE_LISTS["maintenance"] or document.description is None:
            continue
        if Maintenance.OTHER in (code, dossier.maintenance):
            if code != dossier.maintenance:
                findings.append(
                    META_RETENTION_UNDECIDED.finding(
                        document.description.path, document=code, dossier=dossier.maintenance
                    )
                )
            continue
        longer = is_longer(
            retention_from_code(Maintenance(code)),
            retention_from_code(Maintenance(dossier.maintenance)),
        )
        if longer:
            findings.append(
                META_RETENTION_LONGER.finding(
                    document.description.path, document=code, dossier=dossier.maintenance
                )
            )
    return findings


def _uniqueness(package: Package) -> list[Finding]:
    findings = []
    seen: dict[tuple[str, str, str, str], str] = {}
    for document in package.documents:
        description = document.description
        if description is None or not description.text("codeNumber"):
            continue
        issued = description.text("issuedDate")
        key = (
            description.text("codeNumber"),
            description.text("codeNotation"),
            " ".join(description.text("organName").casefold().split()),
            issued[-4:],
        )
        if key in seen:
            findings.append(
                META_DUPLICATE_NUMBER.finding(
                    description.path, other=seen[key], number=key[0], notation=key[1]
                )
            )
        else:
            seen[key] = document.doc_id
    return findings


def values_findings(package: Package, invalid: Invalid) -> list[Finding]:
    return (
        _dates(package, invalid)
        + _code_values(package, invalid)
        + _cross_fields(package)
        + _retention(package)
        + _uniqueness(package)
    )
