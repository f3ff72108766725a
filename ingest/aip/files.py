"""What each file of an AIP is: its role, its format when we made it ourselves, its signers.

Shared by the builder and the reader so that a rebuilt catalog says exactly what the first did.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ingest.aip.model import (
    DOCUMENTATION,
    EVIDENCE_DIR,
    REP,
    REPORT,
    FormatInfo,
)

# Files the archive writes itself have a format known by construction (PRONOM ids).
_XML = FormatInfo("fmt/101", "Extensible Markup Language", "1.0", "text/xml")
_XSD = FormatInfo("x-fmt/280", "XML Schema Definition", None, "text/xml")
_JSON = FormatInfo("fmt/817", "JSON Data Interchange Format", None, "application/json")
_PDFA2B = FormatInfo("fmt/477", "Acrobat PDF/A - Portable Document Format", "2b", "application/pdf")
_PEM = FormatInfo(None, "PEM certificate", None, "application/x-pem-file")
_DER = FormatInfo(None, "DER-encoded revocation data", None, "application/octet-stream")
_CN = re.compile(r"Common Name: ([^,]+)")


def known_format(logical_path: str) -> FormatInfo:
    suffix = Path(logical_path).suffix.lower()
    if suffix == ".xsd":
        return _XSD
    if suffix == ".xml":
        return _XML
    if suffix == ".json":
        return _JSON
    if suffix == ".pem":
        return _PEM
    if suffix == ".der":
        return _DER
    if suffix == ".pdf" and logical_path.startswith(DOCUMENTATION + "/"):
        return _PDFA2B
    return FormatInfo(None, None, None, "application/octet-stream")


def role_of(logical_path: str, main_files: Iterable[str], attachments: Iterable[str]) -> str:
    if logical_path in set(main_files):
        return "document"
    if logical_path in set(attachments):
        return "attachment"
    if logical_path == REPORT or logical_path.startswith(EVIDENCE_DIR + "/"):
        return "report"
    if logical_path.startswith(DOCUMENTATION + "/"):
        return "documentation"
    return "metadata"


def evidence_name(logical_path: str) -> str:
    """The folder name ingest's signature evidence uses for a file (see signature_evidence)."""
    return logical_path.strip("/").replace("/", "__").replace("..", "_") or "file"


def evidence_path(logical_path: str) -> str:
    return f"{EVIDENCE_DIR}/{evidence_name(logical_path)}/validation.json"


def signers_from_evidence(logical_path: str, evidence: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Who signed the file, from the ``validation.json`` the signature check left."""
    found: list[dict[str, Any]] = []
    for signature in evidence.get("signatures", []):
        subject = str(signature.get("signer_subject") or "")
        match = _CN.search(subject)
        found.append(
            {
                "file": logical_path,
                "field": signature.get("field"),
                "role": signature.get("signer_role"),
                "name": match.group(1).strip() if match else subject,
                "subject": subject,
                "identifier": signature.get("signer_identifier"),
                "signing_time": signature.get("signing_time_claimed"),
                "valid": signature.get("valid"),
                "trusted": signature.get("trusted"),
            }
        )
    return found


def load_json(data: bytes) -> Any:
    return json.loads(data.decode("utf-8"))


def is_data_file(logical_path: str) -> bool:
    return logical_path.startswith(f"{REP}/data/")
