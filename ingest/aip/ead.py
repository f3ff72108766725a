"""Rewriting the submitted EAD.xml and EAD_doc files to their AIP variants (TT05 Phụ lục I),
and reading a ``<simpledc>`` back.

Every file written is validated against metadata_schemas "EAD_AIP" / "EAD_doc_AIP" first; an
invalid description is never stored.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO

from lxml import etree

from ingest.aip.errors import AipError
from metadata_schemas.codelists import PHYSICAL_CONDITION
from metadata_schemas.schemas import validate
from metadata_schemas.xml import parse_xml

# (element, required) in schema order. Optional elements are written only when they have a
# value; required ones always.
DOSSIER_ELEMENTS: tuple[tuple[str, bool], ...] = (
    ("arcFileCode", True),
    ("title", True),
    ("maintenance", True),
    ("mode", True),
    ("language", True),
    ("startDate", True),
    ("endDate", True),
    ("keyword", False),
    ("totalDoc", True),
    ("numberOfPaper", False),
    ("numberOfPage", True),
    ("format", True),
    ("inforSign", False),
    ("confidenceLevel", True),
    ("paperFileCode", False),
    ("riskRecovery", True),
    ("riskRecoveryStatus", False),
    ("description", False),
)
DOCUMENT_ELEMENTS: tuple[tuple[str, bool], ...] = (
    ("arcFileCode", True),
    ("mode", True),
    ("language", True),
    ("keyword", False),
    ("numberOfPage", True),
    ("format", False),
    ("inforSign", False),
    ("confidenceLevel", True),
    ("description", False),
    ("docCode", True),
    ("docOrdinal", True),
    ("typeName", True),
    ("codeNumber", False),
    ("codeNotation", False),
    ("issuedDate", True),
    ("organName", True),
    ("subject", True),
    ("autograph", False),
    ("process", True),
)
_CONDITION_BY_LABEL = {item.vi.casefold(): item.code for item in PHYSICAL_CONDITION.codes}
_CONDITION_CODES = frozenset(PHYSICAL_CONDITION.code_values())


def condition_code(text: str) -> str:
    """SIP ``format`` is free text ("Tốt"); the AIP carries the code (01 tốt, 02, 03)."""
    value = text.strip()
    if value in _CONDITION_CODES:
        return value
    return _CONDITION_BY_LABEL.get(value.casefold(), "")


def arc_file_code(archive_code: str, file_code: str) -> str:
    """Mã hồ sơ lưu trữ: the archive's code followed by the dossier code (TT05 Phụ lục I)."""
    return f"{archive_code}.{file_code}"


def aip_dossier_fields(sip: Mapping[str, str], arc_code: str) -> dict[str, str]:
    fields = {name: sip.get(name, "").strip() for name, _ in DOSSIER_ELEMENTS}
    fields["arcFileCode"] = arc_code
    fields["format"] = condition_code(sip.get("format", "")) or "01"
    return _written(fields, DOSSIER_ELEMENTS)


def aip_document_fields(
    sip: Mapping[str, str], dossier_sip: Mapping[str, str], arc_code: str, ordinal: int
) -> dict[str, str]:
    fields = {name: sip.get(name, "").strip() for name, _ in DOCUMENT_ELEMENTS}
    fields["arcFileCode"] = arc_code
    fields["docOrdinal"] = str(ordinal)
    fields["format"] = condition_code(sip.get("format", ""))
    for inherited in ("mode", "language", "confidenceLevel"):
        if not fields[inherited]:
            fields[inherited] = dossier_sip.get(inherited, "").strip()
    if not fields["process"]:
        fields["process"] = "0"
    return _written(fields, DOCUMENT_ELEMENTS)


def _written(fields: Mapping[str, str], elements: Sequence[tuple[str, bool]]) -> dict[str, str]:
    """The elements as written: required ones always, optional ones only with a value."""
    return {
        name: fields.get(name, "") for name, required in elements if fields.get(name) or required
    }


def simpledc(
    fields: Mapping[str, str], elements: Sequence[tuple[str, bool]], schema_file: str
) -> etree._ElementTree:
    xsi = "http://www.w3.org/2001/XMLSchema-instance"
    root = etree.Element("simpledc", nsmap={"xsi": xsi})
    root.set(f"{{{xsi}}}noNamespaceSchemaLocation", schema_file)
    for name, required in elements:
        value = fields.get(name, "")
        if value or required:
            etree.SubElement(root, name).text = value
    return etree.ElementTree(root)


def write_validated(tree: etree._ElementTree, schema: str, path: Path) -> None:
    errors = validate(schema, tree)
    if errors:
        raise AipError(
            f"the rewritten description does not validate against {schema}",
            path=str(path),
            errors=[f"line {e.line}: {e.message}" for e in errors],
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    tree.write(str(path), xml_declaration=True, encoding="UTF-8", pretty_print=True)


def read_simpledc(stream: IO[bytes]) -> dict[str, str]:
    """The element texts of a ``<simpledc>`` (stripped; "" when empty)."""
    tree = parse_xml(stream.read())
    return {
        etree.QName(child).localname: (child.text or "").strip()
        for child in tree.getroot()
        if isinstance(child.tag, str)
    }
