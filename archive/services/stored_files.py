"""Reading an archived file back from preservation storage, from the first location that has it.

Files are addressed by their logical path in the dossier's OCFL object (the AIP path, e.g.
``representations/rep1/data/000.00.01.H41.2025.01.VP.1.pdf``). A location that is down or
lacks the object is skipped; the caller is told which location answered."""

from __future__ import annotations

from dataclasses import dataclass

from archive.errors import NotFound, ServiceUnavailable
from archive.logs import get_logger
from archive.services.locations import open_locations
from archive.settings import Settings
from storage.errors import ObjectNotFound, StorageError
from storage.interfaces import ObjectStream
from storage.ocfl import open_file

log = get_logger(__name__)


@dataclass
class StoredFile:
    stream: ObjectStream
    location: str


def open_stored_file(
    settings: Settings, object_id: str, logical_path: str, version: str | None = None
) -> StoredFile:
    missing = 0
    for store in open_locations(settings):
        try:
            return StoredFile(open_file(store, object_id, logical_path, version), store.name)
        except ObjectNotFound:
            missing += 1
            log.warning("file missing on a location", location=store.name, object_id=object_id)
        except StorageError as exc:
            log.warning("location unavailable", location=store.name, error=str(exc))
    if missing == len(settings.locations):
        raise NotFound(f"{logical_path} is not in object {object_id}")
    raise ServiceUnavailable(
        "không đọc được tệp từ kho lưu trữ nào / no storage location could serve the file"
    )
