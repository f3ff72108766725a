"""Keep what signature validation saw, for the AIP: certificates, revocation data, pyHanko status.

Layout under ``evidence_dir``, one folder per file (its logical path with ``/`` as ``__``)::

    <file>/validation.json          one entry per signature (the finding detail + pyHanko summary)
    <file>/certs/<sha256>.pem       every certificate seen: signer, embedded, validation path
    <file>/revocation/ocsp-<sha256>.der, crl-<sha256>.der   revocation data used, if any
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from asn1crypto import crl, ocsp, pem, x509


def evidence_folder(evidence_dir: Path, logical_path: str) -> Path:
    safe = logical_path.strip("/").replace("/", "__").replace("..", "_")
    return evidence_dir / (safe or "file")


def write_evidence(
    evidence_dir: Path,
    logical_path: str,
    signatures: Sequence[Mapping[str, Any]],
    certificates: Iterable[x509.Certificate],
    ocsp_responses: Iterable[ocsp.OCSPResponse] = (),
    crls: Iterable[crl.CertificateList] = (),
) -> Path:
    folder = evidence_folder(evidence_dir, logical_path)
    (folder / "certs").mkdir(parents=True, exist_ok=True)
    for certificate in certificates:
        der = certificate.dump()
        name = hashlib.sha256(der).hexdigest()
        (folder / "certs" / f"{name}.pem").write_bytes(pem.armor("CERTIFICATE", der))
    revocation: list[tuple[str, bytes]] = [("ocsp", item.dump()) for item in ocsp_responses]
    revocation += [("crl", item.dump()) for item in crls]
    if revocation:
        (folder / "revocation").mkdir(exist_ok=True)
        for kind, der in revocation:
            digest = hashlib.sha256(der).hexdigest()
            (folder / "revocation" / f"{kind}-{digest}.der").write_bytes(der)
    document = {"file": logical_path, "signatures": list(signatures)}
    (folder / "validation.json").write_text(
        json.dumps(document, ensure_ascii=False, indent=2, default=str), encoding="utf-8"
    )
    return folder
