"""`luutru check-file` and `luutru check-package`: the same findings as the pipeline, JSON on
request, exit 0 without error findings and 1 with, one readable line for bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ingest.sample.agencies import SO_NOI_VU_NGHE_AN
from ingest.sample.broken import BROKEN_RULES
from ingest.sample.package import PackageSpec, agency_pki, build_package


def luutru(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, LUUTRU_DATA_DIR=str(cwd / "var"), LUUTRU_LOG_LEVEL="WARNING")
    return subprocess.run(
        [sys.executable, "-m", "archive.cli.main", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("cli-sample")
    spec = PackageSpec(seed=21, agency=SO_NOI_VU_NGHE_AN, documents=1)
    good = build_package(spec, out / "good")
    unsigned = BROKEN_RULES["unsigned-document"].build(spec, out / "unsigned", None)
    pki, _ = agency_pki(SO_NOI_VU_NGHE_AN, 2025, out / "pki")
    return {
        "good": good.zip_path,
        "unsigned": unsigned.zip_path,
        "root": pki.root_pem,
        "untrusted_root": pki.untrusted_root_pem,
    }


def _first_pdf(zip_path: Path, dest: Path) -> Path:
    import zipfile

    with zipfile.ZipFile(zip_path) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".1.pdf"))
        target = dest / Path(name).name
        target.write_bytes(archive.read(name))
    return target


def test_check_package_json_and_exit_codes(sample: dict[str, Path], tmp_path: Path) -> None:
    good = luutru(
        "check-package", str(sample["good"]), "--json", "--trust", str(sample["root"]), cwd=tmp_path
    )
    assert good.returncode == 0, good.stderr
    report = json.loads(good.stdout)
    assert report["outcome"] in ("passed", "indeterminate")
    assert not [
        f for f in report["findings"] if f["severity"] == "error" and f["outcome"] == "failed"
    ]
    bad = luutru(
        "check-package", str(sample["unsigned"]), "--trust", str(sample["root"]), cwd=tmp_path
    )
    assert bad.returncode == 1
    assert "SIG-NONE" in bad.stdout
    assert "kết quả / outcome: failed" in bad.stdout


def test_check_file_signature_with_and_without_the_trust_anchor(
    sample: dict[str, Path], tmp_path: Path
) -> None:
    pdf = _first_pdf(sample["good"], tmp_path)
    trusted = luutru(
        "check-file",
        str(pdf),
        "--check",
        "signature",
        "--json",
        "--trust",
        str(sample["root"]),
        cwd=tmp_path,
    )
    assert trusted.returncode == 0, trusted.stdout + trusted.stderr
    codes = {f["code"] for f in json.loads(trusted.stdout)["findings"]}
    assert "SIG-VALID" in codes
    untrusted = luutru(
        "check-file",
        str(pdf),
        "--check",
        "signature",
        "--json",
        "--trust",
        str(sample["untrusted_root"]),
        cwd=tmp_path,
    )
    assert untrusted.returncode == 1
    assert "SIG-UNTRUSTED" in {f["code"] for f in json.loads(untrusted.stdout)["findings"]}


def test_check_file_at_a_moment_before_the_certificate(
    sample: dict[str, Path], tmp_path: Path
) -> None:
    pdf = _first_pdf(sample["good"], tmp_path)
    early = luutru(
        "check-file",
        str(pdf),
        "--check",
        "signature",
        "--json",
        "--trust",
        str(sample["root"]),
        "--at",
        "2001-01-01T00:00:00+07:00",
        cwd=tmp_path,
    )
    assert early.returncode == 1
    findings = json.loads(early.stdout)["findings"]
    assert any(f["code"].startswith("SIG-") and f["outcome"] == "failed" for f in findings)


def test_check_file_format_and_pdfa(sample: dict[str, Path], tmp_path: Path) -> None:
    pdf = _first_pdf(sample["good"], tmp_path)
    result = luutru(
        "check-file", str(pdf), "--check", "format", "--check", "pdfa", "--json", cwd=tmp_path
    )
    assert result.returncode == 0, result.stdout
    codes = {f["code"] for f in json.loads(result.stdout)["findings"]}
    assert {"FMT-IDENTIFIED", "PDFA-PREFLIGHT-PASSED", "PDFA-BUILTIN-SCOPE"} <= codes


def test_bad_input_is_one_readable_line(tmp_path: Path) -> None:
    missing = luutru("check-file", str(tmp_path / "khong-co.pdf"), cwd=tmp_path)
    assert missing.returncode == 2
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.7")
    unknown = luutru("check-file", str(tmp_path / "a.pdf"), "--check", "nope", cwd=tmp_path)
    assert unknown.returncode == 2
    assert unknown.stderr.strip().count("\n") == 0
    assert "unknown check 'nope'" in unknown.stderr
    bad_time = luutru("check-file", str(tmp_path / "a.pdf"), "--at", "hôm qua", cwd=tmp_path)
    assert bad_time.returncode == 2
    assert "ISO 8601" in bad_time.stderr
