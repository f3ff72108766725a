"""`luutru fixity audit` in the foreground: exit 0 when every copy verifies (after repair), 1 when
files are lost, 2 with one line when the audit cannot finish (here: the file-size limit stops
the repair write, as a full disk would); the next run continues the same audit."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa

from archive.catalog.engine import session_scope
from archive.catalog.preservation import FixityAudit
from archive.settings import Settings
from tests.archive.test_fixity import archive_dossier, content_file
from tests.conftest import World


def luutru(
    settings: Settings, *args: str, cwd: Path, file_limit: int | None = None
) -> subprocess.CompletedProcess[str]:
    env = dict(
        os.environ,
        LUUTRU_ENVIRONMENT="test",
        LUUTRU_DATA_DIR=str(settings.data_dir),
        LUUTRU_DATABASE_URL=settings.catalog_url,
        LUUTRU_LOG_LEVEL="CRITICAL",
    )

    def limit_file_size() -> None:
        if file_limit is not None:  # Python ignores SIGXFSZ: writes past it fail with EFBIG
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_limit, file_limit))

    return subprocess.run(
        [sys.executable, "-m", "archive.cli.main", "fixity", "audit", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=limit_file_size,
    )


def _audits(engine: sa.Engine) -> list[FixityAudit]:
    with session_scope(engine) as session:
        return list(session.scalars(sa.select(FixityAudit).order_by(FixityAudit.created_at)))


def _quiet_catalog(engine: sa.Engine) -> None:
    """Fold SQLite's write-ahead log into the database so the child starts with a small one."""
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()


def test_clean_and_repaired_audits_exit_zero(
    world: World, settings: Settings, tmp_path: Path
) -> None:
    archived = archive_dossier(world.engine, settings, 21, size=4096, tmp=tmp_path)
    clean = luutru(settings, "--dossier", archived.file_code, cwd=tmp_path)
    assert clean.returncode == 0, clean.stderr
    assert "succeeded" in clean.stdout and "1 objects" in clean.stdout

    damaged = content_file(settings, "primary", archived)
    damaged.write_bytes(b"x" + damaged.read_bytes()[1:])
    repaired = luutru(settings, "--location", "primary", cwd=tmp_path)
    assert repaired.returncode == 0, repaired.stderr
    assert "1 mismatches, 1 repaired, 0 lost" in repaired.stdout
    assert [a.state for a in _audits(world.engine)] == ["succeeded", "succeeded"]
    assert _audits(world.engine)[0].dossier_id == archived.dossier_id


def test_lost_files_exit_one_and_bad_input_two(
    world: World, settings: Settings, tmp_path: Path
) -> None:
    archived = archive_dossier(world.engine, settings, 22, size=4096, tmp=tmp_path)
    for name in ("primary", "replica"):
        content_file(settings, name, archived).unlink()
    lost = luutru(settings, cwd=tmp_path)
    assert lost.returncode == 1
    assert lost.stderr.strip().splitlines()[-1].startswith("lỗi / error:")
    assert "lost" in lost.stderr and "1 lost" in lost.stdout
    (audit,) = _audits(world.engine)
    assert audit.state == "failed" and audit.lost == 1

    unknown = luutru(settings, "--location", "tape", cwd=tmp_path)
    assert unknown.returncode == 2
    assert len(unknown.stderr.strip().splitlines()) == 1 and "tape" in unknown.stderr


def test_an_audit_that_cannot_write_fails_loudly_then_resumes(
    world: World, settings: Settings, tmp_path: Path
) -> None:
    archive_dossier(world.engine, settings, 23, size=1024, tmp=tmp_path)  # checked first
    big = archive_dossier(world.engine, settings, 24, size=3 * 1024 * 1024, tmp=tmp_path)
    damaged = content_file(settings, "primary", big)
    data = bytearray(damaged.read_bytes())
    data[-1] ^= 0xFF
    damaged.write_bytes(bytes(data))
    _quiet_catalog(world.engine)

    crashed = luutru(settings, "--location", "primary", cwd=tmp_path, file_limit=1536 * 1024)
    assert crashed.returncode == 2, crashed.stdout + crashed.stderr
    (line,) = crashed.stderr.strip().splitlines()
    assert line.startswith("lỗi / error: audit") and "File too large" in line
    (audit,) = _audits(world.engine)
    assert audit.state == "failed" and audit.error is not None
    assert "File too large" in audit.error
    assert audit.objects_checked == 1 and audit.cursor != "end"

    resumed = luutru(settings, "--location", "primary", cwd=tmp_path)
    assert resumed.returncode == 0, resumed.stderr
    assert "resuming audit" in resumed.stderr
    (again,) = _audits(world.engine)
    assert again.id == audit.id and again.state == "succeeded"
    assert again.objects_checked == 2 and again.repaired == 1
