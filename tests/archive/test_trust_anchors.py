"""Trust anchors: admins add CA certificates (PEM), list and remove them; each change is an
event; the profile lists their subjects for QLVB vendors."""

from __future__ import annotations

import datetime as dt

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from fastapi.testclient import TestClient

from tests.archive.test_api_auth import assert_problem
from tests.conftest import World, login

KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def certificate_pem(common_name: str, *, ca: bool) -> bytes:
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )
    now = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(KEY.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .sign(KEY, hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.PEM)


def test_admin_adds_lists_and_removes_a_trust_anchor(client: TestClient, world: World) -> None:
    admin = login(client, "admin")
    pem = certificate_pem("CA chuyên dùng Chính phủ (thử)", ca=True)
    added = client.post(
        "/api/v1/admin/trust-anchors",
        content=pem,
        headers={**admin, "content-type": "application/x-pem-file"},
    )
    assert added.status_code == 201, added.text
    anchor = added.json()[0]
    assert "CA chuyên dùng Chính phủ" in anchor["subject"]
    listed = client.get("/api/v1/admin/trust-anchors", headers=admin).json()
    assert [a["id"] for a in listed] == [anchor["id"]]
    profile = client.get("/api/v1/profile").json()
    assert [a["sha256"] for a in profile["trust_anchors"]] == [anchor["sha256_fingerprint"]]
    again = client.post("/api/v1/admin/trust-anchors", content=pem, headers=admin)
    assert_problem(again, 409)
    assert (
        client.delete(f"/api/v1/admin/trust-anchors/{anchor['id']}", headers=admin).status_code
        == 204
    )
    assert client.get("/api/v1/admin/trust-anchors", headers=admin).json() == []
    with world.session() as session:
        import sqlalchemy as sa

        from archive.catalog.events import Event

        kinds = session.scalars(
            sa.select(Event.event_type).where(Event.event_type.like("trust anchor%"))
        ).all()
    assert kinds == ["trust anchor addition", "trust anchor removal"]


def test_a_leaf_certificate_is_not_a_trust_anchor(client: TestClient, world: World) -> None:
    admin = login(client, "admin")
    response = client.post(
        "/api/v1/admin/trust-anchors",
        content=certificate_pem("Nguyễn Văn A", ca=False),
        headers=admin,
    )
    assert "not a CA certificate" in assert_problem(response, 400)["detail"]


def test_garbage_is_not_a_certificate(client: TestClient, world: World) -> None:
    response = client.post(
        "/api/v1/admin/trust-anchors", content=b"hello", headers=login(client, "admin")
    )
    assert "not a PEM certificate" in assert_problem(response, 400)["detail"]


def test_only_admins_manage_trust_anchors(client: TestClient, world: World) -> None:
    pem = certificate_pem("CA", ca=True)
    for username in ("archivist", "auditor"):
        response = client.post(
            "/api/v1/admin/trust-anchors", content=pem, headers=login(client, username)
        )
        assert_problem(response, 403)


def test_profile_describes_what_is_accepted(client: TestClient) -> None:
    profile = client.get("/api/v1/profile").json()
    assert profile["package_types"][0]["type"] == "SIP_hoso"
    assert "fmt/477" in [f["puid"] for f in profile["formats"]["pdfa"]]
    assert profile["code_lists"]["lists"]["maintenance"]["codes"]["01"]["vi"] == "Vĩnh viễn"
    assert profile["limits"]["max_package_bytes"] > 0
    assert profile["checks"] == ["virus", "format", "pdfa", "digitised", "signature"]
