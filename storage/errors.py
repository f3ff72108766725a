"""The one exception family of the ``storage`` package.

Every error carries a human message and a ``details`` mapping (key, location, digests, attempts…)
so that callers can log it structurally or turn it into a problem+json response.
"""

from __future__ import annotations

from typing import Any


class StorageError(Exception):
    """Base of every error raised by ``storage``."""

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details: dict[str, Any] = details

    def __str__(self) -> str:
        if not self.details:
            return self.message
        extra = ", ".join(f"{k}={v!r}" for k, v in self.details.items())
        return f"{self.message} ({extra})"


class StorageConfigError(StorageError):
    """A storage location is configured wrongly (unknown kind, missing bucket, …)."""


class TransientStorageError(StorageError):
    """The backend could not be reached or kept failing after retries; trying later may work."""


class ObjectNotFound(StorageError):
    """No object (file) under the key."""

    def __init__(self, key: str, **details: Any) -> None:
        super().__init__("object not found", key=key, **details)
        self.key = key


class InvalidKey(StorageError):
    """A key that is empty, absolute, escapes the root or uses reserved names."""

    def __init__(self, key: str, reason: str) -> None:
        super().__init__(f"invalid key: {reason}", key=key)
        self.key = key
        self.reason = reason


class DigestMismatch(StorageError):
    """Bytes do not have the digest they were announced or recorded with."""

    def __init__(
        self, key: str, algorithm: str, expected: str, actual: str | None, **details: Any
    ) -> None:
        super().__init__(
            "digest mismatch",
            key=key,
            algorithm=algorithm,
            expected=expected,
            actual=actual,
            **details,
        )
        self.key = key
        self.algorithm = algorithm
        self.expected = expected
        self.actual = actual


class SizeMismatch(StorageError):
    """A stream delivered a different number of bytes than announced."""

    def __init__(self, key: str, expected: int, actual: int) -> None:
        super().__init__("size mismatch", key=key, expected=expected, actual=actual)
        self.key = key
        self.expected = expected
        self.actual = actual


class OcflError(StorageError):
    """An OCFL storage root or object is malformed or cannot be written as asked."""


class InventoryError(OcflError):
    """An OCFL inventory is missing, unparsable or fails its sidecar digest."""
