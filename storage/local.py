"""Local folder backend: one file per key under a root directory.

Writes go to a temporary file in the target directory, are fsynced, renamed over the target and
the directory is fsynced, so a reader or a crash sees the old file or the complete new one.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from storage.digests import CHUNK_SIZE, Readable
from storage.errors import DigestMismatch, ObjectNotFound, SizeMismatch, StorageError
from storage.interfaces import TEMP_MARKER, ObjectInfo, ObjectStream, validate_key, validate_prefix


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class LocalStore:
    """An :class:`~storage.interfaces.ObjectStore` on a local (or mounted) folder."""

    def __init__(self, name: str, root: Path, prefix: str = "") -> None:
        self._name = name
        base = Path(root).resolve()
        p = prefix.strip("/")
        self.root = (base / p).resolve() if p else base
        if base != self.root and base not in self.root.parents:
            raise StorageError("prefix escapes the root", root=str(base), prefix=prefix)

    @property
    def name(self) -> str:
        return self._name

    def __repr__(self) -> str:
        return f"LocalStore(name={self._name!r}, root={str(self.root)!r})"

    # -- paths ---------------------------------------------------------------------------------
    def _path(self, key: str) -> Path:
        validate_key(key)
        path = self.root.joinpath(*key.split("/"))
        # Defence in depth: symlinks inside the root must not lead out of it.
        real = path.parent.resolve() if path.parent.exists() else path.parent
        if real != self.root and self.root not in real.parents:
            raise StorageError("key resolves outside the root", key=key)
        return path

    # -- writes --------------------------------------------------------------------------------
    def put(
        self, key: str, stream: BinaryIO | Readable, size: int, sha256_hex: str | None = None
    ) -> ObjectInfo:
        target = self._path(key)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except FileExistsError as exc:
            raise StorageError("a parent of the key is a file", key=key) from exc
        if target.is_dir():
            raise StorageError("key names a directory", key=key)
        tmp = target.parent / f"{TEMP_MARKER}{uuid.uuid4().hex}"
        sha256 = hashlib.sha256()
        written = 0
        try:
            with tmp.open("xb") as out:
                while True:
                    chunk = stream.read(min(CHUNK_SIZE, size - written + 1))
                    if not chunk:
                        break
                    written += len(chunk)
                    if written > size:
                        raise SizeMismatch(key, size, written)
                    sha256.update(chunk)
                    out.write(chunk)
                if written != size:
                    raise SizeMismatch(key, size, written)
                actual = sha256.hexdigest()
                if sha256_hex is not None and actual != sha256_hex.lower():
                    raise DigestMismatch(key, "sha256", sha256_hex.lower(), actual)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, target)
            _fsync_dir(target.parent)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
            self._prune_empty_dirs(target.parent)
            raise
        return ObjectInfo(key, size, actual)

    def delete(self, key: str) -> None:
        path = self._path(key)
        try:
            path.unlink()
        except FileNotFoundError:
            return
        except IsADirectoryError as exc:
            raise StorageError("key names a directory", key=key) from exc
        _fsync_dir(path.parent)
        self._prune_empty_dirs(path.parent)

    def _prune_empty_dirs(self, directory: Path) -> None:
        """Remove now-empty directories up to (not including) the root (OCFL forbids them)."""
        d = directory
        while d != self.root and self.root in d.parents:
            try:
                d.rmdir()
            except OSError:
                return
            d = d.parent

    # -- reads ---------------------------------------------------------------------------------
    def open(self, key: str) -> ObjectStream:
        path = self._path(key)
        try:
            fh = path.open("rb")
        except (FileNotFoundError, NotADirectoryError) as exc:
            raise ObjectNotFound(key, location=self._name) from exc
        except IsADirectoryError as exc:
            raise ObjectNotFound(key, location=self._name, reason="directory") from exc
        size = os.fstat(fh.fileno()).st_size
        return ObjectStream(fh.read, fh.close, size=size)

    def head(self, key: str) -> ObjectInfo:
        path = self._path(key)
        try:
            st = path.stat()
        except (FileNotFoundError, NotADirectoryError) as exc:
            raise ObjectNotFound(key, location=self._name) from exc
        if not path.is_file():
            raise ObjectNotFound(key, location=self._name, reason="not a file")
        return ObjectInfo(key, st.st_size, None)

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def list(self, prefix: str = "") -> Iterator[str]:
        validate_prefix(prefix)
        # Walk only the deepest directory the prefix fully names.
        head, _, _ = prefix.rpartition("/")
        start = self.root.joinpath(*head.split("/")) if head else self.root
        if not start.is_dir():
            return
        keys: list[str] = []
        for dirpath, dirnames, filenames in os.walk(start):
            dirnames.sort()
            rel = Path(dirpath).relative_to(self.root).as_posix()
            base = "" if rel == "." else f"{rel}/"
            for fn in filenames:
                if fn.startswith(TEMP_MARKER):
                    continue
                key = base + fn
                if key.startswith(prefix):
                    keys.append(key)
        yield from sorted(keys)

    def ping(self) -> str | None:
        if not self.root.exists():
            return f"{self._name}: folder {self.root} does not exist"
        if not self.root.is_dir():
            return f"{self._name}: {self.root} is not a folder"
        if not os.access(self.root, os.W_OK | os.X_OK):
            return f"{self._name}: folder {self.root} is not writable"
        return None
