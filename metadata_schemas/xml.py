"""Parse untrusted XML: no entity expansion, no DTD loading, no network, no huge trees.

Metadata in a package comes from outside. TT05 files never need a DTD, so any document that
declares entities (billion laughs, external entities) or points at an external DTD is refused
with :class:`UnsafeXmlError` before anything is expanded or fetched. A plain
``<!DOCTYPE simpledc>`` is harmless and accepted.
"""

from __future__ import annotations

import os
import re
from typing import Any

from lxml import etree

from metadata_schemas.errors import MalformedXmlError, UnsafeXmlError

# The DOCTYPE must come before the root element, so it lies in the first bytes of any real
# document; the check after parsing covers a DOCTYPE pushed further by a long prolog.
_HEAD_BYTES = 64 * 1024
_DOCTYPE = re.compile(r"<!DOCTYPE\b")
_EXTERNAL_ID = re.compile(r"<!DOCTYPE\s+[^\s\[>]+\s+(SYSTEM|PUBLIC)\b")
_ENTITY_DECLARATION = re.compile(r"<!ENTITY\b")
# libxml2 errors that mean "entity abuse", should a declaration get past the checks above.
_ENTITY_ERROR_TYPES = {"ERR_RESOURCE_LIMIT", "ERR_ENTITY_LOOP", "ERR_ENTITY_PE_INTERNAL"}


class _RefuseExternalResources(etree.Resolver):
    """Last line of defence: nothing outside the document is ever loaded."""

    def resolve(self, system_url: str | None, public_id: str | None, context: object) -> Any:
        raise UnsafeXmlError(f"external resource requested: {system_url}")


def safe_parser() -> etree.XMLParser:
    """A new parser (parsers are not thread-safe) that resolves nothing outside the text."""
    parser = etree.XMLParser(
        resolve_entities=False,
        load_dtd=False,
        dtd_validation=False,
        no_network=True,
        huge_tree=False,
    )
    parser.resolvers.add(_RefuseExternalResources())
    return parser


def _markup_text(head: bytes) -> str:
    """Decode enough of the head to find markup; every ASCII-compatible encoding reads alike."""
    if head.startswith((b"\xff\xfe", b"<\x00?\x00", b"<\x00!\x00")):
        return head.decode("utf-16-le", errors="ignore")
    if head.startswith((b"\xfe\xff", b"\x00<\x00?", b"\x00<\x00!")):
        return head.decode("utf-16-be", errors="ignore")
    return head.decode("latin-1")


def _refuse_unsafe_doctype(head: bytes) -> None:
    text = _markup_text(head)
    if not _DOCTYPE.search(text):
        return
    if _EXTERNAL_ID.search(text):
        raise UnsafeXmlError("DOCTYPE refers to an external DTD")
    if _ENTITY_DECLARATION.search(text):
        raise UnsafeXmlError("DOCTYPE declares entities")


def _refuse_declared_entities(tree: etree._ElementTree) -> None:
    docinfo = tree.docinfo
    if docinfo.system_url or docinfo.public_id:
        raise UnsafeXmlError("DOCTYPE refers to an external DTD")
    dtd = docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise UnsafeXmlError("DOCTYPE declares entities")


def parse_xml(source: bytes | str | os.PathLike[str]) -> etree._ElementTree:
    """Parse ``source`` (the XML bytes, or a file path) safely.

    Raises :class:`UnsafeXmlError` for entity declarations or an external DTD and
    :class:`MalformedXmlError` (with the line) for anything that is not well-formed.
    """
    if isinstance(source, bytes):
        head = source[:_HEAD_BYTES]
    else:
        with open(source, "rb") as stream:
            head = stream.read(_HEAD_BYTES)
    _refuse_unsafe_doctype(head)
    try:
        if isinstance(source, bytes):
            tree = etree.fromstring(source, safe_parser()).getroottree()
        else:
            # Given a path, lxml would ask the resolvers for the document itself; a stream it
            # reads directly.
            with open(source, "rb") as stream:
                tree = etree.parse(stream, safe_parser())
    except etree.XMLSyntaxError as error:
        if any(entry.type_name in _ENTITY_ERROR_TYPES for entry in error.error_log):
            raise UnsafeXmlError(f"entity abuse: {error.msg}") from None
        raise MalformedXmlError(error.msg, error.lineno) from None
    _refuse_declared_entities(tree)
    return tree
