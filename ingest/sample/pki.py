"""A test PKI shaped like the government's: root → intermediate → person and organisation.

Everything is derived from a seed, the subjects and a reference date (normally the document's
issue date), never from the clock, so "validate as of the signing time" works for any date and
the same inputs give the same bytes. Subjects follow the recognition rule of
``ingest.context.SignerRecognition``: UID ``CCCD:…`` marks a person, UID ``MNS:…`` an
organisation. Finished PKIs are cached on disk, one directory per set of inputs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import random
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from ingest.sample.rsa_keys import deterministic_rsa_key
from ingest.sample.text import DocumentContent

_LAYOUT_VERSION = "1"  # bump when the certificates change, so old caches are not reused
ROOT_NAME = "CA chuyên dùng Chính phủ (THỬ NGHIỆM)"  # X.509 caps names at 64 units
INTERMEDIATE_NAME = "CA chuyên dùng công vụ (THỬ NGHIỆM)"
UNTRUSTED_ROOT_NAME = "CA không được tin cậy (THỬ NGHIỆM)"
CA_ORGANISATION = "Ban Cơ yếu Chính phủ"


@dataclass(frozen=True)
class PkiSubjects:
    person_name: str
    person_title: str
    person_id: str  # CCCD number, 12 digits
    agency_name: str
    agency_budget_code: str  # mã quan hệ ngân sách
    province: str

    @classmethod
    def of(cls, content: DocumentContent) -> PkiSubjects:
        return cls(
            person_name=content.signer.full_name,
            person_title=content.signer.position,
            person_id=content.signer.national_id,
            agency_name=content.agency.name,
            agency_budget_code=content.agency.budget_code,
            province=content.agency.province,
        )


@dataclass(frozen=True)
class Credential:
    """What a signer needs: private key, certificate, and the CA certificates above it."""

    key_pem: Path
    cert_pem: Path
    chain_pems: tuple[Path, ...]  # issuing CAs, nearest first, root excluded


@dataclass(frozen=True)
class SamplePki:
    directory: Path
    root_pem: Path  # the trust anchor a validator is given
    chain_pem: Path  # intermediate then root, one file
    person: Credential
    organisation: Credential
    expired_person: Credential  # same person, certificate expired before the document date
    untrusted_person: Credential  # same person, issued by an unrelated root
    untrusted_root_pem: Path


def build_test_pki(
    seed: int, subjects: PkiSubjects, reference_date: dt.date, cache_dir: Path
) -> SamplePki:
    """Return the PKI for these inputs, generating it into ``cache_dir`` the first time."""
    key = f"{_LAYOUT_VERSION}|{seed}|{subjects}|{reference_date.isoformat()}"
    directory = cache_dir / f"pki-{hashlib.sha256(key.encode()).hexdigest()[:16]}"
    if not directory.is_dir():
        cache_dir.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(dir=cache_dir, prefix=".pki-"))
        try:
            _generate(work, seed, subjects, reference_date)
            os.rename(work, directory)
        except OSError:
            if not directory.is_dir():  # lost a race with another builder: theirs is as good
                raise
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return _paths(directory)


def _paths(directory: Path) -> SamplePki:
    def credential(name: str, chain: tuple[str, ...]) -> Credential:
        return Credential(
            key_pem=directory / f"{name}.key.pem",
            cert_pem=directory / f"{name}.cert.pem",
            chain_pems=tuple(directory / f"{c}.cert.pem" for c in chain),
        )

    return SamplePki(
        directory=directory,
        root_pem=directory / "root.cert.pem",
        chain_pem=directory / "chain.pem",
        person=credential("person", ("intermediate",)),
        organisation=credential("organisation", ("intermediate",)),
        expired_person=credential("expired-person", ("intermediate",)),
        untrusted_person=credential("untrusted-person", ()),
        untrusted_root_pem=directory / "untrusted-root.cert.pem",
    )


@dataclass(frozen=True)
class _Issued:
    key: rsa.RSAPrivateKey
    cert: x509.Certificate


def _generate(out: Path, seed: int, subjects: PkiSubjects, day: dt.date) -> None:
    rng = random.Random(f"pki/{seed}")
    midnight = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)

    def years(n: float) -> dt.datetime:
        return midnight + dt.timedelta(days=round(365.25 * n))

    def key(label: str, bits: int = 2048) -> rsa.RSAPrivateKey:
        return deterministic_rsa_key(f"{seed}/{label}", bits)

    ca_name = _name(CN=ROOT_NAME, O=CA_ORGANISATION)
    root = _issue(rng, ca_name, key("root"), None, years(-5), years(15), ca_path=1)
    inter_name = _name(CN=INTERMEDIATE_NAME, O=CA_ORGANISATION)
    inter = _issue(rng, inter_name, key("intermediate"), root, years(-3), years(10), ca_path=0)
    person_name = _name(
        CN=subjects.person_name,
        T=subjects.person_title,
        O=subjects.agency_name,
        ST=subjects.province,
        UID=f"CCCD:{subjects.person_id}",
    )
    org_name = _name(
        CN=subjects.agency_name,
        O=subjects.agency_name,
        ST=subjects.province,
        UID=f"MNS:{subjects.agency_budget_code}",
    )
    person = _issue(rng, person_name, key("person"), inter, years(-1), years(2))
    organisation = _issue(rng, org_name, key("organisation"), inter, years(-1), years(3))
    expired = _issue(rng, person_name, key("expired"), inter, years(-3), years(-1))
    other_name = _name(CN=UNTRUSTED_ROOT_NAME, O="Không rõ")
    other_root = _issue(rng, other_name, key("untrusted-root"), None, years(-5), years(15), 0)
    stranger = _issue(rng, person_name, key("untrusted-person"), other_root, years(-1), years(2))

    _write_cert(out / "root.cert.pem", root)
    _write_cert(out / "intermediate.cert.pem", inter)
    _write_cert(out / "untrusted-root.cert.pem", other_root)
    (out / "chain.pem").write_bytes(_pem(inter) + _pem(root))
    for label, issued in (
        ("person", person),
        ("organisation", organisation),
        ("expired-person", expired),
        ("untrusted-person", stranger),
    ):
        _write_cert(out / f"{label}.cert.pem", issued)
        (out / f"{label}.key.pem").write_bytes(
            issued.key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )


_ATTRIBUTES = {
    "CN": NameOID.COMMON_NAME,
    "T": NameOID.TITLE,
    "O": NameOID.ORGANIZATION_NAME,
    "ST": NameOID.STATE_OR_PROVINCE_NAME,
    "UID": NameOID.USER_ID,
}


def _name(**parts: str) -> x509.Name:
    attributes = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    for short in ("ST", "O", "T", "UID", "CN"):
        if short in parts:
            attributes.append(x509.NameAttribute(_ATTRIBUTES[short], parts[short]))
    return x509.Name(attributes)


def _issue(
    rng: random.Random,
    subject: x509.Name,
    key: rsa.RSAPrivateKey,
    issuer: _Issued | None,
    not_before: dt.datetime,
    not_after: dt.datetime,
    ca_path: int | None = None,
) -> _Issued:
    """Sign a certificate: a CA when ``ca_path`` is given (its path length), else a leaf."""
    signing_key = issuer.key if issuer else key
    is_ca = ca_path is not None
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.cert.subject if issuer else subject)
        .public_key(key.public_key())
        .serial_number(rng.getrandbits(126) | (1 << 126))
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=is_ca, path_length=ca_path), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .add_extension(_key_usage(is_ca), critical=True)
    )
    authority = (issuer.key if issuer else key).public_key()
    builder = builder.add_extension(
        x509.AuthorityKeyIdentifier.from_issuer_public_key(authority), critical=False
    )
    return _Issued(key, builder.sign(signing_key, hashes.SHA256()))


def _key_usage(is_ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not is_ca,
        content_commitment=not is_ca,  # nonRepudiation
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=is_ca,
        crl_sign=is_ca,
        encipher_only=False,
        decipher_only=False,
    )


def _pem(issued: _Issued) -> bytes:
    return issued.cert.public_bytes(serialization.Encoding.PEM)


def _write_cert(path: Path, issued: _Issued) -> None:
    path.write_bytes(_pem(issued))
