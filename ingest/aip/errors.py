"""What can go wrong while building or reading an AIP."""

from __future__ import annotations

from typing import Any


class AipError(Exception):
    """The AIP cannot be built or read as TT05 Phụ lục I describes it."""

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.details = details
