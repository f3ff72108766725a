"""Device colour used in a document without a PDF/A output intent (ISO 19005-2 6.2.4.3).

pikepdf.pdfa checks device colour against the output intent's profile, but when there is no
output intent at all it only says it cannot check; this module settles that case.
"""

from __future__ import annotations

import pikepdf

from ingest.checks.pdfa import rules
from ingest.checks.pdfa.content import PaintedContent
from ingest.findings import Finding

_OPERATOR_SPACE = {
    "rg": "/DeviceRGB",
    "RG": "/DeviceRGB",
    "k": "/DeviceCMYK",
    "K": "/DeviceCMYK",
    "g": "/DeviceGray",
    "G": "/DeviceGray",
}
_DEFAULT_FOR = {
    "/DeviceRGB": "/DefaultRGB",
    "/DeviceCMYK": "/DefaultCMYK",
    "/DeviceGray": "/DefaultGray",
}
_TEST_FOR = {"/DeviceRGB": 2, "/DeviceCMYK": 3, "/DeviceGray": 4}


def has_pdfa_output_intent(pdf: pikepdf.Pdf) -> bool:
    for intent in pdf.Root.get("/OutputIntents", []) or []:
        if (
            isinstance(intent, pikepdf.Dictionary)
            and intent.get("/S") == "/GTS_PDFA1"
            and isinstance(intent.get("/DestOutputProfile"), pikepdf.Stream)
        ):
            return True
    return False


def _has_default(resources: pikepdf.Object | None, space: str) -> bool:
    if not isinstance(resources, pikepdf.Dictionary):
        return False
    spaces = resources.get("/ColorSpace")
    return isinstance(spaces, pikepdf.Dictionary) and _DEFAULT_FOR[space] in spaces


def check_device_colour(pdf: pikepdf.Pdf, painted: PaintedContent, logical: str) -> list[Finding]:
    if has_pdfa_output_intent(pdf):
        return []
    used: set[str] = set()
    for operator, operands, resources in painted.operators:
        space = _OPERATOR_SPACE.get(operator)
        if space is None and operator in ("cs", "CS") and operands:
            candidate = str(operands[0])
            space = candidate if candidate in _DEFAULT_FOR else None
        if space is not None and not _has_default(resources, space):
            used.add(space)
    return [
        rules.COLOUR.finding(
            logical,
            message=f"{space} is used but the document has no PDF/A output intent",
            clause="6.2.4.3",
            verapdf_rule=f"ISO_19005_2:6.2.4.3-{_TEST_FOR[space]}",
        )
        for space in sorted(used)
    ]
