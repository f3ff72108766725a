"""What the service accepts, machine-readable, so QLVB vendors can check before sending."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from fastapi import APIRouter

from archive.api.deps import SessionDep, SettingsDep
from archive.services import trust
from ingest.checks.runner import DEFAULT_ORDER
from ingest.unpack import UnpackLimits
from metadata_schemas.format_policy import BORN_DIGITAL_FORMATS, PDFA_FORMATS

router = APIRouter(prefix="/api/v1", tags=["profile"])


@router.get("/profile")
def profile(session: SessionDep, settings: SettingsDep) -> dict[str, Any]:
    codelists = json.loads(
        resources.files("metadata_schemas").joinpath("codelists.json").read_text("utf-8")
    )
    limits = UnpackLimits()
    return {
        "standard": "Thông tư 05/2025/TT-BNV (E-ARK CSIP 2.0.4)",
        "package_types": [
            {
                "type": "SIP_hoso",
                "oais_package_type": "SIP",
                "mets_type": "Mixed",
                "accepted": True,
            },
            {"type": "SIP_tailieu", "accepted": False, "reason": "not yet supported"},
        ],
        "transport": {
            "endpoint": "/api/v1/submissions",
            "content_types": ["application/zip", "multipart/form-data (field 'package')"],
            "checksum": "SHA-256",
        },
        "limits": {
            "max_package_bytes": settings.max_package_bytes,
            "unpack": {k: v for k, v in vars(limits).items() if not k.startswith("_")},
        },
        "checks": list(DEFAULT_ORDER),
        "formats": {
            "pdfa": [{"puid": f.puid, "name": f.name} for f in PDFA_FORMATS.values()],
            "born_digital": [
                {"puid": f.puid, "name": f.name, "family": f.family.value}
                for f in BORN_DIGITAL_FORMATS.values()
            ],
            "digitised_paper": "PDF/A with an image layer and a text layer, 200 dpi (300 for "
            "maps and drawings), 24-bit colour, 100 % scale",
        },
        "code_lists": codelists,
        "trust_anchors": [
            {"subject": a.subject, "sha256": a.sha256_fingerprint, "not_after": a.not_after}
            for a in trust.list_trust_anchors(session)
        ],
        "callbacks": {
            "signature": "X-Luutru-Signature: sha256=HMAC-SHA256(key=SHA-256(api key), "
            "message=X-Luutru-Timestamp + '.' + body)",
        },
    }
