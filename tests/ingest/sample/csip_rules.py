"""An independent E-ARK CSIP structural check of a METS document, written from the CSIP
requirement table (CSIP1…CSIP117, DILCISBoard/E-ARK-CSIP), for the tests only.

Only MUST requirements that apply to a root or representation METS of our packages are checked.
Each problem is returned as a message starting with the requirement id.
"""

from __future__ import annotations

from lxml import etree

METS = "http://www.loc.gov/METS/"
XLINK = "http://www.w3.org/1999/xlink"
CSIP = "https://DILCIS.eu/XML/METS/CSIPExtensionMETS"
NS = {"mets": METS, "xlink": XLINK, "csip": CSIP}
HREF = f"{{{XLINK}}}href"
XTYPE = f"{{{XLINK}}}type"
# CSIP 2.0.4 labels the structMap "CSIP"; earlier 2.0 drafts wrote "CSIP structMap".
STRUCT_MAP_LABELS = {"CSIP", "CSIP structMap"}


def csip_problems(root: etree._Element, *, representation: bool) -> list[str]:
    problems: list[str] = []

    def need(condition: bool, message: str) -> None:
        if not condition:
            problems.append(message)

    need(bool(root.get("OBJID")), "CSIP1 mets/@OBJID is missing")
    need(bool(root.get("TYPE")), "CSIP2 mets/@TYPE is missing")
    need("http" in (root.get("PROFILE") or ""), "CSIP6 mets/@PROFILE is not a URL")
    if representation:
        need(
            bool(root.get(f"{{{CSIP}}}CONTENTINFORMATIONTYPE")),
            "CSIP4 representation mets/@csip:CONTENTINFORMATIONTYPE is missing",
        )
    headers = root.findall("mets:metsHdr", NS)
    need(len(headers) == 1, "CSIP117 exactly one metsHdr")
    if headers:
        header = headers[0]
        need(bool(header.get("CREATEDATE")), "CSIP7 metsHdr/@CREATEDATE is missing")
        need(
            header.get(f"{{{CSIP}}}OAISPACKAGETYPE") in {"SIP", "AIP", "DIP", "AIU", "AIC"},
            "CSIP9 metsHdr/@csip:OAISPACKAGETYPE is missing or not in its vocabulary",
        )
        software = [
            agent
            for agent in header.findall("mets:agent", NS)
            if agent.get("ROLE") == "CREATOR"
            and agent.get("TYPE") == "OTHER"
            and agent.get("OTHERTYPE") == "SOFTWARE"
        ]
        need(
            len(software) >= 1,
            "CSIP10-13 no agent ROLE=CREATOR TYPE=OTHER OTHERTYPE=SOFTWARE",
        )
        for agent in software:
            need(bool(agent.findtext("mets:name", namespaces=NS)), "CSIP14 agent/name is empty")
            notes = agent.findall("mets:note", NS)
            need(len(notes) == 1 and bool(notes[0].text), "CSIP15 agent/note is missing")
            need(
                bool(notes) and notes[0].get(f"{{{CSIP}}}NOTETYPE") == "SOFTWARE VERSION",
                "CSIP16 agent/note/@csip:NOTETYPE is not SOFTWARE VERSION",
            )
    ids: list[str] = [element.get("ID") or "" for element in root.iter() if element.get("ID")]
    need(len(ids) == len(set(ids)), "CSIP18/65/67/83 xml:id values are not unique")
    for section in root.findall("mets:dmdSec", NS):
        need(bool(section.get("ID")), "CSIP18 dmdSec/@ID is missing")
        need(bool(section.get("CREATED")), "CSIP19 dmdSec/@CREATED is missing")
        for reference in section.findall("mets:mdRef", NS):
            need(reference.get("LOCTYPE") == "URL", "CSIP22 mdRef/@LOCTYPE is not URL")
            need(reference.get(XTYPE) == "simple", "CSIP23 mdRef/@xlink:type is not simple")
            need(bool(reference.get(HREF)), "CSIP24 mdRef/@xlink:href is missing")
            need(bool(reference.get("MDTYPE")), "CSIP25 mdRef/@MDTYPE is missing")
            _file_attributes(reference, need, ("CSIP26", "CSIP27", "CSIP28", "CSIP29", "CSIP30"))
    file_sections = root.findall("mets:fileSec", NS)
    for file_section in file_sections:
        need(bool(file_section.get("ID")), "CSIP59 fileSec/@ID is missing")
        for group in file_section.findall("mets:fileGrp", NS):
            need(bool(group.get("USE")), "CSIP64 fileGrp/@USE is missing")
            need(bool(group.get("ID")), "CSIP65 fileGrp/@ID is missing")
            files = group.findall("mets:file", NS)
            need(len(files) >= 1, "CSIP66 fileGrp has no file")
            for item in files:
                need(bool(item.get("ID")), "CSIP67 file/@ID is missing")
                _file_attributes(item, need, ("CSIP68", "CSIP69", "CSIP70", "CSIP71", "CSIP72"))
                locations = item.findall("mets:FLocat", NS)
                need(len(locations) == 1, "CSIP76 file needs exactly one FLocat")
                for location in locations:
                    need(location.get("LOCTYPE") == "URL", "CSIP77 FLocat/@LOCTYPE is not URL")
                    need(location.get(XTYPE) == "simple", "CSIP78 FLocat/@xlink:type not simple")
                    need(bool(location.get(HREF)), "CSIP79 FLocat/@xlink:href is missing")
    uses = {group.get("USE") for group in root.iterfind("mets:fileSec/mets:fileGrp", NS)}
    if not representation:
        need("Schemas" in uses, "CSIP113 no fileGrp USE=Schemas")
        need(
            any((use or "").startswith("Representations") for use in uses),
            "CSIP114 no fileGrp USE=Representations/…",
        )
    struct_maps = [
        struct_map
        for struct_map in root.findall("mets:structMap", NS)
        if struct_map.get("LABEL") in STRUCT_MAP_LABELS
    ]
    need(len(struct_maps) == 1, "CSIP80/82 exactly one structMap labelled CSIP")
    for struct_map in struct_maps:
        need(struct_map.get("TYPE") == "PHYSICAL", "CSIP81 structMap/@TYPE is not PHYSICAL")
        need(bool(struct_map.get("ID")), "CSIP83 structMap/@ID is missing")
        mains = struct_map.findall("mets:div", NS)
        need(len(mains) == 1, "CSIP84 structMap needs one main div")
        for main in mains:
            need(bool(main.get("ID")), "CSIP85 main div/@ID is missing")
            if not representation:
                need(main.get("LABEL") == root.get("OBJID"), "CSIP86 main div/@LABEL != OBJID")
            children = main.findall("mets:div", NS)
            for child in children:
                need(bool(child.get("ID")), "CSIP89/98/106 div/@ID is missing")
            labels = {child.get("LABEL"): child for child in children}
            metadata = labels.get("Metadata")
            need(metadata is not None, "CSIP88/90 no div LABEL=Metadata")
            dmd_ids = {section.get("ID") for section in root.findall("mets:dmdSec", NS)}
            if metadata is not None:
                referenced = set((metadata.get("DMDID") or "").split())
                need(referenced == dmd_ids, "CSIP92 Metadata div does not reference every dmdSec")
            if not representation:
                schemas = labels.get("Schemas")
                need(
                    schemas is not None
                    and (bool(schemas.get("CONTENTIDS")) or bool(schemas.findall("mets:fptr", NS))),
                    "CSIP97/99/100 Schemas div missing or references no schema",
                )
                reps = [c for c in children if (c.get("LABEL") or "").startswith("Representations")]
                need(len(reps) >= 1, "CSIP105/107 no Representations/… div")
                for rep in reps:
                    pointers = rep.findall("mets:mptr", NS)
                    need(len(pointers) == 1, "CSIP109 representation div needs one mptr")
                    for pointer in pointers:
                        need(bool(pointer.get(HREF)), "CSIP110 mptr/@xlink:href is missing")
                        need(pointer.get(XTYPE) == "simple", "CSIP111 mptr/@xlink:type not simple")
                        need(pointer.get("LOCTYPE") == "URL", "CSIP112 mptr/@LOCTYPE is not URL")
    return problems


def _file_attributes(element: etree._Element, need: object, ids: tuple[str, ...]) -> None:
    assert callable(need)
    mimetype, size, created, checksum, checksum_type = ids
    need(bool(element.get("MIMETYPE")), f"{mimetype} @MIMETYPE is missing")
    need((element.get("SIZE") or "").isdigit(), f"{size} @SIZE is missing or not a number")
    need(bool(element.get("CREATED")), f"{created} @CREATED is missing")
    need(bool(element.get("CHECKSUM")), f"{checksum} @CHECKSUM is missing")
    need(bool(element.get("CHECKSUMTYPE")), f"{checksum_type} @CHECKSUMTYPE is missing")
