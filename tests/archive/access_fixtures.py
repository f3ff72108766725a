"""Archived dossiers for the access tests, made the way archiving leaves them: a real sample
package, its files written into an OCFL object on every configured storage location, and the
Dossier / Document / File rows pointing at them. Also a test PKI for the archive's key."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from sqlalchemy.orm import Session

from archive.catalog.accounts import Agency, Role
from archive.catalog.base import utcnow
from archive.catalog.records import Document, Dossier, File
from archive.services import accounts
from archive.services.locations import open_locations
from archive.settings import Settings
from ingest.package.reader import read_package
from ingest.sample.agencies import Agency as SampleAgency
from ingest.sample.package import PackageSpec, build_package
from storage.ocfl import write_object
from tests.conftest import PASSWORD, World


@dataclass(frozen=True)
class ArchivedDocument:
    id: str
    doc_id: str
    files: tuple[str, ...]  # logical paths, main file first
    sha256: tuple[str, ...]


@dataclass(frozen=True)
class ArchivedDossier:
    id: str
    file_code: str
    object_id: str
    documents: tuple[ArchivedDocument, ...]


class PackageCache:
    """Sample packages are built once per test session (a build signs several PDFs)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.built: dict[tuple[int, str, int], Path] = {}

    def get(self, seed: int, agency: SampleAgency, documents: int) -> Path:
        key = (seed, agency.code, documents)
        if key not in self.built:
            spec = PackageSpec(seed=seed, agency=agency, documents=documents, attachment_share=0.5)
            self.built[key] = build_package(spec, self.folder / str(len(self.built))).zip_path
        return self.built[key]


@pytest.fixture(scope="session")
def package_cache(tmp_path_factory: pytest.TempPathFactory) -> PackageCache:
    return PackageCache(tmp_path_factory.mktemp("access-packages"))


def archive_dossier(
    session: Session,
    settings: Settings,
    zip_path: Path,
    work: Path,
    *,
    mode: str = "01",
    document_modes: dict[int, str] | None = None,
) -> ArchivedDossier:
    """Write the package's files to storage (OCFL, every location) and catalog them."""
    unpacked = work / f"unpacked-{zip_path.stem}"
    shutil.rmtree(unpacked, ignore_errors=True)
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(unpacked)
    root = next(unpacked.iterdir())
    package, _ = read_package(root)
    assert package.dossier is not None and package.file_code
    files = sorted(
        (path.relative_to(root).as_posix(), path) for path in root.rglob("*") if path.is_file()
    )
    object_id = f"urn:uuid:{root.name.removeprefix('uuid-')}"
    created = utcnow()
    for store in open_locations(settings, create=True):
        write_object(store, object_id, files, "archived for access tests", "test", created=created)
    fields = package.dossier_fields
    agency_id = session.scalar(sa.select(Agency.id).where(Agency.code == package.agency_code()))
    assert agency_id is not None
    dossier = Dossier(
        agency_id=agency_id,
        file_code=package.file_code,
        arc_file_code=f"{settings.archive_code}.{package.file_code}",
        title=fields["title"],
        maintenance=fields["maintenance"],
        mode=mode,
        language=fields.get("language") or "01",
        start_date=fields.get("startDate"),
        end_date=fields.get("endDate"),
        end_year=int(fields["endDate"][-4:]),
        confidence_level=fields["confidenceLevel"],
        total_doc=len(package.documents),
        number_of_page=int(fields["numberOfPage"]),
        ocfl_object_id=object_id,
        ocfl_version=1,
        metadata_json=dict(fields),
        archived_at=created,
    )
    session.add(dossier)
    session.flush()
    archived: list[ArchivedDocument] = []
    for item in package.documents:
        meta = item.fields
        document = Document(
            dossier_id=dossier.id,
            sequence=item.sequence,
            doc_id=item.doc_id,
            doc_code=meta.get("docCode"),
            type_name=meta.get("typeName"),
            code_number=meta.get("codeNumber") or None,
            code_notation=meta.get("codeNotation") or None,
            issued_date=meta.get("issuedDate"),
            organ_name=meta.get("organName"),
            subject=meta.get("subject"),
            mode=(document_modes or {}).get(item.sequence, meta.get("mode") or "01"),
            maintenance=meta.get("maintenance"),
            confidence_level=meta.get("confidenceLevel"),
            number_of_page=int(meta.get("numberOfPage") or 0),
            metadata_json=dict(meta),
        )
        session.add(document)
        session.flush()
        paths, digests = [], []
        for index, ref in enumerate(item.files):
            assert ref.path is not None
            local = root / ref.path
            sha256 = hashlib.sha256(local.read_bytes()).hexdigest()
            session.add(
                File(
                    dossier_id=dossier.id,
                    document_id=document.id,
                    logical_path=ref.path,
                    role="document" if index == 0 else "attachment",
                    size=local.stat().st_size,
                    sha256=sha256,
                    mime_type="application/pdf",
                )
            )
            paths.append(ref.path)
            digests.append(sha256)
        archived.append(ArchivedDocument(document.id, item.doc_id, tuple(paths), tuple(digests)))
    session.flush()
    shutil.rmtree(unpacked, ignore_errors=True)
    return ArchivedDossier(dossier.id, package.file_code, object_id, tuple(archived))


def add_people(world: World) -> None:
    """A second archivist and a second official of Nghệ An, and an official of Hà Nội."""
    with world.session() as session:
        for username, agency, role in (
            ("archivist2", "000.00.00.H41", Role.ARCHIVIST),
            ("official2", "000.00.01.H41", Role.OFFICIAL),
            ("official_hn", "000.00.00.H26", Role.OFFICIAL),
        ):
            accounts.create_user(session, username, PASSWORD, agency, {role}, actor="test")


# --- a test PKI for the archive's signing key ----------------------------------------------


@dataclass(frozen=True)
class ArchivePki:
    root_pem: Path
    key_pem: Path
    cert_pem: Path


def _name(common: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Lưu trữ thử nghiệm"),
            x509.NameAttribute(NameOID.COMMON_NAME, common),
        ]
    )


def make_archive_pki(folder: Path) -> ArchivePki:
    folder.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    root_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    root = (
        x509.CertificateBuilder()
        .subject_name(_name("Test Root CA"))
        .issuer_name(_name("Test Root CA"))
        .public_key(root_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(root_key, hashes.SHA256())
    )
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name("Lưu trữ Sở Nội vụ tỉnh Nghệ An"))
        .issuer_name(root.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(root_key, hashes.SHA256())
    )
    pki = ArchivePki(folder / "root.pem", folder / "archive.key.pem", folder / "archive.pem")
    pki.root_pem.write_bytes(root.public_bytes(serialization.Encoding.PEM))
    pki.cert_pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    pki.key_pem.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return pki


@pytest.fixture(scope="session")
def archive_pki(tmp_path_factory: pytest.TempPathFactory) -> ArchivePki:
    return make_archive_pki(tmp_path_factory.mktemp("archive-pki"))


def archived(
    world: World,
    settings: Settings,
    cache: PackageCache,
    work: Path,
    *,
    seed: int,
    agency: SampleAgency,
    documents: int = 2,
    mode: str = "01",
    document_modes: dict[int, str] | None = None,
) -> ArchivedDossier:
    with world.session() as session:
        return archive_dossier(
            session,
            settings,
            cache.get(seed, agency, documents),
            work,
            mode=mode,
            document_modes=document_modes,
        )
