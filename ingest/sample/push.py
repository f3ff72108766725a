"""Send a package the way a QLVB system does, and wait for the archive's verdict.

``POST {url}/api/v1/submissions`` with the zip as a raw ``application/zip`` body streamed from
disk, ``Authorization: Bearer <key>`` and an ``Idempotency-Key`` derived from the zip's
SHA-256 (a resend of the same bytes is the same submission). The answer names ``status_url``
and ``report_url``; the status is polled until it is final or waits for an archivist, then
the report's findings are fetched.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import httpx

from ingest.sample.mets import digest

FINAL_STATUSES = frozenset({"rejected", "awaiting_review", "accepted", "archived", "failed"})
CHUNK = 1024 * 1024


class PushError(RuntimeError):
    """The server refused the package or answered something a client cannot use."""


@dataclass(frozen=True)
class PushResult:
    package: Path
    submission_id: str
    status: str
    findings: list[dict[str, Any]] = field(default_factory=list)

    @property
    def has_error(self) -> bool:
        return self.status == "failed" or any(
            item.get("severity") == "error" and item.get("outcome", "failed") == "failed"
            for item in self.findings
        )


def idempotency_key(sha256: str) -> str:
    return f"sha256-{sha256}"


def _chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            yield chunk


def push_package(
    package: Path,
    *,
    url: str,
    api_key: str,
    timeout: float = 600.0,
    poll_interval: float = 1.0,
    client: httpx.Client | None = None,
    on_status: Callable[[str], None] | None = None,
) -> PushResult:
    """Submit ``package``, poll until a final or review status, return the report findings."""
    size, sha256 = digest(package)
    base = url.rstrip("/") + "/"
    owned = client is None
    http = client or httpx.Client(timeout=httpx.Timeout(60.0))
    try:
        response = http.post(
            urljoin(base, "api/v1/submissions"),
            content=_chunks(package),
            headers={
                "Authorization": f"Bearer {api_key}",
                "Content-Type": "application/zip",
                "Content-Length": str(size),
                "Idempotency-Key": idempotency_key(sha256),
            },
        )
        if response.status_code not in (200, 201, 202):
            raise PushError(f"{package.name}: HTTP {response.status_code}: {_problem(response)}")
        answer = response.json()
        submission_id = str(answer.get("id", ""))
        status_url = urljoin(base, str(answer["status_url"]))
        report_url = urljoin(base, str(answer["report_url"]))
        status = str(answer.get("status", ""))
        deadline = time.monotonic() + timeout
        while status not in FINAL_STATUSES:
            if time.monotonic() > deadline:
                raise PushError(f"{package.name}: no final status within {timeout:g} s")
            time.sleep(poll_interval)
            polled = http.get(status_url, headers={"Authorization": f"Bearer {api_key}"})
            if polled.status_code != 200:
                raise PushError(f"{package.name}: status HTTP {polled.status_code}")
            status = str(polled.json().get("status", ""))
            if on_status is not None:
                on_status(status)
        report = http.get(report_url, headers={"Authorization": f"Bearer {api_key}"})
        if report.status_code != 200:
            raise PushError(f"{package.name}: report HTTP {report.status_code}")
        findings = list(report.json().get("findings", []))
        return PushResult(package, submission_id, status, findings)
    except (httpx.HTTPError, KeyError, ValueError) as error:
        raise PushError(f"{package.name}: {type(error).__name__}: {error}") from None
    finally:
        if owned:
            http.close()


def _problem(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:200]
    return str(body.get("detail") or body.get("title") or body)[:200]


def finding_lines(result: PushResult) -> list[str]:
    """One compact line per finding that did not pass: severity (or "undecided" for a finding
    that could not be decided), code, path, message."""
    lines = []
    for item in result.findings:
        if item.get("outcome") == "passed":
            continue
        label = "undecided" if item.get("outcome") == "indeterminate" else item.get("severity", "?")
        path = f" {item['path']}" if item.get("path") else ""
        message = item.get("message_vi") or item.get("message_en") or ""
        lines.append(f"  {label:9} {item.get('code', '?')}{path}: {message}")
    return lines
