"""``luutru rebuild-catalog``: archive two dossiers, wipe the archival tables, rebuild from one
storage location, and get the same rows back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from archive.catalog.access import DocumentText
from archive.catalog.events import Event, EventChainHead
from archive.catalog.preservation import Receipt
from archive.catalog.records import Document, Dossier, File, StorageCopy
from archive.errors import InvalidInput
from archive.services.events import GENESIS_HASH, verify_chain
from archive.services.rebuild import rebuild_catalog
from archive.settings import Settings
from tests.archive.test_archiving_support import Flow, trust_sample_pki
from tests.conftest import World

IGNORED = {"verified_at", "last_fixity_at", "extracted_at", "id_copy"}


@pytest.fixture
def flow(client: TestClient, world: World, settings: Settings, tmp_path: Path) -> Flow:
    trust_sample_pki(world)
    return Flow(client, world, settings, tmp_path)


def _rows(flow: Flow, model: Any, *order: Any) -> list[dict[str, Any]]:
    columns = [c.key for c in sa.inspect(model).columns if c.key not in IGNORED]
    with flow.world.session() as session:
        found = session.scalars(sa.select(model).order_by(*order)).all()
        return [{c: getattr(row, c) for c in columns if not (model is StorageCopy and c == "id")}
                for row in found]  # fmt: skip


def _snapshot(flow: Flow) -> dict[str, Any]:
    return {
        "dossiers": _rows(flow, Dossier, Dossier.id),
        "documents": _rows(flow, Document, Document.id),
        "files": _rows(flow, File, File.id),
        "copies": _rows(flow, StorageCopy, StorageCopy.dossier_id, StorageCopy.location),
        "texts": _rows(flow, DocumentText, DocumentText.document_id),
        "receipts": _rows(flow, Receipt, Receipt.id),
    }


def _events(flow: Flow) -> dict[str, tuple[Any, ...]]:
    with flow.world.session() as session:
        return {
            e.event_uuid: (e.event_type, e.event_time, e.agent, e.outcome, e.detail,
                           e.linked_objects)
            for e in session.scalars(sa.select(Event))
        }  # fmt: skip


def test_rebuild_reproduces_the_catalog(flow: Flow) -> None:
    first, dossier_a = flow.archived(seed=71, documents=2)
    second, dossier_b = flow.archived(seed=72, documents=3)
    before = _snapshot(flow)
    events_before = _events(flow)
    assert len(before["dossiers"]) == 2 and len(before["documents"]) == 5

    with flow.world.session() as session:
        for model in (Receipt, DocumentText, StorageCopy, File, Document, Dossier, Event):
            session.execute(sa.delete(model))
        session.execute(sa.update(EventChainHead).values(last_seq=0, last_hash=GENESIS_HASH))
    assert _snapshot(flow)["dossiers"] == []

    with pytest.raises(InvalidInput):
        rebuild_catalog(flow.settings, flow.world.engine, "nowhere")
    report = rebuild_catalog(flow.settings, flow.world.engine, "replica")
    assert (report.objects, report.dossiers, report.problems) == (2, 2, [])
    assert _snapshot(flow) == before

    events_after = _events(flow)
    in_aips = {k: v for k, v in events_before.items() if k in events_after}
    # every event the AIPs' PREMIS carries came back unchanged: the whole ingest history
    assert in_aips == {k: events_after[k] for k in in_aips}
    types = [v[0] for v in in_aips.values()]
    assert types.count("information package creation") == 2
    assert types.count("accession") == 2 and types.count("ingestion start") == 2
    with flow.world.session() as session:
        linked = session.scalars(
            sa.select(Event.dossier_id).where(Event.event_type == "accession")
        ).all()
        assert verify_chain(session).intact
    assert sorted(linked) == sorted([dossier_a, dossier_b])
    assert first != second

    again = rebuild_catalog(flow.settings, flow.world.engine, "primary")
    assert (again.dossiers, again.skipped) == (0, 2)
