"""The audit trail is a hash chain: any edit, deletion or reordering is detected."""

from __future__ import annotations

import sqlalchemy as sa

from archive.catalog.engine import session_scope
from archive.catalog.events import Event
from archive.services.events import EventOutcome, record_event, verify_chain


def _record_three(engine: sa.Engine) -> None:
    with session_scope(engine) as session:
        for n in range(3):
            record_event(
                session,
                "test event",
                agent="software:test",
                outcome=EventOutcome.SUCCESS,
                detail={"n": n, "tên": "Hồ sơ đường Đồng Nai"},
                linked_objects=[{"type": "dossier", "id": f"d{n}"}],
            )


def test_chain_of_fresh_events_is_intact(engine: sa.Engine) -> None:
    _record_three(engine)
    with session_scope(engine) as session:
        result = verify_chain(session)
    assert result.intact
    assert result.events_checked == 3


def test_changed_detail_is_detected(engine: sa.Engine) -> None:
    _record_three(engine)
    with session_scope(engine) as session:
        session.execute(sa.update(Event).where(Event.seq == 2).values(detail={"n": 99}))
    with session_scope(engine) as session:
        result = verify_chain(session)
    assert (result.first_broken_seq, result.reason) == (2, "event content changed")


def test_deleted_event_is_detected(engine: sa.Engine) -> None:
    _record_three(engine)
    with session_scope(engine) as session:
        session.execute(sa.delete(Event).where(Event.seq == 2))
    with session_scope(engine) as session:
        result = verify_chain(session)
    assert (result.first_broken_seq, result.reason) == (2, "missing event")


def test_truncated_tail_is_detected(engine: sa.Engine) -> None:
    _record_three(engine)
    with session_scope(engine) as session:
        session.execute(sa.delete(Event).where(Event.seq == 3))
    with session_scope(engine) as session:
        result = verify_chain(session)
    assert not result.intact
    assert result.reason == "events removed from the end of the chain"
