"""Load the shipped XSDs (offline) and validate documents against them, gathering every error."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from lxml import etree

from metadata_schemas.errors import UnknownSchemaError

XSD_DIR = Path(__file__).resolve().parent / "xsd"

SCHEMA_FILES: dict[str, str] = {
    "EAD_SIP": "EAD_SIP_hoso.xsd",
    "EAD_AIP": "EAD_AIP_hoso.xsd",
    "EAD_doc_SIP": "EAD_doc_SIP.xsd",
    "EAD_doc_AIP": "EAD_doc_AIP.xsd",
    "EAD_doc_DIP": "EAD_doc_DIP.xsd",
    "EAD_pic": "EAD_pic.xsd",
    "EAD_media": "EAD_media.xsd",
    "EAD_DIP_request": "EAD_DIP_request.xsd",
    "METS": "METS_CSIP.xsd",
}

# Remote locations that the shipped schemas import, mapped to the local copies.
LOCAL_COPIES: dict[str, Path] = {
    "http://www.loc.gov/standards/xlink/xlink.xsd": XSD_DIR / "xlink.xsd",
    "https://www.loc.gov/standards/xlink/xlink.xsd": XSD_DIR / "xlink.xsd",
}


@dataclass(frozen=True)
class SchemaError:
    line: int
    message: str
    path: str  # XPath of the offending node, as libxml2 reports it


class _LocalCopyResolver(etree.Resolver):
    def resolve(self, system_url: str | None, public_id: str | None, context: object) -> Any:
        local = LOCAL_COPIES.get(system_url or "")
        if local is not None:
            return self.resolve_filename(str(local), context)
        return None


class _LoadedSchema:
    # One XMLSchema object keeps one error log, so validations of it take turns.
    def __init__(self, schema: etree.XMLSchema) -> None:
        self.schema = schema
        self.lock = threading.Lock()


@cache
def _loaded(name: str) -> _LoadedSchema:
    try:
        filename = SCHEMA_FILES[name]
    except KeyError:
        raise UnknownSchemaError(
            f"no schema named {name!r}; known: {sorted(SCHEMA_FILES)}"
        ) from None
    parser = etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False)
    parser.resolvers.add(_LocalCopyResolver())
    document = etree.parse(str(XSD_DIR / filename), parser)
    return _LoadedSchema(etree.XMLSchema(document))


def load_schema(name: str) -> etree.XMLSchema:
    """The compiled schema ``name`` (see :data:`SCHEMA_FILES`), loaded once per process."""
    return _loaded(name).schema


def validate(name: str, tree: etree._ElementTree | etree._Element) -> list[SchemaError]:
    """Every schema error of ``tree`` against schema ``name``; an empty list means valid.

    All errors libxml2 reports are returned, not just the first. Note that after a structural
    error (a missing or misplaced element) libxml2 stops checking the values of the elements
    that follow it in the same parent; those show up once the structure is fixed.
    """
    loaded = _loaded(name)
    with loaded.lock:
        if loaded.schema.validate(tree):
            return []
        return [
            SchemaError(line=entry.line, message=entry.message, path=entry.path or "")
            for entry in loaded.schema.error_log
        ]
