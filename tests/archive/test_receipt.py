"""The biên bản giao nhận: PDF/A signed with the archive's key (validated by pyHanko against the
test root), its JSON with the NĐ 30/2020 Phụ lục V content; unsigned, and saying so, without a
key."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pikepdf
import pytest
import sqlalchemy as sa
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from fastapi.testclient import TestClient
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from archive.catalog.events import Event
from archive.settings import Settings
from tests.archive.test_archiving_support import Flow, trust_sample_pki
from tests.conftest import World, login


def _name(common: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Lưu trữ cơ quan (THỬ NGHIỆM)"),
            x509.NameAttribute(NameOID.COMMON_NAME, common),
        ]
    )


def _archive_key(folder: Path) -> tuple[Path, Path, bytes]:
    """(key PEM, certificate PEM, root DER): a test root and the archive's signing certificate."""
    now = dt.datetime.now(dt.UTC)
    root_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    root = (
        x509.CertificateBuilder()
        .subject_name(_name("Gốc thử nghiệm"))
        .issuer_name(_name("Gốc thử nghiệm"))
        .public_key(root_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .sign(root_key, hashes.SHA256())
    )
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name("Lưu trữ cơ quan"))
        .issuer_name(root.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=180))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False),
            critical=True,
        )
        .sign(root_key, hashes.SHA256())
    )
    folder.mkdir(parents=True, exist_ok=True)
    key_path, cert_path = folder / "archive-key.pem", folder / "archive-cert.pem"
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key_path, cert_path, root.public_bytes(serialization.Encoding.DER)


@pytest.fixture
def flow(client: TestClient, world: World, settings: Settings, tmp_path: Path) -> Flow:
    trust_sample_pki(world)
    return Flow(client, world, settings, tmp_path)


def test_signed_receipt_validates_against_the_test_root(flow: Flow, tmp_path: Path) -> None:
    key, cert, root_der = _archive_key(tmp_path / "keys")
    flow.settings = flow.settings.model_copy(
        update={
            "archive_signing_key": key,
            "archive_signing_cert": cert,
            "archive_name": "Lưu trữ cơ quan UBND tỉnh Nghệ An",
        }
    )
    submission_id, dossier_id = flow.archived(seed=51, documents=3)
    built = flow.built[submission_id]
    qlvb = {"Authorization": f"Bearer {flow.world.api_keys['nghean_sonv']}"}
    url = f"/api/v1/submissions/{submission_id}/receipt"

    content = flow.client.get(url, headers=qlvb).json()
    assert content["type"] == "Biên bản giao nhận hồ sơ, tài liệu"
    assert content["handing_over"]["code"] == "000.00.01.H41"
    assert content["receiving"]["name"] == "Lưu trữ cơ quan UBND tỉnh Nghệ An"
    assert content["receiving"]["received_by"] == "archivist"
    assert content["quantity"]["dossiers"] == 1 and content["quantity"]["documents"] == 3
    assert content["quantity"]["files"] >= 3
    assert content["time_span"]["start"] and content["time_span"]["end"]
    assert [i["sequence"] for i in content["attached_list"]] == [1, 2, 3]
    assert built.file_code in content["batch_name"] and len(content["legal_bases"]) == 3
    assert content["signature"]["signed"] is True

    response = flow.client.get(url, headers={**qlvb, "Accept": "application/pdf"})
    assert response.headers["content-type"] == "application/pdf"
    pdf = response.content
    reader = PdfFileReader(io.BytesIO(pdf))
    [signature] = reader.embedded_signatures
    context = ValidationContext(trust_roots=[asn1_x509.Certificate.load(root_der)])
    status = validate_pdf_signature(signature, context)
    assert status.intact and status.valid and status.trusted and status.bottom_line
    with pikepdf.open(io.BytesIO(pdf)) as document, document.open_metadata() as xmp:
        assert xmp["pdfaid:part"] == "2" and xmp["pdfaid:conformance"] == "B"
        assert document.pdf_version == "1.7"
    # other people may not read another agency's receipt
    assert flow.client.get(url, headers=login(flow.client, "archivist_hn")).status_code == 404
    assert dossier_id


def test_without_a_key_the_receipt_is_unsigned_and_says_so(flow: Flow) -> None:
    submission_id, dossier_id = flow.archived(seed=52, documents=1)
    headers = login(flow.client, "archivist")
    content = flow.client.get(f"/api/v1/submissions/{submission_id}/receipt", headers=headers)
    signature = content.json()["signature"]
    assert signature["signed"] is False and "khóa ký" in signature["reason_vi"]
    pdf = flow.client.get(
        f"/api/v1/submissions/{submission_id}/receipt",
        headers={**headers, "Accept": "application/pdf"},
    ).content
    assert PdfFileReader(io.BytesIO(pdf)).embedded_signatures == []
    with flow.world.session() as session:
        event = session.scalars(
            sa.select(Event).where(Event.event_type == "receipt creation")
        ).one()
    assert event.outcome == "warning" and event.detail["signed"] is False
    assert event.dossier_id == dossier_id
