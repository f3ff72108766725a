"""A small client for clamd's socket protocol (PING, VERSION, INSTREAM).

Only the null-terminated ``z`` command form is used. INSTREAM sends the file in chunks, each
prefixed by its length as a 4-byte big-endian integer, and ends with a zero-length chunk, so a
file of any size is scanned without being read into memory.

The address is either a Unix socket path or ``tcp://host:port``.
"""

from __future__ import annotations

import socket
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

CHUNK_SIZE = 64 * 1024


class ClamdError(Exception):
    """clamd could not be reached or answered something unexpected."""


@dataclass(frozen=True)
class ScanAnswer:
    """clamd's verdict on one stream: ``clean``, ``found`` or ``error`` (with clamd's text)."""

    status: str
    signature: str | None = None
    message: str = ""


def parse_answer(raw: str) -> ScanAnswer:
    """Parse ``stream: OK``, ``stream: Sig FOUND`` or ``... ERROR`` lines."""
    text = raw.strip().rstrip("\0").strip()
    body = text.split(": ", 1)[1] if text.startswith("stream: ") else text
    if body == "OK":
        return ScanAnswer("clean", message=text)
    if body.endswith(" FOUND"):
        return ScanAnswer("found", signature=body[: -len(" FOUND")].strip(), message=text)
    return ScanAnswer("error", message=text)


class ClamdClient:
    def __init__(self, address: str, timeout: float = 60.0) -> None:
        self.address = address
        self.timeout = timeout

    def _connect(self) -> socket.socket:
        try:
            if self.address.startswith("tcp://"):
                host, _, port = self.address[len("tcp://") :].rpartition(":")
                return socket.create_connection((host, int(port)), timeout=self.timeout)
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.settimeout(self.timeout)
            sock.connect(self.address)
            return sock
        except (OSError, ValueError) as exc:
            raise ClamdError(f"cannot connect to clamd at {self.address}: {exc}") from exc

    @staticmethod
    def _read_reply(sock: socket.socket) -> str:
        parts: list[bytes] = []
        while True:
            data = sock.recv(4096)
            if not data:
                break
            parts.append(data)
            if data.endswith(b"\0"):
                break
        return b"".join(parts).decode("utf-8", "replace").rstrip("\0").strip()

    def _command(self, command: str) -> str:
        with self._connect() as sock:
            try:
                sock.sendall(f"z{command}\0".encode())
                return self._read_reply(sock)
            except OSError as exc:
                raise ClamdError(f"clamd {command} failed: {exc}") from exc

    def ping(self) -> bool:
        try:
            return self._command("PING") == "PONG"
        except ClamdError:
            return False

    def version(self) -> str:
        """E.g. ``ClamAV 1.4.6/27500/Mon Nov 20 09:00:00 2026`` (no DB part for custom DBs)."""
        return self._command("VERSION")

    def scan_stream(self, stream: BinaryIO) -> ScanAnswer:
        with self._connect() as sock:
            try:
                sock.sendall(b"zINSTREAM\0")
                while chunk := stream.read(CHUNK_SIZE):
                    sock.sendall(struct.pack(">I", len(chunk)) + chunk)
                sock.sendall(struct.pack(">I", 0))
            except (BrokenPipeError, ConnectionResetError):
                # clamd closes the connection once StreamMaxLength is exceeded; its reason is
                # already waiting in the socket buffer.
                pass
            except OSError as exc:
                raise ClamdError(f"clamd INSTREAM failed: {exc}") from exc
            try:
                reply = self._read_reply(sock)
            except OSError as exc:
                raise ClamdError(f"clamd INSTREAM gave no answer: {exc}") from exc
        if not reply:
            raise ClamdError("clamd closed the connection without an answer")
        return parse_answer(reply)

    def scan_file(self, path: Path) -> ScanAnswer:
        with path.open("rb") as stream:
            return self.scan_stream(stream)
