"""Digital signatures in PDF records, validated with pyHanko, and the NĐ 30/2020 signer rules.

Every signature of every PDF is validated against the trust anchors ``ctx.trust_roots_pem``
only (nothing is fetched; revocation is soft-fail), as of ``ctx.validation_time`` when given.
The verdict follows pyHanko's ``bottom_line``, not ``valid`` alone: a file with a byte changed
inside the signed range can still report ``valid=True`` while ``intact`` is False.

Per signature: ``SIG-INTEGRITY`` (digest or signature broken), ``SIG-MODIFIED`` (changes after
signing beyond signing/form filling, or a signature that does not cover its revision),
``SIG-CERT-EXPIRED`` / ``SIG-CERT-NOT-YET-VALID`` (at the signing time: the time-stamp if any,
else the time the signer claims), ``SIG-REVOKED``, ``SIG-UNTRUSTED`` (no path to a trust
anchor), ``SIG-WEAK-ALGORITHM`` (MD5/SHA-1 digest or an RSA key under 2048 bits),
``SIG-REVOCATION-UNKNOWN`` (no OCSP/CRL data available offline: a warning, indeterminate),
``SIG-INVALID`` (pyHanko judged it invalid for another reason) and ``SIG-VALID`` when it passes.

Per document (NĐ 30/2020 Điều 5 and 32, ``DocumentInfo`` from the package):
- born-digital (confidenceLevel 01): a valid signature of the competent person
  (``SIG-PERSON-MISSING``) AND one of the organisation (``SIG-ORG-MISSING``);
- an attachment in a separate file (``is_attachment``): the organisation's;
- digitised (02) and mixed (03) documents: the organisation's (its digitised part is a copy
  the organisation certifies; the person's signatures of born-digital parts are not required
  of the whole file);
- no signature at all: ``SIG-NONE``.
Person or organisation is decided by ``ingest.checks.signer_roles`` (``ctx.signer_recognition``).
Only signatures without any failure count towards these requirements.

Files that are not PDF are not validated (``SIG-NOT-CHECKED``, indeterminate warning); package
metadata files are skipped.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from asn1crypto import pem, x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko.sign.validation.errors import NoDSSFoundError
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from ingest.checks.signature_evidence import write_evidence
from ingest.checks.signer_roles import SignerRole, classify
from ingest.context import CheckContext, DocumentInfo, PackageFile
from ingest.findings import Finding, Outcome, Severity, rule
from metadata_schemas.format_policy import is_metadata_path

NAME = "signature"

WEAK_DIGESTS = frozenset({"md2", "md5", "sha1"})
MIN_RSA_BITS = 2048
ALLOWED_MODIFICATIONS = (
    ModificationLevel.NONE,
    ModificationLevel.LTA_UPDATES,
    ModificationLevel.FORM_FILLING,
)
ACCEPTED_COVERAGE = (SignatureCoverageLevel.ENTIRE_FILE, SignatureCoverageLevel.ENTIRE_REVISION)
SOURCE_ND30 = "NĐ 30/2020/NĐ-CP Điều 5, Điều 32"

SIG_NONE = rule(
    "SIG-NONE",
    Severity.ERROR,
    "Tài liệu không có chữ ký số",
    "The document has no digital signature",
    source=SOURCE_ND30,
)
SIG_INTEGRITY = rule(
    "SIG-INTEGRITY",
    Severity.ERROR,
    "Chữ ký số {field} không toàn vẹn: nội dung đã ký bị thay đổi hoặc chữ ký hỏng",
    "Signature {field} is broken: the signed content was changed or the signature is damaged",
    source=SOURCE_ND30,
)
SIG_MODIFIED = rule(
    "SIG-MODIFIED",
    Severity.ERROR,
    "Tài liệu bị sửa đổi sau khi ký ({field}) ngoài các thay đổi được phép",
    "The document was modified after signature {field} beyond the allowed changes",
    source=SOURCE_ND30,
)
SIG_UNTRUSTED = rule(
    "SIG-UNTRUSTED",
    Severity.ERROR,
    "Chứng thư số của chữ ký {field} không dẫn tới tổ chức chứng thực tin cậy ({reason})",
    "The certificate of signature {field} does not chain to a trusted root ({reason})",
    source="NĐ 23/2025/NĐ-CP; NĐ 68/2024/NĐ-CP",
)
SIG_CERT_EXPIRED = rule(
    "SIG-CERT-EXPIRED",
    Severity.ERROR,
    "Chứng thư số của chữ ký {field} đã hết hạn tại thời điểm ký ({signing_time})",
    "The certificate of signature {field} had expired at the signing time ({signing_time})",
    source="NĐ 23/2025/NĐ-CP",
)
SIG_CERT_NOT_YET_VALID = rule(
    "SIG-CERT-NOT-YET-VALID",
    Severity.ERROR,
    "Chứng thư số của chữ ký {field} chưa có hiệu lực tại thời điểm ký ({signing_time})",
    "The certificate of signature {field} was not yet valid at the signing time ({signing_time})",
    source="NĐ 23/2025/NĐ-CP",
)
SIG_REVOKED = rule(
    "SIG-REVOKED",
    Severity.ERROR,
    "Chứng thư số của chữ ký {field} đã bị thu hồi",
    "The certificate of signature {field} has been revoked",
    source="NĐ 23/2025/NĐ-CP",
)
SIG_WEAK_ALGORITHM = rule(
    "SIG-WEAK-ALGORITHM",
    Severity.ERROR,
    "Chữ ký {field} dùng thuật toán yếu: {algorithm}",
    "Signature {field} uses a weak algorithm: {algorithm}",
)
SIG_INVALID = rule(
    "SIG-INVALID",
    Severity.ERROR,
    "Chữ ký {field} không hợp lệ: {reason}",
    "Signature {field} is not valid: {reason}",
    source=SOURCE_ND30,
)
SIG_REVOCATION_UNKNOWN = rule(
    "SIG-REVOCATION-UNKNOWN",
    Severity.WARNING,
    "Không kiểm tra được tình trạng thu hồi chứng thư số của chữ ký {field} (không có OCSP/CRL)",
    "The revocation status of signature {field}'s certificate is unknown (no OCSP/CRL data)",
    outcome=Outcome.INDETERMINATE,
)
SIG_PERSON_MISSING = rule(
    "SIG-PERSON-MISSING",
    Severity.ERROR,
    "Thiếu chữ ký số hợp lệ của người có thẩm quyền",
    "A valid digital signature of the competent person is missing",
    source=SOURCE_ND30,
)
SIG_ORG_MISSING = rule(
    "SIG-ORG-MISSING",
    Severity.ERROR,
    "Thiếu chữ ký số hợp lệ của cơ quan, tổ chức",
    "A valid digital signature of the organisation is missing",
    source=SOURCE_ND30,
)
SIG_NOT_CHECKED = rule(
    "SIG-NOT-CHECKED",
    Severity.WARNING,
    "Không kiểm tra được chữ ký số: {reason}",
    "Digital signatures could not be checked: {reason}",
    outcome=Outcome.INDETERMINATE,
)
SIG_VALID = rule(
    "SIG-VALID",
    Severity.INFO,
    "Chữ ký số {field} hợp lệ ({role}: {signer})",
    "Signature {field} is valid ({role}: {signer})",
    outcome=Outcome.PASSED,
)


@dataclass
class SignatureOutcome:
    field_name: str
    role: SignerRole
    findings: list[Finding] = field(default_factory=list)
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def acceptable(self) -> bool:
        return not any(f.outcome is Outcome.FAILED for f in self.findings)


def trust_roots(ctx: CheckContext) -> list[x509.Certificate]:
    roots: list[x509.Certificate] = []
    for data in ctx.trust_roots_pem:
        if pem.detect(data):
            roots.extend(x509.Certificate.load(der) for _, _, der in pem.unarmor(data, True))
        else:
            roots.append(x509.Certificate.load(data))
    return roots


def _validation_context(
    ctx: CheckContext, roots: list[x509.Certificate], reader: PdfFileReader
) -> ValidationContext:
    kwargs: dict[str, Any] = {
        "trust_roots": roots,
        "allow_fetching": False,
        "revocation_mode": "soft-fail",
    }
    if ctx.validation_time is not None:
        kwargs["moment"] = ctx.validation_time
    try:
        # Revocation data and certificates the PDF carries (PAdES LTV) are used, never fetched.
        return DocumentSecurityStore.read_dss(reader).as_validation_context(kwargs)
    except NoDSSFoundError:
        return ValidationContext(**kwargs)


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _chain(status: PdfSignatureStatus, signature: EmbeddedPdfSignature) -> list[str]:
    if status.validation_path is not None:
        return [cert.subject.human_friendly for cert in status.validation_path.iter_certs(True)]
    return [signature.signer_cert.subject.human_friendly] + [
        cert.subject.human_friendly for cert in signature.other_embedded_certs
    ]


def _trust_problem(status: PdfSignatureStatus) -> str:
    indication = status.trust_problem_indic
    return "" if indication is None else str(getattr(indication, "name", indication))


def _timestamp(status: PdfSignatureStatus) -> dt.datetime | None:
    token = status.timestamp_validity
    if token is not None and token.intact and token.valid:
        return token.timestamp
    return None


def _signature_detail(
    signature: EmbeddedPdfSignature,
    status: PdfSignatureStatus,
    ctx: CheckContext,
    role: SignerRole,
    identifier: str | None,
) -> dict[str, Any]:
    cert = status.signing_cert
    signing_time = _timestamp(status) or status.signer_reported_dt
    diff = status.diff_result
    modification = status.modification_level
    public_key = cert.public_key
    return {
        "field": signature.field_name,
        "signer_subject": cert.subject.human_friendly,
        "signer_role": role.value,
        "signer_identifier": identifier,
        "issuer": cert.issuer.human_friendly,
        "issuer_chain": _chain(status, signature),
        "certificate_serial": format(cert.serial_number, "x"),
        "certificate_not_before": _iso(cert.not_valid_before),
        "certificate_not_after": _iso(cert.not_valid_after),
        "certificate_valid_at_signing_time": (
            None
            if signing_time is None
            else cert.not_valid_before <= signing_time <= cert.not_valid_after
        ),
        "signing_time_claimed": _iso(status.signer_reported_dt),
        "signing_time_timestamped": _iso(_timestamp(status)),
        "coverage": status.coverage.name if status.coverage else None,
        "whole_document": status.coverage is SignatureCoverageLevel.ENTIRE_FILE,
        "modification_level": modification.name if modification else None,
        "changed_form_fields": sorted(getattr(diff, "changed_form_fields", None) or []),
        "suspicious_modification": None
        if diff is None or hasattr(diff, "modification_level")
        else str(diff),
        "docmdp_ok": status.docmdp_ok,
        "digest_algorithm": status.md_algorithm,
        "signature_algorithm": status.pkcs7_signature_mechanism,
        "public_key": f"{public_key.algorithm} {public_key.bit_size}",
        "intact": status.intact,
        "valid": status.valid,
        "trusted": status.trusted,
        "trust_problem": _trust_problem(status) or None,
        "revoked": status.revocation_details is not None,
        "bottom_line": status.bottom_line,
        "summary": status.summary(),
        "validation_time": _iso(ctx.validation_time) or "now",
    }


def _weak_algorithms(status: PdfSignatureStatus) -> list[str]:
    weak = []
    if status.md_algorithm.lower() in WEAK_DIGESTS:
        weak.append(status.md_algorithm)
    key = status.signing_cert.public_key
    if key.algorithm == "rsa" and key.bit_size < MIN_RSA_BITS:
        weak.append(f"RSA {key.bit_size} bit")
    return weak


def _judge(
    path: str, status: PdfSignatureStatus, detail: dict[str, Any], vc: ValidationContext
) -> list[Finding]:
    """Findings for one signature from pyHanko's status (the caller adds SIG-VALID)."""
    name = str(detail["field"])
    sig = {"signature": detail}
    findings: list[Finding] = []
    weak = _weak_algorithms(status)
    if weak:
        findings.append(SIG_WEAK_ALGORITHM.finding(path, field=name, algorithm=", ".join(weak)))
    if not status.intact or (not status.valid and not weak):
        findings.append(SIG_INTEGRITY.finding(path, field=name, **sig))
    if (
        status.modification_level not in ALLOWED_MODIFICATIONS
        or status.docmdp_ok is False
        or status.coverage not in ACCEPTED_COVERAGE
    ):
        findings.append(SIG_MODIFIED.finding(path, field=name, **sig))
    signing_time = status.signer_reported_dt
    stamped = _timestamp(status)
    reference = stamped or signing_time
    cert = status.signing_cert
    time_problem = False
    if reference is not None and reference > cert.not_valid_after:
        findings.append(SIG_CERT_EXPIRED.finding(path, field=name, signing_time=_iso(reference)))
        time_problem = True
    elif reference is not None and reference < cert.not_valid_before:
        findings.append(
            SIG_CERT_NOT_YET_VALID.finding(path, field=name, signing_time=_iso(reference))
        )
        time_problem = True
    indicator = _trust_problem(status)
    broken = not status.intact or not status.valid
    if status.revocation_details is not None or "REVOKED" in indicator:
        findings.append(SIG_REVOKED.finding(path, field=name, **sig))
    # pyHanko does not evaluate the chain of a broken signature: no separate trust finding.
    elif not status.trusted and not time_problem and not broken:
        reason = indicator or "no path to a trust anchor"
        findings.append(SIG_UNTRUSTED.finding(path, field=name, reason=reason, **sig))
    if not status.bottom_line and not any(f.outcome is Outcome.FAILED for f in findings):
        findings.append(SIG_INVALID.finding(path, field=name, reason=status.summary(), **sig))
    if status.trusted and not (list(vc.ocsps) or list(vc.crls)):
        findings.append(SIG_REVOCATION_UNKNOWN.finding(path, field=name, **sig))
    return findings


