"""OCFL 1.1 objects on any :class:`~storage.interfaces.ObjectStore`.

Storage root: ``0=ocfl_1.1``, ``ocfl_layout.json`` and the 0004 hashed n-tuple layout with its
``extensions/0004-hashed-n-tuple-storage-layout/config.json``.  Object root: ``0=ocfl_object_1.1``,
``inventory.json`` (sha512 content addressing, sha256 in the ``fixity`` block) and
``inventory.json.sha512``, both also copied into every version directory.

Writing order makes crashes harmless: new content first, then the object declaration, then the
version's inventory, and the root inventory (the commit point) last.  Leftovers of a crashed
attempt at version N are removed before version N is written again.  Versions are never
rewritten; unchanged files of a new version are referenced by digest.

Verification re-reads every file.  Routine checks (read-back after writing, scheduled audits)
hash each byte once, with the manifest's sha512; thorough ones also recompute the sha256 of the
``fixity`` block (``verify_object(thorough=True)``, used before repairs and by
``luutru fixity audit --thorough``).

Not safe for two concurrent writers of the *same* object; the caller serialises (catalog lock).
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import io
import json
import os
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storage.digests import ALGORITHMS, Digests, digest_file, hash_stream
from storage.errors import DigestMismatch, InventoryError, ObjectNotFound, OcflError, StorageError
from storage.interfaces import ObjectStore, ObjectStream, batch, validate_key
from storage.ocfl_layout import CONFIG_PATH, EXTENSION_NAME, HashedNTupleLayout

SPEC_VERSION = "1.1"
ROOT_DECLARATION = "0=ocfl_1.1"
ROOT_DECLARATION_TEXT = b"ocfl_1.1\n"
OBJECT_DECLARATION = "0=ocfl_object_1.1"
OBJECT_DECLARATION_TEXT = b"ocfl_object_1.1\n"
LAYOUT_FILE = "ocfl_layout.json"
INVENTORY = "inventory.json"
SIDECAR = "inventory.json.sha512"
INVENTORY_TYPE = "https://ocfl.io/1.1/spec/#inventory"
DIGEST_ALGORITHM = "sha512"
FIXITY_ALGORITHM = "sha256"
CONTENT_DIRECTORY = "content"
_VERSION_RE = re.compile(r"^v([1-9][0-9]*)$")


# -- inventory ---------------------------------------------------------------------------------
@dataclass
class Version:
    created: str
    state: dict[str, list[str]]  # digest -> logical paths
    message: str | None = None
    user: dict[str, str] | None = None

    def logical_paths(self) -> dict[str, str]:
        """logical path -> digest."""
        return {p: d for d, paths in self.state.items() for p in paths}


@dataclass
class Inventory:
    id: str
    head: str
    manifest: dict[str, list[str]]  # digest -> content paths
    versions: dict[str, Version]
    fixity: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    digest_algorithm: str = DIGEST_ALGORITHM
    content_directory: str = CONTENT_DIRECTORY

    @property
    def head_number(self) -> int:
        return version_number(self.head)

    def content_digests(self) -> dict[str, str]:
        """content path -> sha512."""
        return {p: d for d, paths in self.manifest.items() for p in paths}

    def fixity_for(self, algorithm: str) -> dict[str, str]:
        """content path -> digest of ``algorithm`` from the fixity block."""
        block = self.fixity.get(algorithm, {})
        return {p: d.lower() for d, paths in block.items() for p in paths}

    def content_path(self, digest: str) -> str:
        return sorted(self.manifest[digest])[0]

    def to_dict(self) -> dict[str, Any]:
        versions: dict[str, Any] = {}
        for name, v in self.versions.items():
            entry: dict[str, Any] = {"created": v.created}
            if v.message is not None:
                entry["message"] = v.message
            if v.user is not None:
                entry["user"] = v.user
            entry["state"] = v.state
            versions[name] = entry
        data: dict[str, Any] = {
            "id": self.id,
            "type": INVENTORY_TYPE,
            "digestAlgorithm": self.digest_algorithm,
            "head": self.head,
            "contentDirectory": self.content_directory,
        }
        if self.fixity:
            data["fixity"] = self.fixity
        data["manifest"] = self.manifest
        data["versions"] = versions
        return data

    def to_bytes(self) -> bytes:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False).encode("utf-8") + b"\n"

    @classmethod
    def from_bytes(cls, data: bytes) -> Inventory:
        try:
            raw = json.loads(data.decode("utf-8"))
            if raw.get("digestAlgorithm") != DIGEST_ALGORITHM:
                raise InventoryError("inventory digest algorithm is not sha512", inventory=raw)
            versions = {
                name: Version(
                    created=v["created"],
                    state={d.lower(): list(p) for d, p in v["state"].items()},
                    message=v.get("message"),
                    user=v.get("user"),
                )
                for name, v in raw["versions"].items()
            }
            return cls(
                id=raw["id"],
                head=raw["head"],
                manifest={d.lower(): list(p) for d, p in raw["manifest"].items()},
                versions=versions,
                fixity=raw.get("fixity", {}),
                content_directory=raw.get("contentDirectory", CONTENT_DIRECTORY),
            )
        except InventoryError:
            raise
        except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError, AttributeError) as e:
            raise InventoryError("inventory cannot be parsed", error=str(e)) from e


def version_number(name: str) -> int:
    m = _VERSION_RE.match(name)
    if not m:
        raise OcflError("bad version directory name", version=name)
    return int(m.group(1))


def sidecar_text(inventory_sha512: str) -> bytes:
    return f"{inventory_sha512}  {INVENTORY}\n".encode("ascii")


def parse_sidecar(data: bytes) -> str:
    m = re.match(rb"^([0-9a-fA-F]+)\s+inventory\.json\s*$", data.strip() + b"\n")
    if not m:
        raise InventoryError("bad inventory sidecar")
    return m.group(1).decode("ascii").lower()


# -- storage root ------------------------------------------------------------------------------
def _put_bytes(store: ObjectStore, key: str, data: bytes) -> None:
    store.put(key, io.BytesIO(data), len(data), hashlib.sha256(data).hexdigest())


def _read_bytes(store: ObjectStore, key: str) -> bytes:
    with store.open(key) as fh:
        return fh.read()


def ensure_storage_root(
    store: ObjectStore, layout: HashedNTupleLayout | None = None
) -> HashedNTupleLayout:
    """Initialise the storage root if absent; return the layout in force."""
    if store.exists(ROOT_DECLARATION):
        return storage_root_layout(store)
    layout = layout or HashedNTupleLayout()
    as_json = lambda d: json.dumps(d, indent=2).encode("utf-8") + b"\n"  # noqa: E731
    _put_bytes(store, CONFIG_PATH, as_json(layout.config()))
    _put_bytes(store, LAYOUT_FILE, as_json(layout.layout_json()))
    _put_bytes(store, ROOT_DECLARATION, ROOT_DECLARATION_TEXT)  # last: now it is a root
    return layout


def storage_root_layout(store: ObjectStore) -> HashedNTupleLayout:
    """Read the layout of an existing storage root."""
    try:
        declaration = _read_bytes(store, ROOT_DECLARATION)
        layout_decl = json.loads(_read_bytes(store, LAYOUT_FILE))
    except ObjectNotFound as exc:
        raise OcflError("not an OCFL storage root", location=store.name) from exc
    if declaration != ROOT_DECLARATION_TEXT:
        raise OcflError("bad storage root declaration", location=store.name)
    if layout_decl.get("extension") != EXTENSION_NAME:
        raise OcflError("unsupported storage layout", extension=layout_decl.get("extension"))
    try:
        config = json.loads(_read_bytes(store, CONFIG_PATH))
    except ObjectNotFound:
        return HashedNTupleLayout()  # the extension's defaults
    return HashedNTupleLayout.from_config(config)


def object_root(store: ObjectStore, object_id: str) -> str:
    return storage_root_layout(store).object_root(object_id)


# -- writing -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class AddedContent:
    content_path: str
    logical_paths: tuple[str, ...]
    digests: Digests


@dataclass(frozen=True)
class WrittenVersion:
    object_id: str
    version: str
    object_root: str
    inventory_sha512: str
    added: tuple[AddedContent, ...]  # new content stored by this version
    reused: tuple[str, ...]  # logical paths whose content an earlier version already holds
    bytes_written: int
    digests: dict[str, Digests] = field(default_factory=dict)  # logical path -> its digests


def validate_logical_path(path: str) -> str:
    if not isinstance(path, str) or not path:
        raise OcflError("empty logical path")
    if path.startswith("/") or path.endswith("/"):
        raise OcflError("logical path must not start or end with '/'", path=path)
    try:
        validate_key(path)
    except StorageError as exc:
        raise OcflError("invalid logical path", path=path, reason=str(exc)) from exc
    return path


def _check_conflicts(paths: Iterable[str]) -> None:
    """No logical path may also be a directory of another (OCFL E095)."""
    all_paths = set(paths)
    for p in all_paths:
        parts = p.split("/")
        for i in range(1, len(parts)):
            if "/".join(parts[:i]) in all_paths:
                raise OcflError("logical path is also a directory", path="/".join(parts[:i]))


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def write_object(
    store: ObjectStore,
    object_id: str,
    files: Iterable[tuple[str, Path]],
    message: str,
    user: str,
    *,
    user_address: str | None = None,
    created: dt.datetime | None = None,
    digests: Mapping[str, Digests] | None = None,
) -> WrittenVersion:
    """Write ``files`` (logical path, local file) as version 1 or as the next version.

    The new state is exactly ``files``.  Content whose sha512 the object already holds is
    referenced, not stored again.  Pass the same ``created`` when writing the same version to
    several locations so that their inventories are identical.

    Each source file is read once per location and its sha512 computed once in all.
    ``digests`` (logical path -> digests of those very files, e.g. the
    :attr:`WrittenVersion.digests` of the same version written to another location) are
    taken as known: the store only verifies the bytes it writes against their sha256.  Files
    without one are digested by the write itself (sha256 + sha512 while copying) in a first
    version; a later version digests them first, to find the content it already holds.
    Content writes share their syncs (:func:`~storage.interfaces.batch`) and are durable
    before any inventory is written.
    """
    layout = ensure_storage_root(store)
    root = layout.object_root(object_id)
    previous: Inventory | None = None
    if store.exists(f"{root}/{INVENTORY}"):
        previous = read_inventory(store, object_id)
        if previous.id != object_id:
            raise OcflError("object root holds another object", root=root, found=previous.id)
    number = previous.head_number + 1 if previous else 1
    vname = f"v{number}"

    sources: list[tuple[str, Path]] = []
    seen: set[str] = set()
    for logical, local in files:
        validate_logical_path(logical)
        if logical in seen:
            raise OcflError("logical path given twice", path=logical)
        seen.add(logical)
        sources.append((logical, Path(local)))
    _check_conflicts(seen)
    known = {logical: digests[logical] for logical in seen if digests and logical in digests}
    if previous is not None:
        for logical, local in sources:
            if logical not in known:
                known[logical] = digest_file(local, parallel=True)

    manifest = {k: list(v) for k, v in (previous.manifest if previous else {}).items()}
    fixity = {
        alg: {k: list(v) for k, v in block.items()}
        for alg, block in (previous.fixity if previous else {}).items()
    }
    fixity.setdefault(FIXITY_ALGORITHM, {})

    # Remove leftovers of a crashed earlier attempt at this version (never committed).
    for stale in list(store.list(f"{root}/{vname}/")):
        store.delete(stale)

    # Content first.
    held = set(manifest)
    state: dict[str, list[str]] = {}
    added: list[AddedContent] = []
    reused: list[str] = []
    duplicates: list[str] = []  # written before their digest was known to be held already
    written = 0
    with batch(store):
        for logical, local in sources:
            d = known.get(logical)
            if d is not None and d.sha512 in manifest:
                state.setdefault(d.sha512, []).append(logical)
                if d.sha512 in held:
                    reused.append(logical)
                continue
            content_path = f"{vname}/{CONTENT_DIRECTORY}/{logical}"
            d = _put_content(store, f"{root}/{content_path}", local, d)
            known[logical] = d
            state.setdefault(d.sha512, []).append(logical)
            if d.sha512 in manifest:  # same bytes as a file added just before
                duplicates.append(f"{root}/{content_path}")
                continue
            manifest[d.sha512] = [content_path]
            fixity[FIXITY_ALGORITHM].setdefault(d.sha256, []).append(content_path)
            added.append(AddedContent(content_path, (logical,), d))
            written += d.size
    for key in duplicates:
        store.delete(key)
    added = [AddedContent(a.content_path, tuple(state[a.digests.sha512]), a.digests) for a in added]

    # Declaration, version inventory, then the root inventory (commit point).
    versions = dict(previous.versions) if previous else {}
    user_block = {"name": user}
    if user_address:
        user_block["address"] = user_address
    when = (
        created.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
        if created
        else _now()
    )
    versions[vname] = Version(created=when, state=state, message=message, user=user_block)
    inventory = Inventory(
        id=object_id, head=vname, manifest=manifest, versions=versions, fixity=fixity
    )
    data = inventory.to_bytes()
    inv_sha512 = hashlib.sha512(data).hexdigest()
    with batch(store):
        if not store.exists(f"{root}/{OBJECT_DECLARATION}"):
            _put_bytes(store, f"{root}/{OBJECT_DECLARATION}", OBJECT_DECLARATION_TEXT)
        _put_bytes(store, f"{root}/{vname}/{INVENTORY}", data)
        _put_bytes(store, f"{root}/{vname}/{SIDECAR}", sidecar_text(inv_sha512))
    _put_bytes(store, f"{root}/{INVENTORY}", data)
    _put_bytes(store, f"{root}/{SIDECAR}", sidecar_text(inv_sha512))
    return WrittenVersion(
        object_id=object_id,
        version=vname,
        object_root=root,
        inventory_sha512=inv_sha512,
        added=tuple(added),
        reused=tuple(reused),
        bytes_written=written,
        digests={logical: known[logical] for logical, _ in sources},
    )


def _put_content(store: ObjectStore, key: str, local: Path, known: Digests | None) -> Digests:
    """Copy one source file into the store in one read; return its digests."""
    with local.open("rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        if known is not None:
            store.put(key, fh, known.size, known.sha256)
            return known
        info = store.put(key, fh, size)
    if info.sha256 is None or info.sha512 is None:  # a store that does not report both
        d = digest_file(local, parallel=True)
        if info.sha256 is not None and info.sha256 != d.sha256:
            store.delete(key)
            raise DigestMismatch(key, "sha256", d.sha256, info.sha256, location=store.name)
        return d
    return Digests(size, info.sha256, info.sha512)


# -- reading -----------------------------------------------------------------------------------
def read_inventory_at(store: ObjectStore, root: str) -> tuple[Inventory, str]:
    """Read and sidecar-check the inventory of the object at ``root``; return it and its sha512."""
    try:
        data = _read_bytes(store, f"{root}/{INVENTORY}")
    except ObjectNotFound as exc:
        raise ObjectNotFound(f"{root}/{INVENTORY}", location=store.name) from exc
    actual = hashlib.sha512(data).hexdigest()
    try:
        expected = parse_sidecar(_read_bytes(store, f"{root}/{SIDECAR}"))
    except ObjectNotFound as exc:
        raise InventoryError("inventory sidecar missing", root=root, location=store.name) from exc
    if expected != actual:
        raise InventoryError(
            "inventory does not match its sidecar",
            root=root,
            location=store.name,
            expected=expected,
            actual=actual,
        )
    return Inventory.from_bytes(data), actual


def read_inventory(store: ObjectStore, object_id: str) -> Inventory:
    """The object's current inventory, checked against its sidecar."""
    inventory, _ = read_inventory_at(store, object_root(store, object_id))
    return inventory


