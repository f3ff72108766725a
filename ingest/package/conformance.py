"""METS conformance: E-ARK CSIP 2.0.4 requirements and the TT05 structure of LAYOUT.md.

Each failed requirement is one finding whose ``detail["requirement"]`` is the CSIP id. CSIP
MUSTs that LAYOUT.md does not ask of QLVB vendors (xml:ids on fileSec, fileGrp, structMap and
div; xlink:type on FLocat) and CSIP SHOULDs are warnings; the rest are errors. Requirements
about sections SIP_hoso does not use (amdSec, Documentation) are not checked.
"""

from __future__ import annotations

import datetime as dt

from lxml import etree

from ingest.findings import Finding, Severity, rule
from ingest.package.model import MetsDocument
from ingest.package.reader import NS, XLINK_NS
from metadata_schemas.schemas import validate

SOURCE_CSIP = "E-ARK CSIP 2.0.4"
SOURCE_TT05 = "TT 05/2025/TT-BNV Phụ lục III; ingest/package/LAYOUT.md"
MAX_SCHEMA_FINDINGS = 100
PACKAGE_TYPES = {"Mixed", "Collection"}  # TT05: hồ sơ, tài liệu
Text = tuple[str, str]  # (Vietnamese, English)

PKG_METS_CSIP = rule(
    "PKG-METS-CSIP",
    Severity.ERROR,
    "METS không đáp ứng yêu cầu {requirement} của E-ARK CSIP: {what_vi}",
    "The METS does not meet E-ARK CSIP requirement {requirement}: {what_en}",
    source=SOURCE_CSIP,
)
PKG_METS_CSIP_WARNING = rule(
    "PKG-METS-CSIP-WARNING",
    Severity.WARNING,
    "METS chưa theo yêu cầu {requirement} của E-ARK CSIP (được chấp nhận): {what_vi}",
    "The METS does not follow E-ARK CSIP requirement {requirement} (tolerated): {what_en}",
    source=SOURCE_CSIP,
)
PKG_METS_TT05 = rule(
    "PKG-METS-TT05",
    Severity.ERROR,
    "METS không theo cấu trúc gói SIP của TT05: {what_vi}",
    "The METS does not follow the TT05 SIP structure: {what_en}",
    source=SOURCE_TT05,
)
PKG_METS_SCHEMA = rule(
    "PKG-METS-SCHEMA",
    Severity.ERROR,
    "METS không hợp lệ theo lược đồ METS (dòng {line}, phần tử {element}): {reason}",
    "The METS is not valid against the METS schema (line {line}, element {element}): {reason}",
    source="METS 1.12 + CSIP extension schema",
)


class _Report:
    def __init__(self, mets: MetsDocument) -> None:
        self.mets = mets
        self.findings: list[Finding] = []

    def csip(
        self, ok: bool, requirement: str, text: Text, line: int | None, strict: bool = True
    ) -> None:
        if not ok:
            chosen = PKG_METS_CSIP if strict else PKG_METS_CSIP_WARNING
            self.findings.append(
                chosen.finding(
                    self.mets.path,
                    requirement=requirement,
                    what_vi=text[0],
                    what_en=text[1],
                    line=line,
                )
            )

    def tt05(self, ok: bool, text: Text, line: int | None) -> None:
        if not ok:
            self.findings.append(
                PKG_METS_TT05.finding(self.mets.path, what_vi=text[0], what_en=text[1], line=line)
            )

    def attributes(self, element: etree._Element, checks: list[tuple[str, str]]) -> None:
        """``checks``: (requirement, attribute) pairs; each must be present and non-blank."""
        tag = etree.QName(element).localname
        for requirement, attribute in checks:
            name = attribute.replace(f"{{{XLINK_NS}}}", "xlink:")
            missing = (f"thiếu thuộc tính {tag}/@{name}", f"{tag}/@{name} is missing")
            self.csip(
                bool(element.get(attribute, "").strip()), requirement, missing, line_of(element)
            )

    def has_id(self, element: etree._Element, requirement: str) -> None:
        tag = etree.QName(element).localname
        text = (f"{tag} nên có @ID", f"{tag} should have an @ID")
        self.csip(bool(element.get("ID")), requirement, text, line_of(element), strict=False)


def line_of(element: etree._Element | None) -> int | None:
    return element.sourceline if element is not None else None


def _x(name: str) -> str:
    return f"{{{XLINK_NS}}}{name}"


def _iso_datetime(value: str | None) -> bool:
    try:
        return value is not None and dt.datetime.fromisoformat(value) is not None
    except ValueError:
        return False


