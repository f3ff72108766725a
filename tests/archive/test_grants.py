"""Grants on conditional-use records: who may grant, to whom, and what a grant opens and when
it stops opening it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import sqlalchemy as sa
from fastapi.testclient import TestClient

from archive.catalog.access import AccessGrant
from archive.catalog.base import utcnow
from archive.catalog.events import Event
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


def _copy_url(dossier_id: str, document_id: str) -> str:
    return f"/api/v1/dossiers/{dossier_id}/documents/{document_id}/reading-copy"


def _in_a_week() -> str:
    return (utcnow() + dt.timedelta(days=7)).isoformat()


def test_grant_opens_a_conditional_dossier_until_revoked_or_expired(
    client: TestClient,
    world: World,
    settings: Settings,
    package_cache: PackageCache,
    tmp_path: Path,
) -> None:
    add_people(world)
    dossier = archived(
        world, settings, package_cache, tmp_path, seed=21, agency=SO_NOI_VU_NGHE_AN, mode="02"
    )
    document = dossier.documents[0]
    official, archivist = login(client, "official"), login(client, "archivist")
    url = _copy_url(dossier.id, document.id)
    assert client.get(url, headers=official).status_code == 404
    assert client.get(f"/doc/{document.id}/xem", headers=official).status_code == 404

    created = client.post(
        "/api/v1/access/grants",
        json={
            "username": "official",
            "dossier_id": dossier.id,
            "valid_until": _in_a_week(),
            "reason": "Nghiên cứu phục vụ công vụ",
        },
        headers=archivist,
    )
    assert created.status_code == 201, created.text
    grant = created.json()
    assert grant["active"] is True and grant["granted_by"] == "user:archivist"
    assert client.get(url, headers=official).status_code == 200
    # The grant is the official's, not their colleague's.
    assert client.get(url, headers=login(client, "official2")).status_code == 404

    mine = client.get("/api/v1/access/grants", headers=official).json()
    assert [g["id"] for g in mine] == [grant["id"]]
    assert client.get("/api/v1/access/grants", headers=login(client, "official2")).json() == []
    served = client.get(
        "/api/v1/access/grants", params={"dossier_id": dossier.id}, headers=archivist
    ).json()
    assert [g["username"] for g in served] == ["official"]

    revoked = client.delete(f"/api/v1/access/grants/{grant['id']}", headers=archivist)
    assert revoked.status_code == 200
    assert revoked.json()["active"] is False and revoked.json()["revoked_at"]
    assert client.get(url, headers=official).status_code == 404
    active = client.get("/api/v1/access/grants", params={"active": True}, headers=official)
    assert active.json() == []

    second = client.post(
        "/api/v1/access/grants",
        json={
            "username": "official",
            "dossier_id": dossier.id,
            "valid_until": _in_a_week(),
            "reason": "Gia hạn",
        },
        headers=archivist,
    ).json()
    assert client.get(url, headers=official).status_code == 200
    with world.session() as session:
        session.execute(
            sa.update(AccessGrant)
            .where(AccessGrant.id == second["id"])
            .values(valid_until=utcnow() - dt.timedelta(minutes=1))
        )
    assert client.get(url, headers=official).status_code == 404

    with world.session() as session:
        events = session.execute(
            sa.select(Event.event_type, Event.agent)
            .where(Event.dossier_id == dossier.id)
            .order_by(Event.seq)
        ).all()
    assert [tuple(e) for e in events] == [
        ("access grant", "user:archivist"),
        ("access grant revocation", "user:archivist"),
        ("access grant", "user:archivist"),
    ]


def test_a_document_grant_opens_that_document_only(
    client: TestClient,
    world: World,
    settings: Settings,
    package_cache: PackageCache,
    tmp_path: Path,
) -> None:
    dossier = archived(
        world,
        settings,
        package_cache,
        tmp_path,
        seed=22,
        agency=SO_NOI_VU_NGHE_AN,
        documents=3,
        document_modes={1: "02", 2: "02"},
    )
    first, second, public = dossier.documents
    official, archivist = login(client, "official"), login(client, "archivist")
    assert client.get(_copy_url(dossier.id, public.id), headers=official).status_code == 200
    response = client.post(
        "/api/v1/access/grants",
        json={
            "username": "official",
            "document_id": first.id,
            "valid_until": _in_a_week(),
            "reason": "Xác minh hồ sơ cán bộ",
        },
        headers=archivist,
    )
    assert response.status_code == 201, response.text
    assert response.json()["dossier_id"] == dossier.id
    assert client.get(_copy_url(dossier.id, first.id), headers=official).status_code == 200
    assert client.get(_copy_url(dossier.id, second.id), headers=official).status_code == 404
    # A public document needs no grant.
    pointless = client.post(
        "/api/v1/access/grants",
        json={
            "username": "official",
            "document_id": public.id,
            "valid_until": _in_a_week(),
            "reason": "x",
        },
        headers=archivist,
    )
    assert pointless.status_code == 400


def test_grants_never_cross_agencies_and_need_an_archivist(
    client: TestClient,
    world: World,
    settings: Settings,
    package_cache: PackageCache,
    tmp_path: Path,
) -> None:
    add_people(world)
    nghean = archived(
        world, settings, package_cache, tmp_path, seed=21, agency=SO_NOI_VU_NGHE_AN, mode="02"
    )
    hanoi = archived(
        world, settings, package_cache, tmp_path, seed=23, agency=UBND_HA_NOI, mode="02"
    )
    body = {
        "username": "official",
        "dossier_id": nghean.id,
        "valid_until": _in_a_week(),
        "reason": "Nghiên cứu",
    }
    # An archivist of another agency does not even see the dossier.
    assert (
        client.post("/api/v1/access/grants", json=body, headers=login(client, "archivist_hn"))
    ).status_code == 404
    # A grant cannot carry a record to a person of another agency.
    to_hanoi = client.post(
        "/api/v1/access/grants",
        json={**body, "username": "official_hn"},
        headers=login(client, "archivist"),
    )
    assert to_hanoi.status_code == 400
    assert to_hanoi.headers["content-type"].startswith("application/problem+json")
    other = client.post(
        "/api/v1/access/grants",
        json={**body, "dossier_id": hanoi.id},
        headers=login(client, "archivist"),
    )
    assert other.status_code == 404
    past = client.post(
        "/api/v1/access/grants",
        json={**body, "valid_until": (utcnow() - dt.timedelta(days=1)).isoformat()},
        headers=login(client, "archivist"),
    )
    assert past.status_code == 400
    for who in ("official", "approver", "auditor"):
        assert (
            client.post("/api/v1/access/grants", json=body, headers=login(client, who))
        ).status_code == 403
    qlvb = {"Authorization": f"Bearer {world.api_keys['nghean_sonv']}"}
    assert client.post("/api/v1/access/grants", json=body, headers=qlvb).status_code == 403
    assert client.get("/api/v1/access/grants", headers=qlvb).status_code == 403
    assert client.delete("/api/v1/access/grants/1", headers=qlvb).status_code == 403
    with world.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(AccessGrant)) == 0