def open_file(
    store: ObjectStore, object_id: str, logical_path: str, version: str | None = None
) -> ObjectStream:
    """Stream one logical file of the head version (or of ``version``)."""
    root = object_root(store, object_id)
    inventory, _ = read_inventory_at(store, root)
    vname = version or inventory.head
    if vname not in inventory.versions:
        raise ObjectNotFound(logical_path, object_id=object_id, version=vname)
    digest = inventory.versions[vname].logical_paths().get(logical_path)
    if digest is None:
        raise ObjectNotFound(logical_path, object_id=object_id, version=vname)
    return store.open(f"{root}/{inventory.content_path(digest)}")


# -- verification ------------------------------------------------------------------------------
class FileStatus(enum.StrEnum):
    OK = "ok"
    MISMATCH = "mismatch"
    MISSING = "missing"


@dataclass(frozen=True)
class FileCheck:
    path: str  # relative to the object root
    kind: str  # "content" | "inventory" | "declaration"
    status: FileStatus
    expected: dict[str, str] = field(default_factory=dict)  # algorithm -> hex
    actual: dict[str, str] = field(default_factory=dict)
    size: int | None = None
    detail: str | None = None

    @property
    def ok(self) -> bool:
        return self.status is FileStatus.OK


@dataclass
class ObjectVerification:
    object_id: str
    location: str
    object_root: str
    head: str | None
    inventory_sha512: str | None
    files: list[FileCheck] = field(default_factory=list)  # content files
    metadata: list[FileCheck] = field(default_factory=list)  # declaration + inventories
    unexpected: list[str] = field(default_factory=list)  # files present but not in manifest
    skipped: list[str] = field(default_factory=list)
    inventory_usable: bool = True

    @property
    def ok(self) -> bool:
        return (
            self.inventory_usable
            and all(f.ok for f in self.files)
            and all(f.ok for f in self.metadata)
            and not self.unexpected
        )

    @property
    def bad_files(self) -> list[FileCheck]:
        return [f for f in self.files if not f.ok]

    @property
    def bad_metadata(self) -> list[FileCheck]:
        return [f for f in self.metadata if not f.ok]

    def check(self, path: str) -> FileCheck | None:
        for f in (*self.files, *self.metadata):
            if f.path == path:
                return f
        return None


