"""`./ops/bench storage` on a tiny dossier: one JSON document with every figure next to its
baseline and the ratios the targets are checked against (no speed is asserted)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ops.benchmarks import storage as bench


def test_the_storage_bench_reports_figures_baselines_and_ratios(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = bench.main(
        ["--files", "2", "--file-mb", "0.25", "--repeat", "1", "--no-seaweedfs",
         "--workdir", str(tmp_path)]
    )  # fmt: skip
    assert code == 0
    report = json.loads(capsys.readouterr().out)
    (local,) = report["results"]
    assert local["backend"] == "local" and local["payload_mb"] == 0.5
    for name in ("archiving", "archiving_parallel_locations", "audit"):
        assert local[f"{name}_mb_s"] > 0
        # Ratios are printed to 3 decimals and MB/s to 1: compare within that rounding.
        assert local["ratios"][name] == pytest.approx(
            local[f"{name}_mb_s"] / local["baseline_read_sha512_mb_s"], rel=0.05, abs=0.001
        )
    assert set(report["meets_targets_local"]) == {"archiving", "audit"}
    assert report["targets"] == {"archiving": 0.4, "audit": 0.8}
    assert list(tmp_path.iterdir()) == []  # everything it wrote is gone