def _root_element(report: _Report, is_root: bool) -> None:
    mets = report.mets
    root = mets.tree.getroot()
    line = root.sourceline
    report.csip(bool(mets.objid), "CSIP1", ("thiếu mets/@OBJID", "no mets/@OBJID"), line)
    report.csip(bool(mets.type), "CSIP2", ("thiếu mets/@TYPE", "no mets/@TYPE"), line)
    wrong_type = (f"mets/@TYPE phải là Mixed hoặc Collection, không phải {mets.type}",
                  f"mets/@TYPE must be Mixed or Collection, not {mets.type}")  # fmt: skip
    report.tt05(not mets.type or mets.type in PACKAGE_TYPES, wrong_type, line)
    is_url = (mets.profile or "").startswith(("http://", "https://"))
    report.csip(is_url, "CSIP6", ("thiếu URL mets/@PROFILE", "no mets/@PROFILE URL"), line)
    no_type = ("thiếu csip:OAISPACKAGETYPE", "no csip:OAISPACKAGETYPE")
    report.csip(bool(mets.oais_package_type), "CSIP9", no_type, line)
    cit = mets.content_information_type
    no_cit = ("thiếu csip:CONTENTINFORMATIONTYPE", "no csip:CONTENTINFORMATIONTYPE")
    report.csip(bool(cit), "CSIP4", no_cit, line, strict=False)
    other = root.get(f"{{{NS['csip']}}}OTHERCONTENTINFORMATIONTYPE")
    no_other = ("CONTENTINFORMATIONTYPE=OTHER nhưng thiếu OTHERCONTENTINFORMATIONTYPE",
                "CONTENTINFORMATIONTYPE=OTHER without OTHERCONTENTINFORMATIONTYPE")  # fmt: skip
    report.csip(cit != "OTHER" or bool(other), "CSIP5", no_other, line, strict=False)
    header = root.find("mets:metsHdr", NS)
    no_header = ("thiếu mets/metsHdr", "no mets/metsHdr")
    report.csip(header is not None, "CSIP117", no_header, line, strict=is_root)
    if header is None:
        return
    bad_date = ("metsHdr/@CREATEDATE thiếu hoặc không theo ISO 8601",
                "metsHdr/@CREATEDATE is missing or not ISO 8601")  # fmt: skip
    report.csip(_iso_datetime(mets.create_date), "CSIP7", bad_date, header.sourceline, is_root)
    if is_root:
        _agents(report, header.sourceline)


def _agents(report: _Report, line: int | None) -> None:
    agents = report.mets.agents
    report.csip(bool(agents), "CSIP10", ("thiếu metsHdr/agent", "no metsHdr/agent"), line)
    software = [a for a in agents if a.role == "CREATOR" and a.other_type == "SOFTWARE"]
    no_software = ("thiếu agent ROLE=CREATOR TYPE=OTHER OTHERTYPE=SOFTWARE",
                   "no agent ROLE=CREATOR TYPE=OTHER OTHERTYPE=SOFTWARE")  # fmt: skip
    report.csip(bool(software), "CSIP13", no_software, line)
    if software:
        agent = software[0]
        no_other = ("agent phần mềm phải có TYPE=OTHER", "the software agent needs TYPE=OTHER")
        report.csip(agent.type == "OTHER", "CSIP12", no_other, line)
        no_name = ("agent phần mềm thiếu name", "the software agent has no name")
        report.csip(bool(agent.name), "CSIP14", no_name, line)
        no_version = ("agent phần mềm thiếu note SOFTWARE VERSION",
                      "the software agent has no SOFTWARE VERSION note")  # fmt: skip
        report.csip(bool(agent.notes.get("SOFTWARE VERSION")), "CSIP16", no_version, line)
    organisations = [a for a in agents if a.type == "ORGANIZATION"]
    has_code = any(a.notes.get("IDENTIFICATIONCODE") for a in organisations)
    no_code = ("thiếu agent TYPE=ORGANIZATION có note IDENTIFICATIONCODE (mã cơ quan)",
               "no agent TYPE=ORGANIZATION with an IDENTIFICATIONCODE note")  # fmt: skip
    report.tt05(has_code, no_code, line)


