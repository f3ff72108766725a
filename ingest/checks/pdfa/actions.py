"""JavaScript and actions (ISO 19005-2 6.5, 6.4.1 for form fields)."""

from __future__ import annotations

from collections.abc import Iterator

import pikepdf

from ingest.checks.pdfa import rules
from ingest.findings import Finding

ALLOWED_ACTIONS = frozenset(
    {"/GoTo", "/GoToR", "/GoToE", "/Thread", "/URI", "/Named", "/SubmitForm"}
)
ALLOWED_NAMED = frozenset({"/NextPage", "/PrevPage", "/FirstPage", "/LastPage"})
MAX_ACTION_CHAIN = 100


def _action_chain(action: pikepdf.Object) -> Iterator[pikepdf.Dictionary]:
    pending = [action]
    seen = 0
    while pending and seen < MAX_ACTION_CHAIN:
        current = pending.pop()
        seen += 1
        if isinstance(current, pikepdf.Array):
            pending.extend(current)
            continue
        if not isinstance(current, pikepdf.Dictionary):
            continue
        yield current
        following = current.get("/Next")
        if following is not None:
            pending.append(following)


def _check_action(action: pikepdf.Object, where: str, logical: str) -> Iterator[Finding]:
    for item in _action_chain(action):
        kind = item.get("/S")
        kind_name = str(kind) if kind is not None else "(none)"
        if kind_name == "/JavaScript" or "/JS" in item:
            yield rules.JAVASCRIPT.finding(
                logical, where=where, clause="6.5.1", verapdf_rule="ISO_19005_2:6.5.1-1"
            )
        elif kind_name not in ALLOWED_ACTIONS:
            yield rules.FORBIDDEN_ACTION.finding(
                logical,
                action=kind_name,
                where=where,
                clause="6.5.1",
                verapdf_rule="ISO_19005_2:6.5.1-1",
            )
        elif kind_name == "/Named" and str(item.get("/N")) not in ALLOWED_NAMED:
            yield rules.FORBIDDEN_ACTION.finding(
                logical,
                action=f"/Named {item.get('/N')}",
                where=where,
                clause="6.5.1",
                verapdf_rule="ISO_19005_2:6.5.1-2",
            )


def _outline_items(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Dictionary]:
    outlines = pdf.Root.get("/Outlines")
    if not isinstance(outlines, pikepdf.Dictionary):
        return
    pending = [outlines.get("/First")]
    seen: set[tuple[int, int]] = set()
    while pending:
        item = pending.pop()
        if not isinstance(item, pikepdf.Dictionary):
            continue
        if item.is_indirect:
            if item.objgen in seen:
                continue
            seen.add(item.objgen)
        yield item
        pending.append(item.get("/Next"))
        pending.append(item.get("/First"))


def check_actions(pdf: pikepdf.Pdf, logical: str) -> list[Finding]:
    findings: list[Finding] = []
    root = pdf.Root
    names = root.get("/Names")
    if isinstance(names, pikepdf.Dictionary) and "/JavaScript" in names:
        findings.append(
            rules.JAVASCRIPT.finding(
                logical,
                where="/Names /JavaScript",
                clause="6.5.1",
                verapdf_rule="ISO_19005_2:6.5.1-1",
            )
        )
    open_action = root.get("/OpenAction")
    if isinstance(open_action, pikepdf.Dictionary):
        findings.extend(_check_action(open_action, "/OpenAction", logical))
    if "/AA" in root:
        findings.append(_additional_actions(logical, "catalog /AA", "6.5.2", 1))
    for number, page in enumerate(pdf.pages, start=1):
        if "/AA" in page.obj:
            findings.append(_additional_actions(logical, f"page {number} /AA", "6.5.2", 2))
        for annotation in page.obj.get("/Annots", []) or []:
            if not isinstance(annotation, pikepdf.Dictionary):
                continue
            where = f"page {number} annotation {annotation.get('/Subtype')}"
            if "/A" in annotation:
                findings.extend(_check_action(annotation["/A"], f"{where} /A", logical))
                if annotation.get("/Subtype") == "/Widget":
                    findings.append(_form_action(logical, f"{where} /A", 1))
            if "/AA" in annotation:
                findings.append(_form_action(logical, f"{where} /AA", 1))
    for item in _outline_items(pdf):
        if "/A" in item:
            findings.extend(_check_action(item["/A"], "outline item /A", logical))
    acroform = root.get("/AcroForm")
    if isinstance(acroform, pikepdf.Dictionary):
        for field in _fields(acroform):
            if "/AA" in field:
                findings.append(_form_action(logical, f"form field {field.get('/T')} /AA", 2))
    return findings


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


def _additional_actions(logical: str, where: str, clause: str, test: int) -> Finding:
    return rules.FORBIDDEN_ACTION.finding(
        logical,
        action="/AA",
        where=where,
        clause=clause,
        verapdf_rule=f"ISO_19005_2:{clause}-{test}",
    )


def _form_action(logical: str, where: str, test: int) -> Finding:
    return rules.FORM.finding(
        logical,
        message=f"{where}: a form field or widget has an action",
        clause="6.4.1",
        verapdf_rule=f"ISO_19005_2:6.4.1-{test}",
    )
