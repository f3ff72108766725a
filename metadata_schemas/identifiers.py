"""Identifiers of TT05 packages: organisation codes (QĐ 20/2020), dossier codes (fileCode),
document IDs (docId), archival document codes (docCode) and package OBJIDs.

Parsers return typed values or raise :class:`InvalidValueError` whose ``part`` names the
component that is wrong (``organisation_code.level1``, ``year``, ``sequence`` …), so a caller
can report exactly what to fix.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, replace

from metadata_schemas.errors import InvalidValueError

FILE_CODE_MAX_LENGTH = 100  # TT05 fileCode, String 100
DOSSIER_NUMBER_MAX_LENGTH = 20  # NĐ 30/2020 Phụ lục VI: số và ký hiệu hồ sơ, String 20
DOC_CODE_MAX_LENGTH = 100
# TT05 gives docId String 25, yet docId = fileCode + "." + sequence and a fileCode built from a
# 13-character QĐ20 organisation code is already 21+ characters ("000.00.00.H41.2025.01.TCCB.1"
# is 28). The schemas therefore allow 100 and this limit is checked on its own, by
# doc_id_within_limit, for the caller to report as a warning until the receiving archive says
# which rule wins.
DOC_ID_MAX_LENGTH = 25
DOC_CODE_SEQUENCE_DIGITS = 7

_LEVEL_PATTERNS = (
    ("level4", re.compile(r"\d{3}"), "3 digits"),
    ("level3", re.compile(r"\d{2}"), "2 digits"),
    ("level2", re.compile(r"\d{2}"), "2 digits"),
    ("level1", re.compile(r"[A-K]\d{2}"), "a letter A–K (organisation group) and 2 digits"),
)
_UNUSED = {"level4": "000", "level3": "00", "level2": "00"}
_YEAR = re.compile(r"\d{4}")
_DOSSIER_NUMBER = re.compile(r"\d+(?:[.\-/][^\W_]+)*")
_SEQUENCE = re.compile(r"[1-9]\d*")
_UUID = r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}"
_SIP_OBJID = re.compile(rf"uuid-({_UUID})")
_AIP_OBJID = re.compile(rf"urn:uuid:({_UUID})|urn:([A-Za-z0-9_.\-]+):uuid-({_UUID})")


@dataclass(frozen=True)
class OrganisationCode:
    """``LLL.KK.JJ.Xnn``: level 4, 3, 2 and the level-1 body; zeros mean "level not used"."""

    level4: str
    level3: str
    level2: str
    level1: str

    @property
    def group(self) -> str:
        """The QĐ20 letter group: A Party … G ministries, H provincial People's Committees …"""
        return self.level1[0]

    @property
    def depth(self) -> int:
        """1 for a level-1 body itself, up to 4 for a level-4 unit."""
        used = [self.level2 != "00", self.level3 != "00", self.level4 != "000"]
        return 1 + sum(used)

    def parent(self) -> OrganisationCode | None:
        """The code of the unit one level up, or None for a level-1 body."""
        if self.level4 != "000":
            return replace(self, level4="000")
        if self.level3 != "00":
            return replace(self, level3="00")
        if self.level2 != "00":
            return replace(self, level2="00")
        return None

    def __str__(self) -> str:
        return f"{self.level4}.{self.level3}.{self.level2}.{self.level1}"


def parse_organisation_code(text: str) -> OrganisationCode:
    groups = text.split(".")
    if len(groups) != 4:
        raise InvalidValueError(
            "organisation_code", f"{text!r} is not four dot-separated groups LLL.KK.JJ.Xnn"
        )
    if re.fullmatch(r"[A-K]\d{2}", groups[0]):
        raise InvalidValueError(
            "organisation_code",
            f"{text!r} is written level 1 first; QĐ 20/2020 writes LLL.KK.JJ.Xnn",
        )
    levels = dict(zip(("level4", "level3", "level2", "level1"), groups, strict=True))
    for part, pattern, shape in _LEVEL_PATTERNS:
        if not pattern.fullmatch(levels[part]):
            raise InvalidValueError(
                f"organisation_code.{part}", f"{levels[part]!r} must be {shape}"
            )
    # A unit cannot sit under a level that is not used: 000.02.00.H41 names no level-2 unit.
    for lower, upper in (("level3", "level2"), ("level4", "level3")):
        if levels[lower] != _UNUSED[lower] and levels[upper] == _UNUSED[upper]:
            raise InvalidValueError(
                f"organisation_code.{lower}", f"{text!r} sets {lower} while {upper} is unused"
            )
    return OrganisationCode(**levels)


@dataclass(frozen=True)
class FileCode:
    """Mã hồ sơ: organisation code + "." + year formed + "." + dossier number and symbol."""

    organisation: OrganisationCode
    year: int
    dossier_number: str  # e.g. "01.TCCB"

    def __str__(self) -> str:
        return f"{self.organisation}.{self.year:04d}.{self.dossier_number}"