def _check_inventory_file(
    store: ObjectStore, root: str, base: str, expected_sha512: str | None = None
) -> tuple[FileCheck, bytes | None]:
    """Check ``base/inventory.json`` against its sidecar (and ``expected_sha512`` if given)."""
    prefix = f"{base}/" if base else ""
    path = f"{prefix}{INVENTORY}"
    try:
        data = _read_bytes(store, f"{root}/{path}")
    except ObjectNotFound:
        return FileCheck(path, "inventory", FileStatus.MISSING), None
    actual = hashlib.sha512(data).hexdigest()
    try:
        sidecar = parse_sidecar(_read_bytes(store, f"{root}/{prefix}{SIDECAR}"))
    except ObjectNotFound:
        return FileCheck(
            path, "inventory", FileStatus.MISSING, {}, {"sha512": actual}, detail="sidecar missing"
        ), data
    except InventoryError:
        return FileCheck(
            path, "inventory", FileStatus.MISMATCH, {}, {"sha512": actual}, detail="bad sidecar"
        ), data
    expected = {"sha512": sidecar}
    if sidecar != actual:
        return FileCheck(
            path, "inventory", FileStatus.MISMATCH, expected, {"sha512": actual}, len(data)
        ), data
    if expected_sha512 is not None and actual != expected_sha512:
        return FileCheck(
            path,
            "inventory",
            FileStatus.MISMATCH,
            {"sha512": expected_sha512},
            {"sha512": actual},
            len(data),
            detail="differs from the root inventory",
        ), data
    ok = FileCheck(path, "inventory", FileStatus.OK, expected, {"sha512": actual}, len(data))
    return ok, data


