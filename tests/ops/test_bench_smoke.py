"""``./ops/bench ingest`` and ``./ops/bench checks`` at their smallest sizes: one JSON document
with every figure next to its baseline, the targets judged, and nothing left behind. No speed
is asserted (the machines these run on are shared)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from ops.benchmarks import checks, common, ingest

CHECK_NAMES = ("virus", "format", "pdfa", "digitised", "signature")


def _clamd_installed() -> bool:
    return bool(shutil.which("clamd") or shutil.which("/usr/sbin/clamd"))


def test_percentiles_ratios_and_demo_output() -> None:
    assert common.percentile([], 50) is None
    assert common.percentile([3.0, 1.0, 2.0], 50) == 2.0
    assert common.percentile([1.0, 2.0, 3.0, 4.0], 95) == pytest.approx(3.85)
    assert common.summarize([1.0, 3.0])["p50"] == 2.0
    assert common.ratio(1.0, 0.0) is None and common.ratio(3.0, 2.0) == 1.5
    accounts = common.parse_demo_output(
        "demo account: admin quantri pw1\ndemo account: archivist luutruvien pw2\n"
        "demo API key: lt_abc.def\n"
    )
    assert accounts.api_key == "lt_abc.def"
    assert accounts.passwords == {"quantri": "pw1", "luutruvien": "pw2"}
    assert accounts.roles["archivist"] == "luutruvien"


def test_zip_comment_copy_has_other_bytes_and_the_same_entries(tmp_path: Path) -> None:
    import zipfile

    source = tmp_path / "a.zip"
    with zipfile.ZipFile(source, "w") as archive:
        archive.writestr("x/METS.xml", "<mets/>")
    copy = ingest.with_comment(source, tmp_path / "b.zip", "bench copy")
    assert copy.read_bytes() != source.read_bytes()
    with zipfile.ZipFile(copy) as archive:
        assert archive.namelist() == ["x/METS.xml"] and archive.comment == b"bench copy"


@pytest.mark.clamav
def test_checks_bench_smallest(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if not _clamd_installed():
        pytest.skip("clamd is not installed")
    work = tmp_path / "work"
    code = checks.main(["--documents", "1", "--repeat", "1", "--large-mb", "0",
                        "--work-dir", str(work)])  # fmt: skip
    assert code == 0
    report = json.loads(capsys.readouterr().out)
    assert report["benchmark"] == "checks"
    for fileset in ("mixed_package", "ten_page_documents"):
        section = report["sets"][fileset]
        assert set(section["checks"]) == set(CHECK_NAMES)
        assert {"sha256", "clamd_instream", "pyhanko_validate_pdf_signature"} <= set(
            section["baselines"]
        )
        for figures in section["checks"].values():
            assert figures["ms_per_file_p50"] is not None and figures["mb_per_s"] is not None
            assert figures["error_codes"] == []  # good sample files
        assert section["checks"]["signature"]["vs_pyhanko_alone"] is not None
    assert "pdfa_under_20ms_per_10_page_document" in report["targets"]
    assert report["machine_start"]["cpus"] >= 1
    assert list(work.iterdir()) == []


@pytest.mark.slow
@pytest.mark.clamav
def test_ingest_bench_smallest(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if not _clamd_installed():
        pytest.skip("clamd is not installed")
    work = tmp_path / "work"
    code = ingest.main(
        ["--packages", "1", "--documents", "2", "--sizes", "all", "--setup", "embedded",
         "--large-mb", "1", "--memory-mb", "2", "--baseline-packages", "1",
         "--work-dir", str(work)]
    )  # fmt: skip
    assert code == 0
    report = json.loads(capsys.readouterr().out)
    embedded = report["setups"]["embedded"]
    latency = embedded["latency"]
    assert latency["statuses"] == {"awaiting_review": 1}, latency["rejected_error_codes"]
    for key in ("post_s", "final_s", "final_minus_virus_s", "queue_wait_s", "job_run_s"):
        assert latency[key]["n"] == 1 and latency[key]["p95"] is not None
    assert {"unpack", "virus", "pdfa", "signature"} <= set(latency["steps_s"])
    assert embedded["throughput"]["packages_per_s"] > 0
    assert set(embedded["final_events_per_submission"]) == {"1"}  # one final transition each
    staging = embedded["large"]["staging"]
    assert staging["server_mb_per_s"] and staging["baseline_sha256sum_mb_per_s"]
    assert embedded["large"]["memory"]["api_pid_vmhwm_mb_after_upload"] > 0
    assert set(embedded["targets"]) >= {
        "final_without_virus_p95_under_1s",
        "post_p95_under_100ms",
        "staging_at_least_half_sha256sum",
        "api_vmhwm_under_300mb",
    }
    assert report["baseline_pipeline_in_process"]["seconds"]["n"] == 1
    assert list(work.iterdir()) == []