def _dmd_secs(report: _Report) -> None:
    for dmd in report.mets.tree.getroot().iterfind("mets:dmdSec", NS):
        report.attributes(dmd, [("CSIP18", "ID"), ("CSIP19", "CREATED")])
        md_ref = dmd.find("mets:mdRef", NS)
        no_ref = ("dmdSec phải trỏ tới tệp đặc tả bằng mdRef",
                  "a dmdSec must point at its description file with mdRef")  # fmt: skip
        report.tt05(md_ref is not None, no_ref, dmd.sourceline)
        if md_ref is None:
            continue
        report.attributes(md_ref, [
            ("CSIP24", _x("href")), ("CSIP25", "MDTYPE"), ("CSIP26", "MIMETYPE"),
            ("CSIP27", "SIZE"), ("CSIP28", "CREATED"), ("CSIP29", "CHECKSUM"),
            ("CSIP30", "CHECKSUMTYPE"),
        ])  # fmt: skip
        line = md_ref.sourceline
        not_url = ("mdRef/@LOCTYPE phải là URL", "mdRef/@LOCTYPE must be URL")
        report.csip(md_ref.get("LOCTYPE") == "URL", "CSIP22", not_url, line)
        not_simple = ("mdRef/@xlink:type phải là simple", "mdRef/@xlink:type must be simple")
        report.csip(md_ref.get(_x("type")) == "simple", "CSIP23", not_simple, line)


def _file_sec(report: _Report, is_root: bool) -> None:
    root = report.mets.tree.getroot()
    file_sec = root.find("mets:fileSec", NS)
    no_sec = ("thiếu mets/fileSec", "no mets/fileSec")
    report.csip(file_sec is not None, "CSIP58", no_sec, root.sourceline)
    if file_sec is None:
        return
    report.has_id(file_sec, "CSIP59")
    groups = file_sec.findall("mets:fileGrp", NS)
    uses = [group.get("USE", "") for group in groups]
    line = file_sec.sourceline
    if is_root:
        no_schemas = ("thiếu fileGrp USE=Schemas", "no fileGrp USE=Schemas")
        report.csip("Schemas" in uses, "CSIP113", no_schemas, line)
        has_rep = any(use.startswith("Representations") for use in uses)
        no_rep = ("thiếu fileGrp USE=Representations/…", "no fileGrp USE=Representations/…")
        report.csip(has_rep, "CSIP114", no_rep, line)
    else:
        report.tt05("Data" in uses, ("thiếu fileGrp USE=Data", "no fileGrp USE=Data"), line)
    for group in groups:
        report.attributes(group, [("CSIP64", "USE")])
        report.has_id(group, "CSIP65")
        files = list(group.iter(f"{{{NS['mets']}}}file"))
        empty = ("fileGrp không có file", "the fileGrp holds no file")
        report.csip(bool(files), "CSIP66", empty, group.sourceline)
        for element in files:
            _file(report, element)


def _file(report: _Report, element: etree._Element) -> None:
    report.attributes(element, [
        ("CSIP67", "ID"), ("CSIP68", "MIMETYPE"), ("CSIP69", "SIZE"), ("CSIP70", "CREATED"),
        ("CSIP71", "CHECKSUM"), ("CSIP72", "CHECKSUMTYPE"),
    ])  # fmt: skip
    locations = element.findall("mets:FLocat", NS)
    not_one = ("file phải có đúng một FLocat", "a file needs exactly one FLocat")
    report.csip(len(locations) == 1, "CSIP76", not_one, element.sourceline)
    for location in locations:
        report.attributes(location, [("CSIP79", _x("href"))])
        line = location.sourceline
        not_url = ("FLocat/@LOCTYPE phải là URL", "FLocat/@LOCTYPE must be URL")
        report.csip(location.get("LOCTYPE") == "URL", "CSIP77", not_url, line)
        not_simple = ("FLocat/@xlink:type nên là simple", "FLocat/@xlink:type should be simple")
        simple = location.get(_x("type")) == "simple"
        report.csip(simple, "CSIP78", not_simple, line, strict=False)


def _struct_map(report: _Report) -> etree._Element | None:
    """The CSIP structMap's single top div, after CSIP80–85."""
    root = report.mets.tree.getroot()
    maps = root.findall("mets:structMap[@TYPE='PHYSICAL'][@LABEL='CSIP']", NS)
    not_one = ("cần đúng một structMap TYPE=PHYSICAL LABEL=CSIP",
               "exactly one structMap TYPE=PHYSICAL LABEL=CSIP is required")  # fmt: skip
    report.csip(len(maps) == 1, "CSIP81", not_one, root.sourceline)
    if len(maps) != 1:
        return None
    report.has_id(maps[0], "CSIP83")
    divs = maps[0].findall("mets:div", NS)
    no_div = ("structMap phải có đúng một div gốc", "the structMap needs exactly one top div")
    report.csip(len(divs) == 1, "CSIP84", no_div, maps[0].sourceline)
    if len(divs) != 1:
        return None
    report.has_id(divs[0], "CSIP85")
    return divs[0]


