"""Fixtures for the content checks: a tiny test PKI, PDF builders, a private clamd."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from reportlab.pdfgen import canvas

from ingest.context import DocumentInfo, PackageFile

REPO_ROOT = Path(__file__).resolve().parents[3]
SHARED = REPO_ROOT.parent / "shared"
UID_OID = x509.ObjectIdentifier("0.9.2342.19200300.100.1.1")

sys.path.insert(0, str(REPO_ROOT))  # ``ops`` is a folder of scripts, not an installed package


# ---------------------------------------------------------------- package files


def package_file(
    path: Path,
    logical_path: str | None = None,
    confidence_level: str | None = None,
    **document: object,
) -> PackageFile:
    info = None
    if confidence_level is not None:
        info = DocumentInfo(doc_id="doc-1", confidence_level=confidence_level, **document)  # type: ignore[arg-type]
    return PackageFile(
        path=path,
        logical_path=logical_path or f"representations/rep1/data/{path.name}",
        size=path.stat().st_size,
        document=info,
    )


# ---------------------------------------------------------------- PDFs


def simple_pdf(text: str = "Quyet dinh so 123/QD-UBND", pages: int = 1) -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pageCompression=0)
    for number in range(pages):
        page.drawString(72, 720, f"{text} - page {number + 1}")
        page.showPage()
    page.save()
    return buffer.getvalue()


PDFA_XMP = b"""<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
<pdfaid:part>2</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance></rdf:Description>
</rdf:RDF></x:xmpmeta><?xpacket end="w"?>"""


def claim_pdfa_2b(source: Path, target: Path) -> Path:
    """Add the PDF/A-2b identification XMP (what format identification looks at)."""
    with pikepdf.open(source) as pdf:
        metadata = pikepdf.Stream(pdf, PDFA_XMP)
        metadata.Type = pikepdf.Name.Metadata
        metadata.Subtype = pikepdf.Name.XML
        pdf.Root.Metadata = metadata
        pdf.save(target, compress_streams=False)
    return target


# ---------------------------------------------------------------- test PKI


@dataclass(frozen=True)
class Identity:
    key_pem: Path
    cert_pem: Path
    chain: tuple[Path, ...]

    def signer(self) -> signers.SimpleSigner:
        loaded = signers.SimpleSigner.load(
            str(self.key_pem), str(self.cert_pem), ca_chain_files=tuple(map(str, self.chain))
        )
        assert loaded is not None
        return loaded


@dataclass(frozen=True)
class SamplePkiBundle:
    __test__ = False
    root_pem: bytes
    other_root_pem: bytes
    person: Identity
    organisation: Identity
    expired_person: Identity
    unknown_role: Identity


def _name(common_name: str, serial: str | None = None, uid: str | None = None) -> x509.Name:
    attributes = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
    ]
    if serial:
        attributes.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, serial))
    if uid:
        attributes.append(x509.NameAttribute(UID_OID, uid))
    return x509.Name(attributes)


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _certificate(
    subject: x509.Name,
    key: rsa.RSAPrivateKey,
    issuer: x509.Name,
    issuer_key: rsa.RSAPrivateKey,
    *,
    ca: bool,
    not_before: dt.datetime,
    not_after: dt.datetime,
) -> x509.Certificate:
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), False
        )
    )
    if ca:
        usage = x509.KeyUsage(False, False, False, False, False, True, True, False, False)
    else:
        usage = x509.KeyUsage(True, True, False, False, False, False, False, False, False)
    builder = builder.add_extension(usage, critical=True)
    return builder.sign(issuer_key, hashes.SHA256())


def _write(folder: Path, name: str, key: rsa.RSAPrivateKey, cert: x509.Certificate) -> Path:
    (folder / f"{name}.key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    path = folder / f"{name}.cert.pem"
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return path


@pytest.fixture(scope="session")
def test_pki(tmp_path_factory: pytest.TempPathFactory) -> SamplePkiBundle:
    folder = tmp_path_factory.mktemp("pki")
    now = dt.datetime.now(dt.UTC)
    long_ago, far_ahead = now - dt.timedelta(days=3650), now + dt.timedelta(days=3650)
    root_key, other_key = _key(), _key()
    root_name = _name("Luutru Test Root CA")
    root = _certificate(
        root_name, root_key, root_name, root_key, ca=True, not_before=long_ago, not_after=far_ahead
    )
    other_name = _name("Unrelated Root CA")
    other = _certificate(
        other_name,
        other_key,
        other_name,
        other_key,
        ca=True,
        not_before=long_ago,
        not_after=far_ahead,
    )
    root_path = _write(folder, "root", root_key, root)
    other_path = _write(folder, "other-root", other_key, other)
    intermediate_key = _key()
    intermediate_name = _name("Luutru Test Issuing CA")
    intermediate = _certificate(
        intermediate_name,
        intermediate_key,
        root_name,
        root_key,
        ca=True,
        not_before=long_ago,
        not_after=far_ahead,
    )
    intermediate_path = _write(folder, "intermediate", intermediate_key, intermediate)

    def leaf(
        name: str, subject: x509.Name, not_before: dt.datetime, not_after: dt.datetime
    ) -> Identity:
        key = _key()
        cert = _certificate(
            subject,
            key,
            intermediate_name,
            intermediate_key,
            ca=False,
            not_before=not_before,
            not_after=not_after,
        )
        cert_path = _write(folder, name, key, cert)
        return Identity(folder / f"{name}.key.pem", cert_path, (intermediate_path,))

    valid_from, valid_to = now - dt.timedelta(days=30), now + dt.timedelta(days=365)
    return SamplePkiBundle(
        root_pem=root_path.read_bytes(),
        other_root_pem=other_path.read_bytes(),
        person=leaf("person", _name("Nguyễn Văn A", uid="CCCD:001099000001"), valid_from, valid_to),
        organisation=leaf(
            "organisation",
            _name("Ủy ban nhân dân tỉnh X", serial="MST:0100109106"),
            valid_from,
            valid_to,
        ),
        expired_person=leaf(
            "expired-person",
            _name("Trần Thị B", uid="CCCD:001099000002"),
            now - dt.timedelta(days=400),
            now - dt.timedelta(days=35),
        ),
        unknown_role=leaf("unknown", _name("Test Signer"), valid_from, valid_to),
    )


def sign_pdf(pdf: bytes, identity: Identity, field_name: str) -> bytes:
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    metadata = signers.PdfSignatureMetadata(
        field_name=field_name,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason="Lưu trữ hồ sơ",
        location="Hà Nội",
    )
    output = signers.sign_pdf(writer, metadata, signer=identity.signer())
    return output.getvalue()


# ---------------------------------------------------------------- ClamAV


def clamav_installed() -> bool:
    return all(
        shutil.which(tool) or shutil.which(f"/usr/sbin/{tool}") for tool in ("clamscan", "clamd")
    )


requires_clamav = pytest.mark.skipif(
    not clamav_installed(),
    reason="ClamAV is not installed (apt-get install clamav clamav-daemon)",
)


@pytest.fixture(scope="session")
def clamav_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from ops.services.clamav import build_test_database

    return build_test_database(tmp_path_factory.mktemp("clamav") / "db")


@pytest.fixture(scope="session")
def clamd_socket(tmp_path_factory: pytest.TempPathFactory, clamav_database: Path) -> Iterator[str]:
    if not clamav_installed():
        pytest.skip("ClamAV is not installed (apt-get install clamav clamav-daemon)")
    from ops.services.clamav import ClamdService

    with ClamdService(tmp_path_factory.mktemp("clamd"), clamav_database) as service:
        yield str(service.socket_path)
