"""Separation and DeviceN colour spaces (ISO 19005-2 6.2.4.4) that painted content selects.

pikepdf.pdfa leaves these spaces unchecked. Three rules apply to each space a ``cs``/``CS``
operator selects: a device alternate space needs an output intent of the same colour model
(6.2.4.3 applied to the alternate), every spot colorant of a DeviceN space needs an entry in its
``/Colorants`` dictionary, and all Separation spaces of one colorant name share one alternate
space and one tint transform (equal content, not necessarily the same object).
"""

from __future__ import annotations

from collections.abc import Iterator

import pikepdf

from ingest.checks.pdfa import rules
from ingest.checks.pdfa.content import PaintedContent
from ingest.findings import Finding

_PROCESS_COLORANTS = frozenset({"/Cyan", "/Magenta", "/Yellow", "/Black", "/None", "/All"})
# device alternate space -> ICC colour space an output intent profile must have for it
_DEVICE_NEEDS = {"/DeviceRGB": (b"RGB ", 2), "/DeviceCMYK": (b"CMYK", 3)}
_DEFAULT_FOR = {"/DeviceRGB": "/DefaultRGB", "/DeviceCMYK": "/DefaultCMYK"}
_MAX_DEPTH = 12


def output_intent_colour_space(pdf: pikepdf.Pdf) -> bytes | None:
    """The colour space signature (e.g. ``b"RGB "``) of the PDF/A output intent's profile."""
    for intent in pdf.Root.get("/OutputIntents", []) or []:
        if not isinstance(intent, pikepdf.Dictionary) or intent.get("/S") != "/GTS_PDFA1":
            continue
        profile = intent.get("/DestOutputProfile")
        if isinstance(profile, pikepdf.Stream):
            return bytes(profile.read_bytes()[16:20])
    return None


def _used_spaces(painted: PaintedContent) -> Iterator[tuple[pikepdf.Array, pikepdf.Object | None]]:
    seen: set[tuple[int, int]] = set()
    for operator, operands, resources in painted.operators:
        if (
            operator not in ("cs", "CS")
            or not operands
            or not isinstance(resources, pikepdf.Dictionary)
        ):
            continue
        spaces = resources.get("/ColorSpace")
        if not isinstance(spaces, pikepdf.Dictionary):
            continue
        space = spaces.get(str(operands[0]))
        if not isinstance(space, pikepdf.Array) or len(space) < 4:
            continue
        if space[0] not in ("/Separation", "/DeviceN"):
            continue
        if space.is_indirect:
            if space.objgen in seen:
                continue
            seen.add(space.objgen)
        yield space, resources


def _canonical(obj: pikepdf.Object, depth: int = 0) -> object:
    """A comparable form of an object's content, so equal copies compare equal."""
    if depth > _MAX_DEPTH:
        return ("deep",)
    if isinstance(obj, pikepdf.Stream):
        items = tuple(
            (key, _canonical(value, depth + 1))
            for key, value in sorted(obj.items())
            if key != "/Length"
        )
        return ("stream", items, bytes(obj.read_bytes()))
    if isinstance(obj, pikepdf.Dictionary):
        return (
            "dict",
            tuple((key, _canonical(value, depth + 1)) for key, value in sorted(obj.items())),
        )
    if isinstance(obj, pikepdf.Array):
        return ("array", tuple(_canonical(item, depth + 1) for item in obj))
    return ("value", str(obj))


def _separations(space: pikepdf.Array) -> Iterator[pikepdf.Array]:
    if space[0] == "/Separation":
        yield space
        return
    attributes = space[4] if len(space) > 4 else None
    colorants = attributes.get("/Colorants") if isinstance(attributes, pikepdf.Dictionary) else None
    if isinstance(colorants, pikepdf.Dictionary):
        for colorant in colorants.values():
            if (
                isinstance(colorant, pikepdf.Array)
                and len(colorant) >= 4
                and colorant[0] == "/Separation"
            ):
                yield colorant


def _missing_colorants(space: pikepdf.Array) -> list[str]:
    if space[0] != "/DeviceN" or not isinstance(space[1], pikepdf.Array):
        return []
    attributes = space[4] if len(space) > 4 else None
    colorants = attributes.get("/Colorants") if isinstance(attributes, pikepdf.Dictionary) else None
    present = set(colorants.keys()) if isinstance(colorants, pikepdf.Dictionary) else set()
    return [
        str(name)
        for name in space[1]
        if str(name) not in _PROCESS_COLORANTS and str(name) not in present
    ]


def _finding(logical: str, message: str, clause: str, rule_id: str) -> Finding:
    return rules.COLOUR.finding(
        logical, message=message, clause=clause, verapdf_rule=f"ISO_19005_2:{rule_id}"
    )


def check_spot_colour(pdf: pikepdf.Pdf, painted: PaintedContent, logical: str) -> list[Finding]:
    findings: list[Finding] = []
    intent = output_intent_colour_space(pdf)
    by_name: dict[str, object] = {}
    inconsistent: set[str] = set()
    for space, resources in _used_spaces(painted):
        family = str(space[0])
        alternate = space[2]
        needs = _DEVICE_NEEDS.get(str(alternate)) if isinstance(alternate, pikepdf.Name) else None
        defaults = (
            resources.get("/ColorSpace") if isinstance(resources, pikepdf.Dictionary) else None
        )
        has_default = isinstance(defaults, pikepdf.Dictionary) and (
            _DEFAULT_FOR[str(alternate)] in defaults if needs else False
        )
        if needs is not None and intent != needs[0] and not has_default:
            findings.append(
                _finding(
                    logical,
                    f"a {family[1:]} colour space has the alternate space {alternate} "
                    "but no output intent of that colour model",
                    "6.2.4.3",
                    f"6.2.4.3-{needs[1]}",
                )
            )
        missing = _missing_colorants(space)
        if missing:
            findings.append(
                _finding(
                    logical,
                    f"DeviceN colorants {', '.join(missing)} have no /Colorants entry",
                    "6.2.4.4",
                    "6.2.4.4-1",
                )
            )
        for separation in _separations(space):
            name = str(separation[1])
            form = (_canonical(separation[2]), _canonical(separation[3]))
            if by_name.setdefault(name, form) != form:
                inconsistent.add(name)
    findings.extend(
        _finding(
            logical,
            f"Separation colour spaces named {name} differ in alternate space or tint transform",
            "6.2.4.4",
            "6.2.4.4-2",
        )
        for name in sorted(inconsistent)
    )
    return findings