def parse_file_code(text: str) -> FileCode:
    """Parse e.g. ``000.00.00.H41.2025.01.TCCB``."""
    if len(text) > FILE_CODE_MAX_LENGTH:
        raise InvalidValueError("file_code", f"longer than {FILE_CODE_MAX_LENGTH} characters")
    groups = text.split(".")
    organisation = parse_organisation_code(".".join(groups[:4]))
    if len(groups) < 6:
        raise InvalidValueError(
            "file_code", f"{text!r} is not organisation code.year.dossier number"
        )
    year, dossier_number = groups[4], ".".join(groups[5:])
    if not _YEAR.fullmatch(year) or int(year) == 0:
        raise InvalidValueError("year", f"{year!r} is not a 4-digit year")
    if len(dossier_number) > DOSSIER_NUMBER_MAX_LENGTH:
        raise InvalidValueError(
            "dossier_number", f"{dossier_number!r} is longer than {DOSSIER_NUMBER_MAX_LENGTH}"
        )
    if not _DOSSIER_NUMBER.fullmatch(dossier_number):
        raise InvalidValueError(
            "dossier_number", f"{dossier_number!r} is not a number optionally followed by a symbol"
        )
    return FileCode(organisation, int(year), dossier_number)


def _split_sequence(text: str, what: str) -> tuple[str, str]:
    prefix, dot, sequence = text.rpartition(".")
    if not dot:
        raise InvalidValueError(what, f"{text!r} has no sequence after the dossier code")
    return prefix, sequence


@dataclass(frozen=True)
class DocId:
    """Mã định danh tài liệu: fileCode + "." + the document's sequence in the dossier."""

    file_code: FileCode
    sequence: int

    def __str__(self) -> str:
        return f"{self.file_code}.{self.sequence}"


def parse_doc_id(text: str) -> DocId:
    prefix, sequence = _split_sequence(text, "doc_id")
    if not _SEQUENCE.fullmatch(sequence):
        raise InvalidValueError("sequence", f"{sequence!r} is not a positive number")
    return DocId(parse_file_code(prefix), int(sequence))


def doc_id_within_limit(doc_id: str) -> bool:
    """Whether ``doc_id`` respects TT05's 25 characters (see :data:`DOC_ID_MAX_LENGTH`)."""
    return len(doc_id) <= DOC_ID_MAX_LENGTH


@dataclass(frozen=True)
class DocCode:
    """Mã lưu trữ của tài liệu: fileCode + "." + the sequence padded to 7 digits."""

    file_code: FileCode
    sequence: int

    def __str__(self) -> str:
        return f"{self.file_code}.{self.sequence:0{DOC_CODE_SEQUENCE_DIGITS}d}"


def parse_doc_code(text: str) -> DocCode:
    if len(text) > DOC_CODE_MAX_LENGTH:
        raise InvalidValueError("doc_code", f"longer than {DOC_CODE_MAX_LENGTH} characters")
    prefix, sequence = _split_sequence(text, "doc_code")
    if not re.fullmatch(rf"\d{{{DOC_CODE_SEQUENCE_DIGITS}}}", sequence) or int(sequence) == 0:
        raise InvalidValueError(
            "sequence", f"{sequence!r} is not a {DOC_CODE_SEQUENCE_DIGITS}-digit sequence"
        )
    return DocCode(parse_file_code(prefix), int(sequence))


def parse_sip_objid(text: str) -> uuid.UUID:
    """SIP ``OBJID`` (and folder name): ``uuid-`` followed by a UUID."""
    match = _SIP_OBJID.fullmatch(text)
    if match is None:
        raise InvalidValueError("objid", f"{text!r} is not uuid-<UUID>")
    return uuid.UUID(match[1])


def sip_objid(value: uuid.UUID) -> str:
    return f"uuid-{value}"


@dataclass(frozen=True)
class AipObjectId:
    """AIP ``OBJID``: ``urn:uuid:<UUID>`` or ``urn:<mã phông>:uuid-<UUID>``."""

    uuid: uuid.UUID
    fonds_code: str | None = None

    def __str__(self) -> str:
        if self.fonds_code is None:
            return f"urn:uuid:{self.uuid}"
        return f"urn:{self.fonds_code}:uuid-{self.uuid}"

    @property
    def folder_name(self) -> str:
        """TT05 names the AIP folder after the OBJID with ":" replaced by "_"."""
        return str(self).replace(":", "_")


def parse_aip_objid(text: str) -> AipObjectId:
    match = _AIP_OBJID.fullmatch(text)
    if match is None:
        raise InvalidValueError(
            "objid", f"{text!r} is not urn:uuid:<UUID> or urn:<fonds code>:uuid-<UUID>"
        )
    if match[1] is not None:
        return AipObjectId(uuid.UUID(match[1]))
    return AipObjectId(uuid.UUID(match[3]), match[2])
