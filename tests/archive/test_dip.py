"""Requests for copies and their DIP (TT 05/2025 Phụ lục V): who may file, approve and fetch,
and what the zip holds — validated metadata, checksums that match, the original files
unchanged, and a PDF/A authentication sheet signed by the archive's key."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
from pathlib import Path
from typing import Any

import pikepdf
import pikepdf.pdfa
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from lxml import etree
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader

from archive.api.app import create_app
from archive.catalog.access import AccessGrant, AccessLogEntry, AccessRequest
from archive.catalog.base import utcnow
from archive.catalog.events import Event
from archive.jobs.registry import JobContext
from archive.services.access_jobs import build_requested_dip
from archive.settings import Settings
from ingest.sample.agencies import SO_NOI_VU_NGHE_AN, UBND_HA_NOI
from metadata_schemas.schemas import validate
from tests.archive.access_fixtures import (
    ArchivePki,
    PackageCache,
    add_people,
    archive_pki,
    archived,
    package_cache,
)
from tests.conftest import World, login

__all__ = ["archive_pki", "package_cache"]  # fixtures, used by name

ARCHIVE_NAME = "Lưu trữ Sở Nội vụ tỉnh Nghệ An"
METS = {"mets": "http://www.loc.gov/METS/", "xlink": "http://www.w3.org/1999/xlink"}
CSIP_TYPE = "{https://DILCIS.eu/XML/METS/CSIPExtensionMETS}OAISPACKAGETYPE"


def _request_body(documents: list[str], **changes: Any) -> dict[str, Any]:
    return {
        "requester_name": "Nguyễn Thị Hoa",
        "requester_id_number": "040190001234",
        "purpose": "01",
        "purpose_content": "Xác minh quá trình công tác để giải quyết chế độ hưu trí",
        "fee_object_type": "07",
        "research_topic": "Lịch sử ngành Nội vụ Nghệ An",
        "document_ids": documents,
        **changes,
    }


def _run_build(settings: Settings, world: World, request_id: str) -> dict[str, Any]:
    context = JobContext(
        job_id="test",
        attempt=1,
        settings=settings,
        engine=world.engine,
        heartbeat=lambda: None,
        dispatch=lambda job_id, countdown: None,
    )
    result = build_requested_dip(context, {"request_id": request_id})
    assert result is not None
    return result


@pytest.fixture
def signing_settings(settings: Settings, archive_pki: ArchivePki) -> Settings:
    return settings.model_copy(
        update={
            "archive_name": ARCHIVE_NAME,
            "archive_code": "LT41",
            "archive_signing_key": archive_pki.key_pem,
            "archive_signing_cert": archive_pki.cert_pem,
        }
    )


@pytest.fixture
def signing_client(signing_settings: Settings) -> Any:
    app = create_app(signing_settings)
    with TestClient(app) as client:
        yield client
    app.state.engine.dispose()


def _approved(client: TestClient, documents: list[str]) -> str:
    filed = client.post(
        "/api/v1/access-requests", json=_request_body(documents), headers=login(client, "official")
    )
    assert filed.status_code == 201, filed.text
    request_id = str(filed.json()["id"])
    approved = client.post(
        f"/api/v1/access-requests/{request_id}/approve",
        json={"note": "Đồng ý cấp bản sao"},
        headers=login(client, "archivist"),
    )
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "approved" and approved.json()["job_id"]
    return request_id


def _checked_entries(package: zipfile.ZipFile, mets_name: str, prefix: str) -> set[str]:
    """Every file and metadata file the METS lists: size and SHA-256 match the zip entry."""
    tree = etree.fromstring(package.read(mets_name))
    listed: set[str] = set()
    href_attribute = f"{{{METS['xlink']}}}href"
    for element in tree.iterfind(".//mets:file", METS):
        location = element.find("mets:FLocat", METS)
        assert location is not None
        listed.add(_checked(package, prefix + str(location.get(href_attribute)), element))
    for element in tree.iterfind(".//mets:mdRef", METS):
        listed.add(_checked(package, prefix + str(element.get(href_attribute)), element))
    return listed


def _checked(package: zipfile.ZipFile, name: str, element: etree._Element) -> str:
    data = package.read(name)
    assert element.get("CHECKSUMTYPE") == "SHA-256"
    assert element.get("CHECKSUM") == hashlib.sha256(data).hexdigest(), name
    assert int(str(element.get("SIZE"))) == len(data), name
    return name


def test_dip_holds_validated_metadata_the_originals_and_a_signed_sheet(
    signing_client: TestClient,
    world: World,
    signing_settings: Settings,
    archive_pki: ArchivePki,
    package_cache: PackageCache,
    tmp_path: Path,
) -> None:
    client, settings = signing_client, signing_settings
    dossier = archived(
        world, settings, package_cache, tmp_path, seed=41, agency=SO_NOI_VU_NGHE_AN, documents=3
    )
    wanted = [dossier.documents[2], dossier.documents[0]]
    request_id = _approved(client, [d.id for d in wanted])
    official = login(client, "official")
    not_yet = client.get(f"/api/v1/access-requests/{request_id}/dip", headers=official)
    assert not_yet.status_code == 409

    result = _run_build(settings, world, request_id)
    assert result["sheet_signed"] is True and result["documents"] == 2
    response = client.get(f"/api/v1/access-requests/{request_id}/dip", headers=official)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/zip"
    assert "no-store" in response.headers["cache-control"]
    assert hashlib.sha256(response.content).hexdigest() == result["dip_sha256"]

    package = zipfile.ZipFile(io.BytesIO(response.content))
    prefix = f"uuid-{request_id}/"
    names = set(package.namelist())
    assert all(name.startswith(prefix) for name in names)

    root = etree.fromstring(package.read(prefix + "METS.xml"))
    assert validate("METS", root) == []
    assert (root.get("TYPE"), root.get(CSIP_TYPE)) == ("MIXED", "DIP")
    assert "E-ARK-DIP" in str(root.get("PROFILE"))
    header_notes = [n.text for n in root.iterfind(".//mets:metsHdr/mets:agent/mets:note", METS)]
    assert any("được ký số" in (n or "") for n in header_notes)
    code = str(root.findtext(".//mets:altRecordID[@TYPE='AUTHENTICATIONCODE']", None, METS))
    assert code == result["authentication_code"] and code.startswith("LT41-XT-")
    rep = etree.fromstring(package.read(prefix + "representations/rep1/METS.xml"))
    assert validate("METS", rep) == []
    assert rep.get(CSIP_TYPE) == "DIP"

    listed = _checked_entries(package, prefix + "METS.xml", prefix)
    listed |= _checked_entries(
        package, prefix + "representations/rep1/METS.xml", prefix + "representations/rep1/"
    )
    assert names == listed | {prefix + "METS.xml"}

    request_ead = etree.fromstring(package.read(prefix + "metadata/descriptive/EAD.xml"))
    assert validate("EAD_DIP_request", request_ead) == []
    assert request_ead.findtext("requestID") == request_id
    assert (request_ead.findtext("purpose"), request_ead.findtext("feeObjectType")) == ("01", "07")
    for position, document in enumerate(wanted, start=1):
        name = f"{prefix}representations/rep1/metadata/descriptive/EAD_doc_{position}.xml"
        ead = etree.fromstring(package.read(name))
        assert validate("EAD_doc_DIP", ead) == []
        assert ead.findtext("docId") == document.doc_id
        sequence = int(document.doc_id.rsplit(".", 1)[1])
        assert ead.findtext("arcDocCode") == f"LT41.{dossier.file_code}.{sequence:07d}"
        for path, sha256 in zip(document.files, document.sha256, strict=True):
            data = package.read(f"{prefix}representations/rep1/data/{path.rsplit('/', 1)[1]}")
            assert hashlib.sha256(data).hexdigest() == sha256  # the original, unchanged

    sheet = package.read(prefix + "documentation/PhieuXacThuc.pdf")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(sheet)).pages)
    for expected in (code, ARCHIVE_NAME, "Nguyễn Thị Hoa", "040190001234", "Cá nhân"):
        assert expected in text
    for document in wanted:
        sequence = int(document.doc_id.rsplit(".", 1)[1])
        assert f"{sequence:07d}" in text.replace("\n", "")
    with pikepdf.open(io.BytesIO(sheet)) as pdf:
        assert pdf.pdf_version == "1.7"
        assert pdf.open_metadata().pdfa_status == "2B"
    signatures = PdfFileReader(io.BytesIO(sheet)).embedded_signatures
    assert len(signatures) == 1
    trust = ValidationContext(trust_roots=[load_cert_from_pemder(str(archive_pki.root_pem))])
    status = validate_pdf_signature(signatures[0], trust)
    assert status.intact and status.valid and status.trusted, status.pretty_print_details()
    assert status.coverage is not None and status.coverage.name == "ENTIRE_FILE"

    with world.session() as session:
        logged = session.execute(
            sa.select(AccessLogEntry.action, AccessLogEntry.document_id, AccessLogEntry.actor)
            .where(AccessLogEntry.action == "dip")
            .order_by(AccessLogEntry.id)
        ).all()
        events = session.execute(
            sa.select(Event.event_type, Event.outcome, Event.agent).order_by(Event.seq)
        ).all()
        stored = session.get(AccessRequest, request_id)
        assert stored is not None and stored.status == "delivered"
    assert [tuple(e) for e in logged] == [("dip", d.id, "user:official") for d in wanted]
    kinds = [(e.event_type, e.outcome) for e in events if e.event_type != "login"]
    assert kinds[-4:] == [
        ("access request", "success"),
        ("access request approval", "success"),
        ("dip creation", "success"),
        ("dissemination", "success"),
    ]


def test_without_a_key_the_sheet_is_unsigned_and_that_is_said(
    client: TestClient,
    world: World,
    settings: Settings,
    package_cache: PackageCache,
    tmp_path: Path,
) -> None:
    dossier = archived(
        world, settings, package_cache, tmp_path, seed=41, agency=SO_NOI_VU_NGHE_AN, documents=3
    )
    request_id = _approved(client, [dossier.documents[0].id])
    result = _run_build(settings, world, request_id)
    assert result["sheet_signed"] is False and "unsigned" in result["warning"]
    response = client.get(
        f"/api/v1/access-requests/{request_id}/dip", headers=login(client, "archivist")
    )
    assert response.status_code == 200
    package = zipfile.ZipFile(io.BytesIO(response.content))
    prefix = f"uuid-{request_id}/"
    root = etree.fromstring(package.read(prefix + "METS.xml"))
    notes = [n.text or "" for n in root.iterfind(".//mets:metsHdr/mets:agent/mets:note", METS)]
    assert any("KHÔNG được ký số" in n for n in notes)
    sheet = package.read(prefix + "documentation/PhieuXacThuc.pdf")
    assert PdfFileReader(io.BytesIO(sheet)).embedded_signatures == []
    assert "CHƯA ĐƯỢC KÝ SỐ" in PdfReader(io.BytesIO(sheet)).pages[0].extract_text()
    sheet_path = tmp_path / "sheet.pdf"
    sheet_path.write_bytes(sheet)
    assert pikepdf.pdfa.validate_written(sheet_path, "2b").passed
    with world.session() as session:
        creation = session.scalars(sa.select(Event).where(Event.event_type == "dip creation")).one()
    assert creation.outcome == "warning" and "unsigned" in creation.detail["warning"]


def test_who_may_file_decide_and_fetch(
    client: TestClient,
    world: World,
    settings: Settings,
    package_cache: PackageCache,
    tmp_path: Path,
) -> None:
    add_people(world)
    nghean = archived(
        world, settings, package_cache, tmp_path, seed=41, agency=SO_NOI_VU_NGHE_AN, documents=3
    )
    hanoi = archived(world, settings, package_cache, tmp_path, seed=42, agency=UBND_HA_NOI)
    doc = nghean.documents[0].id
    official, archivist = login(client, "official"), login(client, "archivist")

    # Records of another agency are not found, in a request as anywhere else.
    foreign = client.post(
        "/api/v1/access-requests", json=_request_body([hanoi.documents[0].id]), headers=official
    )
    assert foreign.status_code == 404
    # Code lists are checked.
    bad = client.post(
        "/api/v1/access-requests", json=_request_body([doc], purpose="04"), headers=official
    )
    assert bad.status_code == 422
    bad_fee = client.post(
        "/api/v1/access-requests", json=_request_body([doc], fee_object_type="11"), headers=official
    )
    assert bad_fee.status_code == 422
    qlvb = {"Authorization": f"Bearer {world.api_keys['nghean_sonv']}"}
    assert (
        client.post("/api/v1/access-requests", json=_request_body([doc]), headers=qlvb).status_code
        == 403
    )
    assert client.get("/api/v1/access-requests", headers=qlvb).status_code == 403
    for who in ("approver", "auditor"):
        filed = client.post(
            "/api/v1/access-requests", json=_request_body([doc]), headers=login(client, who)
        )
        assert filed.status_code == 403

    filed = client.post("/api/v1/access-requests", json=_request_body([doc]), headers=archivist)
    assert filed.status_code == 201
    own = filed.json()["id"]
    # Nobody decides their own request; officials never decide.
    selfish = client.post(f"/api/v1/access-requests/{own}/approve", headers=archivist)
    assert selfish.status_code == 403
    assert (
        client.post(f"/api/v1/access-requests/{own}/approve", headers=official).status_code == 403
    )
    assert client.post(f"/api/v1/access-requests/{own}/approve", headers=qlvb).status_code == 403
    # An archivist of another agency does not see the request.
    other = client.post(
        f"/api/v1/access-requests/{own}/approve", headers=login(client, "archivist_hn")
    )
    assert other.status_code == 404
    approved = client.post(
        f"/api/v1/access-requests/{own}/approve", headers=login(client, "archivist2")
    )
    assert approved.status_code == 200
    assert approved.json()["decided_by"] == "user:archivist2"
    again = client.post(
        f"/api/v1/access-requests/{own}/reject",
        json={"reason": "muộn"},
        headers=login(client, "archivist2"),
    )
    assert again.status_code == 409

    by_official = client.post(
        "/api/v1/access-requests", json=_request_body([doc]), headers=official
    ).json()["id"]
    no_reason = client.post(
        f"/api/v1/access-requests/{by_official}/reject", json={"reason": ""}, headers=archivist
    )
    assert no_reason.status_code == 422
    rejected = client.post(
        f"/api/v1/access-requests/{by_official}/reject",
        json={"reason": "Mục đích sử dụng chưa rõ"},
        headers=archivist,
    )
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    assert (
        client.get(f"/api/v1/access-requests/{by_official}/dip", headers=official).status_code
        == 409
    )
    # The filer and the archivists who serve them see the requests; colleagues do not.
    assert [r["id"] for r in client.get("/api/v1/access-requests", headers=official).json()] == [
        by_official
    ]
    assert client.get("/api/v1/access-requests", headers=login(client, "official2")).json() == []
    assert (
        client.get(
            f"/api/v1/access-requests/{by_official}", headers=login(client, "official2")
        ).status_code
        == 404
    )
    assert {r["id"] for r in client.get("/api/v1/access-requests", headers=archivist).json()} == {
        own,
        by_official,
    }
    assert client.get("/api/v1/access-requests", headers=login(client, "archivist_hn")).json() == []
    with world.session() as session:
        rejection = session.scalars(
            sa.select(Event).where(Event.event_type == "access request rejection")
        ).one()
    assert rejection.detail["reason"] == "Mục đích sử dụng chưa rõ"


def test_a_conditional_document_needs_a_grant_to_be_requested_and_delivered(
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
        seed=41,
        agency=SO_NOI_VU_NGHE_AN,
        documents=3,
        document_modes={2: "02"},
    )
    conditional = dossier.documents[1].id
    official, archivist = login(client, "official"), login(client, "archivist")
    body = _request_body([conditional])
    assert client.post("/api/v1/access-requests", json=body, headers=official).status_code == 404
    grant = client.post(
        "/api/v1/access/grants",
        json={
            "username": "official",
            "document_id": conditional,
            "valid_until": (utcnow() + dt.timedelta(days=3)).isoformat(),
            "reason": "Giải quyết chế độ",
        },
        headers=archivist,
    ).json()
    request_id = _approved(client, [conditional])
    _run_build(settings, world, request_id)
    assert (
        client.get(f"/api/v1/access-requests/{request_id}/dip", headers=official).status_code == 200
    )
    with world.session() as session:
        session.execute(
            sa.update(AccessGrant)
            .where(AccessGrant.id == grant["id"])
            .values(valid_until=utcnow() - dt.timedelta(seconds=1))
        )
    # The grant has run out: the DIP is closed to the official as the document is.
    assert (
        client.get(f"/api/v1/access-requests/{request_id}/dip", headers=official).status_code == 404
    )
    assert (
        client.get(f"/api/v1/access-requests/{request_id}/dip", headers=archivist).status_code
        == 200
    )
