"""Fixity across locations: verify one OCFL object everywhere, repair bad copies from good ones.

No catalog access: results are returned as typed values and the caller records the PREMIS
events (fixity check, replication/repair, loss).  A location that cannot be reached is reported
as unavailable, not as damaged.
"""

from __future__ import annotations

import enum
import time
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field

from storage.errors import (
    DigestMismatch,
    InventoryError,
    ObjectNotFound,
    StorageError,
    TransientStorageError,
)
from storage.interfaces import ObjectStore
from storage.ocfl import (
    INVENTORY,
    SIDECAR,
    FileCheck,
    Inventory,
    ObjectVerification,
    object_root,
    read_inventory_at,
    verify_object,
)

MB = 1024 * 1024


class Throttle:
    """Keep an average read rate at or below ``mb_per_s`` (0 or less: unlimited).

    Call :meth:`consume` after each chunk; it sleeps when the bytes so far came too fast.
    """

    def __init__(
        self,
        mb_per_s: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.rate = mb_per_s * MB
        self._clock = clock
        self._sleep = sleep
        self._start: float | None = None
        self._bytes = 0
        self.slept = 0.0

    def consume(self, nbytes: int) -> None:
        if self.rate <= 0:
            return
        now = self._clock()
        if self._start is None:
            self._start = now
        self._bytes += nbytes
        due = self._start + self._bytes / self.rate  # when these bytes may have been read
        if due > now:
            self._sleep(due - now)
            self.slept += due - now


class RepairStatus(enum.StrEnum):
    REPAIRED = "repaired"  # copied from a good location and verified
    LOST = "lost"  # no location holds a good copy
    FAILED = "failed"  # a good copy exists but copying or re-verifying it failed


@dataclass(frozen=True)
class FileRepair:
    location: str
    path: str  # relative to the object root
    status: RepairStatus
    source: str | None = None
    detail: str | None = None


@dataclass
class FixityResult:
    object_id: str
    reference: str | None  # location whose inventory was taken as authoritative
    before: dict[str, ObjectVerification] = field(default_factory=dict)
    after: dict[str, ObjectVerification] = field(default_factory=dict)
    repairs: list[FileRepair] = field(default_factory=list)
    unavailable: dict[str, str] = field(default_factory=dict)  # location -> reason

    @property
    def ok(self) -> bool:
        """Every reachable location verifies clean after repair."""
        return bool(self.after) and all(v.ok for v in self.after.values())

    @property
    def repaired(self) -> list[FileRepair]:
        return [r for r in self.repairs if r.status is RepairStatus.REPAIRED]

    @property
    def lost(self) -> list[FileRepair]:
        return [r for r in self.repairs if r.status is RepairStatus.LOST]

    @property
    def failed(self) -> list[FileRepair]:
        return [r for r in self.repairs if r.status is RepairStatus.FAILED]


@dataclass
class _Location:
    store: ObjectStore
    root: str
    inventory: Inventory | None = None
    inventory_sha512: str | None = None
    problem: str | None = None


def _copy(
    src: _Location,
    src_path: str,
    dst: _Location,
    dst_path: str,
    sha256: str | None,
    sha512: str | None = None,
) -> None:
    info = src.store.head(f"{src.root}/{src_path}")
    with src.store.open(f"{src.root}/{src_path}") as fh:
        dst.store.put(f"{dst.root}/{dst_path}", fh, info.size, sha256, sha512_hex=sha512)


def _verify(
    loc: _Location,
    object_id: str,
    inventory: Inventory | None,
    skip: Collection[str],
    throttle: Throttle | None,
    thorough: bool,
) -> ObjectVerification:
    return verify_object(
        loc.store,
        object_id,
        inventory=inventory,
        skip=skip,
        on_chunk=throttle.consume if throttle else None,
        thorough=thorough,
    )


def verify_and_repair(
    stores: Sequence[ObjectStore],
    object_id: str,
    *,
    repair: bool = True,
    throttle: Throttle | None = None,
    skip: Mapping[str, Collection[str]] | None = None,
    thorough: bool = True,
) -> FixityResult:
    """Verify the object on every location and (unless ``repair=False``) repair what is bad.

    Verification is thorough by default (sha512 and the sha256 fixity values, see
    :func:`~storage.ocfl.verify_object`): a repair copies only content proven good both ways.
    ``thorough=False`` checks sha512 only.

    The reference inventory is the sidecar-valid one with the highest head.  A location whose
    own inventory is valid and at that head is checked against its own; others are checked
    against the reference and get its inventory files copied last.  ``skip`` maps a location
    name to content paths already verified by an interrupted run.
    """
    skip = skip or {}
    locations: list[_Location] = []
    result = FixityResult(object_id=object_id, reference=None)
    for store in stores:
        try:
            loc = _Location(store, object_root(store, object_id))
        except TransientStorageError as exc:
            result.unavailable[store.name] = str(exc)
            continue
        except StorageError as exc:  # not an OCFL storage root at all
            loc = _Location(store, "", problem=str(exc))
            locations.append(loc)
            continue
        try:
            loc.inventory, loc.inventory_sha512 = read_inventory_at(store, loc.root)
        except TransientStorageError as exc:
            result.unavailable[store.name] = str(exc)
            continue
        except (ObjectNotFound, InventoryError) as exc:
            loc.problem = str(exc)
        locations.append(loc)

    valid = [loc for loc in locations if loc.inventory is not None]
    if not valid:
        for loc in locations:
            result.repairs.append(
                FileRepair(loc.store.name, INVENTORY, RepairStatus.LOST, detail=loc.problem)
            )
        return result
    ref = max(valid, key=lambda loc: loc.inventory.head_number if loc.inventory else 0)
    ref_inv = ref.inventory
    assert ref_inv is not None
    result.reference = ref.store.name

    def override(loc: _Location) -> Inventory | None:
        own = loc.inventory
        if own is not None and own.head_number == ref_inv.head_number:
            return None
        return ref.inventory

    # 1. Verify everywhere.
    usable: list[_Location] = []
    for loc in locations:
        if not loc.root:  # storage root missing: nothing can be verified or repaired here
            result.repairs.append(
                FileRepair(loc.store.name, "", RepairStatus.FAILED, detail=loc.problem)
            )
            continue
        try:
            result.before[loc.store.name] = _verify(
                loc, object_id, override(loc), skip.get(loc.store.name, ()), throttle, thorough
            )
            usable.append(loc)
        except TransientStorageError as exc:
            result.unavailable[loc.store.name] = str(exc)
    if not repair:
        result.after = dict(result.before)
        return result

    # 2. Where is a good copy of each sha512 / metadata file?
    good_content: dict[str, list[tuple[_Location, FileCheck]]] = {}
    good_meta: dict[str, list[_Location]] = {}
    for loc in usable:
        v = result.before[loc.store.name]
        for check in v.files:
            if check.ok:
                good_content.setdefault(check.expected["sha512"], []).append((loc, check))
        for check in v.metadata:
            if check.ok:
                good_meta.setdefault(check.path, []).append(loc)
    # The reference first as a metadata source.
    for locs in good_meta.values():
        locs.sort(key=lambda loc: loc is not ref)

    # 3. Content, then metadata (inventories last), location by location.
    touched: set[str] = set()
    for loc in usable:
        name = loc.store.name
        v = result.before[name]
        for bad in v.bad_files:
            touched.add(name)
            sources = [s for s in good_content.get(bad.expected["sha512"], []) if s[0] is not loc]
            if not sources:
                result.repairs.append(FileRepair(name, bad.path, RepairStatus.LOST))
                continue
            result.repairs.append(_repair_content(loc, bad, sources))
        # A location checked against the reference gets the reference's root inventory; its
        # missing or bad version inventories showed up in its verification already.
        meta_bad = [c.path for c in v.bad_metadata if c.path != INVENTORY]
        root_bad = override(loc) is not None or INVENTORY in [c.path for c in v.bad_metadata]
        ordered = meta_bad + ([INVENTORY] if root_bad else [])
        for path in ordered:
            touched.add(name)
            sources_meta = [s for s in good_meta.get(path, []) if s is not loc]
            if path == INVENTORY:
                sources_meta = [ref] if ref is not loc else []
            if not sources_meta:
                result.repairs.append(FileRepair(name, path, RepairStatus.LOST))
                continue
            result.repairs.append(_repair_metadata(loc, path, sources_meta))

    # 4. Re-verify what was touched.
    for loc in usable:
        name = loc.store.name
        if name not in touched:
            result.after[name] = result.before[name]
            continue
        try:
            result.after[name] = _verify(loc, object_id, None, (), throttle, thorough)
        except (TransientStorageError, InventoryError, ObjectNotFound) as exc:
            result.unavailable[name] = str(exc)
            continue
        after = result.after[name]
        for i, rep in enumerate(result.repairs):
            if rep.location == name and rep.status is RepairStatus.REPAIRED:
                recheck = after.check(rep.path)
                if recheck is None or not recheck.ok:
                    result.repairs[i] = FileRepair(
                        name, rep.path, RepairStatus.FAILED, rep.source, "re-verification failed"
                    )
    return result


def _repair_content(
    loc: _Location, bad: FileCheck, sources: list[tuple[_Location, FileCheck]]
) -> FileRepair:
    errors: list[str] = []
    for src, good in sources:
        try:
            _copy(
                src,
                good.path,
                loc,
                bad.path,
                good.actual.get("sha256"),  # only when this verification checked it
                good.expected["sha512"],
            )
        except (DigestMismatch, ObjectNotFound, TransientStorageError) as exc:
            errors.append(f"{src.store.name}: {exc}")
            continue
        return FileRepair(loc.store.name, bad.path, RepairStatus.REPAIRED, src.store.name)
    return FileRepair(loc.store.name, bad.path, RepairStatus.FAILED, detail="; ".join(errors))


def _repair_metadata(loc: _Location, path: str, sources: list[_Location]) -> FileRepair:
    pair = [path]
    if path.endswith(INVENTORY):
        pair.append(path[: -len(INVENTORY)] + SIDECAR)
    errors: list[str] = []
    for src in sources:
        try:
            for p in pair:
                _copy(src, p, loc, p, None)
        except (DigestMismatch, ObjectNotFound, TransientStorageError) as exc:
            errors.append(f"{src.store.name}: {exc}")
            continue
        return FileRepair(loc.store.name, path, RepairStatus.REPAIRED, src.store.name)
    return FileRepair(loc.store.name, path, RepairStatus.FAILED, detail="; ".join(errors))
