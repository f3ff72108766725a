"""XMP schemas PDF/A-2 accepts: those predefined in XMP 2005 and the packet's extension schemas.

pikepdf.pdfa permits only a narrow list of namespaces and rejects every extension schema; veraPDF
(ISO 19005-2 6.6.2.3) accepts any schema predefined in the XMP Specification 2005 and any schema
described by a valid ``pdfaExtension:schemas`` container. This module reads that container and
checks it against 6.6.2.3.2 and 6.6.2.3.3.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
EXTENSION = "http://www.aiim.org/pdfa/ns/extension/"
SCHEMA = "http://www.aiim.org/pdfa/ns/schema#"
PROPERTY = "http://www.aiim.org/pdfa/ns/property#"
TYPE = "http://www.aiim.org/pdfa/ns/type#"
FIELD = "http://www.aiim.org/pdfa/ns/field#"

EXTENSION_FAMILY = {
    EXTENSION: "pdfaExtension",
    SCHEMA: "pdfaSchema",
    PROPERTY: "pdfaProperty",
    TYPE: "pdfaType",
    FIELD: "pdfaField",
}

# Schemas predefined by the XMP Specification (September 2005), beyond those pikepdf knows.
XMP_2005_EXTRA_NAMESPACES = frozenset(
    {
        "http://ns.adobe.com/exif/1.0/",
        "http://ns.adobe.com/exif/1.0/aux/",
        "http://ns.adobe.com/tiff/1.0/",
        "http://ns.adobe.com/camera-raw-settings/1.0/",
        "http://ns.adobe.com/xmp/1.0/DynamicMedia/",
        "http://ns.adobe.com/xap/1.0/bj/",
        "http://ns.adobe.com/xap/1.0/t/pg/",
        "http://ns.adobe.com/xmp/Identifier/qual/1.0/",
        "http://ns.adobe.com/xap/1.0/sType/Dimensions#",
        "http://ns.adobe.com/xap/1.0/sType/Version#",
        "http://ns.adobe.com/xap/1.0/sType/Job#",
        "http://ns.adobe.com/xap/1.0/sType/Font#",
        "http://ns.adobe.com/xap/1.0/g/",
        "http://ns.adobe.com/xap/1.0/g/img/",
        "http://ns.adobe.com/xap/1.0/sType/ManifestItem#",
        "http://ns.adobe.com/xap/1.0/sType/ResourceEvent#",
        "http://ns.adobe.com/xap/1.0/sType/ResourceRef#",
    }
)

# Properties of XMP 2005 that pikepdf.pdfa leaves out of its tables on purpose but veraPDF accepts.
XMP_2005_EXTRA_PROPERTIES = frozenset({"xmp:Advisory", "xmp:Thumbnails"})

# Value types of XMP 2005 an extension property may name without defining it (6.6.2.3.3).
BASIC_VALUE_TYPES = frozenset(
    {
        "Boolean",
        "Date",
        "Integer",
        "Real",
        "Text",
        "AgentName",
        "Choice",
        "Closed Choice",
        "Open Choice",
        "GUID",
        "Lang Alt",
        "Locale",
        "MIMEType",
        "ProperName",
        "RenditionClass",
        "ResourceEvent",
        "ResourceRef",
        "Thumbnail",
        "URI",
        "URL",
        "XPath",
        "Version",
        "Dimensions",
        "Font",
        "Job",
        "Colorant",
        "Flash",
        "CFAPattern",
        "DeviceSettings",
        "OECF/SFR",
        "Rational",
        "GPSCoordinate",
        "Beat Splice Stretch",
        "Marker",
        "Media",
        "Project Link",
        "Resample Stretch",
        "Time",
        "Timecode",
        "Time Scale Stretch",
        "Bag ProperName",
        "Bag Text",
        "Seq Text",
        "Bag Job",
        "Seq Date",
        "Seq ResourceEvent",
        "Bag ResourceRef",
        "Seq ProperName",
        "Bag Date",
        "Bag Thumbnail",
        "Bag Font",
        "Seq Colorant",
        "Seq Integer",
        "Seq Rational",
        "Bag XPath",
        "Bag Locale",
        "Seq Locale",
        "Seq Marker",
        "Alt Thumbnail",
        "Bag Integer",
        "Seq Real",
        "Bag Real",
    }
)


@dataclass
class ExtensionSchemas:
    """What the packet's extension schemas declare, and what is wrong with them."""

    present: bool = False
    namespaces: set[str] = field(default_factory=set)
    type_namespaces: set[str] = field(default_factory=set)  # fields of structured value types
    properties: set[tuple[str, str]] = field(default_factory=set)  # (namespace URI, name)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (veraPDF rule id, message)


