"""Configuration of one storage location (a local folder or an S3 bucket + prefix).

Plain dataclass: the application's settings object builds these; nothing here reads the
environment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from storage.errors import StorageConfigError

StoreKind = Literal["local", "s3"]

DEFAULT_MULTIPART_THRESHOLD = 16 * 1024 * 1024
DEFAULT_PART_SIZE = 16 * 1024 * 1024
S3_MIN_PART_SIZE = 5 * 1024 * 1024


@dataclass(frozen=True)
class LocationConfig:
    """One storage location.

    ``audit_interval_days`` and ``throttle_mb_per_s`` are read by the fixity scheduler: how often
    every object on this location is re-read, and how fast (0 = unthrottled).
    """

    name: str
    kind: StoreKind
    path: Path | None = None  # local
    bucket: str | None = None  # s3
    prefix: str = ""
    endpoint_url: str | None = None
    region: str = "us-east-1"
    access_key: str | None = None
    secret_key: str | None = field(default=None, repr=False)
    audit_interval_days: int = 365
    throttle_mb_per_s: float = 0.0
    # S3 tuning
    multipart_threshold: int = DEFAULT_MULTIPART_THRESHOLD
    part_size: int = DEFAULT_PART_SIZE
    max_attempts: int = 4  # our own attempts around each call, with explicit back-off
    sdk_max_attempts: int = 3  # botocore's adaptive-mode attempts inside each of ours
    backoff_seconds: float = 0.5  # first back-off; doubles per attempt, capped at 8 s
    connect_timeout: float = 5.0
    read_timeout: float = 60.0

    def __post_init__(self) -> None:
        if not self.name:
            raise StorageConfigError("location needs a name")
        if self.kind not in ("local", "s3"):
            raise StorageConfigError("unknown location kind", name=self.name, kind=self.kind)
        if self.kind == "local" and self.path is None:
            raise StorageConfigError("local location needs a path", name=self.name)
        if self.kind == "s3" and not self.bucket:
            raise StorageConfigError("s3 location needs a bucket", name=self.name)
        if self.prefix.startswith("/") or ".." in self.prefix.split("/"):
            raise StorageConfigError("prefix must be relative", name=self.name, prefix=self.prefix)
        if self.audit_interval_days < 1:
            raise StorageConfigError("audit interval must be at least one day", name=self.name)
        if self.throttle_mb_per_s < 0:
            raise StorageConfigError("throttle must be >= 0", name=self.name)
        if (
            min(self.part_size, self.multipart_threshold, self.max_attempts, self.sdk_max_attempts)
            < 1
        ):
            raise StorageConfigError("part size, threshold and attempts must be positive")

    @property
    def normalized_prefix(self) -> str:
        """The prefix without surrounding slashes, followed by one slash (or empty)."""
        p = self.prefix.strip("/")
        return f"{p}/" if p else ""