def _check_content(
    store: ObjectStore,
    root: str,
    path: str,
    expected: dict[str, str],
    thorough: bool,
    on_chunk: Callable[[int], None] | None,
) -> FileCheck:
    algorithms = [a for a in ALGORITHMS if a in expected] if thorough else [DIGEST_ALGORITHM]
    try:
        with store.open(f"{root}/{path}") as fh:
            size, actual = hash_stream(fh, algorithms, on_chunk=on_chunk, parallel=True)
        if any(actual[a] != expected[a] for a in algorithms) and len(actual) < len(ALGORITHMS):
            # Damage is rare: read the file once more so that its report carries every digest.
            with store.open(f"{root}/{path}") as fh:
                size, actual = hash_stream(fh, ALGORITHMS, on_chunk=on_chunk)
    except ObjectNotFound:
        return FileCheck(path, "content", FileStatus.MISSING, expected)
    good = all(actual[a] == expected[a] for a in algorithms)
    status = FileStatus.OK if good else FileStatus.MISMATCH
    return FileCheck(path, "content", status, expected, actual, size)


def iter_verify_content(
    store: ObjectStore,
    root: str,
    inventory: Inventory,
    *,
    skip: Collection[str] = (),
    on_chunk: Callable[[int], None] | None = None,
    thorough: bool = False,
    workers: int = 1,
) -> Iterator[FileCheck]:
    """Re-read every content file (sorted, minus ``skip``) and yield one check per file.

    Routine (``thorough=False``): each byte is hashed once, with the manifest's sha512, which
    alone proves the content.  ``thorough=True`` also recomputes the sha256 of the inventory's
    fixity block (one more hash per byte), which shows whether the two records still agree.
    A damaged file's report carries both digests either way.  ``workers`` > 1 hashes that many
    files at once (results still in order; ``on_chunk`` is then called from worker threads).
    """
    sha256_of = inventory.fixity_for(FIXITY_ALGORITHM)
    todo: list[tuple[str, dict[str, str]]] = []
    for path, sha512 in sorted(inventory.content_digests().items()):
        if path in skip:
            continue
        expected = {"sha512": sha512}
        if path in sha256_of:
            expected["sha256"] = sha256_of[path]
        todo.append((path, expected))

    def check(item: tuple[str, dict[str, str]]) -> FileCheck:
        return _check_content(store, root, item[0], item[1], thorough, on_chunk)

    if workers <= 1 or len(todo) <= 1:
        yield from map(check, todo)
        return
    with ThreadPoolExecutor(min(workers, len(todo)), thread_name_prefix="luutru-verify") as pool:
        yield from pool.map(check, todo)


