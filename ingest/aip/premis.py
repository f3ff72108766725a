"""PREMIS 3.0 for the AIP: objects (with SHA-256 fixity and PRONOM formats), events, agents.

Event details are kept as JSON in ``eventDetail`` so that the catalog's events can be restored
from storage exactly (``luutru rebuild-catalog``).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from lxml import etree

from ingest.aip.model import AipAgent, AipFile, PremisEventRecord
from metadata_schemas.xml import parse_xml

PREMIS_NS = "http://www.loc.gov/premis/v3"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
_NSMAP = {"premis": PREMIS_NS, "xsi": XSI_NS}
_AGENT_ROLE = {"software": "executing program", "person": "implementer"}


def _el(parent: etree._Element, name: str, text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, f"{{{PREMIS_NS}}}{name}")
    if text is not None:
        element.text = text
    return element


def _identifier(parent: etree._Element, kind: str, id_type: str, value: str) -> None:
    ident = _el(parent, f"{kind}Identifier")
    _el(ident, f"{kind}IdentifierType", id_type)
    _el(ident, f"{kind}IdentifierValue", value)


@dataclass(frozen=True)
class PremisObject:
    """An intellectual entity or representation (``file`` is None) or a file."""

    category: str  # intellectualEntity | representation | file
    id_type: str
    identifier: str
    file: AipFile | None = None
    original_name: str | None = None
    related: tuple[tuple[str, str, str], ...] = ()  # (relationship subtype, id type, id)


def _object(root: etree._Element, obj: PremisObject) -> None:
    element = _el(root, "object")
    element.set(f"{{{XSI_NS}}}type", f"premis:{obj.category}")
    _identifier(element, "object", obj.id_type, obj.identifier)
    if obj.file is not None:
        characteristics = _el(element, "objectCharacteristics")
        fixity = _el(characteristics, "fixity")
        _el(fixity, "messageDigestAlgorithm", "SHA-256")
        _el(fixity, "messageDigest", obj.file.sha256)
        _el(characteristics, "size", str(obj.file.size))
        fmt = _el(characteristics, "format")
        designation = _el(fmt, "formatDesignation")
        _el(designation, "formatName", obj.file.format.name or "unknown")
        if obj.file.format.version:
            _el(designation, "formatVersion", obj.file.format.version)
        if obj.file.format.puid:
            registry = _el(fmt, "formatRegistry")
            _el(registry, "formatRegistryName", "PRONOM")
            _el(registry, "formatRegistryKey", obj.file.format.puid)
        if obj.original_name:
            _el(element, "originalName", obj.original_name)
    for subtype, id_type, identifier in obj.related:
        relationship = _el(element, "relationship")
        _el(relationship, "relationshipType", "structural")
        _el(relationship, "relationshipSubType", subtype)
        related = _el(relationship, "relatedObjectIdentifier")
        _el(related, "relatedObjectIdentifierType", id_type)
        _el(related, "relatedObjectIdentifierValue", identifier)


def _event(root: etree._Element, event: PremisEventRecord, agent_types: dict[str, str]) -> None:
    element = _el(root, "event")
    _identifier(element, "event", "UUID", event.identifier)
    _el(element, "eventType", event.type)
    _el(element, "eventDateTime", event.time.astimezone(dt.UTC).isoformat())
    detail = _el(element, "eventDetailInformation")
    _el(detail, "eventDetail", json.dumps(event.detail, ensure_ascii=False, sort_keys=True))
    outcome = _el(element, "eventOutcomeInformation")
    _el(outcome, "eventOutcome", event.outcome)
    agent = _el(element, "linkingAgentIdentifier")
    _el(agent, "linkingAgentIdentifierType", "local")
    _el(agent, "linkingAgentIdentifierValue", event.agent)
    _el(agent, "linkingAgentRole", _AGENT_ROLE.get(agent_types.get(event.agent, ""), "authorizer"))
    for linked in event.linked_objects:
        link = _el(element, "linkingObjectIdentifier")
        _el(link, "linkingObjectIdentifierType", linked.get("type", "local"))
        _el(link, "linkingObjectIdentifierValue", linked.get("id", ""))
        if linked.get("role"):
            _el(link, "linkingObjectRole", linked["role"])


def _agent(root: etree._Element, agent: AipAgent) -> None:
    element = _el(root, "agent")
    _identifier(element, "agent", "local", agent.identifier)
    _el(element, "agentName", agent.name)
    _el(element, "agentType", agent.type)
    if agent.type == "software" and agent.note:
        _el(element, "agentVersion", agent.note)
    elif agent.note:
        _el(element, "agentNote", agent.note)


def write_premis(
    path: Path,
    objects: Iterable[PremisObject],
    events: Iterable[PremisEventRecord],
    agents: Iterable[AipAgent],
) -> None:
    root = etree.Element(f"{{{PREMIS_NS}}}premis", nsmap=_NSMAP)
    root.set("version", "3.0")
    agent_list = list(agents)
    agent_types = {agent.identifier: agent.type for agent in agent_list}
    for obj in objects:
        _object(root, obj)
    for event in events:
        _event(root, event, agent_types)
    for agent in agent_list:
        _agent(root, agent)
    path.parent.mkdir(parents=True, exist_ok=True)
    etree.ElementTree(root).write(
        str(path), xml_declaration=True, encoding="UTF-8", pretty_print=True
    )


def _text(element: etree._Element, path: str) -> str:
    found = element.find(path, _NSMAP)
    return (found.text or "").strip() if found is not None else ""


def read_premis(stream: IO[bytes]) -> tuple[list[PremisEventRecord], list[AipAgent]]:
    """The events and agents of a PREMIS file written by :func:`write_premis`."""
    root = parse_xml(stream.read()).getroot()
    events: list[PremisEventRecord] = []
    for element in root.findall("premis:event", _NSMAP):
        linked = tuple(
            {
                "type": _text(link, "premis:linkingObjectIdentifierType"),
                "id": _text(link, "premis:linkingObjectIdentifierValue"),
                **(
                    {"role": _text(link, "premis:linkingObjectRole")}
                    if link.find("premis:linkingObjectRole", _NSMAP) is not None
                    else {}
                ),
            }
            for link in element.findall("premis:linkingObjectIdentifier", _NSMAP)
        )
        detail_text = _text(element, "premis:eventDetailInformation/premis:eventDetail")
        events.append(
            PremisEventRecord(
                identifier=_text(element, "premis:eventIdentifier/premis:eventIdentifierValue"),
                type=_text(element, "premis:eventType"),
                time=dt.datetime.fromisoformat(_text(element, "premis:eventDateTime")),
                agent=_text(
                    element, "premis:linkingAgentIdentifier/premis:linkingAgentIdentifierValue"
                ),
                outcome=_text(element, "premis:eventOutcomeInformation/premis:eventOutcome"),
                detail=json.loads(detail_text) if detail_text else {},
                linked_objects=linked,
            )
        )
    agents = [
        AipAgent(
            identifier=_text(element, "premis:agentIdentifier/premis:agentIdentifierValue"),
            name=_text(element, "premis:agentName"),
            type=_text(element, "premis:agentType"),
            note=_text(element, "premis:agentVersion")
            or _text(element, "premis:agentNote")
            or None,
        )
        for element in root.findall("premis:agent", _NSMAP)
    ]
    return events, agents
