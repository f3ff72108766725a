"""Fonts used by painted text must be embedded (ISO 19005-2 6.2.11.4.1).

pikepdf.pdfa reports a missing font program only once the rest of the document passes, and as
"unsupported"; this check looks at every font a painted ``Tf`` selects.
"""

from __future__ import annotations

import pikepdf

from ingest.checks.pdfa import rules
from ingest.checks.pdfa.content import PaintedContent
from ingest.findings import Finding

_FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")


def _is_embedded(font: pikepdf.Dictionary) -> bool:
    subtype = font.get("/Subtype")
    if subtype == "/Type3":
        return True
    if subtype == "/Type0":
        descendants = font.get("/DescendantFonts")
        if not isinstance(descendants, pikepdf.Array) or len(descendants) != 1:
            return False
        descendant = descendants[0]
        if not isinstance(descendant, pikepdf.Dictionary):
            return False
        font = descendant
    descriptor = font.get("/FontDescriptor")
    return isinstance(descriptor, pikepdf.Dictionary) and any(k in descriptor for k in _FONT_FILES)


def check_fonts_embedded(painted: PaintedContent, logical: str) -> list[Finding]:
    if any(op == "Tr" and operands and operands[0] == 3 for op, operands, _ in painted.operators):
        return []  # invisible text may use a non-embedded font; pikepdf.pdfa reports the rest
    missing: dict[str, None] = {}
    for operator, operands, resources in painted.operators:
        if operator != "Tf" or not operands or not isinstance(resources, pikepdf.Dictionary):
            continue
        fonts = resources.get("/Font")
        font = fonts.get(str(operands[0])) if isinstance(fonts, pikepdf.Dictionary) else None
        if isinstance(font, pikepdf.Dictionary) and not _is_embedded(font):
            missing[str(font.get("/BaseFont", operands[0]))] = None
    return [
        rules.FONT_NOT_EMBEDDED.finding(
            logical, font=name, clause="6.2.11.4.1", verapdf_rule="ISO_19005_2:6.2.11.4.1-1"
        )
        for name in missing
    ]
