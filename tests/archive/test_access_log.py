"""The access log read back: a dossier's history for archivists and auditors, and statistics
per action, per record and per agency (NĐ 30/2020 Phụ lục VI III.6)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from fastapi.testclient import TestClient

from archive.catalog.base import utcnow
from archive.settings import Settings
from ingest.sample.agencies import SO_NOI_VU_NGHE_AN, UBND_HA_NOI
from tests.archive.access_fixtures import (
    PackageCache,
    add_people,
    archived,
    package_cache,
)
from tests.conftest import World, login

__all__ = ["package_cache"]  # a fixture, used by name


def test_reads_are_logged_paged_and_counted(
    client: TestClient,
    world: World,
    settings: Settings,
    package_cache: PackageCache,
    tmp_path: Path,
) -> None:
    add_people(world)
    nghean = archived(world, settings, package_cache, tmp_path, seed=51, agency=SO_NOI_VU_NGHE_AN)
    hanoi = archived(world, settings, package_cache, tmp_path, seed=52, agency=UBND_HA_NOI)
    official, official_hn = login(client, "official"), login(client, "official_hn")
    for document, headers in (
        (nghean.documents[0], official),
        (nghean.documents[1], official),
        (hanoi.documents[0], official_hn),
    ):
        dossier = nghean if document in nghean.documents else hanoi
        url = f"/api/v1/dossiers/{dossier.id}/documents/{document.id}/reading-copy"
        assert client.get(url, headers=headers).status_code == 200

    archivist = login(client, "archivist")
    log_url = f"/api/v1/dossiers/{nghean.id}/access-log"
    full = client.get(log_url, headers=archivist)
    assert full.status_code == 200
    entries = full.json()["entries"]
    assert [(e["action"], e["document_id"], e["actor"]) for e in entries] == [
        ("view", nghean.documents[1].id, "user:official"),
        ("view", nghean.documents[0].id, "user:official"),
    ]
    assert entries[0]["channel"] == "api" and entries[0]["client_address"]
    first = client.get(log_url, params={"limit": 1}, headers=archivist).json()
    assert [e["id"] for e in first["entries"]] == [entries[0]["id"]]
    second = client.get(
        log_url, params={"limit": 1, "before": first["next_before"]}, headers=archivist
    ).json()
    assert [e["id"] for e in second["entries"]] == [entries[1]["id"]]
    assert second["next_before"] is None

    assert client.get(log_url, headers=login(client, "auditor")).status_code == 200
    assert client.get(log_url, headers=official).status_code == 403
    assert client.get(log_url, headers=login(client, "archivist_hn")).status_code == 404
    qlvb = {"Authorization": f"Bearer {world.api_keys['nghean_sonv']}"}
    assert client.get(log_url, headers=qlvb).status_code == 403

    auditor = login(client, "auditor")
    everything = client.get("/api/v1/access/statistics", headers=auditor).json()
    assert everything["total"] == 3 and everything["by_action"] == {"view": 3}
    assert [(d["dossier_id"], d["total"]) for d in everything["by_dossier"]] == [
        (nghean.id, 2),
        (hanoi.id, 1),
    ]
    assert everything["by_dossier"][0]["file_code"] == nghean.file_code
    assert [(a["code"], a["total"]) for a in everything["by_reader_agency"]] == [
        ("000.00.01.H41", 2),
        ("000.00.00.H26", 1),
    ]
    assert [(a["code"], a["by_action"]) for a in everything["by_record_agency"]] == [
        ("000.00.01.H41", {"view": 2}),
        ("000.00.00.H26", {"view": 1}),
    ]

    served = client.get("/api/v1/access/statistics", headers=archivist).json()
    assert served["total"] == 2 and [d["dossier_id"] for d in served["by_dossier"]] == [nghean.id]
    hanoi_only = client.get(
        "/api/v1/access/statistics", params={"agency": "000.00.00.H26"}, headers=auditor
    ).json()
    assert hanoi_only["total"] == 1
    assert [d["dossier_id"] for d in hanoi_only["by_dossier"]] == [hanoi.id]
    not_served = client.get(
        "/api/v1/access/statistics", params={"agency": "000.00.00.H26"}, headers=archivist
    )
    assert not_served.status_code == 404
    later = (utcnow() + dt.timedelta(hours=1)).isoformat()
    future = client.get("/api/v1/access/statistics", params={"since": later}, headers=auditor)
    assert future.json()["total"] == 0
    until = client.get("/api/v1/access/statistics", params={"until": later}, headers=auditor)
    assert until.json()["total"] == 3
    for who in ("official", "approver"):
        denied = client.get("/api/v1/access/statistics", headers=login(client, who))
        assert denied.status_code == 403
    assert client.get("/api/v1/access/statistics", headers=qlvb).status_code == 403
