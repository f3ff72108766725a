"""Local folder backend: one file per key under a root directory.

Writes go to a temporary file in the target directory, are fsynced, renamed over the target and
the directory is fsynced (with the parents of directories the write created), so a reader or a
crash sees the old file or the complete new one.  :meth:`LocalStore.batch` lets many writes
share and overlap those syncs.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor, wait
from pathlib import Path
from typing import BinaryIO

from storage.digests import ALGORITHMS, CHUNK_SIZE, Hasher, Readable
from storage.errors import DigestMismatch, ObjectNotFound, SizeMismatch, StorageError
from storage.interfaces import TEMP_MARKER, ObjectInfo, ObjectStream, validate_key, validate_prefix

SYNC_THREADS = 8  # concurrent fsyncs, which the filesystem's journal commits together


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class _Batch:
    """The deferred part of puts inside :meth:`LocalStore.batch`."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(SYNC_THREADS, thread_name_prefix="luutru-fsync")
        self._futures: list[Future[None]] = []
        self._dirs: set[Path] = set()

    def submit(self, tmp: Path, target: Path, dirs: set[Path]) -> None:
        self._futures.append(self._pool.submit(_sync_and_rename, tmp, target))
        self._dirs |= dirs

    def finish(self, *, ok: bool) -> None:
        try:
            wait(self._futures)
            errors = [e for e in (f.exception() for f in self._futures) if e is not None]
            if errors and ok:
                raise errors[0]
            if ok:
                for future in [self._pool.submit(_fsync_dir, d) for d in self._dirs]:
                    future.result()
        finally:
            self._pool.shutdown(wait=True)


def _sync_and_rename(tmp: Path, target: Path) -> None:
    try:
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise


class LocalStore:
    """An :class:`~storage.interfaces.ObjectStore` on a local (or mounted) folder."""

    def __init__(self, name: str, root: Path, prefix: str = "") -> None:
        self._name = name
        self._local = threading.local()
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
        self,
        key: str,
        stream: BinaryIO | Readable,
        size: int,
        sha256_hex: str | None = None,
        *,
        sha512_hex: str | None = None,
    ) -> ObjectInfo:
        target = self._path(key)
        created = self._make_parents(target.parent, key)
        if target.is_dir():
            raise StorageError("key names a directory", key=key)
        expected = {
            algorithm: value.lower()
            for algorithm, value in (("sha256", sha256_hex), ("sha512", sha512_hex))
            if value
        }
        # Any one known digest proves the bytes; sha256 is the cheaper one to compute.
        checked = ["sha256"] if "sha256" in expected else list(expected) or list(ALGORITHMS)
        hasher = Hasher(checked, parallel=size > CHUNK_SIZE)
        tmp = target.parent / f"{TEMP_MARKER}{uuid.uuid4().hex}"
        pending: _Batch | None = getattr(self._local, "batch", None)
        dirs = {target.parent, *(d.parent for d in created)}
        try:
            with tmp.open("xb") as out:
                while True:
                    chunk = stream.read(min(CHUNK_SIZE, size - hasher.size + 1))
                    if not chunk:
                        break
                    if hasher.size + len(chunk) > size:
                        raise SizeMismatch(key, size, hasher.size + len(chunk))
                    hasher.update(chunk)
                    out.write(chunk)
                if hasher.size != size:
                    raise SizeMismatch(key, size, hasher.size)
                actual = hasher.hexdigests()
                for algorithm in checked:
                    if algorithm in expected and actual[algorithm] != expected[algorithm]:
                        raise DigestMismatch(key, algorithm, expected[algorithm], actual[algorithm])
                out.flush()
                if pending is None:
                    os.fsync(out.fileno())
            if pending is None:
                os.replace(tmp, target)
                for directory in dirs:
                    _fsync_dir(directory)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
            self._prune_empty_dirs(target.parent)
            raise
        if pending is not None:
            pending.submit(tmp, target, dirs)
        digests = {**actual, **expected}
        return ObjectInfo(key, size, digests.get("sha256"), digests.get("sha512"))

    def _make_parents(self, directory: Path, key: str) -> list[Path]:
        """Create the key's missing directories; return them (their parents need an fsync)."""
        missing: list[Path] = []
        d = directory
        while d != self.root and not d.exists():
            missing.append(d)
            d = d.parent
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except FileExistsError as exc:
            raise StorageError("a parent of the key is a file", key=key) from exc
        return missing

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Write many objects with fewer, overlapping syncs; all durable when the block ends.

        Inside the block ``put`` writes and verifies the bytes, then hands the rest to worker
        threads: fsync the temporary file, rename it over the key.  Each file is still synced
        before its rename (a crash leaves the old object or the complete new one), but the
        syncs run concurrently (the filesystem commits them together) and every directory is
        synced once, at the end.  Until then an object may not be visible under its key yet.
        Leaving the block waits for all of it and raises the first error met.  Nested blocks
        join the outer one.
        """
        if getattr(self._local, "batch", None) is not None:
            yield
            return
        pending = _Batch()
        self._local.batch = pending
        try:
            yield
        finally:
            self._local.batch = None
            pending.finish(ok=sys.exc_info()[0] is None)

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
