"""The catalog's XMP packet: PDF/A identification, extension schemas, agreement with /Info."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pikepdf
from lxml import etree
from pikepdf.pdfa import _xmp as pikepdf_xmp
from pikepdf.pdfa._flavour import Flavour

from ingest.checks.pdfa import rules
from ingest.checks.pdfa.xmp_predefined import (
    PROPERTIES,
    XmpNode,
    predefined_type,
    read_node,
    value_matches,
)
from ingest.checks.pdfa.xmp_schemas import (
    EXTENSION_FAMILY,
    RDF,
    XMP_2005_EXTRA_NAMESPACES,
    ExtensionSchemas,
    read_extension_schemas,
)
from ingest.findings import Finding

PDFAID = "http://www.aiim.org/pdfa/ns/id/"
PREDEFINED_NAMESPACES = frozenset(pikepdf_xmp.permitted_namespaces(Flavour("2b"))) | (
    XMP_2005_EXTRA_NAMESPACES
)
_XMLNS = re.compile(r"""xmlns:([A-Za-z0-9_.-]+)\s*=\s*(["'])(.*?)\2""", re.DOTALL)
_MAX_XMP_BYTES = 16_000_000


@dataclass
class XmpReading:
    """What the built-in checker learnt from the XMP packet."""

    root: etree._Element | None = None
    text: str = ""
    prefixes: dict[str, str] = field(default_factory=dict)
    extensions: ExtensionSchemas = field(default_factory=ExtensionSchemas)
    part: str | None = None
    conformance: str | None = None

    def allows_namespace(self, uri: str) -> bool:
        return (
            uri in XMP_2005_EXTRA_NAMESPACES
            or uri in EXTENSION_FAMILY
            or uri in self.extensions.namespaces
            or uri in self.extensions.type_namespaces
        )

    def prefix_used(self, prefix: str) -> bool:
        """Whether an element or attribute name uses ``prefix`` (a bare declaration does not)."""
        return bool(re.search(rf"[<\s/]{re.escape(prefix)}:[A-Za-z_]", self.text))


def read_xmp(pdf: pikepdf.Pdf) -> XmpReading:
    reading = XmpReading()
    metadata = pdf.Root.get("/Metadata")
    if not isinstance(metadata, pikepdf.Stream):
        return reading
    length = metadata.get("/Length")
    if isinstance(length, int) and length > _MAX_XMP_BYTES:
        return reading
    try:
        raw = metadata.read_bytes()
    except pikepdf.PdfError:
        return reading
    text = raw.decode("utf-8", "replace")
    reading.text = text
    reading.prefixes = {prefix: uri for prefix, _q, uri in _XMLNS.findall(text)}
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        reading.root = etree.fromstring(raw, parser)
    except etree.XMLSyntaxError:
        return reading
    reading.extensions = read_extension_schemas(reading.root)
    reading.part = _pdfaid(reading.root, "part")
    reading.conformance = _pdfaid(reading.root, "conformance")
    return reading


def _pdfaid(root: etree._Element, name: str) -> str | None:
    for description in root.iter(f"{{{RDF}}}Description"):
        value = description.get(f"{{{PDFAID}}}{name}")
        if value is not None:
            return value.strip()
        element = description.find(f"{{{PDFAID}}}{name}")
        if element is not None:
            return (element.text or "").strip()
    return None


def check_xmp(reading: XmpReading, logical: str) -> list[Finding]:
    """Extension schema rules, predefined-schema value types, extension properties (6.6.2.3)."""
    findings: list[Finding] = []
    for rule_id, message in reading.extensions.problems:
        clause = rule_id.rsplit("-", 1)[0]
        findings.append(
            rules.METADATA.finding(
                logical, message=message, clause=clause, verapdf_rule=f"ISO_19005_2:{rule_id}"
            )
        )
    findings.extend(_identification(reading, logical))
    if reading.root is None:
        return findings
    declared = reading.extensions.properties
    findings.extend(_predefined_value_types(reading.root, declared, logical))
    for namespace, name in _top_level_properties(reading.root):
        if namespace in PREDEFINED_NAMESPACES or namespace in EXTENSION_FAMILY:
            continue
        if namespace in reading.extensions.namespaces and (namespace, name) not in declared:
            findings.append(
                rules.METADATA.finding(
                    logical,
                    message=f"property {name} of {namespace} is not described by its extension "
                    "schema",
                    clause="6.6.2.3.1",
                    verapdf_rule="ISO_19005_2:6.6.2.3.1-1",
                )
            )
    return findings


def _top_level_values(root: etree._Element) -> list[tuple[str, str, XmpNode | None]]:
    found: list[tuple[str, str, XmpNode | None]] = []
    for description in root.iter(f"{{{RDF}}}Description"):
        parent = description.getparent()
        if parent is None or parent.tag != f"{{{RDF}}}RDF":
            continue
        for name, value in description.attrib.items():
            qname = etree.QName(name)
            if qname.namespace and qname.namespace != RDF:
                found.append((qname.namespace, qname.localname, XmpNode("simple", value)))
        for child in description:
            if isinstance(child.tag, str):
                qname = etree.QName(child)
                found.append((qname.namespace or "", qname.localname, read_node(child)))
    return found


def _predefined_value_types(
    root: etree._Element, declared: set[tuple[str, str]], logical: str
) -> list[Finding]:
    """Properties of XMP 2005 predefined schemas: known to the schema, of the right type."""
    findings: list[Finding] = []
    for namespace, name, value in _top_level_values(root):
        if namespace not in PROPERTIES or (namespace, name) in declared:
            continue
        value_type = predefined_type(namespace, name)
        if value_type is None:
            findings.append(
                rules.METADATA.finding(
                    logical,
                    message=f"property {name} is not defined by the predefined schema {namespace}",
                    clause="6.6.2.3.1",
                    verapdf_rule="ISO_19005_2:6.6.2.3.1-1",
                )
            )
        elif value is not None and not value_matches(value, value_type):
            findings.append(
                rules.METADATA.finding(
                    logical,
                    message=f"property {name} of {namespace} is not of type {value_type}",
                    clause="6.6.2.3.1",
                    verapdf_rule="ISO_19005_2:6.6.2.3.1-2",
                )
            )
    return findings


def _top_level_properties(root: etree._Element) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for description in root.iter(f"{{{RDF}}}Description"):
        parent = description.getparent()
        if parent is None or parent.tag != f"{{{RDF}}}RDF":
            continue
        for name in description.attrib:
            qname = etree.QName(name)
            if qname.namespace and qname.namespace != RDF:
                found.append((qname.namespace, qname.localname))
        for child in description:
            if isinstance(child.tag, str):
                qname = etree.QName(child)
                found.append((qname.namespace or "", qname.localname))
    return found


def _identification(reading: XmpReading, logical: str) -> list[Finding]:
    if reading.part is None:
        return [rules.NOT_PDFA.finding(logical, clause="6.6.4", verapdf_rule="ISO_19005_2:6.6.4-1")]
    if reading.part != "2":
        test = 2
    elif reading.conformance not in ("A", "B", "U"):
        test = 3
    else:
        return []
    return [
        rules.WRONG_PART.finding(
            logical,
            part=reading.part,
            conformance=reading.conformance or "?",
            clause="6.6.4",
            verapdf_rule=f"ISO_19005_2:6.6.4-{test}",
        )
    ]
