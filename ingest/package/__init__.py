"""Reading SIP_hoso packages as LAYOUT.md describes them."""

from ingest.package.content import content_files
from ingest.package.model import Agent, Description, Document, FileRef, MetsDocument, Package
from ingest.package.reader import read_package

__all__ = [
    "Agent",
    "Description",
    "Document",
    "FileRef",
    "MetsDocument",
    "Package",
    "content_files",
    "read_package",
]
