"""AIP_hoso (TT 05/2025/TT-BNV Phụ lục I): built from an accepted SIP_hoso, read back from storage.

Pure code: files and data in, files and data out. No catalog, no storage backend.
"""

from ingest.aip.builder import AipInput, BuiltAip, build_aip
from ingest.aip.errors import AipError
from ingest.aip.model import (
    AipAgent,
    AipDescription,
    AipDocument,
    AipFile,
    FormatInfo,
    PremisEventRecord,
)
from ingest.aip.reader import read_aip

__all__ = [
    "AipAgent",
    "AipDescription",
    "AipDocument",
    "AipError",
    "AipFile",
    "AipInput",
    "BuiltAip",
    "FormatInfo",
    "PremisEventRecord",
    "build_aip",
    "read_aip",
]