def _local(element: etree._Element) -> tuple[str, str]:
    qname = etree.QName(element)
    return qname.namespace or "", qname.localname


def _struct_node(li: etree._Element) -> etree._Element | None:
    """The node holding the fields of a structured rdf:li (parseType=Resource or Description)."""
    if li.get(f"{{{RDF}}}parseType") == "Resource":
        return li
    description = li.find(f"{{{RDF}}}Description")
    return description if description is not None else None


def _fields(node: etree._Element) -> dict[tuple[str, str], etree._Element | str]:
    values: dict[tuple[str, str], etree._Element | str] = {}
    for name, value in node.attrib.items():
        qname = etree.QName(name)
        if qname.namespace != RDF:
            values[(qname.namespace or "", qname.localname)] = value
    for child in node:
        if isinstance(child.tag, str):
            values[_local(child)] = child
    return values


def _text(value: etree._Element | str | None) -> str | None:
    """Text of a simple field; None when the field is missing or not simple text."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if len(value) or value.get(f"{{{RDF}}}resource") is not None:
        return None
    return value.text or ""


def _array_items(value: etree._Element | str | None, kind: str) -> list[etree._Element] | None:
    """The rdf:li items of an rdf:Seq/Bag field, or None if the field is not that array."""
    if value is None or isinstance(value, str):
        return None
    containers = [c for c in value if isinstance(c.tag, str)]
    if value.get(f"{{{RDF}}}parseType") == "Resource" or len(containers) != 1:
        return None
    if containers[0].tag != f"{{{RDF}}}{kind}":
        return None
    return [li for li in containers[0] if li.tag == f"{{{RDF}}}li"]


def _prefix_ok(value: etree._Element | str | None, element_prefix: str | None, wanted: str) -> bool:
    return not isinstance(value, etree._Element) or element_prefix == wanted


def read_extension_schemas(root: etree._Element) -> ExtensionSchemas:
    found = ExtensionSchemas()
    for container in root.iter(f"{{{EXTENSION}}}schemas"):
        found.present = True
        if container.prefix != "pdfaExtension":
            found.problems.append(("6.6.2.3.3-1", "pdfaExtension:schemas uses another prefix"))
        schemas = _array_items(container, "Bag")
        if schemas is None:
            found.problems.append(("6.6.2.3.3-1", "pdfaExtension:schemas is not an rdf:Bag"))
            continue
        for li in schemas:
            _read_schema(li, found)
    return found


def _read_schema(li: etree._Element, found: ExtensionSchemas) -> None:
    node = _struct_node(li)
    if node is None:
        found.problems.append(("6.6.2.3.3-2", "an extension schema is not a structure"))
        return
    fields = _fields(node)
    _check_undefined(
        fields, SCHEMA, {"schema", "namespaceURI", "prefix", "property", "valueType"}, found
    )
    required = (
        ("schema", "6.6.2.3.3-2"),
        ("namespaceURI", "6.6.2.3.3-3"),
        ("prefix", "6.6.2.3.3-4"),
    )
    for name, rule_id in required:
        value = fields.get((SCHEMA, name))
        if _text(value) is None or not _element_prefix_is(value, "pdfaSchema"):
            found.problems.append((rule_id, f"pdfaSchema:{name} missing or not valid text"))
    namespace = _text(fields.get((SCHEMA, "namespaceURI")))
    if namespace:
        found.namespaces.add(namespace)
    defined_types: set[str] = set()
    value_types = fields.get((SCHEMA, "valueType"))
    if value_types is not None:
        type_items = _array_items(value_types, "Seq")
        if type_items is None or not _element_prefix_is(value_types, "pdfaSchema"):
            found.problems.append(("6.6.2.3.3-6", "pdfaSchema:valueType is not an rdf:Seq"))
        for type_li in type_items or []:
            defined_types.update(_read_value_type(type_li, found))
    properties = fields.get((SCHEMA, "property"))
    if properties is not None:
        property_items = _array_items(properties, "Seq")
        if property_items is None or not _element_prefix_is(properties, "pdfaSchema"):
            found.problems.append(("6.6.2.3.3-5", "pdfaSchema:property is not an rdf:Seq"))
        for property_li in property_items or []:
            _read_property(property_li, namespace, defined_types, found)


def _element_prefix_is(value: etree._Element | str | None, prefix: str) -> bool:
    return not isinstance(value, etree._Element) or value.prefix == prefix


def _check_undefined(
    fields: dict[tuple[str, str], etree._Element | str],
    namespace: str,
    allowed: set[str],
    found: ExtensionSchemas,
) -> None:
    for field_namespace, name in fields:
        if field_namespace != namespace or name not in allowed:
            found.problems.append(
                (
                    "6.6.2.3.2-1",
                    f"undefined field {{{field_namespace}}}{name} in an extension schema",
                )
            )


def _value_type_defined(value_type: str, defined_types: set[str]) -> bool:
    if value_type in BASIC_VALUE_TYPES or value_type in defined_types:
        return True
    for array in ("Bag ", "Seq ", "Alt "):
        if value_type.startswith(array):
            inner = value_type[len(array) :]
            return inner in BASIC_VALUE_TYPES or inner in defined_types
    return False


def _read_property(
    li: etree._Element, namespace: str | None, defined_types: set[str], found: ExtensionSchemas
) -> None:
    node = _struct_node(li)
    if node is None:
        found.problems.append(("6.6.2.3.3-7", "an extension property is not a structure"))
        return
    fields = _fields(node)
    _check_undefined(fields, PROPERTY, {"name", "valueType", "category", "description"}, found)
    name = _text(fields.get((PROPERTY, "name")))
    if name is None or not _element_prefix_is(fields.get((PROPERTY, "name")), "pdfaProperty"):
        found.problems.append(("6.6.2.3.3-7", "pdfaProperty:name missing or not valid text"))
    elif namespace:
        found.properties.add((namespace, name))
    value_type = _text(fields.get((PROPERTY, "valueType")))
    if value_type is None or not _value_type_defined(value_type, defined_types):
        found.problems.append(("6.6.2.3.3-8", f"pdfaProperty:valueType {value_type!r} undefined"))
    category = _text(fields.get((PROPERTY, "category")))
    if category not in ("internal", "external"):
        found.problems.append(("6.6.2.3.3-9", f"pdfaProperty:category {category!r} not valid"))
    if _text(fields.get((PROPERTY, "description"))) is None:
        found.problems.append(("6.6.2.3.3-10", "pdfaProperty:description missing"))


def _read_value_type(li: etree._Element, found: ExtensionSchemas) -> set[str]:
    node = _struct_node(li)
    if node is None:
        found.problems.append(("6.6.2.3.3-11", "an extension value type is not a structure"))
        return set()
    fields = _fields(node)
    _check_undefined(
        fields, TYPE, {"type", "namespaceURI", "prefix", "description", "field"}, found
    )
    required = (
        ("type", "6.6.2.3.3-11"),
        ("namespaceURI", "6.6.2.3.3-12"),
        ("prefix", "6.6.2.3.3-13"),
        ("description", "6.6.2.3.3-14"),
    )
    for name, rule_id in required:
        if _text(fields.get((TYPE, name))) is None:
            found.problems.append((rule_id, f"pdfaType:{name} missing or not valid text"))
    type_fields = fields.get((TYPE, "field"))
    if type_fields is not None:
        items = _array_items(type_fields, "Seq")
        if items is None:
            found.problems.append(("6.6.2.3.3-15", "pdfaType:field is not an rdf:Seq"))
        for field_li in items or []:
            field_node = _struct_node(field_li)
            if field_node is None:
                found.problems.append(("6.6.2.3.3-16", "an extension field is not a structure"))
                continue
            field_values = _fields(field_node)
            _check_undefined(field_values, FIELD, {"name", "valueType", "description"}, found)
            for name, rule_id in (
                ("name", "6.6.2.3.3-16"),
                ("valueType", "6.6.2.3.3-17"),
                ("description", "6.6.2.3.3-18"),
            ):
                if _text(field_values.get((FIELD, name))) is None:
                    found.problems.append((rule_id, f"pdfaField:{name} missing"))
    type_namespace = _text(fields.get((TYPE, "namespaceURI")))
    if type_namespace:
        found.type_namespaces.add(type_namespace)
    type_name = _text(fields.get((TYPE, "type")))
    return {type_name} if type_name else set()
