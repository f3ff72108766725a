"""Fixtures shared by every test package."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from archive.api.app import create_app
from archive.catalog.accounts import Role
from archive.catalog.engine import make_engine, session_scope
from archive.services import accounts
from archive.settings import Settings
from tests.catalog_fixtures import catalog_url, postgres_template, sqlite_template

__all__ = ["catalog_url", "postgres_template", "sqlite_template"]

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED = REPO_ROOT.parent / "shared"
PASSWORD = "mật-khẩu-thử-1234"


@pytest.fixture(scope="session", autouse=True)
def sample_memo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Sample packages are byte-deterministic: build each spec once per test session."""
    from ingest.sample.memo import MEMO_ENV

    folder = tmp_path_factory.mktemp("sample-memo")
    previous = os.environ.get(MEMO_ENV)
    os.environ[MEMO_ENV] = str(folder)
    yield folder
    if previous is None:
        os.environ.pop(MEMO_ENV, None)
    else:
        os.environ[MEMO_ENV] = previous


@pytest.fixture
def settings(tmp_path: Path, catalog_url: str) -> Settings:
    return Settings(
        environment="test",
        data_dir=tmp_path / "var",
        database_url=catalog_url,
        broker_url=f"sqla+sqlite:///{tmp_path / 'broker.sqlite'}",
        secret_key="test-secret",
    )


@pytest.fixture
def engine(settings: Settings) -> Iterator[sa.Engine]:
    engine = make_engine(settings.catalog_url)
    yield engine
    engine.dispose()


@dataclass
class World:
    """Two provinces, a department under the first, people with each role, and QLVB keys."""

    engine: sa.Engine
    api_keys: dict[str, str]
    api_key_ids: dict[str, int]

    def session(self):  # type: ignore[no-untyped-def]
        return session_scope(self.engine)


@pytest.fixture
def world(engine: sa.Engine) -> World:
    keys: dict[str, str] = {}
    key_ids: dict[str, int] = {}
    with session_scope(engine) as session:
        accounts.create_agency(session, "000.00.00.H41", "UBND tỉnh Nghệ An", actor="test")
        accounts.create_agency(
            session, "000.00.01.H41", "Sở Nội vụ tỉnh Nghệ An", "000.00.00.H41", actor="test"
        )
        accounts.create_agency(session, "000.00.00.H26", "UBND thành phố Hà Nội", actor="test")
        for username, agency, role in (
            ("admin", "000.00.00.H41", Role.ADMIN),
            ("archivist", "000.00.00.H41", Role.ARCHIVIST),
            ("archivist_hn", "000.00.00.H26", Role.ARCHIVIST),
            ("official", "000.00.01.H41", Role.OFFICIAL),
            ("approver", "000.00.00.H41", Role.APPROVER),
            ("auditor", "000.00.00.H41", Role.AUDITOR),
        ):
            accounts.create_user(session, username, PASSWORD, agency, {role}, actor="test")
        for label, agency in (("nghean_sonv", "000.00.01.H41"), ("hanoi", "000.00.00.H26")):
            key, plain = accounts.create_api_key(session, f"QLVB {label}", agency, actor="test")
            keys[label] = plain
            key_ids[label] = key.id
    return World(engine=engine, api_keys=keys, api_key_ids=key_ids)


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    app = create_app(settings)
    with TestClient(app) as test_client:
        yield test_client
    app.state.engine.dispose()


def login(client: TestClient, username: str) -> dict[str, str]:
    response = client.post("/api/v1/auth/token", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}
