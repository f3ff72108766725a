"""Forms, signatures, permissions, embedded files and optional content (6.1.12, 6.4, 6.8, 6.9).

pikepdf.pdfa calls all of these "unsupported". They are checked here, so that a PAdES signature
(AcroForm with SigFlags, signature widgets, /Perms with DocMDP, DSS) is accepted when it conforms.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

import pikepdf

from ingest.checks.pdfa import rules
from ingest.findings import Finding

ALLOWED_PERMS = frozenset({"/UR3", "/DocMDP"})
MAX_EMBEDDED_PDF_BYTES = 50_000_000


def _fields(acroform: pikepdf.Dictionary) -> Iterator[pikepdf.Dictionary]:
    pending = list(acroform.get("/Fields", []) or [])
    seen: set[tuple[int, int]] = set()
    while pending:
        field = pending.pop()
        if not isinstance(field, pikepdf.Dictionary):
            continue
        if field.is_indirect:
            if field.objgen in seen:
                continue
            seen.add(field.objgen)
        yield field
        pending.extend(field.get("/Kids", []) or [])


def signature_dictionaries(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    acroform = pdf.Root.get("/AcroForm")
    if not isinstance(acroform, pikepdf.Dictionary):
        return []
    signatures: list[pikepdf.Dictionary] = []
    for field in _fields(acroform):
        value = field.get("/V")
        if field.get("/FT") == "/Sig" and isinstance(value, pikepdf.Dictionary):
            signatures.append(value)
    return signatures


def check_forms(pdf: pikepdf.Pdf, logical: str) -> list[Finding]:
    findings: list[Finding] = []
    acroform = pdf.Root.get("/AcroForm")
    if isinstance(acroform, pikepdf.Dictionary):
        if acroform.get("/NeedAppearances") is True or acroform.get("/NeedAppearances") == True:  # noqa: E712
            findings.append(_form(logical, "/NeedAppearances is true", "6.4.1", 3))
        if "/XFA" in acroform:
            findings.append(_form(logical, "the form contains XFA", "6.4.2", 1))
    if pdf.Root.get("/NeedsRendering") is True:
        findings.append(_form(logical, "/NeedsRendering is true", "6.4.2", 2))
    perms = pdf.Root.get("/Perms")
    if isinstance(perms, pikepdf.Dictionary):
        for key in perms:
            if key not in ALLOWED_PERMS:
                findings.append(
                    rules.FILE_STRUCTURE.finding(
                        logical,
                        message=f"/Perms contains {key}; only UR3 and DocMDP are allowed",
                        clause="6.1.12",
                        verapdf_rule="ISO_19005_2:6.1.12-1",
                    )
                )
    findings.extend(_check_signatures(pdf, logical))
    return findings


def _check_signatures(pdf: pikepdf.Pdf, logical: str) -> Iterator[Finding]:
    for signature in signature_dictionaries(pdf):
        byte_range = signature.get("/ByteRange")
        contents = signature.get("/Contents")
        if not isinstance(byte_range, pikepdf.Array) or len(byte_range) != 4:
            yield _form(logical, "a signature has no valid /ByteRange", "6.4.3", 1)
            continue
        start, first_length, second_start, _second_length = (int(v) for v in byte_range)
        gap = second_start - (start + first_length)
        if start != 0 or not isinstance(contents, pikepdf.String):
            yield _form(logical, "a signature /ByteRange does not start the file", "6.4.3", 1)
        elif gap != len(bytes(contents)) * 2 + 2:
            yield _form(
                logical, "a signature /ByteRange leaves out more than /Contents", "6.4.3", 1
            )


def _form(logical: str, message: str, clause: str, test: int) -> Finding:
    return rules.FORM.finding(
        logical, message=message, clause=clause, verapdf_rule=f"ISO_19005_2:{clause}-{test}"
    )


def check_optional_content(pdf: pikepdf.Pdf, logical: str) -> list[Finding]:
    properties = pdf.Root.get("/OCProperties")
    if not isinstance(properties, pikepdf.Dictionary):
        return []
    findings: list[Finding] = []
    groups = {g.objgen for g in properties.get("/OCGs", []) or [] if g.is_indirect}
    configs = []
    default = properties.get("/D")
    if isinstance(default, pikepdf.Dictionary):
        configs.append(default)
    configs.extend(
        c for c in properties.get("/Configs", []) or [] if isinstance(c, pikepdf.Dictionary)
    )
    names: list[str] = []
    for config in configs:
        name = config.get("/Name")
        if not isinstance(name, pikepdf.String) or not str(name):
            findings.append(_oc(logical, "a configuration has no /Name", 1))
        else:
            names.append(str(name))
        order = config.get("/Order")
        if groups and isinstance(order, pikepdf.Array):
            listed = {g.objgen for g in _flatten(order) if g.is_indirect}
            if groups - listed:
                findings.append(_oc(logical, "some groups are missing from /Order", 3))
        elif groups and order is None:
            findings.append(_oc(logical, "a configuration has no /Order", 3))
        if "/AS" in config:
            findings.append(_oc(logical, "a configuration has an /AS entry", 4))
    if len(names) != len(set(names)):
        findings.append(_oc(logical, "configuration names are not unique", 2))
    return findings


def _flatten(array: pikepdf.Array, depth: int = 0) -> Iterator[pikepdf.Object]:
    for item in array:
        if isinstance(item, pikepdf.Array) and depth < 32:
            yield from _flatten(item, depth + 1)
        elif isinstance(item, pikepdf.Dictionary):
            yield item


def _oc(logical: str, message: str, test: int) -> Finding:
    return rules.OPTIONAL_CONTENT.finding(
        logical, message=message, clause="6.9", verapdf_rule=f"ISO_19005_2:6.9-{test}"
    )


def _file_specs(pdf: pikepdf.Pdf) -> Iterator[tuple[str, pikepdf.Dictionary]]:
    names = pdf.Root.get("/Names")
    if isinstance(names, pikepdf.Dictionary) and "/EmbeddedFiles" in names:
        tree = pikepdf.NameTree(names["/EmbeddedFiles"])
        for name, spec in tree.items():
            if isinstance(spec, pikepdf.Dictionary):
                yield str(name), spec
    for page in pdf.pages:
        for annotation in page.obj.get("/Annots", []) or []:
            if isinstance(annotation, pikepdf.Dictionary) and annotation.get("/Subtype") == (
                "/FileAttachment"
            ):
                attached = annotation.get("/FS")
                if isinstance(attached, pikepdf.Dictionary):
                    yield str(attached.get("/UF", attached.get("/F", "?"))), attached


def check_embedded_files(pdf: pikepdf.Pdf, logical: str) -> list[Finding]:
    findings: list[Finding] = []
    for name, spec in _file_specs(pdf):
        embedded = spec.get("/EF")
        if not isinstance(embedded, pikepdf.Dictionary):
            continue
        if "/F" not in spec or "/UF" not in spec:
            findings.append(
                rules.EMBEDDED_FILE.finding(
                    logical, name=name, clause="6.8", verapdf_rule="ISO_19005_2:6.8-2"
                )
            )
            continue
        stream = embedded.get("/F", embedded.get("/UF"))
        if not isinstance(stream, pikepdf.Stream) or not _is_pdfa(stream):
            findings.append(
                rules.EMBEDDED_FILE.finding(
                    logical, name=name, clause="6.8", verapdf_rule="ISO_19005_2:6.8-5"
                )
            )
    return findings


def _is_pdfa(stream: pikepdf.Stream) -> bool:
    """An embedded file is acceptable when it is a PDF declaring PDF/A-1 or PDF/A-2."""
    params = stream.get("/Params")
    length = params.get("/Size") if isinstance(params, pikepdf.Dictionary) else None
    if isinstance(length, int) and length > MAX_EMBEDDED_PDF_BYTES:
        return False
    try:
        data = stream.read_bytes()
        with pikepdf.open(io.BytesIO(data)) as inner:
            metadata = inner.open_metadata()
            part = metadata.get("pdfaid:part")
            return str(part) in ("1", "2")
    except Exception:
        return False
