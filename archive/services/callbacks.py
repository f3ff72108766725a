"""Callbacks to the QLVB: a small JSON signed with HMAC-SHA256, retried with backoff.

Signature: ``X-Luutru-Signature: sha256=<hex>`` over ``<timestamp>.<body>`` with the key
SHA-256(API key) (raw 32 bytes), and ``X-Luutru-Timestamp``. The QLVB computes the same key
from its API key; the archive keeps only that hash. A failing callback never affects ingest:
it is its own job."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any

import httpx
from sqlalchemy.orm import Session

from archive.catalog.accounts import ApiKey
from archive.catalog.engine import session_scope
from archive.catalog.records import Submission
from archive.jobs.queue import enqueue
from archive.jobs.registry import JobContext, job_handler
from archive.services.accounts import callback_signing_key
from archive.services.events import EventOutcome, record_event

CALLBACK_JOB = "submission.callback"
CALLBACK_ATTEMPTS = 8


def payload_for(submission: Submission, base_url: str | None) -> dict[str, Any]:
    status_url = f"{(base_url or '').rstrip('/')}/api/v1/submissions/{submission.id}"
    return {
        "id": submission.id,
        "status": submission.status,
        "fileCode": submission.file_code,
        "counts": {
            "error": submission.errors,
            "warning": submission.warnings,
            "info": submission.infos,
        },
        "dossier_id": submission.dossier_id,
        "status_url": status_url,
        "report_url": status_url + "/report",
    }


def sign(body: bytes, key: bytes, timestamp: str) -> str:
    mac = hmac.new(key, timestamp.encode("ascii") + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def schedule(session: Session, context: JobContext, submission: Submission) -> None:
    """Queue a callback for the submission's current status, if it asked for one."""
    if not submission.callback_url or submission.api_key_id is None:
        return
    enqueue(
        session,
        context.dispatch,
        CALLBACK_JOB,
        {
            "submission_id": submission.id,
            "status": submission.status,
            "payload": payload_for(submission, context.settings.public_url),
        },
        dedupe_key=f"callback:{submission.id}:{submission.status}",
        max_attempts=CALLBACK_ATTEMPTS,
    )


@job_handler(CALLBACK_JOB)
def deliver(context: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
    with session_scope(context.engine) as session:
        submission = session.get(Submission, payload["submission_id"])
        if submission is None or submission.callback_url is None:
            return {"skipped": "no callback"}
        key = session.get(ApiKey, submission.api_key_id)
        if key is None:
            return {"skipped": "API key gone"}
        url, signing_key = submission.callback_url, callback_signing_key(key)
    body = json.dumps(payload["payload"], ensure_ascii=False, sort_keys=True).encode("utf-8")
    timestamp = str(int(time.time()))
    error: str | None = None
    status_code: int | None = None
    try:
        response = httpx.post(
            url,
            content=body,
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "X-Luutru-Timestamp": timestamp,
                "X-Luutru-Signature": sign(body, signing_key, timestamp),
                "X-Luutru-Event": f"submission.{payload['status']}",
            },
            timeout=10.0,
        )
        status_code = response.status_code
        if response.status_code >= 300:
            error = f"HTTP {response.status_code}"
    except httpx.HTTPError as exc:
        error = f"{type(exc).__name__}: {exc}"
    with session_scope(context.engine) as session:
        record_event(
            session,
            "callback delivery",
            agent="software:luutru",
            outcome=EventOutcome.FAILURE if error else EventOutcome.SUCCESS,
            detail={"url": url, "status": payload["status"], "http": status_code, "error": error},
            submission_id=payload["submission_id"],
        )
    if error:
        raise RuntimeError(f"callback to {url} failed: {error}")  # the job retries with backoff
    return {"http": status_code}
