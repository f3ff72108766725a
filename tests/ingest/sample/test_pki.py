from __future__ import annotations

import datetime as dt
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa

from ingest.context import SignerRecognition
from ingest.sample.pki import PkiSubjects, SamplePki, build_test_pki
from ingest.sample.text import DocumentContent
from tests.ingest.sample.conftest import SEED


def load(path: Path) -> x509.Certificate:
    return x509.load_pem_x509_certificate(path.read_bytes())


def signer_kind(cert: x509.Certificate, rule: SignerRecognition) -> str:
    """The archive's rule: UID or serialNumber with a known prefix."""
    oids = (x509.NameOID.USER_ID, x509.NameOID.SERIAL_NUMBER)
    for attribute in cert.subject:
        if attribute.oid not in oids:
            continue
        value = str(attribute.value)
        if value.startswith(rule.person_prefixes):
            return "person"
        if value.startswith(rule.organisation_prefixes):
            return "organisation"
    return "unknown"


def test_certificates_are_recognised_as_person_and_organisation(pki: SamplePki) -> None:
    rule = SignerRecognition()
    for credential in (pki.person, pki.expired_person, pki.untrusted_person):
        assert signer_kind(load(credential.cert_pem), rule) == "person"
    assert signer_kind(load(pki.organisation.cert_pem), rule) == "organisation"


def test_hierarchy_keys_and_extensions(pki: SamplePki, decision: DocumentContent) -> None:
    root, person = load(pki.root_pem), load(pki.person.cert_pem)
    intermediate = load(pki.person.chain_pems[0])
    assert root.subject.get_attributes_for_oid(x509.NameOID.ORGANIZATION_NAME)[0].value == (
        "Ban Cơ yếu Chính phủ"
    )
    assert intermediate.issuer == root.subject and person.issuer == intermediate.subject
    assert person.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)[0].value == (
        decision.signer.full_name
    )
    usage = person.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment and not usage.key_cert_sign
    assert not person.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    aki = person.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value
    ski = intermediate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    assert aki.key_identifier == ski.digest
    for cert in (root, intermediate, person, load(pki.organisation.cert_pem)):
        key = cert.public_key()
        assert isinstance(key, rsa.RSAPublicKey) and key.key_size == 2048


def test_validity_is_relative_to_the_document_date(
    pki: SamplePki, decision: DocumentContent
) -> None:
    day = dt.datetime.combine(decision.issued_date, dt.time(9), tzinfo=dt.UTC)
    person, expired = load(pki.person.cert_pem), load(pki.expired_person.cert_pem)
    assert person.not_valid_before_utc < day < person.not_valid_after_utc
    assert expired.not_valid_after_utc < day
    untrusted = load(pki.untrusted_person.cert_pem)
    assert untrusted.issuer == load(pki.untrusted_root_pem).subject != load(pki.root_pem).subject


def test_same_seed_gives_identical_pki_and_the_cache_is_reused(
    pki: SamplePki, decision: DocumentContent, tmp_path: Path
) -> None:
    fresh = build_test_pki(SEED, PkiSubjects.of(decision), decision.issued_date, tmp_path)
    for name in sorted(p.name for p in pki.directory.iterdir()):
        assert (fresh.directory / name).read_bytes() == (pki.directory / name).read_bytes()
    cached = build_test_pki(SEED, PkiSubjects.of(decision), decision.issued_date, tmp_path)
    assert cached == fresh
