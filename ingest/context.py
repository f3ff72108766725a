"""What a check is given: the files to look at, what the metadata says of them, and its limits.

Checks are pure functions ``(files, context) -> list[Finding]``. They know nothing of HTTP,
the catalog or settings; the caller (pipeline, CLI) fills a :class:`CheckContext` from its own
configuration.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class DocumentInfo:
    """What the package's EAD_doc says of the document a file holds (None when unknown)."""

    doc_id: str
    confidence_level: str  # TT05 code: 01 born digital, 02 digitised, 03 mixed
    type_name: str = ""  # TT05 typeName code 01-32
    code_number: str = ""
    code_notation: str = ""
    is_attachment: bool = False  # an attachment in a separate file: organisation signature only
    is_map_or_drawing: bool = False  # typeName 30/31: digitised at 300 dpi


@dataclass(frozen=True)
class PackageFile:
    path: Path  # where the bytes are on disk now
    logical_path: str  # path inside the package, e.g. representations/rep1/data/X.1.pdf
    size: int
    sha256: str | None = None
    document: DocumentInfo | None = None


@dataclass(frozen=True)
class SignerRecognition:
    """How a certificate is told to be a person's or an organisation's.

    Vietnamese CAs put personal identifiers (CMND/CCCD/passport) or organisation identifiers
    (MST tax code, MNS budget code) into the subject's UID (0.9.2342.19200300.100.1.1) or
    serialNumber (2.5.4.5) attribute, as ``PREFIX:value``.
    """

    person_prefixes: tuple[str, ...] = ("CMND:", "CCCD:", "HC:", "CMT:")
    organisation_prefixes: tuple[str, ...] = ("MST:", "MNS:", "MDDCQ:", "MQHNS:")


@dataclass
class CheckContext:
    """Configuration and limits for content checks; all optional so a check can run alone."""

    validation_time: dt.datetime | None = None  # signatures: validate as of this moment
    trust_roots_pem: list[bytes] = field(default_factory=list)
    signer_recognition: SignerRecognition = field(default_factory=SignerRecognition)
    clamd_socket: str | None = None
    clamav_database_dir: Path | None = None
    clamscan_path: str = "clamscan"
    verapdf_path: str | None = None
    verapdf_timeout_seconds: float = 600.0
    verapdf_heap: str = "1g"
    step_timeout_seconds: float = 300.0
    evidence_dir: Path | None = None  # where signature validation evidence is written
    work_dir: Path | None = None
