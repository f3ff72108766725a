"""Receiving package bytes: streamed to the staging folder while hashed, never held whole."""

from __future__ import annotations

import hashlib
import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

from archive.errors import PayloadTooLarge


@dataclass(frozen=True)
class StagedPackage:
    path: Path
    sha256: str
    size: int


class StagingWriter:
    """Write chunks to ``<staging>/incoming/<uuid>.part``; ``finish`` fsyncs and returns it."""

    def __init__(self, staging_dir: Path, max_bytes: int) -> None:
        incoming = staging_dir / "incoming"
        incoming.mkdir(parents=True, exist_ok=True)
        self.path = incoming / f"{uuid.uuid4().hex}.part"
        self.max_bytes = max_bytes
        self.size = 0
        self._hash = hashlib.sha256()
        self._file = open(self.path, "xb")  # noqa: SIM115 - closed in finish/abort

    def write(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size > self.max_bytes:
            self.abort()
            raise PayloadTooLarge(
                f"gói tin vượt quá {self.max_bytes} byte / "
                f"package larger than {self.max_bytes} bytes",
                limit=self.max_bytes,
            )
        self._hash.update(chunk)
        self._file.write(chunk)

    def finish(self) -> StagedPackage:
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        return StagedPackage(self.path, self._hash.hexdigest(), self.size)

    def abort(self) -> None:
        if not self._file.closed:
            self._file.close()
        self.path.unlink(missing_ok=True)


def submission_dir(staging_dir: Path, submission_id: str) -> Path:
    return staging_dir / "submissions" / submission_id


def place_package(staged: StagedPackage, staging_dir: Path, submission_id: str) -> Path:
    """Move the staged bytes to the submission's own folder (same filesystem: a rename)."""
    folder = submission_dir(staging_dir, submission_id)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "package.zip"
    os.replace(staged.path, target)
    dir_fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
    return target


def remove_submission_bytes(staging_dir: Path, submission_id: str) -> None:
    """Everything staged for the submission: the package, its unpacked copy, its evidence."""
    shutil.rmtree(submission_dir(staging_dir, submission_id), ignore_errors=True)


def remove_work_copy(staging_dir: Path, submission_id: str) -> None:
    """The unpacked copy only; the package and the signature evidence stay until archived."""
    shutil.rmtree(submission_dir(staging_dir, submission_id) / "work", ignore_errors=True)
