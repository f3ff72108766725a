"""Streaming a submitted package from the request body to staging (raw zip or multipart)."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import Request
from python_multipart.multipart import MultipartParser, parse_options_header

from archive.errors import InvalidInput, PayloadTooLarge, UnsupportedMediaType
from archive.services.staging import StagedPackage, StagingWriter

ZIP_TYPES = ("application/zip", "application/x-zip-compressed", "application/octet-stream")
MAX_FIELD_BYTES = 2000


@dataclass
class _Parts:
    writer: StagingWriter
    fields: dict[str, str] = field(default_factory=dict)
    header_field: bytes = b""
    header_value: bytes = b""
    headers: dict[bytes, bytes] = field(default_factory=dict)
    current: str | None = None
    buffer: bytearray = field(default_factory=bytearray)
    saw_package: bool = False
    error: Exception | None = None

    def on_part_begin(self) -> None:
        self.headers, self.current, self.buffer = {}, None, bytearray()

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self.header_field += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self.header_value += data[start:end]

    def on_header_end(self) -> None:
        self.headers[self.header_field.lower()] = self.header_value
        self.header_field, self.header_value = b"", b""

    def on_headers_finished(self) -> None:
        _, options = parse_options_header(self.headers.get(b"content-disposition", b""))
        self.current = options.get(b"name", b"").decode("utf-8", "replace")
        if self.current == "package":
            if self.saw_package:
                self.error = InvalidInput("chỉ được gửi một gói tin / only one package per request")
            self.saw_package = True

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self.error is not None:
            return
        if self.current == "package":
            try:
                self.writer.write(data[start:end])
            except PayloadTooLarge as exc:
                self.error = exc
        else:
            self.buffer += data[start:end]
            if len(self.buffer) > MAX_FIELD_BYTES:
                self.error = InvalidInput(f"form field {self.current!r} is too long")

    def on_part_end(self) -> None:
        if self.current and self.current != "package":
            self.fields[self.current] = self.buffer.decode("utf-8", "replace")


async def receive_package(
    request: Request, writer: StagingWriter
) -> tuple[StagedPackage, dict[str, str]]:
    """Stream the body into ``writer``; returns the staged package and the other form fields."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > writer.max_bytes + 64 * 1024:
        writer.abort()
        raise PayloadTooLarge(
            f"gói tin vượt quá {writer.max_bytes} byte / package larger than the limit",
            limit=writer.max_bytes,
        )
    content_type, options = parse_options_header(request.headers.get("content-type", ""))
    media_type = content_type.decode("latin-1").lower()
    try:
        if media_type in ZIP_TYPES:
            async for chunk in request.stream():
                writer.write(chunk)
            fields: dict[str, str] = {}
        elif media_type == "multipart/form-data":
            boundary = options.get(b"boundary")
            if not boundary:
                raise InvalidInput("multipart body without boundary")
            parts = _Parts(writer)
            parser = MultipartParser(
                boundary,
                callbacks={
                    "on_part_begin": parts.on_part_begin,
                    "on_part_data": parts.on_part_data,
                    "on_part_end": parts.on_part_end,
                    "on_header_field": parts.on_header_field,
                    "on_header_value": parts.on_header_value,
                    "on_header_end": parts.on_header_end,
                    "on_headers_finished": parts.on_headers_finished,
                },
            )
            async for chunk in request.stream():
                parser.write(chunk)
                if parts.error is not None:
                    raise parts.error
            parser.finalize()
            if not parts.saw_package:
                raise InvalidInput("thiếu trường 'package' / multipart field 'package' missing")
            fields = parts.fields
        else:
            raise UnsupportedMediaType(
                "gửi gói tin dạng application/zip hoặc multipart/form-data (trường 'package') / "
                "send application/zip or multipart/form-data with a 'package' field"
            )
        if writer.size == 0:
            raise InvalidInput("gói tin rỗng / empty package")
        return writer.finish(), fields
    except BaseException:
        writer.abort()
        raise
