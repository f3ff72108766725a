"""Preservation storage: object stores (local folder, S3), OCFL 1.1 objects, digests, fixity.

Callers use :class:`ObjectStore` and :func:`open_store`; concrete backends are chosen by
:class:`LocationConfig` and never imported directly.
"""

from storage.config import LocationConfig
from storage.errors import (
    DigestMismatch,
    InvalidKey,
    InventoryError,
    ObjectNotFound,
    OcflError,
    SizeMismatch,
    StorageConfigError,
    StorageError,
    TransientStorageError,
)
from storage.factory import open_store, open_stores
from storage.interfaces import ObjectInfo, ObjectStore, ObjectStream

__all__ = [
    "DigestMismatch",
    "InvalidKey",
    "InventoryError",
    "LocationConfig",
    "ObjectInfo",
    "ObjectNotFound",
    "ObjectStore",
    "ObjectStream",
    "OcflError",
    "SizeMismatch",
    "StorageConfigError",
    "StorageError",
    "TransientStorageError",
    "open_store",
    "open_stores",
]
