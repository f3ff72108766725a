"""The one settings object. Nothing else in the product reads the environment.

The embedded default needs no settings at all: everything lives under ``./var`` (SQLite catalog,
two local storage locations, the local broker, search inside the catalog). A server deployment
sets ``LUUTRU_DATABASE_URL``, ``LUUTRU_BROKER_URL`` and ``LUUTRU_STORAGE_LOCATIONS``.
"""

from __future__ import annotations

import functools
import secrets
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class StorageLocationSettings(BaseModel):
    """One storage location (TT 05/2025 Điều 27: at least two independent copies)."""

    name: str
    kind: Literal["local", "s3"] = "local"
    path: Path | None = None  # local: the folder
    bucket: str | None = None  # s3
    prefix: str = ""
    endpoint_url: str | None = None
    region: str = "us-east-1"
    access_key: str | None = None
    secret_key: str | None = None
    audit_interval_days: int = 90
    throttle_mb_per_s: float = 0.0


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="LUUTRU_",
        env_file=".env",
        env_file_encoding="utf-8",
        env_nested_delimiter="__",
        extra="ignore",
    )

    environment: Literal["embedded", "production", "test"] = "embedded"
    data_dir: Path = Path("var")
    host: str = "127.0.0.1"
    port: int = 8000
    public_url: str | None = None  # base URL used in status_url/report_url; default from request

    database_url: str | None = None  # default: sqlite:///<data_dir>/catalog.sqlite
    broker_url: str | None = None  # default: sqla+sqlite:///<data_dir>/broker.sqlite
    broker_polling_interval: float = 0.1  # local broker: seconds between polls
    worker_concurrency: int = 2
    run_worker_in_serve: bool = True

    storage_locations: list[StorageLocationSettings] = Field(default_factory=list)
    staging_dir: Path | None = None  # default: <data_dir>/staging
    min_verified_copies: int = 2

    secret_key: str | None = None  # default: generated once into <data_dir>/secret_key
    token_ttl_seconds: int = 8 * 3600
    session_cookie_name: str = "luutru_session"

    max_package_bytes: int = 4 * 1024**3
    job_stale_seconds: float = 60.0
    job_max_attempts: int = 5

    search_backend: Literal["sql", "opensearch"] = "sql"
    opensearch_url: str | None = None

    clamd_socket: str | None = None
    clamav_database_dir: Path | None = None
    verapdf: str | None = None  # LUUTRU_VERAPDF: path to the veraPDF CLI
    verapdf_timeout_seconds: float = 600.0
    verapdf_heap: str = "1g"
    step_timeout_seconds: float = 300.0
    step_memory_mb: int = 1024

    # The archive itself: its name on reading copies, receipts and DIP sheets; its code (mã lưu
    # trữ) as the prefix of arcFileCode/arcDocCode; its RSA key and certificate (PEM files) for
    # signing what it issues. No key: documents are issued unsigned, and say so.
    archive_name: str = "Lưu trữ cơ quan"
    archive_code: str = "LT"
    archive_signing_key: Path | None = None
    archive_signing_cert: Path | None = None
    archive_signing_chain: list[Path] = Field(default_factory=list)

    log_json: bool | None = None  # default: JSON when stderr is not a terminal
    log_level: str = "INFO"

    @model_validator(mode="after")
    def _production_needs_two_locations(self) -> Settings:
        if self.environment == "production" and len(self.storage_locations) < 2:
            raise ValueError(
                "production needs at least two storage locations "
                "(TT 05/2025/TT-BNV Điều 27: two independent copies)"
            )
        return self

    @property
    def resolved_data_dir(self) -> Path:
        return self.data_dir.resolve()

    @property
    def catalog_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.resolved_data_dir / 'catalog.sqlite'}"

    @property
    def broker(self) -> str:
        if self.broker_url:
            return self.broker_url
        return f"sqla+sqlite:///{self.resolved_data_dir / 'broker.sqlite'}"

    @property
    def broker_is_local(self) -> bool:
        return self.broker.startswith(("sqla+sqlite", "memory://"))

    @property
    def staging(self) -> Path:
        return (self.staging_dir or self.resolved_data_dir / "staging").resolve()

    @property
    def locations(self) -> list[StorageLocationSettings]:
        if self.storage_locations:
            return self.storage_locations
        root = self.resolved_data_dir / "storage"
        return [
            StorageLocationSettings(name="primary", path=root / "primary"),
            StorageLocationSettings(name="replica", path=root / "replica", audit_interval_days=180),
        ]

    def signing_secret(self) -> str:
        """The secret for session tokens; generated once for the embedded default."""
        if self.secret_key:
            return self.secret_key
        path = self.resolved_data_dir / "secret_key"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(48), encoding="utf-8")
            path.chmod(0o600)
        return path.read_text(encoding="utf-8").strip()


@functools.lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