def _root_struct_map(report: _Report, rep_path: str | None) -> None:
    top = _struct_map(report)
    if top is None:
        return
    mets, line = report.mets, top.sourceline
    not_objid = ("LABEL của div gốc phải bằng OBJID", "the top div's LABEL must equal the OBJID")
    report.csip(top.get("LABEL") == mets.objid, "CSIP86", not_objid, line)
    metadata = top.find("mets:div[@LABEL='Metadata']", NS)
    no_metadata = ("thiếu div LABEL=Metadata", "no div LABEL=Metadata")
    report.csip(metadata is not None, "CSIP88", no_metadata, line)
    if metadata is not None:
        report.has_id(metadata, "CSIP89")
        all_dmd = set(metadata.get("DMDID", "").split()) >= set(mets.dmd_refs)
        not_all = ("div Metadata phải tham chiếu mọi dmdSec qua DMDID",
                   "the Metadata div should reference every dmdSec in DMDID")  # fmt: skip
        report.csip(all_dmd, "CSIP92", not_all, metadata.sourceline, strict=False)
    no_schemas = ("thiếu div LABEL=Schemas", "no div LABEL=Schemas")
    has_schemas = top.find("mets:div[@LABEL='Schemas']", NS) is not None
    report.csip(has_schemas, "CSIP97", no_schemas, line, strict=False)
    for fptr in top.iterfind("mets:div/mets:fptr", NS):
        file_id = fptr.get("FILEID", "")
        unknown = (f"fptr trỏ tới FILEID không có: {file_id}", f"fptr to unknown FILEID {file_id}")
        report.csip(file_id in mets.files, "CSIP118", unknown, fptr.sourceline)
    rep_divs = [d for d in top.iterfind("mets:div", NS) if d.get("LABEL", "").startswith("Repr")]
    no_rep = ("thiếu div Representations/rep1", "no div Representations/rep1")
    report.csip(bool(rep_divs), "CSIP105", no_rep, line)
    for div in rep_divs:
        _representation_pointer(report, div, rep_path)


def _representation_pointer(report: _Report, div: etree._Element, rep_path: str | None) -> None:
    pointer = div.find("mets:mptr", NS)
    no_pointer = ("div biểu diễn thiếu mptr", "the representation div has no mptr")
    report.csip(pointer is not None, "CSIP109", no_pointer, div.sourceline)
    if pointer is None:
        return
    not_url = ("mptr/@LOCTYPE phải là URL", "mptr/@LOCTYPE must be URL")
    report.csip(pointer.get("LOCTYPE") == "URL", "CSIP112", not_url, pointer.sourceline)
    wrong = (f"mptr/@xlink:href phải trỏ tới {rep_path}", f"mptr/@xlink:href must be {rep_path}")
    report.csip(pointer.get(_x("href")) == rep_path, "CSIP110", wrong, pointer.sourceline)


def _rep_struct_map(report: _Report) -> None:
    top = _struct_map(report)
    if top is None:
        return
    folder = report.mets.folder.rpartition("/")[2]
    wrong = (f"div gốc phải có LABEL={folder}", f"the top div must have LABEL={folder}")
    report.tt05(top.get("LABEL") == folder, wrong, top.sourceline)
    has_data = top.find("mets:div[@LABEL='Data']", NS) is not None
    report.tt05(has_data, ("thiếu div LABEL=Data", "no div LABEL=Data"), top.sourceline)


def schema_findings(mets: MetsDocument) -> list[Finding]:
    errors = validate("METS", mets.tree)
    findings = [
        PKG_METS_SCHEMA.finding(
            mets.path,
            line=error.line,
            element=error.path.rpartition("/")[2] or "?",
            reason=error.message,
        )
        for error in errors[:MAX_SCHEMA_FINDINGS]
    ]
    if len(errors) > MAX_SCHEMA_FINDINGS:
        more = f"{len(errors) - MAX_SCHEMA_FINDINGS} more errors not listed"
        findings.append(PKG_METS_SCHEMA.finding(mets.path, line="-", element="-", reason=more))
    return findings


def check_mets(mets: MetsDocument, is_root: bool, rep_path: str | None = None) -> list[Finding]:
    """Schema, CSIP and TT05 findings for one METS; ``rep_path``: where the mptr must point."""
    report = _Report(mets)
    _root_element(report, is_root)
    _dmd_secs(report)
    _file_sec(report, is_root)
    if is_root:
        _root_struct_map(report, rep_path)
    else:
        _rep_struct_map(report)
    return schema_findings(mets) + report.findings
