"""Tell a person's certificate from an organisation's (NĐ 30/2020 Điều 5, 32).

Vietnamese CAs write an identifier into the certificate subject as ``PREFIX:value``, in the
UID attribute (0.9.2342.19200300.100.1.1) or in serialNumber (2.5.4.5). The configurable rule
``SignerRecognition`` (``ingest.context``) lists the prefixes: by default CMND:/CCCD:/HC:/CMT:
(identity card, citizen card, passport) mean a person; MST:/MNS:/MDDCQ:/MQHNS: (tax code,
budget-unit code, agency identifier codes) mean an organisation. Prefixes are compared without
regard to case or surrounding spaces. A subject matching neither is ``unknown`` and counts as
neither signature.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from asn1crypto import x509

from ingest.context import SignerRecognition

UID_OID = "0.9.2342.19200300.100.1.1"
SERIAL_NUMBER_OID = "2.5.4.5"


class SignerRole(StrEnum):
    PERSON = "person"
    ORGANISATION = "organisation"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class SignerIdentity:
    role: SignerRole
    identifier: str | None  # the attribute value that decided, e.g. "CCCD:001099000001"


def identifier_values(name: x509.Name) -> list[str]:
    """UID and serialNumber values of a subject, in the order they appear."""
    values: list[str] = []
    for rdn in name.chosen:
        for attribute in rdn:
            if attribute["type"].dotted in (UID_OID, SERIAL_NUMBER_OID):
                value = attribute["value"].native
                if isinstance(value, str):
                    values.append(value.strip())
    return values


def _has_prefix(value: str, prefixes: tuple[str, ...]) -> bool:
    folded = value.upper().replace(" ", "")
    return any(folded.startswith(prefix.upper().replace(" ", "")) for prefix in prefixes)


def classify(certificate: x509.Certificate, recognition: SignerRecognition) -> SignerIdentity:
    for value in identifier_values(certificate.subject):
        if _has_prefix(value, recognition.person_prefixes):
            return SignerIdentity(SignerRole.PERSON, value)
        if _has_prefix(value, recognition.organisation_prefixes):
            return SignerIdentity(SignerRole.ORGANISATION, value)
    return SignerIdentity(SignerRole.UNKNOWN, None)
