"""Export a whole dossier "to PDF and XML in chronological order" (NĐ 30/2020 Phụ lục VI
III.4.g): a zip holding the original PDFs of the documents, ordered by issued date and
prefixed with that order (the originals keep their signatures; a merged PDF would not), and
``muc-luc.xml`` with the dossier's and the documents' metadata in the same order. Streamed:
the zip is produced while the files are read from storage, never held whole."""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from lxml import etree
from sqlalchemy.orm import Session

from archive.catalog.records import Document, Dossier
from archive.services import dossiers
from archive.services.stored_files import open_stored_file
from archive.settings import Settings
from metadata_schemas.dates import parse_partial_date
from metadata_schemas.errors import InvalidValueError

CHUNK = 1024 * 1024
XML_NAME = "muc-luc.xml"


def _issued(document: Document) -> dt.date:
    try:
        return parse_partial_date(document.issued_date or "").earliest()
    except InvalidValueError:
        return dt.date.max


def chronological(documents: Sequence[Document]) -> list[Document]:
    return sorted(documents, key=lambda d: (_issued(d), d.sequence))


@dataclass(frozen=True)
class ExportEntry:
    name: str  # name in the zip
    logical_path: str | None  # in the OCFL object; None: the generated XML


def plan(session: Session, dossier: Dossier, documents: Sequence[Document]) -> list[ExportEntry]:
    entries: list[ExportEntry] = []
    for order, document in enumerate(chronological(documents), 1):
        for index, item in enumerate(dossiers.document_files(session, document)):
            base = item.logical_path.rsplit("/", 1)[-1]
            prefix = f"{order:03d}" if index == 0 else f"{order:03d}-{index}"
            entries.append(ExportEntry(f"{prefix}_{base}", item.logical_path))
    entries.append(ExportEntry(XML_NAME, None))
    return entries


def metadata_xml(dossier: Dossier, documents: Sequence[Document]) -> bytes:
    root = etree.Element("hoSo", id=dossier.id)
    meta = dossier.metadata_json or {}
    for key in sorted(meta):
        if isinstance(meta[key], str) and meta[key]:
            etree.SubElement(root, key).text = meta[key]
    listing = etree.SubElement(root, "mucLucVanBan", thuTu="theo ngày ban hành")
    for order, document in enumerate(chronological(documents), 1):
        item = etree.SubElement(listing, "vanBan", thuTu=str(order), id=document.id)
        for key, value in sorted((document.metadata_json or {}).items()):
            if isinstance(value, str) and value:
                etree.SubElement(item, key).text = value
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


class _Sink:
    """A write-only, unseekable file for zipfile that hands out what was written."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.chunks.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass

    def take(self) -> Iterator[bytes]:
        chunks, self.chunks = self.chunks, []
        yield from chunks


def stream_export(
    settings: Settings, object_id: str, entries: Sequence[ExportEntry], xml: bytes
) -> Iterator[bytes]:
    """The zip, chunk by chunk. Takes plain values: it runs after the request's session."""
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_STORED) as archive:
        for entry in entries:
            if entry.logical_path is None:
                archive.writestr(entry.name, xml)
                yield from sink.take()
                continue
            stored = open_stored_file(settings, object_id, entry.logical_path)
            with stored.stream as source, archive.open(entry.name, "w", force_zip64=True) as out:
                while chunk := source.read(CHUNK):
                    out.write(chunk)
                    yield from sink.take()
            yield from sink.take()
    yield from sink.take()
