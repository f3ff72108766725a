"""Walk what a document paints: page content streams and the form XObjects they invoke.

veraPDF checks only content that is painted; a form XObject sitting unused in a resource
dictionary is not part of the rendered page, so its operators are not judged.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pikepdf

MAX_FORM_DEPTH = 28  # ISO 19005-2 6.1.13: nesting beyond q/Q depth 28 is non-conforming anyway


@dataclass
class PaintedContent:
    """Operators of every painted content stream, and the form XObjects painted."""

    operators: list[tuple[str, list[object], pikepdf.Object | None]] = field(default_factory=list)
    painted_forms: set[tuple[int, int]] = field(default_factory=set)


def _instructions(
    stream: pikepdf.Object,
) -> Iterator[tuple[str, list[object]]]:
    for instruction in pikepdf.parse_content_stream(stream):
        if isinstance(instruction, pikepdf.ContentStreamInlineImage):
            yield "INLINE_IMAGE", [instruction.iimage]
            continue
        yield str(instruction.operator), list(instruction.operands)


def painted_content(pdf: pikepdf.Pdf) -> PaintedContent:
    result = PaintedContent()
    for page in pdf.pages:
        resources = page.obj.get("/Resources")
        _walk(page.obj, resources, result, 0)
        for annotation in page.obj.get("/Annots", []) or []:
            if not isinstance(annotation, pikepdf.Dictionary):
                continue
            appearance = annotation.get("/AP")
            if isinstance(appearance, pikepdf.Dictionary):
                for state in appearance.values():
                    for form in _appearance_streams(state):
                        _walk_form(form, result, 0)
    return result


def _appearance_streams(state: pikepdf.Object) -> Iterator[pikepdf.Stream]:
    if isinstance(state, pikepdf.Stream):
        yield state
    elif isinstance(state, pikepdf.Dictionary):
        for sub in state.values():
            if isinstance(sub, pikepdf.Stream):
                yield sub


def _walk_form(form: pikepdf.Stream, result: PaintedContent, depth: int) -> None:
    if form.is_indirect:
        if form.objgen in result.painted_forms:
            return
        result.painted_forms.add(form.objgen)
    _walk(form, form.get("/Resources"), result, depth + 1)


def _walk(
    holder: pikepdf.Object, resources: pikepdf.Object | None, result: PaintedContent, depth: int
) -> None:
    if depth > MAX_FORM_DEPTH:
        return
    for operator, operands in _instructions(holder):
        result.operators.append((operator, operands, resources))
        if operator != "Do" or not operands or not isinstance(resources, pikepdf.Dictionary):
            continue
        xobjects = resources.get("/XObject")
        if not isinstance(xobjects, pikepdf.Dictionary):
            continue
        xobject = xobjects.get(str(operands[0]))
        if isinstance(xobject, pikepdf.Stream) and xobject.get("/Subtype") == "/Form":
            _walk_form(xobject, result, depth)