def verify_object(
    store: ObjectStore,
    object_id: str,
    *,
    inventory: Inventory | None = None,
    skip: Collection[str] = (),
    on_chunk: Callable[[int], None] | None = None,
    on_file: Callable[[FileCheck], None] | None = None,
    thorough: bool = False,
    workers: int = 1,
) -> ObjectVerification:
    """Re-read the object on ``store`` and compare every file with the inventory.

    ``thorough`` chooses the depth of the content check: routine (the default: sha512 of the
    manifest, one hash per byte, for read-back and scheduled audits) or thorough (also the
    sha256 fixity values, e.g. ``luutru fixity audit --thorough`` and before repairs); see
    :func:`iter_verify_content`, which also explains ``workers``.  ``inventory`` overrides the
    location's own (used when that one is damaged); ``skip`` lists content paths already
    verified by an interrupted run; ``on_file`` sees each result as it is made (to record
    progress); ``on_chunk`` gets chunk sizes (to throttle).
    """
    root = object_root(store, object_id)
    root_check, root_data = _check_inventory_file(store, root, "")
    own: Inventory | None = None
    if root_data is not None:
        try:
            own = Inventory.from_bytes(root_data)
        except InventoryError as exc:
            root_check = FileCheck(
                INVENTORY, "inventory", FileStatus.MISMATCH, root_check.expected,
                root_check.actual, detail=str(exc),
            )  # fmt: skip
    used = inventory or own
    result = ObjectVerification(
        object_id=object_id,
        location=store.name,
        object_root=root,
        head=used.head if used else None,
        inventory_sha512=root_check.actual.get("sha512"),
    )
    result.metadata.append(root_check)
    if used is None:
        result.inventory_usable = False
        return result
    if used.id != object_id:
        raise InventoryError("inventory is for another object", expected=object_id, found=used.id)
    root_sha = root_check.actual.get("sha512") if root_check.ok else None
    # Declaration.
    try:
        decl = _read_bytes(store, f"{root}/{OBJECT_DECLARATION}")
        status = FileStatus.OK if decl == OBJECT_DECLARATION_TEXT else FileStatus.MISMATCH
        result.metadata.append(FileCheck(OBJECT_DECLARATION, "declaration", status))
    except ObjectNotFound:
        result.metadata.append(FileCheck(OBJECT_DECLARATION, "declaration", FileStatus.MISSING))
    # Version inventories (the head one must equal the root inventory).
    for vname in sorted(used.versions, key=version_number):
        expected = root_sha if (vname == used.head and inventory is None) else None
        check, _ = _check_inventory_file(store, root, vname, expected)
        result.metadata.append(check)
    # Content.
    for check in iter_verify_content(
        store, root, used, skip=skip, on_chunk=on_chunk, thorough=thorough, workers=workers
    ):
        result.files.append(check)
        if on_file is not None:
            on_file(check)
    result.skipped = sorted(p for p in used.content_digests() if p in skip)
    # Files nobody declared.
    known = set(used.content_digests()) | {INVENTORY, SIDECAR, OBJECT_DECLARATION}
    for vname in used.versions:
        known |= {f"{vname}/{INVENTORY}", f"{vname}/{SIDECAR}"}
    for key in store.list(f"{root}/"):
        rel = key[len(root) + 1 :]
        if rel not in known and not rel.startswith("extensions/"):
            result.unexpected.append(rel)
    return result