@contextmanager
def _quiet_validation_logs() -> Iterator[None]:
    # certvalidator logs a full traceback for every untrusted chain; the finding says it all.
    loggers = [logging.getLogger(name) for name in ("pyhanko", "pyhanko_certvalidator")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def _validate_one(
    path: str,
    signature: EmbeddedPdfSignature,
    reader: PdfFileReader,
    ctx: CheckContext,
    roots: list[x509.Certificate],
    evidence: list[Any],
) -> SignatureOutcome:
    name = signature.field_name
    vc = _validation_context(ctx, roots, reader)
    if signature.sig_object_type == "/DocTimeStamp":
        ts_status = validate_pdf_timestamp(signature, validation_context=vc)
        detail = {"field": name, "type": "document timestamp", "summary": ts_status.summary()}
        if ts_status.intact and ts_status.valid and ts_status.trusted:
            return SignatureOutcome(name, SignerRole.UNKNOWN, [], detail)
        finding = SIG_INVALID.finding(path, field=name, reason=ts_status.summary())
        return SignatureOutcome(name, SignerRole.UNKNOWN, [finding], detail)
    status = validate_pdf_signature(signature, vc)
    identity = classify(status.signing_cert, ctx.signer_recognition)
    detail = _signature_detail(signature, status, ctx, identity.role, identity.identifier)
    findings = _judge(path, status, detail, vc)
    outcome = SignatureOutcome(name, identity.role, findings, detail)
    if outcome.acceptable:
        outcome.findings.append(
            SIG_VALID.finding(
                path,
                field=name,
                role=identity.role.value,
                signer=status.signing_cert.subject.human_friendly,
                signature=detail,
            )
        )
    evidence.append(status.signing_cert)
    evidence.extend(signature.other_embedded_certs)
    if status.validation_path is not None:
        evidence.extend(status.validation_path.iter_certs(True))
    evidence.append(vc)
    return outcome


def required_roles(document: DocumentInfo | None) -> tuple[SignerRole, ...]:
    if document is None:
        return ()
    if document.is_attachment or document.confidence_level in ("02", "03"):
        return (SignerRole.ORGANISATION,)
    if document.confidence_level == "01":
        return (SignerRole.PERSON, SignerRole.ORGANISATION)
    return ()


def _is_pdf(path: Path) -> bool:
    with path.open("rb") as stream:
        return b"%PDF-" in stream.read(1024)


def check_file(item: PackageFile, ctx: CheckContext) -> list[Finding]:
    path = item.logical_path
    try:
        if not _is_pdf(item.path):
            return [SIG_NOT_CHECKED.finding(path, reason="only PDF (PAdES) signatures are read")]
    except OSError as exc:
        return [SIG_NOT_CHECKED.finding(path, reason=f"unreadable: {exc}")]
    try:
        roots = trust_roots(ctx)
    except ValueError as exc:
        return [SIG_NOT_CHECKED.finding(path, reason=f"bad trust anchor: {exc}")]
    findings: list[Finding] = []
    outcomes: list[SignatureOutcome] = []
    evidence: list[Any] = []
    with item.path.open("rb") as stream, _quiet_validation_logs():
        try:
            reader = PdfFileReader(stream, strict=False)
            signatures = list(reader.embedded_signatures)
        except Exception as exc:  # a malformed PDF can fail anywhere in the parser
            return [SIG_NOT_CHECKED.finding(path, reason=f"PDF not readable: {exc}")]
        if not signatures:
            return [SIG_NONE.finding(path)]
        for signature in signatures:
            try:
                outcome = _validate_one(path, signature, reader, ctx, roots, evidence)
            except Exception as exc:  # one damaged signature must not hide the others
                reason = f"{signature.field_name}: {type(exc).__name__}: {exc}"
                findings.append(SIG_NOT_CHECKED.finding(path, reason=reason))
                continue
            outcomes.append(outcome)
            findings.extend(outcome.findings)
    valid_roles = {o.role for o in outcomes if o.acceptable}
    for role in required_roles(item.document):
        if role not in valid_roles:
            missing = SIG_PERSON_MISSING if role is SignerRole.PERSON else SIG_ORG_MISSING
            findings.append(missing.finding(path, signers=[o.detail for o in outcomes]))
    if ctx.evidence_dir is not None:
        _keep_evidence(ctx.evidence_dir, path, outcomes, evidence)
    return findings


def _keep_evidence(
    evidence_dir: Path, path: str, outcomes: list[SignatureOutcome], seen: list[Any]
) -> None:
    certificates = [item for item in seen if isinstance(item, x509.Certificate)]
    contexts = [item for item in seen if isinstance(item, ValidationContext)]
    ocsps = [response for vc in contexts for response in vc.ocsps]
    crls = [crl for vc in contexts for crl in vc.crls]
    records = [
        {**o.detail, "findings": [f.code for f in o.findings], "acceptable": o.acceptable}
        for o in outcomes
    ]
    write_evidence(evidence_dir, path, records, certificates, ocsps, crls)


def check_files(files: Sequence[PackageFile], ctx: CheckContext) -> list[Finding]:
    findings: list[Finding] = []
    for item in files:
        if is_metadata_path(item.logical_path):
            continue
        findings.extend(check_file(item, ctx))
    return findings
