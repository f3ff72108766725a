"""Trust anchors: which root certificates signatures must chain to. Every change is an event."""

from __future__ import annotations

import hashlib

import sqlalchemy as sa
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from sqlalchemy.orm import Session

from archive.catalog.trust import TrustAnchor
from archive.errors import Conflict, InvalidInput, NotFound
from archive.services.events import EventOutcome, record_event


def parse_certificates(pem: bytes) -> list[x509.Certificate]:
    try:
        certificates = x509.load_pem_x509_certificates(pem)
    except ValueError:
        raise InvalidInput("không đọc được chứng thư số PEM / not a PEM certificate") from None
    if not certificates:
        raise InvalidInput("không có chứng thư số nào / no certificate in the PEM")
    return certificates


def add_trust_anchors(session: Session, pem: bytes, *, actor: str) -> list[TrustAnchor]:
    """Add each certificate of the PEM; a certificate that is not a CA is refused."""
    added = []
    for certificate in parse_certificates(pem):
        try:
            is_ca = certificate.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
        except x509.ExtensionNotFound:
            is_ca = False
        if not is_ca:
            raise InvalidInput(
                "chứng thư số không phải của tổ chức cung cấp dịch vụ chứng thực (CA) / "
                f"not a CA certificate: {certificate.subject.rfc4514_string()}"
            )
        der = certificate.public_bytes(Encoding.DER)
        fingerprint = hashlib.sha256(der).hexdigest()
        if session.scalar(
            sa.select(TrustAnchor).where(TrustAnchor.sha256_fingerprint == fingerprint)
        ):
            raise Conflict(f"trust anchor already present: {certificate.subject.rfc4514_string()}")
        anchor = TrustAnchor(
            subject=certificate.subject.rfc4514_string(),
            sha256_fingerprint=fingerprint,
            pem=certificate.public_bytes(Encoding.PEM).decode("ascii"),
            not_before=certificate.not_valid_before_utc,
            not_after=certificate.not_valid_after_utc,
            added_by=actor,
        )
        session.add(anchor)
        session.flush()
        record_event(
            session,
            "trust anchor addition",
            agent=actor,
            outcome=EventOutcome.SUCCESS,
            detail={"id": anchor.id, "subject": anchor.subject, "sha256": fingerprint},
        )
        added.append(anchor)
    return added


def list_trust_anchors(session: Session) -> list[TrustAnchor]:
    return list(session.scalars(sa.select(TrustAnchor).order_by(TrustAnchor.id)))


def remove_trust_anchor(session: Session, anchor_id: int, *, actor: str) -> None:
    anchor = session.get(TrustAnchor, anchor_id)
    if anchor is None:
        raise NotFound(f"trust anchor {anchor_id} not found")
    record_event(
        session,
        "trust anchor removal",
        agent=actor,
        outcome=EventOutcome.SUCCESS,
        detail={"id": anchor.id, "subject": anchor.subject, "sha256": anchor.sha256_fingerprint},
    )
    session.delete(anchor)


def trust_roots_pem(session: Session) -> list[bytes]:
    return [anchor.pem.encode("ascii") for anchor in list_trust_anchors(session)]
