"""What a SIP_hoso package says of itself, as read from its METS and EAD files (LAYOUT.md).

Plain data: the reader fills it, the checks judge it. The parsed XML trees are kept so the
checks can look at attributes the model does not name and report lines.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from metadata_schemas.dates import parse_date
from metadata_schemas.errors import InvalidValueError


@dataclass(frozen=True)
class FileRef:
    """One file a METS lists, in its fileSec (``file``) or dmdSec (``mdRef``)."""

    id: str
    path: str | None  # relative to the package root; None when the href is unusable
    href: str
    size: int | None
    checksum: str | None
    checksum_type: str | None
    mimetype: str | None
    listed_in: str  # the METS that lists it, relative to the package root
    line: int | None
    group: str | None = None  # fileGrp/@USE; None for an mdRef


@dataclass(frozen=True)
class Agent:
    role: str | None
    type: str | None
    other_type: str | None
    name: str
    notes: dict[str, str]  # csip:NOTETYPE → text


@dataclass
class MetsDocument:
    path: str  # relative to the package root: "METS.xml", "representations/rep1/METS.xml"
    tree: etree._ElementTree
    objid: str | None
    type: str | None
    profile: str | None
    oais_package_type: str | None  # on mets (TT05) or mets/metsHdr (CSIP 2.0.4)
    content_information_type: str | None
    create_date: str | None
    agents: list[Agent]
    dmd_refs: dict[str, FileRef]  # dmdSec/@ID → its mdRef
    files: dict[str, FileRef]  # file/@ID → file

    @property
    def folder(self) -> str:
        """The folder the METS sits in, relative to the root ("" for the root METS)."""
        parent = self.path.rpartition("/")[0]
        return parent


@dataclass
class Description:
    """An EAD.xml or EAD_doc: the root <simpledc> and its child elements' text."""

    path: str
    tree: etree._ElementTree
    fields: dict[str, str]  # element name → stripped text ("" when empty)
    lines: dict[str, int]  # element name → source line

    def text(self, name: str) -> str:
        return self.fields.get(name, "")

    def number(self, name: str) -> int | None:
        value = self.text(name)
        return int(value) if value.isdigit() else None

    def date(self, name: str) -> dt.date | None:
        try:
            return parse_date(self.text(name))
        except InvalidValueError:
            return None

    def codes(self, name: str) -> list[str]:
        return self.text(name).split()

    # Typed accessors for the elements the checks use most.
    @property
    def file_code(self) -> str:
        return self.text("fileCode")

    @property
    def mode(self) -> str:
        return self.text("mode")

    @property
    def maintenance(self) -> str:
        return self.text("maintenance")

    @property
    def confidence_level(self) -> str:
        return self.text("confidenceLevel")

    @property
    def number_of_page(self) -> int | None:
        return self.number("numberOfPage")


@dataclass
class Document:
    """One document: one div of the representation structMap, one EAD_doc, its files."""

    sequence: int  # div/@ORDER, else its position (1-based)
    label: str  # div/@LABEL, the docId by LAYOUT.md
    dmd_id: str | None
    ead_path: str | None  # EAD_doc path relative to the root, None when no dmdSec matches
    description: Description | None
    files: list[FileRef]  # main file first, then attachments in order
    line: int | None = None

    @property
    def doc_id(self) -> str:
        return self.description.text("docId") if self.description else self.label

    @property
    def fields(self) -> dict[str, str]:
        return self.description.fields if self.description else {}

    @property
    def main_file(self) -> FileRef | None:
        return self.files[0] if self.files else None

    @property
    def attachments(self) -> list[FileRef]:
        return self.files[1:]


@dataclass
class Package:
    root: Path
    mets: MetsDocument | None = None
    representation: MetsDocument | None = None
    dossier: Description | None = None
    documents: list[Document] = field(default_factory=list)

    @property
    def objid(self) -> str | None:
        return self.mets.objid if self.mets else None

    @property
    def package_type(self) -> str | None:
        return self.mets.oais_package_type if self.mets else None

    @property
    def agents(self) -> list[Agent]:
        return self.mets.agents if self.mets else []

    @property
    def file_code(self) -> str | None:
        """The dossier's fileCode (mã hồ sơ), None when EAD.xml could not be read."""
        return self.dossier.file_code or None if self.dossier else None

    @property
    def dossier_fields(self) -> dict[str, str]:
        return self.dossier.fields if self.dossier else {}

    @property
    def schemas(self) -> list[FileRef]:
        if self.mets is None:
            return []
        return [ref for ref in self.mets.files.values() if ref.group == "Schemas"]

    def listed_files(self) -> list[FileRef]:
        """Every file either METS lists, metadata and data alike."""
        listed: list[FileRef] = []
        for mets in (self.mets, self.representation):
            if mets is not None:
                listed.extend(mets.dmd_refs.values())
                listed.extend(mets.files.values())
        return listed

    def agency_code(self) -> str | None:
        """The submitting organisation's code: the agent note IDENTIFICATIONCODE (LAYOUT.md)."""
        for agent in self.agents:
            if agent.type == "ORGANIZATION" and "IDENTIFICATIONCODE" in agent.notes:
                return agent.notes["IDENTIFICATIONCODE"]
        return None