# -- listing and purge -------------------------------------------------------------------------
@dataclass(frozen=True)
class StoredObject:
    object_root: str
    object_id: str | None
    head: str | None
    inventory_sha512: str | None
    problem: str | None = None


def list_objects(store: ObjectStore) -> Iterator[StoredObject]:
    """Every object of the storage root, found by walking it (no catalog needed)."""
    layout = storage_root_layout(store)
    suffix = "/" + OBJECT_DECLARATION
    for key in store.list(""):
        if not key.endswith(suffix) or key.startswith("extensions/"):
            continue
        root = key[: -len(suffix)]
        try:
            inventory, sha = read_inventory_at(store, root)
        except StorageError as exc:
            yield StoredObject(root, None, None, None, problem=str(exc))
            continue
        problem = None
        if layout.object_root(inventory.id) != root:
            problem = "object root does not match the layout for its id"
        yield StoredObject(root, inventory.id, inventory.head, sha, problem)


def purge_object(store: ObjectStore, object_id: str) -> int:
    """Remove the whole object (disposal). The inventory goes first, so a half-purged object is
    no longer an object.  Returns the number of files removed."""
    root = object_root(store, object_id)
    keys = list(store.list(f"{root}/"))
    first = [k for k in keys if k in (f"{root}/{INVENTORY}", f"{root}/{OBJECT_DECLARATION}")]
    for key in first + [k for k in keys if k not in first]:
        store.delete(key)
    return len(keys)
