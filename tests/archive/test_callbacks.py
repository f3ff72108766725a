"""Callbacks reach the QLVB signed with HMAC-SHA256(key = SHA-256(API key)); a failing
callback raises so the job retries with backoff, and never touches the submission."""

from __future__ import annotations

import hashlib
import hmac
import http.server
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
import sqlalchemy as sa

from archive.catalog.events import Event
from archive.catalog.records import Submission, SubmissionStatus
from archive.jobs.registry import JobContext
from archive.services.callbacks import deliver, payload_for
from archive.settings import Settings
from tests.conftest import World


@dataclass
class Receiver:
    url: str
    answer: int = 200
    received: list[tuple[dict[str, str], bytes]] = field(default_factory=list)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver(url="")

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            state.received.append((dict(self.headers), body))
            self.send_response(state.answer)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_port}/hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()


def _submission(world: World, url: str) -> str:
    with world.session() as session:
        submission = Submission(
            agency_id=1,
            api_key_id=world.api_key_ids["nghean_sonv"],
            status=SubmissionStatus.REJECTED.value,
            package_sha256="0" * 64,
            size=1,
            callback_url=url,
            file_code="000.00.01.H41.2025.01.VP",
            errors=2,
        )
        session.add(submission)
        session.flush()
        return submission.id


def _context(world: World, settings: Settings) -> JobContext:
    return JobContext("job", 1, settings, world.engine, lambda: None, lambda j, c: None)


def _payload(world: World, submission_id: str) -> dict:  # type: ignore[type-arg]
    with world.session() as session:
        submission = session.get(Submission, submission_id)
        assert submission is not None
        return {
            "submission_id": submission_id,
            "status": submission.status,
            "payload": payload_for(submission, "https://luutru.example"),
        }


def test_callback_is_signed_with_the_api_key_hash(
    world: World, settings: Settings, receiver: Receiver
) -> None:
    submission_id = _submission(world, receiver.url)
    deliver(_context(world, settings), _payload(world, submission_id))
    ((headers, body),) = receiver.received
    data = json.loads(body)
    assert (data["id"], data["status"], data["counts"]["error"]) == (submission_id, "rejected", 2)
    key = hashlib.sha256(world.api_keys["nghean_sonv"].encode()).digest()  # what the QLVB computes
    expected = hmac.new(
        key, headers["X-Luutru-Timestamp"].encode() + b"." + body, hashlib.sha256
    ).hexdigest()
    assert headers["X-Luutru-Signature"] == f"sha256={expected}"
    assert headers["X-Luutru-Event"] == "submission.rejected"


def test_failed_callback_raises_for_a_retry_and_leaves_the_submission(
    world: World, settings: Settings, receiver: Receiver
) -> None:
    receiver.answer = 503
    submission_id = _submission(world, receiver.url)
    with pytest.raises(RuntimeError, match="HTTP 503"):
        deliver(_context(world, settings), _payload(world, submission_id))
    with world.session() as session:
        submission = session.get(Submission, submission_id)
        assert submission is not None and submission.status == "rejected"
        outcome = session.scalars(
            sa.select(Event.outcome).where(Event.event_type == "callback delivery")
        ).one()
    assert outcome == "failure"
