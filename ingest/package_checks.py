"""Package checks (``PKG-…``): METS conformance, fixity and completeness of a SIP_hoso.

* the root and representation METS against the METS schema, E-ARK CSIP and LAYOUT.md
  (``ingest.package.conformance``);
* every listed file exists, with the listed size and SHA-256; nothing unlisted is present;
* the representation METS is listed, consistent, and pairs every document file with its
  EAD_doc; the package is a SIP.
Hashes are computed in chunks.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

from ingest.findings import Finding, Outcome, Severity, rule
from ingest.package.conformance import SOURCE_CSIP, SOURCE_TT05, check_mets
from ingest.package.model import FileRef, MetsDocument, Package
from ingest.unpack import PKG_LINK
from metadata_schemas.errors import InvalidValueError
from metadata_schemas.identifiers import parse_sip_objid

CHUNK = 1024 * 1024

PKG_NOT_SIP = rule(
    "PKG-NOT-SIP",
    Severity.ERROR,
    "Gói nộp vào phải là SIP (csip:OAISPACKAGETYPE = SIP), gói này là {value}",
    "A submitted package must be a SIP (csip:OAISPACKAGETYPE = SIP); this one is {value}",
    source=SOURCE_TT05,
)
PKG_OBJID_MISMATCH = rule(
    "PKG-OBJID-MISMATCH",
    Severity.ERROR,
    "Tên thư mục gốc ({folder}) khác OBJID của METS ({objid})",
    "The top folder name ({folder}) differs from the METS OBJID ({objid})",
    source=SOURCE_CSIP + " CSIP1",
)
PKG_FILE_MISSING = rule(
    "PKG-FILE-MISSING",
    Severity.ERROR,
    "Tệp được liệt kê trong {listed_in} không có trong gói",
    "A file listed in {listed_in} is not in the package",
)
PKG_SIZE_MISMATCH = rule(
    "PKG-SIZE-MISMATCH",
    Severity.ERROR,
    "Kích thước tệp khác với METS: khai báo {expected}, thực tế {actual} byte",
    "The file size differs from the METS: {expected} declared, {actual} bytes found",
)
PKG_CHECKSUM_MISMATCH = rule(
    "PKG-CHECKSUM-MISMATCH",
    Severity.ERROR,
    "Giá trị băm SHA-256 của tệp khác với METS (khai báo {expected}, thực tế {actual})",
    "The file's SHA-256 differs from the METS ({expected} declared, {actual} computed)",
)
PKG_CHECKSUM_TYPE = rule(
    "PKG-CHECKSUM-TYPE",
    Severity.ERROR,
    "Loại giá trị băm phải là SHA-256, METS ghi {value}",
    "The checksum type must be SHA-256; the METS says {value}",
    source=SOURCE_TT05,
)
PKG_UNEXPECTED_FILE = rule(
    "PKG-UNEXPECTED-FILE",
    Severity.ERROR,
    "Tệp có trong gói nhưng không được liệt kê trong METS",
    "A file in the package is not listed in any METS",
)
PKG_REP_INCONSISTENT = rule(
    "PKG-REP-INCONSISTENT",
    Severity.ERROR,
    "METS của thành phần biểu diễn không nhất quán: {what_vi}",
    "The representation METS is inconsistent: {what_en}",
    source=SOURCE_TT05,
)
PKG_EAD_DOC_WITHOUT_FILE = rule(
    "PKG-EAD-DOC-WITHOUT-FILE",
    Severity.ERROR,
    "Tệp đặc tả EAD_doc không có tệp tài liệu tương ứng ({what_vi})",
    "An EAD_doc has no document file ({what_en})",
    source=SOURCE_TT05,
)
PKG_FILE_WITHOUT_EAD_DOC = rule(
    "PKG-FILE-WITHOUT-EAD-DOC",
    Severity.ERROR,
    "Tệp tài liệu không có tệp đặc tả EAD_doc tương ứng ({what_vi})",
    "A document file has no EAD_doc ({what_en})",
    source=SOURCE_TT05,
)
PKG_FILE_UNREADABLE = rule(
    "PKG-FILE-UNREADABLE",
    Severity.ERROR,
    "Không đọc được tệp để kiểm tra: {reason}",
    "The file could not be read for checking: {reason}",
    outcome=Outcome.INDETERMINATE,
)
PKG_CHECK_FAILED = rule(
    "PKG-CHECK-FAILED",
    Severity.ERROR,
    "Kiểm tra gói tin không hoàn thành: {reason}",
    "The package check did not finish: {reason}",
    outcome=Outcome.INDETERMINATE,
)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _check_fixity(package: Package) -> list[Finding]:
    findings: list[Finding] = []
    done: set[str] = set()
    for ref in package.listed_files():
        if ref.path is None or ref.path in done:
            continue
        done.add(ref.path)
        findings.extend(_check_one_file(package.root, ref))
    return findings


def _check_one_file(root: Path, ref: FileRef) -> list[Finding]:
    assert ref.path is not None
    path = root / ref.path
    where = {"listed_in": ref.listed_in, "file_id": ref.id}
    if path.is_symlink():
        return [PKG_LINK.finding(ref.path, name=ref.path)]
    if not path.is_file():
        return [PKG_FILE_MISSING.finding(ref.path, **where)]
    findings = []
    try:
        size = path.stat().st_size
        if ref.size is not None and size != ref.size:
            findings.append(PKG_SIZE_MISMATCH.finding(ref.path, expected=ref.size, actual=size))
        if ref.checksum_type is not None and ref.checksum_type.upper() != "SHA-256":
            findings.append(PKG_CHECKSUM_TYPE.finding(ref.path, value=ref.checksum_type))
        elif ref.checksum:
            actual = _sha256(path)
            if actual != ref.checksum:
                findings.append(
                    PKG_CHECKSUM_MISMATCH.finding(
                        ref.path, expected=ref.checksum, actual=actual, **where
                    )
                )
    except OSError as error:
        findings.append(PKG_FILE_UNREADABLE.finding(ref.path, reason=str(error)))
    return findings


def _walk(root: Path) -> Iterator[tuple[str, bool]]:
    """(root-relative path, is a link) of every non-directory entry, links not followed."""
    for folder, dirs, files in os.walk(root, followlinks=False):
        base = Path(folder)
        for name in [*files, *(d for d in dirs if (base / d).is_symlink())]:
            full = base / name
            yield full.relative_to(root).as_posix(), full.is_symlink()


def _check_unexpected(package: Package) -> list[Finding]:
    listed = {ref.path for ref in package.listed_files() if ref.path}
    listed.add("METS.xml")
    findings = []
    for relative, is_link in _walk(package.root):
        if is_link:
            findings.append(PKG_LINK.finding(relative, name=relative))
        elif relative not in listed:
            findings.append(PKG_UNEXPECTED_FILE.finding(relative))
    return findings


def _check_objid(package: Package) -> list[Finding]:
    folder, objid = package.root.name, package.objid
    try:
        parse_sip_objid(folder)
    except InvalidValueError:
        return []  # the tree was at the zip root: unpack already warned
    if objid and folder != objid:
        return [PKG_OBJID_MISMATCH.finding(folder=folder, objid=objid, requirement="CSIP1")]
    return []


def _inconsistent(representation: MetsDocument, vi: str, en: str, line: int | None) -> Finding:
    return PKG_REP_INCONSISTENT.finding(representation.path, what_vi=vi, what_en=en, line=line)


def _check_representation(package: Package) -> list[Finding]:
    representation, mets = package.representation, package.mets
    if representation is None:
        return []
    findings = []
    if mets is not None and representation.oais_package_type != mets.oais_package_type:
        findings.append(
            _inconsistent(
                representation,
                "csip:OAISPACKAGETYPE khác với METS gốc",
                "csip:OAISPACKAGETYPE differs from the root METS",
                None,
            )
        )
    listed = mets is not None and any(
        ref.path == representation.path for ref in mets.files.values()
    )
    if not listed:
        findings.append(
            _inconsistent(
                representation,
                "METS gốc không liệt kê METS của thành phần biểu diễn",
                "the root METS does not list the representation METS",
                None,
            )
        )
    orders = [document.sequence for document in package.documents]
    if sorted(orders) != list(range(1, len(orders) + 1)):
        findings.append(
            _inconsistent(
                representation,
                f"ORDER của các tài liệu phải là 1..{len(orders)}, đang là {orders}",
                f"the documents' ORDER must be 1..{len(orders)}, found {orders}",
                None,
            )
        )
    return findings + _check_pairs(package, representation)


def _check_pairs(package: Package, representation: MetsDocument) -> list[Finding]:
    findings = []
    used_dmd: set[str] = set()
    used_files: set[str] = set()
    for document in package.documents:
        used_dmd.add(document.dmd_id or "")
        used_files.update(ref.id for ref in document.files)
        where = document.label or str(document.sequence)
        if document.ead_path is None:
            findings.append(
                PKG_FILE_WITHOUT_EAD_DOC.finding(
                    representation.path,
                    what_vi=f"div {where} không có DMDID trỏ tới EAD_doc",
                    what_en=f"div {where} has no DMDID pointing at an EAD_doc",
                    line=document.line,
                )
            )
        if not document.files:
            findings.append(
                PKG_EAD_DOC_WITHOUT_FILE.finding(
                    document.ead_path or representation.path,
                    what_vi=f"div {where} không có fptr tới tệp dữ liệu",
                    what_en=f"div {where} has no fptr to a data file",
                    line=document.line,
                )
            )
    for dmd_id, ref in representation.dmd_refs.items():
        if dmd_id not in used_dmd:
            findings.append(
                PKG_EAD_DOC_WITHOUT_FILE.finding(
                    ref.path or ref.href,
                    what_vi=f"dmdSec {dmd_id} không thuộc tài liệu nào",
                    what_en=f"dmdSec {dmd_id} belongs to no document",
                )
            )
    for file_id, ref in representation.files.items():
        if file_id not in used_files:
            findings.append(
                PKG_FILE_WITHOUT_EAD_DOC.finding(
                    ref.path or ref.href,
                    what_vi=f"tệp {file_id} không thuộc tài liệu nào",
                    what_en=f"file {file_id} belongs to no document",
                )
            )
    return findings


def _check(package: Package) -> list[Finding]:
    findings: list[Finding] = []
    rep_path = package.representation.path if package.representation else None
    if package.mets is not None:
        findings.extend(check_mets(package.mets, True, rep_path))
        value = package.mets.oais_package_type
        if value and value != "SIP":
            findings.append(PKG_NOT_SIP.finding("METS.xml", value=value, requirement="CSIP9"))
        findings.extend(_check_objid(package))
    if package.representation is not None:
        findings.extend(check_mets(package.representation, False))
    findings.extend(_check_fixity(package))
    findings.extend(_check_unexpected(package))
    findings.extend(_check_representation(package))
    return findings


def check_package(package: Package, root: Path) -> list[Finding]:
    """Every ``PKG-…`` finding for the package read from ``root``; never raises."""
    if Path(root) != package.root:
        package.root = Path(root)
    try:
        return _check(package)
    except Exception as error:  # a crash is a check that did not finish, not a pass
        return [PKG_CHECK_FAILED.finding(reason=f"{type(error).__name__}: {error}")]
