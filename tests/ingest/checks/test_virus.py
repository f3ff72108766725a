"""ClamAV with a signature database built by the tests (EICAR, written at test time)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.checks import virus
from ingest.context import CheckContext, PackageFile
from ingest.findings import Outcome

from .conftest import package_file, requires_clamav, simple_pdf

pytestmark = [pytest.mark.clamav, requires_clamav]


@pytest.fixture
def samples(tmp_path: Path) -> dict[str, PackageFile]:
    from ops.services.clamav import EICAR

    (tmp_path / "vir-found.com").write_bytes(EICAR)
    (tmp_path / "clean.pdf").write_bytes(simple_pdf())
    return {name: package_file(tmp_path / name) for name in ("vir-found.com", "clean.pdf")}


def by_name(findings: list) -> dict[str, object]:
    return {Path(f.path).name: f for f in findings}


def test_eicar_found_and_clean_pdf_passes_via_clamd(
    samples: dict[str, PackageFile], clamd_socket: str
) -> None:
    result = by_name(
        virus.check_files(list(samples.values()), CheckContext(clamd_socket=clamd_socket))
    )
    found = result["vir-found.com"]
    assert found.code == "VIR-FOUND" and found.is_error
    assert found.detail["engine"] == "clamd"
    assert found.detail["signature"].startswith("Luutru.Test.EICAR")
    assert result["clean.pdf"].code == "VIR-CLEAN"
    assert result["clean.pdf"].outcome is Outcome.PASSED


def test_eicar_found_and_clean_pdf_passes_via_clamscan(
    samples: dict[str, PackageFile], clamav_database: Path
) -> None:
    ctx = CheckContext(clamav_database_dir=clamav_database)
    result = by_name(virus.check_files(list(samples.values()), ctx))
    assert result["vir-found.com"].code == "VIR-FOUND"
    assert result["vir-found.com"].detail["engine"] == "clamscan"
    assert result["clean.pdf"].code == "VIR-CLEAN"


def test_eicar_inside_a_bigger_file_is_found_by_the_hex_signature(
    tmp_path: Path, clamav_database: Path
) -> None:
    from ops.services.clamav import EICAR

    path = tmp_path / "embedded.txt"
    path.write_bytes(b"Bao cao\n" * 100 + EICAR + b"\nhet\n")
    [finding] = virus.check_files(
        [package_file(path)], CheckContext(clamav_database_dir=clamav_database)
    )
    assert finding.code == "VIR-FOUND"
    assert finding.detail["signature"].startswith("Luutru.Test.EICAR-Hex")


def test_no_signature_database_is_vir_not_scanned(
    samples: dict[str, PackageFile], tmp_path: Path
) -> None:
    empty = tmp_path / "empty-db"
    empty.mkdir()
    findings = virus.check_files(list(samples.values()), CheckContext(clamav_database_dir=empty))
    assert {f.code for f in findings} == {"VIR-NOT-SCANNED"}
    assert all(f.outcome is Outcome.INDETERMINATE for f in findings)
    assert all("exit code 2" in f.detail["reason"] for f in findings)


def test_stream_over_clamd_limit_is_vir_not_scanned(tmp_path: Path, clamav_database: Path) -> None:
    from ops.services.clamav import ClamdService

    big = tmp_path / "vir-not-scanned.bin"
    big.write_bytes(b"\0" * (3 * 1024 * 1024))
    with ClamdService(tmp_path / "clamd", clamav_database, stream_max_length="1M") as clamd:
        ctx = CheckContext(clamd_socket=str(clamd.socket_path))
        [finding] = virus.check_files([package_file(big)], ctx)
    assert finding.code == "VIR-NOT-SCANNED"
    assert finding.outcome is Outcome.INDETERMINATE
    assert "size limit" in finding.detail["reason"]


def test_unreachable_clamd_falls_back_to_clamscan(
    samples: dict[str, PackageFile], clamav_database: Path, tmp_path: Path
) -> None:
    ctx = CheckContext(
        clamd_socket=str(tmp_path / "nobody.sock"), clamav_database_dir=clamav_database
    )
    result = by_name(virus.check_files(list(samples.values()), ctx))
    assert result["vir-found.com"].code == "VIR-FOUND"
    assert "did not answer" in result["vir-found.com"].detail["note"]


def test_missing_scanner_is_vir_not_scanned(samples: dict[str, PackageFile]) -> None:
    ctx = CheckContext(clamscan_path="/nonexistent/clamscan")
    findings = virus.check_files(list(samples.values()), ctx)
    assert {f.code for f in findings} == {"VIR-NOT-SCANNED"}
    assert not any(f.outcome is Outcome.PASSED for f in findings)


def test_database_status_reports_engine_and_files(clamav_database: Path, clamd_socket: str) -> None:
    status = virus.database_status(
        CheckContext(clamd_socket=clamd_socket, clamav_database_dir=clamav_database)
    )
    assert status.engine == "clamd"
    assert status.engine_version and status.engine_version.startswith("ClamAV")
    assert {f.name for f in status.files} == {"luutru-test.hdb", "luutru-test.ndb"}
    assert status.usable and status.age() is not None


def test_database_status_without_database_is_not_usable(tmp_path: Path) -> None:
    status = virus.database_status(CheckContext(clamav_database_dir=tmp_path))
    assert not status.usable
    assert "no signature database" in (status.error or "")
