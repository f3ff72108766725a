"""Reading archived dossiers: listing and details under the visibility rule, a document streamed
from storage, the chronological export, every read access-logged; corrections as new OCFL
versions."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from lxml import etree

from archive.catalog.access import AccessLogEntry
from archive.catalog.events import Event
from archive.catalog.records import Document, Dossier, File
from archive.services.locations import open_locations
from archive.settings import Settings
from metadata_schemas.schemas import validate
from storage.ocfl import open_file, read_inventory, verify_object
from tests.archive.test_archiving_support import Flow, trust_sample_pki
from tests.conftest import World, login


@pytest.fixture
def flow(client: TestClient, world: World, settings: Settings, tmp_path: Path) -> Flow:
    trust_sample_pki(world)
    return Flow(client, world, settings, tmp_path)


def _log(flow: Flow, action: str) -> list[AccessLogEntry]:
    with flow.world.session() as session:
        return list(
            session.scalars(sa.select(AccessLogEntry).where(AccessLogEntry.action == action))
        )


def test_read_download_and_export(flow: Flow) -> None:
    submission_id, dossier_id = flow.archived(seed=61, documents=3)
    built = flow.built[submission_id]
    official = login(flow.client, "official")

    listing = flow.client.get("/api/v1/dossiers", headers=official).json()
    assert listing["total"] == 1 and listing["items"][0]["id"] == dossier_id
    hanoi = login(flow.client, "archivist_hn")
    assert flow.client.get("/api/v1/dossiers", headers=hanoi).json()["total"] == 0
    assert flow.client.get(f"/api/v1/dossiers/{dossier_id}", headers=hanoi).status_code == 404
    qlvb = {"Authorization": f"Bearer {flow.world.api_keys['nghean_sonv']}"}
    assert flow.client.get(f"/api/v1/dossiers/{dossier_id}", headers=qlvb).status_code == 403

    detail = flow.client.get(f"/api/v1/dossiers/{dossier_id}", headers=official).json()
    assert detail["fileCode"] == built.file_code and len(detail["documents"]) == 3
    assert sorted(c["location"] for c in detail["copies"]) == ["primary", "replica"]
    assert detail["events"][-1]["type"] == "ingestion end"
    assert {e["agent"] for e in detail["events"]} >= {"user:archivist"}
    assert {x.dossier_id for x in _log(flow, "metadata")} == {None, dossier_id}

    document = detail["documents"][1]
    response = flow.client.get(
        f"/api/v1/dossiers/{dossier_id}/documents/{document['id']}/file", headers=official
    )
    assert response.status_code == 200
    main = document["files"][0]
    assert hashlib.sha256(response.content).hexdigest() == main["sha256"]
    assert response.headers["x-content-sha256"] == main["sha256"]
    assert main["path"].rsplit("/", 1)[-1] in response.headers["content-disposition"]
    with zipfile.ZipFile(built.zip_path) as sip:
        original = next(n for n in sip.namelist() if n.endswith(main["path"]))
        assert response.content == sip.read(original)
    [download] = _log(flow, "download")
    assert download.document_id == document["id"] and download.actor == "user:official"

    exported = flow.client.get(f"/api/v1/dossiers/{dossier_id}/export", headers=official)
    assert exported.headers["content-type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(exported.content))
    names = archive.namelist()
    assert names[-1] == "muc-luc.xml"
    pdfs = [n for n in names if n.endswith(".pdf")]
    assert [n[:3] for n in pdfs if n[3] == "_"] == ["001", "002", "003"]
    xml = etree.fromstring(archive.read("muc-luc.xml"))
    dates = [v.findtext("issuedDate") or "" for v in xml.iter("vanBan")]
    as_iso = ["-".join(reversed(d.split("/"))) for d in dates]
    assert as_iso == sorted(as_iso) and len(dates) == 3
    first = next(d for d in detail["documents"] if d["issuedDate"] == dates[0])
    first_pdf = next(n for n in pdfs if n.startswith("001_"))
    assert hashlib.sha256(archive.read(first_pdf)).hexdigest() == first["files"][0]["sha256"]
    [export_entry] = _log(flow, "export")
    assert export_entry.dossier_id == dossier_id


def test_correction_makes_version_2_and_version_1_stays(flow: Flow) -> None:
    _, dossier_id = flow.archived(seed=62, documents=1)
    object_id = f"urn:uuid:{dossier_id}"
    title = "Hồ sơ về việc nâng cấp tuyến đường Trường Thi (đã sửa tiêu đề)"
    url = f"/api/v1/dossiers/{dossier_id}"
    body = {"changes": {"title": title}, "reason": "Sửa lỗi chính tả tiêu đề"}
    assert (
        flow.client.patch(url, json=body, headers=login(flow.client, "official")).status_code == 403
    )
    bad = {"changes": {"arcFileCode": "X"}, "reason": "thử sửa mã"}
    assert (
        flow.client.patch(url, json=bad, headers=login(flow.client, "archivist")).status_code == 400
    )
    response = flow.client.patch(url, json=body, headers=login(flow.client, "archivist"))
    assert response.status_code == 200, response.text
    assert response.json()["version"] == 2 and response.json()["title"] == title

    for store in open_locations(flow.settings):
        inventory = read_inventory(store, object_id)
        assert inventory.head == "v2" and verify_object(store, object_id).ok
        v1 = inventory.versions["v1"].logical_paths()
        v2 = inventory.versions["v2"].logical_paths()
        changed = {p for p in v2 if v1.get(p) != v2[p]}
        assert changed == {
            "METS.xml",
            "metadata/descriptive/EAD.xml",
            "metadata/preservation/PREMIS.xml",
        }
        with open_file(store, object_id, "metadata/descriptive/EAD.xml", "v1") as old:
            assert title not in old.read().decode("utf-8")
        with open_file(store, object_id, "metadata/descriptive/EAD.xml") as new:
            tree = etree.parse(new)
        assert validate("EAD_AIP", tree) == [] and tree.findtext("title") == title
        with open_file(store, object_id, "metadata/preservation/PREMIS.xml") as premis:
            assert b"metadata modification" in premis.read()
    with flow.world.session() as session:
        dossier = session.get(Dossier, dossier_id)
        assert dossier is not None
        ead_row = session.scalars(
            sa.select(File).where(
                File.dossier_id == dossier_id, File.logical_path == "metadata/descriptive/EAD.xml"
            )
        ).one()
        event = session.scalars(
            sa.select(Event).where(Event.event_type == "metadata modification")
        ).one()
        documents = session.scalars(sa.select(Document)).all()
    assert dossier.title == title and dossier.ocfl_version == 2
    assert event.agent == "user:archivist" and event.dossier_id == dossier_id
    assert event.detail["changes"]["title"]["to"] == title
    with open_file(open_locations(flow.settings)[0], object_id, ead_row.logical_path) as stream:
        assert hashlib.sha256(stream.read()).hexdigest() == ead_row.sha256
    assert len(documents) == 1
