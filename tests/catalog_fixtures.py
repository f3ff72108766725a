"""Fresh catalog databases for tests: SQLite files and real PostgreSQL databases.

PostgreSQL: one migrated template database per run, then ``CREATE DATABASE … TEMPLATE`` per
test (fast), each dropped afterwards. The admin URL comes from LUUTRU_TEST_POSTGRES_URL.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from archive.catalog.migrate import upgrade

POSTGRES_ADMIN_URL = os.environ.get(
    "LUUTRU_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)


def _postgres_installed() -> bool:
    return any(shutil.which(tool) for tool in ("pg_ctlcluster", "postgres", "pg_ctl", "psql"))


def _admin_connection() -> psycopg.Connection:
    return psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=5)


def _url_for(database: str) -> str:
    base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0]
    return f"{base}/{database}"


class PostgresTemplate:
    def __init__(self) -> None:
        self.run_id = uuid.uuid4().hex[:8]
        self.template = f"luutru_tmpl_{self.run_id}"
        self.counter = 0
        with _admin_connection() as conn:
            conn.execute(f'CREATE DATABASE "{self.template}"')
        upgrade(_url_for(self.template))

    def fresh(self) -> tuple[str, str]:
        self.counter += 1
        name = f"luutru_t_{self.run_id}_{self.counter}"
        with _admin_connection() as conn:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
        return name, _url_for(name)

    @staticmethod
    def drop(name: str) -> None:
        with _admin_connection() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def close(self) -> None:
        self.drop(self.template)


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[PostgresTemplate]:
    try:
        template = PostgresTemplate()
    except psycopg.OperationalError as exc:
        if _postgres_installed():
            pytest.fail(f"PostgreSQL is installed but not reachable at {POSTGRES_ADMIN_URL}: {exc}")
        pytest.skip("PostgreSQL is not installed on this machine")
    yield template
    template.close()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("catalog-template") / "catalog.sqlite"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def catalog_url(
    request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path
) -> Iterator[str]:
    """A migrated, empty catalog; every test using it runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        path = tmp_path / "catalog.sqlite"
        shutil.copy(sqlite_template, path)
        yield f"sqlite:///{path}"
        return
    template: PostgresTemplate = request.getfixturevalue("postgres_template")
    name, url = template.fresh()
    yield url
    template.drop(name)
