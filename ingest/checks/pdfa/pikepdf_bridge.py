"""Translate pikepdf.pdfa findings into ours, correcting where its allowlist is narrower than PDF/A.

pikepdf.pdfa approves only what it recognises. Its ``violation`` findings are kept, except for a
few cases where it rejects constructs ISO 19005-2 allows (listed in :func:`_is_false_alarm`);
its ``unsupported`` findings become warnings, or disappear when another module of this package
checks the construct itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from pikepdf.pdfa import Finding as PikeFinding

from ingest.checks.pdfa import rules
from ingest.checks.pdfa.xmp import XmpReading
from ingest.checks.pdfa.xmp_schemas import XMP_2005_EXTRA_PROPERTIES
from ingest.findings import Finding, Rule

ENGINE = "pikepdf.pdfa"
_RULE_ID = re.compile(r"ISO_19005_2:(?P<clause>[\d.]+)-(?P<test>\d+)")
_NAMESPACE_DENIED = re.compile(r"XMP namespace (?P<prefix>[^=]+)=(?P<uri>\S+) is not permitted")
_PROPERTY_DENIED = re.compile(
    r"XMP property (?P<prefix>[\w.-]+):(?P<name>[\w.-]+) is not permitted"
)
_FORM_WHERE = re.compile(r"obj (?P<num>\d+) (?P<gen>\d+) \(FormXObject\) content")

# Constructs pikepdf.pdfa calls unsupported that interactive.py and actions.py check themselves.
_HANDLED_ELSEWHERE = (
    "/AcroForm",
    "/Perms",
    "/OCProperties",
    "/EmbeddedFiles",
    "/AF",
    "file specification",
    "/OpenAction",
    "/DSS",
    "extension schema",
    "pdfaExtension",
)

# XMP value forms veraPDF accepts and pikepdf does not (qualified values, Real ratings).
_XMP_TYPE_FALSE_ALARMS = ("is not simple text", "xmp:Rating is not a valid integer")


_NOT_EMBEDDED_RULE = "ISO_19005_2:6.2.11.4.1-1"
_IDENTIFICATION_RULES = frozenset(f"ISO_19005_2:6.6.4-{test}" for test in (1, 2, 3))


@dataclass(frozen=True)
class BridgeContext:
    logical: str
    xmp: XmpReading
    painted_forms: Callable[[], set[tuple[int, int]]]
    invisible_text: Callable[[], bool]  # whether any painted text uses rendering mode 3


def _clause_of(rule_id: str) -> tuple[str, str | None]:
    match = _RULE_ID.fullmatch(rule_id)
    if match is None:
        return rule_id, None
    return match["clause"], rule_id


def _rule_for(clause: str, message: str) -> Rule:
    if clause == "6.1.3" and "encrypt" in message:
        return rules.ENCRYPTED
    if clause.startswith("6.2.11.4.1") and "embedded" in message:
        return rules.FONT_NOT_EMBEDDED
    if clause.startswith(("6.2.11.4.1", "6.2.11.8")):
        return rules.FONT_GLYPH_MISSING
    prefixes: tuple[tuple[str, Rule], ...] = (
        ("6.1.", rules.FILE_STRUCTURE),
        ("6.2.11", rules.FONT),
        ("6.2.3", rules.OUTPUT_INTENT),
        ("6.2.4", rules.COLOUR),
        ("6.2.10", rules.TRANSPARENCY),
        ("6.2.", rules.GRAPHICS),
        ("6.3", rules.ANNOTATION),
        ("6.4", rules.FORM),
        ("6.5", rules.FORBIDDEN_ACTION),
        ("6.6", rules.METADATA),
        ("6.8", rules.EMBEDDED_FILE),
        ("6.9", rules.OPTIONAL_CONTENT),
    )
    for prefix, mapped in prefixes:
        if clause.startswith(prefix):
            return mapped
    return rules.NONCONFORMING


def _is_false_alarm(found: PikeFinding, context: BridgeContext) -> bool:
    if found.rule.endswith("6.6.2.3.1-1"):
        namespace = _NAMESPACE_DENIED.search(found.message)
        if namespace is not None:
            # veraPDF judges the properties used, not the declarations
            return context.xmp.allows_namespace(namespace["uri"]) or not (
                context.xmp.prefix_used(namespace["prefix"])
            )
        prop = _PROPERTY_DENIED.search(found.message)
        if prop is not None:
            if f"{prop['prefix']}:{prop['name']}" in XMP_2005_EXTRA_PROPERTIES:
                return True
            uri = context.xmp.prefixes.get(prop["prefix"], "")
            return context.xmp.allows_namespace(uri)
    if found.rule.endswith("6.6.2.3.1-2") and any(
        text in found.message for text in _XMP_TYPE_FALSE_ALARMS
    ):
        return True
    if found.rule == "pikepdf:schema-OutputIntents" and "should be non-empty" in found.message:
        return True  # an empty /OutputIntents array is a document without output intent
    if "image has no /ColorSpace" in found.message:
        return True  # JPEG 2000 images carry their colour space in the codestream
    form = _FORM_WHERE.search(found.where)
    if form is not None:
        return (int(form["num"]), int(form["gen"])) not in context.painted_forms()
    return False


def translate(findings: Iterable[PikeFinding], context: BridgeContext) -> list[Finding]:
    translated: list[Finding] = []
    for found in findings:
        clause, verapdf_rule = _clause_of(found.rule)
        if found.kind == "violation" and not _is_false_alarm(found, context):
            if verapdf_rule in _IDENTIFICATION_RULES and context.xmp.root is not None:
                continue  # xmp.py reports the identification with the declared values
            if verapdf_rule is not None and clause == "6.6.4":
                translated.append(_identification(found, verapdf_rule, context))
                continue
            mapped = _rule_for(clause, found.message)
            translated.append(
                mapped.finding(
                    context.logical,
                    clause=clause,
                    verapdf_rule=verapdf_rule,
                    where=found.where,
                    message=found.message,
                    font=found.where,
                    action=found.message,
                    name=found.where,
                    engine=ENGINE,
                )
            )
            continue
        if verapdf_rule == _NOT_EMBEDDED_RULE and not context.invisible_text():
            # pikepdf calls it unsupported only because the text might be invisible (Tr 3)
            translated.append(
                rules.FONT_NOT_EMBEDDED.finding(
                    context.logical,
                    font=found.where,
                    clause=clause,
                    verapdf_rule=verapdf_rule,
                    message=found.message,
                    engine=ENGINE,
                )
            )
            continue
        if found.kind == "violation" or any(
            key in found.where + found.message for key in _HANDLED_ELSEWHERE
        ):
            continue
        translated.append(
            rules.UNSUPPORTED_CONSTRUCT.finding(
                context.logical,
                clause=clause,
                verapdf_rule=verapdf_rule,
                where=found.where,
                message=found.message,
                engine=ENGINE,
            )
        )
    return translated


def _identification(found: PikeFinding, verapdf_rule: str, context: BridgeContext) -> Finding:
    if verapdf_rule.endswith("-1"):
        return rules.NOT_PDFA.finding(
            context.logical, clause="6.6.4", verapdf_rule=verapdf_rule, engine=ENGINE
        )
    return rules.WRONG_PART.finding(
        context.logical,
        part=context.xmp.part or "?",
        conformance=context.xmp.conformance or "?",
        clause="6.6.4",
        verapdf_rule=verapdf_rule,
        message=found.message,
        engine=ENGINE,
    )
