"""The generated artefacts on disk are exactly what the generator makes from codelists.py."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from metadata_schemas import generate


@pytest.mark.parametrize(
    ("path", "render"),
    sorted(generate.RENDERERS.items()),
    ids=lambda value: getattr(value, "name", ""),
)
def test_generated_file_is_up_to_date(path: Path, render: Callable[[], str]) -> None:
    on_disk = path.read_text(encoding="utf-8")
    assert on_disk == render(), f"run `python -m metadata_schemas.generate` ({path.name})"


def test_check_mode_reports_nothing_stale() -> None:
    assert generate.stale_files() == []
    assert generate.main(["--check"]) == 0
