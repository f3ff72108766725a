"""The exception family of :mod:`metadata_schemas`."""

from __future__ import annotations


class MetadataSchemaError(Exception):
    """Base of every error raised by this package."""


class UnsafeXmlError(MetadataSchemaError):
    """The XML declares entities or an external DTD; it was refused, nothing was expanded."""


class MalformedXmlError(MetadataSchemaError):
    """The input is not well-formed XML."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message if line is None else f"line {line}: {message}")
        self.line = line


class UnknownSchemaError(MetadataSchemaError, KeyError):
    """No schema of that name is shipped."""


class InvalidValueError(MetadataSchemaError, ValueError):
    """A value does not follow its rule; ``part`` names the component that is wrong."""

    def __init__(self, part: str, message: str) -> None:
        super().__init__(f"{part}: {message}")
        self.part = part
        self.message = message
