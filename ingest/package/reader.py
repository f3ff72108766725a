"""Read an unpacked SIP_hoso (LAYOUT.md) into a :class:`Package`, reporting what cannot be read.

Only reading problems are reported here (missing or unparseable METS/EAD, unsafe XML, hrefs
that leave the package); whether the package conforms is for ``ingest.package_checks`` and
``ingest.metadata_checks``. Every XML file goes through ``metadata_schemas.xml.parse_xml``.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from lxml import etree

from ingest.findings import Finding, Outcome, Severity, rule
from ingest.package.model import Agent, Description, Document, FileRef, MetsDocument, Package
from metadata_schemas.errors import MalformedXmlError, UnsafeXmlError
from metadata_schemas.xml import parse_xml

METS_NS = "http://www.loc.gov/METS/"
XLINK_NS = "http://www.w3.org/1999/xlink"
CSIP_NS = "https://DILCIS.eu/XML/METS/CSIPExtensionMETS"
NS = {"mets": METS_NS, "xlink": XLINK_NS, "csip": CSIP_NS}
ROOT_METS = "METS.xml"
DEFAULT_EAD = "metadata/descriptive/EAD.xml"
DEFAULT_REP_METS = "representations/rep1/METS.xml"
MAX_XML_BYTES = 64 * 1024 * 1024
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")

PKG_METS_MISSING = rule(
    "PKG-METS-MISSING",
    Severity.ERROR,
    "Thiếu tệp {name} của gói tin",
    "The package's {name} is missing",
    source="TT 05/2025/TT-BNV Phụ lục III; E-ARK CSIP",
)
PKG_METS_MALFORMED = rule(
    "PKG-METS-MALFORMED",
    Severity.ERROR,
    "Tệp METS không đúng cú pháp XML (dòng {line}): {reason}",
    "The METS file is not well-formed XML (line {line}): {reason}",
)
META_XML_MALFORMED = rule(
    "META-XML-MALFORMED",
    Severity.ERROR,
    "Tệp đặc tả không đúng cú pháp XML (dòng {line}): {reason}",
    "The metadata file is not well-formed XML (line {line}): {reason}",
)
META_XML_UNSAFE = rule(
    "META-XML-UNSAFE",
    Severity.ERROR,
    "Tệp XML bị từ chối vì không an toàn (khai báo thực thể, DTD ngoài hoặc quá lớn): {reason}",
    "The XML file is refused as unsafe (entity declarations, external DTD or too large): {reason}",
)
META_EAD_MISSING = rule(
    "META-EAD-MISSING",
    Severity.ERROR,
    "Thiếu tệp đặc tả hồ sơ EAD.xml ({name})",
    "The dossier description EAD.xml is missing ({name})",
    source="TT 05/2025/TT-BNV Phụ lục III",
)
PKG_HREF_INVALID = rule(
    "PKG-HREF-INVALID",
    Severity.ERROR,
    "Đường dẫn xlink:href không hợp lệ (phải là đường dẫn tương đối trong gói): {href}",
    "An xlink:href is not a relative path inside the package: {href}",
    source="E-ARK CSIP (CSIP24, CSIP79)",
)
PKG_READ_FAILED = rule(
    "PKG-READ-FAILED",
    Severity.ERROR,
    "Không đọc được gói tin: {reason}",
    "The package could not be read: {reason}",
    outcome=Outcome.INDETERMINATE,
)


def _q(prefix: str, name: str) -> str:
    return f"{{{NS[prefix]}}}{name}"


def _parse(
    root: Path, path: str, is_mets: bool, findings: list[Finding]
) -> etree._ElementTree | None:
    file = root / path
    if file.stat().st_size > MAX_XML_BYTES:
        findings.append(META_XML_UNSAFE.finding(path, reason=f"larger than {MAX_XML_BYTES} bytes"))
        return None
    try:
        return parse_xml(file)
    except UnsafeXmlError as error:
        findings.append(META_XML_UNSAFE.finding(path, reason=str(error)))
    except MalformedXmlError as error:
        malformed = PKG_METS_MALFORMED if is_mets else META_XML_MALFORMED
        findings.append(malformed.finding(path, line=error.line, reason=str(error)))
    return None


def resolve_href(base_folder: str, href: str) -> str | None:
    """The root-relative path an href names, or None if it is not a plain relative path."""
    if not href or _SCHEME.match(href) or href.startswith(("/", "\\")) or "\\" in href:
        return None
    parts = PurePosixPath(unquote(href)).parts
    if any(part in ("..", ".") for part in parts) or not parts:
        return None
    return PurePosixPath(base_folder, *parts).as_posix() if base_folder else "/".join(parts)


def _int(text: str | None) -> int | None:
    return int(text) if text is not None and text.strip().isdigit() else None


def _file_ref(
    element: etree._Element,
    href_element: etree._Element | None,
    mets_path: str,
    base: str,
    group: str | None,
    findings: list[Finding],
) -> FileRef:
    href = href_element.get(_q("xlink", "href"), "") if href_element is not None else ""
    path = resolve_href(base, href)
    if path is None and href:
        findings.append(PKG_HREF_INVALID.finding(mets_path, href=href, line=element.sourceline))
    checksum = element.get("CHECKSUM")
    return FileRef(
        id=element.get("ID", ""),
        path=path,
        href=href,
        size=_int(element.get("SIZE")),
        checksum=checksum.strip().lower() if checksum else None,
        checksum_type=element.get("CHECKSUMTYPE"),
        mimetype=element.get("MIMETYPE"),
        listed_in=mets_path,
        line=element.sourceline,
        group=group,
    )


def _agents(mets: etree._Element) -> list[Agent]:
    agents = []
    for agent in mets.iterfind("mets:metsHdr/mets:agent", NS):
        notes = {
            note.get(_q("csip", "NOTETYPE"), ""): (note.text or "").strip()
            for note in agent.iterfind("mets:note", NS)
        }
        agents.append(
            Agent(
                role=agent.get("ROLE"),
                type=agent.get("TYPE"),
                other_type=agent.get("OTHERTYPE"),
                name=(agent.findtext("mets:name", "", NS) or "").strip(),
                notes=notes,
            )
        )
    return agents


def read_mets(root: Path, path: str, findings: list[Finding]) -> MetsDocument | None:
    tree = _parse(root, path, True, findings)
    if tree is None:
        return None
    mets = tree.getroot()
    base = path.rpartition("/")[0]
    header = mets.find("mets:metsHdr", NS)
    package_type = mets.get(_q("csip", "OAISPACKAGETYPE"))
    if package_type is None and header is not None:
        package_type = header.get(_q("csip", "OAISPACKAGETYPE"))
    dmd_refs = {}
    for dmd in mets.iterfind("mets:dmdSec", NS):
        md_ref = dmd.find("mets:mdRef", NS)
        if md_ref is not None:
            dmd_refs[dmd.get("ID", "")] = _file_ref(md_ref, md_ref, path, base, None, findings)
    files = {}
    for group in mets.iterfind("mets:fileSec/mets:fileGrp", NS):
        for element in group.iter(_q("mets", "file")):
            location = element.find("mets:FLocat", NS)
            ref = _file_ref(element, location, path, base, group.get("USE"), findings)
            files[ref.id] = ref
    return MetsDocument(
        path=path,
        tree=tree,
        objid=mets.get("OBJID"),
        type=mets.get("TYPE"),
        profile=mets.get("PROFILE"),
        oais_package_type=package_type,
        content_information_type=mets.get(_q("csip", "CONTENTINFORMATIONTYPE")),
        create_date=header.get("CREATEDATE") if header is not None else None,
        agents=_agents(mets),
        dmd_refs=dmd_refs,
        files=files,
    )


def read_description(root: Path, path: str, findings: list[Finding]) -> Description | None:
    tree = _parse(root, path, False, findings)
    if tree is None:
        return None
    fields: dict[str, str] = {}
    lines: dict[str, int] = {}
    for child in tree.getroot():
        if not isinstance(child.tag, str):
            continue  # comments, processing instructions
        name = etree.QName(child).localname
        if name not in fields:
            fields[name] = "".join(child.itertext()).strip()
            lines[name] = child.sourceline or 0
    return Description(path=path, tree=tree, fields=fields, lines=lines)


def _representation_path(mets: MetsDocument | None) -> str:
    if mets is not None:
        for ref in mets.files.values():
            in_group = (ref.group or "").startswith("Representations")
            if in_group and ref.path and ref.path.endswith("/METS.xml"):
                return ref.path
    return DEFAULT_REP_METS


def _ead_path(mets: MetsDocument | None) -> str:
    if mets is not None:
        for ref in mets.dmd_refs.values():
            if ref.path and ref.path.endswith("EAD.xml"):
                return ref.path
    return DEFAULT_EAD


def _document_divs(representation: MetsDocument) -> list[etree._Element]:
    struct_map = representation.tree.getroot().find(
        "mets:structMap[@TYPE='PHYSICAL'][@LABEL='CSIP']", NS
    )
    if struct_map is None:
        return []
    return list(struct_map.iterfind("mets:div/mets:div[@LABEL='Data']/mets:div", NS))


def read_documents(
    root: Path, representation: MetsDocument, findings: list[Finding]
) -> list[Document]:
    documents = []
    for position, div in enumerate(_document_divs(representation), start=1):
        dmd_id = div.get("DMDID")
        md_ref = representation.dmd_refs.get(dmd_id or "")
        ead_path = md_ref.path if md_ref else None
        description = None
        if ead_path and (root / ead_path).is_file():
            description = read_description(root, ead_path, findings)
        files = [
            representation.files[fptr.get("FILEID", "")]
            for fptr in div.iterfind("mets:fptr", NS)
            if fptr.get("FILEID", "") in representation.files
        ]
        order = div.get("ORDER", "")
        documents.append(
            Document(
                sequence=int(order) if order.isdigit() else position,
                label=div.get("LABEL", ""),
                dmd_id=dmd_id,
                ead_path=ead_path,
                description=description,
                files=files,
                line=div.sourceline,
            )
        )
    return sorted(documents, key=lambda document: document.sequence)


def read_package(root: Path) -> tuple[Package, list[Finding]]:
    """Read the package unpacked at ``root``; never raises."""
    package = Package(root=Path(root))
    findings: list[Finding] = []
    try:
        _read(package, findings)
    except Exception as error:  # reading must not crash the pipeline; say it did not finish
        findings.append(PKG_READ_FAILED.finding(reason=f"{type(error).__name__}: {error}"))
    return package, findings


def _read(package: Package, findings: list[Finding]) -> None:
    root = package.root
    if not (root / ROOT_METS).is_file():
        findings.append(PKG_METS_MISSING.finding(ROOT_METS, name=ROOT_METS))
    else:
        package.mets = read_mets(root, ROOT_METS, findings)
    ead_path = _ead_path(package.mets)
    if (root / ead_path).is_file():
        package.dossier = read_description(root, ead_path, findings)
    else:
        findings.append(META_EAD_MISSING.finding(ead_path, name=ead_path))
    rep_path = _representation_path(package.mets)
    if not (root / rep_path).is_file():
        findings.append(PKG_METS_MISSING.finding(rep_path, name=rep_path))
        return
    package.representation = read_mets(root, rep_path, findings)
    if package.representation is not None:
        package.documents = read_documents(root, package.representation, findings)
