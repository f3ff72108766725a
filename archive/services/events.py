"""Recording PREMIS-style events into the hash chain, and verifying the chain."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from archive.catalog.base import utcnow
from archive.catalog.events import Event, EventChainHead

GENESIS_HASH = "0" * 64


class EventOutcome(StrEnum):
    SUCCESS = "success"
    FAILURE = "failure"
    WARNING = "warning"
    INDETERMINATE = "indeterminate"


def _canonical(event: Event) -> bytes:
    body = {
        "seq": event.seq,
        "uuid": event.event_uuid,
        "type": event.event_type,
        "time": event.event_time.astimezone(dt.UTC).isoformat(),
        "agent": event.agent,
        "outcome": event.outcome,
        "detail": event.detail,
        "linked": event.linked_objects,
        "submission": event.submission_id,
        "dossier": event.dossier_id,
    }
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def chain_hash(prev_hash: str, event: Event) -> str:
    return hashlib.sha256(prev_hash.encode("ascii") + _canonical(event)).hexdigest()


def record_event(
    session: Session,
    event_type: str,
    *,
    agent: str,
    outcome: EventOutcome | str,
    detail: dict[str, Any] | None = None,
    submission_id: str | None = None,
    dossier_id: str | None = None,
    linked_objects: Sequence[dict[str, str]] = (),
    at: dt.datetime | None = None,
) -> Event:
    """Append an event. Updating the chain head first takes the write lock (SQLite) or the
    row lock (PostgreSQL), so concurrent writers extend the chain one at a time."""
    session.execute(
        sa.update(EventChainHead)
        .where(EventChainHead.id == 1)
        .values(last_seq=EventChainHead.last_seq + 1)
    )
    head = session.execute(
        sa.select(EventChainHead.last_seq, EventChainHead.last_hash).where(EventChainHead.id == 1)
    ).one()
    event = Event(
        seq=head.last_seq,
        event_uuid=str(uuid.uuid4()),
        event_type=event_type,
        event_time=(at or utcnow()).astimezone(dt.UTC),
        agent=agent,
        outcome=str(outcome),
        detail=json.loads(json.dumps(detail or {}, default=str)),
        linked_objects=[dict(item) for item in linked_objects],
        submission_id=submission_id,
        dossier_id=dossier_id,
        prev_hash=head.last_hash,
        hash="",
    )
    event.hash = chain_hash(head.last_hash, event)
    session.add(event)
    session.execute(
        sa.update(EventChainHead).where(EventChainHead.id == 1).values(last_hash=event.hash)
    )
    session.flush()
    return event


@dataclass(frozen=True)
class ChainVerification:
    events_checked: int
    first_broken_seq: int | None
    reason: str | None

    @property
    def intact(self) -> bool:
        return self.first_broken_seq is None


def verify_chain(session: Session, batch: int = 5000) -> ChainVerification:
    """Walk the whole chain; report the first event whose hash or link does not hold."""
    prev = GENESIS_HASH
    expected_seq = 1
    checked = 0
    last_seq = 0
    while True:
        rows = session.scalars(
            sa.select(Event).where(Event.seq > last_seq).order_by(Event.seq).limit(batch)
        ).all()
        if not rows:
            break
        for event in rows:
            if event.seq != expected_seq:
                return ChainVerification(checked, expected_seq, "missing event")
            if event.prev_hash != prev:
                return ChainVerification(checked, event.seq, "link to previous event broken")
            if chain_hash(prev, event) != event.hash:
                return ChainVerification(checked, event.seq, "event content changed")
            prev = event.hash
            expected_seq += 1
            checked += 1
            last_seq = event.seq
        session.expunge_all()
    head = session.execute(sa.select(EventChainHead).where(EventChainHead.id == 1)).scalar_one()
    if head.last_seq != checked or head.last_hash != prev:
        return ChainVerification(checked, checked + 1, "events removed from the end of the chain")
    return ChainVerification(checked, None, None)
