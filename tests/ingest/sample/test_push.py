"""``push`` sends a package like a QLVB, against a tiny real HTTP server on 127.0.0.1."""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from archive.cli import sample
from ingest.sample.push import idempotency_key, push_package


@dataclass
class Received:
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    chunked: bool = False
    polls: int = 0


class FakeArchive(ThreadingHTTPServer):
    def __init__(self, findings: list[dict[str, Any]]) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.findings = findings
        self.received = Received()


class Handler(BaseHTTPRequestHandler):
    server: FakeArchive

    def log_message(self, *args: Any) -> None:
        return None

    def _json(self, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self) -> None:
        if self.path != "/api/v1/submissions":
            return self._json(404, {"detail": "not found"})
        received = self.server.received
        received.headers = dict(self.headers.items())
        length = int(self.headers.get("Content-Length", "0"))
        received.body = self.rfile.read(length)
        self._json(
            202,
            {
                "id": "sub-1",
                "status": "received",
                "status_url": "/api/v1/submissions/sub-1",
                "report_url": "/api/v1/submissions/sub-1/report",
            },
        )

    def do_GET(self) -> None:
        received = self.server.received
        if self.headers.get("Authorization") != received.headers.get("Authorization"):
            return self._json(401, {"detail": "bad key"})
        if self.path == "/api/v1/submissions/sub-1":
            received.polls += 1
            status = "validating" if received.polls < 2 else "awaiting_review"
            return self._json(200, {"id": "sub-1", "status": status})
        if self.path == "/api/v1/submissions/sub-1/report":
            return self._json(200, {"outcome": "x", "findings": self.server.findings})
        return self._json(404, {"detail": "not found"})


def serve(findings: list[dict[str, Any]]) -> Iterator[FakeArchive]:
    server = FakeArchive(findings)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def clean_server() -> Iterator[FakeArchive]:
    warning = {"code": "SIG-VALID", "severity": "info", "outcome": "passed", "path": "x.pdf"}
    yield from serve([warning])


@pytest.fixture
def failing_server() -> Iterator[FakeArchive]:
    error = {
        "code": "PKG-CHECKSUM-MISMATCH",
        "severity": "error",
        "outcome": "failed",
        "path": "representations/rep1/data/a.pdf",
        "message_vi": "Mã băm không khớp",
        "message_en": "Checksum mismatch",
    }
    yield from serve([error])


@pytest.fixture
def package(tmp_path: Path) -> Path:
    path = tmp_path / "1uuid-00000000-0000-4000-8000-000000000000.zip"
    path.write_bytes(bytes(range(256)) * 9000)  # > 2 MiB: several chunks
    return path


def url(server: FakeArchive) -> str:
    host, port = server.server_address[:2]
    return f"http://{host!s}:{port}"


def test_push_streams_the_zip_with_key_and_idempotency_key(
    clean_server: FakeArchive, package: Path
) -> None:
    result = push_package(package, url=url(clean_server), api_key="k-123", poll_interval=0.01)
    received = clean_server.received
    sha = hashlib.sha256(package.read_bytes()).hexdigest()
    assert received.body == package.read_bytes()
    assert received.headers["Authorization"] == "Bearer k-123"
    assert received.headers["Content-Type"] == "application/zip"
    assert received.headers["Idempotency-Key"] == idempotency_key(sha)
    assert sha in received.headers["Idempotency-Key"]
    assert result.status == "awaiting_review" and received.polls == 2
    assert not result.has_error


def test_push_command_exits_1_and_prints_error_findings(
    failing_server: FakeArchive, package: Path
) -> None:
    root = typer.Typer()
    root.add_typer(sample.push_app, name="push")
    outcome = CliRunner().invoke(
        root, ["push", str(package), "--url", url(failing_server), "--api-key", "k"]
    )
    assert outcome.exit_code == 1, outcome.output
    assert "PKG-CHECKSUM-MISMATCH" in outcome.output
    assert "awaiting_review" in outcome.output


def test_push_command_exits_0_without_errors(clean_server: FakeArchive, package: Path) -> None:
    root = typer.Typer()
    root.add_typer(sample.push_app, name="push")
    outcome = CliRunner().invoke(
        root, ["push", str(package), "--url", url(clean_server), "--api-key", "k"]
    )
    assert outcome.exit_code == 0, outcome.output


def test_push_refuses_a_missing_file_in_one_line(tmp_path: Path) -> None:
    root = typer.Typer()
    root.add_typer(sample.push_app, name="push")
    outcome = CliRunner().invoke(
        root, ["push", str(tmp_path / "none.zip"), "--url", "http://127.0.0.1:9", "--api-key", "k"]
    )
    assert outcome.exit_code == 2
    assert "no such file" in outcome.output
