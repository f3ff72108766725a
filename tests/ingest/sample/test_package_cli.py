"""``luutru sample`` as a sub-command: lists rules, refuses bad input in one line, builds."""

from __future__ import annotations

from pathlib import Path

import typer
from typer.testing import CliRunner

from archive.cli import sample
from ingest.sample.broken import BROKEN_RULES


def _root() -> typer.Typer:
    root = typer.Typer()
    root.add_typer(sample.app, name="sample")
    return root


def test_broken_list_names_every_rule() -> None:
    outcome = CliRunner().invoke(_root(), ["sample", "--broken", "list"])
    assert outcome.exit_code == 0
    assert [line.split("\t")[0] for line in outcome.output.splitlines()] == list(BROKEN_RULES)


def test_bad_input_exits_non_zero_with_one_line(tmp_path: Path) -> None:
    for arguments in (
        ["--documents", "0"],
        ["--pages-min", "3", "--pages-max", "2"],
        ["--broken", "no-such-rule"],
        ["--mode", "03"],
    ):
        outcome = CliRunner().invoke(_root(), ["sample", *arguments, "--out", str(tmp_path)])
        assert outcome.exit_code == 2, arguments
        assert len(outcome.output.strip().splitlines()) == 1, outcome.output
        assert outcome.output.startswith("lỗi / error:")


def test_count_builds_consecutive_seeds_and_prints_paths(tmp_path: Path) -> None:
    arguments = [
        "sample",
        "--documents",
        "1",
        "--pages-max",
        "1",
        "--seed",
        "5",
        "--count",
        "2",
        "--out",
        str(tmp_path / "out"),
        "--cache-dir",
        str(tmp_path / "pki"),
    ]
    outcome = CliRunner().invoke(_root(), arguments)
    assert outcome.exit_code == 0, outcome.output
    paths = [Path(line) for line in outcome.output.splitlines() if line.endswith(".zip")]
    assert len(paths) == 2, outcome.output
    assert [path.name[0] for path in paths] == ["1", "2"]
    assert all(path.is_file() for path in paths) and paths[0] != paths[1]
