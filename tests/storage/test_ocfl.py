"""OCFL 1.1 objects: written by us, validated by ocfl-py (an independent implementation)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import ocfl
import pytest
from ocfl.layout import Layout
from ocfl.layout_registry import add_layout
from ocfl.validator import Validator

from ops.services.seaweedfs import seaweedfs
from storage import (
    DigestMismatch,
    InventoryError,
    LocationConfig,
    ObjectNotFound,
    ObjectStore,
    OcflError,
    TransientStorageError,
    open_store,
)
from storage.interfaces import ObjectInfo, ObjectStream
from storage.ocfl import (
    INVENTORY,
    FileStatus,
    list_objects,
    object_root,
    open_file,
    purge_object,
    read_inventory,
    verify_object,
    write_object,
)
from tests.storage.helpers import s3_config

OBJECT_ID = "urn:uuid:6f1c1a8e-3b57-4c1e-9a53-0d6c2b1f7e42"


class Layout0004(Layout):
    """0004-hashed-n-tuple-storage-layout for ocfl-py's validator, written from the extension
    text independently of storage.ocfl_layout (ocfl-py 2.1 ships no 0004)."""

    def __init__(self) -> None:
        super().__init__()
        self.NAME = "0004-hashed-n-tuple-storage-layout"
        self.DESCRIPTION = "Hashed N-tuple Storage Layout"
        self.digest_algorithm = "sha256"
        self.tuple_size = 3
        self.number_of_tuples = 3
        self.short_object_root = False
        self.PARAMS = {
            "digestAlgorithm": self._set("digest_algorithm"),
            "tupleSize": self._set("tuple_size"),
            "numberOfTuples": self._set("number_of_tuples"),
            "shortObjectRoot": self._set("short_object_root"),
        }

    def _set(self, attr: str) -> Callable[[Any], None]:
        def setter(value: Any) -> None:
            if value is not None:
                setattr(self, attr, value)

        return setter

    @property
    def config(self) -> dict[str, Any]:
        return {"extensionName": self.NAME}

    def identifier_to_path(self, identifier: str) -> str:
        h = hashlib.new(self.digest_algorithm, identifier.encode("utf-8")).hexdigest()
        n = self.tuple_size
        parts = [h[i * n : (i + 1) * n] for i in range(self.number_of_tuples)]
        return "/".join([*parts, h[n * self.number_of_tuples :] if self.short_object_root else h])


add_layout("0004-hashed-n-tuple-storage-layout", Layout0004)


def ocfl_py_validate_object(path: Path) -> tuple[bool, str]:
    validator = Validator(log_warnings=True, check_digests=True)
    ok = validator.validate_object(str(path))
    return ok, validator.status_str()


def ocfl_py_validate_root(path: Path) -> tuple[bool, Any]:
    root = ocfl.StorageRoot(root=str(path))
    ok = root.validate(validate_objects=True, check_digests=True, log_warnings=False)
    return ok, root


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    src = tmp_path / "src"
    (src / "representations" / "rep1" / "data").mkdir(parents=True)
    contents = {
        "METS.xml": "<mets OBJID='hồ sơ 01'/>",
        "metadata/descriptive/EAD.xml": "<ead><title>Hồ sơ về việc xây dựng</title></ead>",
        "representations/rep1/data/Quyết định số 123-QĐ-UBND.pdf": "%PDF-1.7 quyết định",
        "representations/rep1/data/Tờ trình đề nghị.pdf": "%PDF-1.7 tờ trình",
        "representations/rep1/data/bản sao.pdf": "%PDF-1.7 quyết định",  # same bytes as above
    }
    out: dict[str, Path] = {}
    for i, (logical, text) in enumerate(contents.items()):
        p = src / f"f{i}"
        p.write_text(text, encoding="utf-8")
        out[logical] = p
    return out


def _root_dir(tmp_path: Path) -> Path:
    return tmp_path / "ocfl-root"


@pytest.fixture
def local(tmp_path: Path) -> ObjectStore:
    return open_store(
        LocationConfig(name="local", kind="local", path=_root_dir(tmp_path)), create=True
    )


def test_v1_is_valid_ocfl_with_vietnamese_names(
    local: ObjectStore, files: dict[str, Path], tmp_path: Path
) -> None:
    written = write_object(
        local, OBJECT_ID, files.items(), "Tiếp nhận hồ sơ", "Nguyễn Văn A",
        user_address="mailto:a@luutru.gov.vn",
    )  # fmt: skip
    assert written.version == "v1"
    assert len(written.added) == 4  # five logical files, two share their bytes
    root = _root_dir(tmp_path)
    obj = root / written.object_root
    h = hashlib.sha256(OBJECT_ID.encode()).hexdigest()
    assert written.object_root == f"{h[:3]}/{h[3:6]}/{h[6:9]}/{h}"

    ok, messages = ocfl_py_validate_object(obj)
    assert ok and messages == "", messages  # not even a warning
    ok, sr = ocfl_py_validate_root(root)
    assert ok and sr.num_objects == 1 and sr.good_objects == 1, sr.errors

    assert (root / "0=ocfl_1.1").read_text() == "ocfl_1.1\n"
    assert json.loads((root / "ocfl_layout.json").read_text())["extension"] == (
        "0004-hashed-n-tuple-storage-layout"
    )
    config = json.loads(
        (root / "extensions/0004-hashed-n-tuple-storage-layout/config.json").read_text()
    )
    assert config == {
        "extensionName": "0004-hashed-n-tuple-storage-layout",
        "digestAlgorithm": "sha256",
        "tupleSize": 3,
        "numberOfTuples": 3,
        "shortObjectRoot": False,
    }
    inv = json.loads((obj / INVENTORY).read_text(encoding="utf-8"))
    assert inv["digestAlgorithm"] == "sha512" and inv["head"] == "v1"
    assert inv["contentDirectory"] == "content"
    assert inv["versions"]["v1"]["user"] == {
        "name": "Nguyễn Văn A",
        "address": "mailto:a@luutru.gov.vn",
    }
    assert sum(len(p) for p in inv["fixity"]["sha256"].values()) == 4
    assert (obj / "v1" / INVENTORY).read_bytes() == (obj / INVENTORY).read_bytes()
    sidecar = (obj / "inventory.json.sha512").read_text()
    assert (
        sidecar == f"{hashlib.sha512((obj / INVENTORY).read_bytes()).hexdigest()}  inventory.json\n"
    )
    assert (obj / "v1/content/representations/rep1/data/Quyết định số 123-QĐ-UBND.pdf").exists()

    with open_file(local, OBJECT_ID, "representations/rep1/data/bản sao.pdf") as fh:
        assert fh.read() == "%PDF-1.7 quyết định".encode()

    # Negative control: the same validator does notice one changed byte.
    (obj / "v1/content/METS.xml").write_text("<mets OBJID='hồ sơ 02'/>", encoding="utf-8")
    ok, messages = ocfl_py_validate_object(obj)
    assert not ok and "E092" in messages


def test_v2_adds_only_changed_content_and_v1_stays(
    local: ObjectStore, files: dict[str, Path], tmp_path: Path
) -> None:
    v1 = write_object(local, OBJECT_ID, files.items(), "v1", "A")
    obj = _root_dir(tmp_path) / v1.object_root
    v1_snapshot = {p: p.read_bytes() for p in (obj / "v1").rglob("*") if p.is_file()}
    changed = tmp_path / "ead-v2.xml"
    changed.write_text("<ead><title>Hồ sơ (đính chính)</title></ead>", encoding="utf-8")
    new_files = dict(files)
    new_files["metadata/descriptive/EAD.xml"] = changed

    v2 = write_object(local, OBJECT_ID, new_files.items(), "Đính chính EAD", "B")
    assert v2.version == "v2"
    assert [a.content_path for a in v2.added] == ["v2/content/metadata/descriptive/EAD.xml"]
    assert len(v2.reused) == 4
    assert sorted(
        p.relative_to(obj).as_posix() for p in (obj / "v2").rglob("*") if p.is_file()
    ) == [
        "v2/content/metadata/descriptive/EAD.xml",
        "v2/inventory.json",
        "v2/inventory.json.sha512",
    ]
    # v1 is untouched, byte for byte, and still readable as v1.
    assert {p: p.read_bytes() for p in (obj / "v1").rglob("*") if p.is_file()} == v1_snapshot
    with open_file(local, OBJECT_ID, "metadata/descriptive/EAD.xml", version="v1") as fh:
        assert "đính chính" not in fh.read().decode()
    with open_file(local, OBJECT_ID, "metadata/descriptive/EAD.xml") as fh:
        assert "đính chính" in fh.read().decode()
    inventory = read_inventory(local, OBJECT_ID)
    assert inventory.head == "v2" and list(inventory.versions) == ["v1", "v2"]
    assert inventory.versions["v2"].message == "Đính chính EAD"

    ok, messages = ocfl_py_validate_object(obj)
    assert ok, messages
    ok, sr = ocfl_py_validate_root(_root_dir(tmp_path))
    assert ok and sr.good_objects == 1, sr.errors


def test_a_version_can_drop_files(
    local: ObjectStore, files: dict[str, Path], tmp_path: Path
) -> None:
    write_object(local, OBJECT_ID, files.items(), "v1", "A")
    fewer = [(k, v) for k, v in files.items() if not k.endswith("bản sao.pdf")]
    v2 = write_object(local, OBJECT_ID, fewer, "bỏ bản sao", "A")
    assert v2.added == ()
    with pytest.raises(ObjectNotFound):
        open_file(local, OBJECT_ID, "representations/rep1/data/bản sao.pdf")
    with open_file(local, OBJECT_ID, "representations/rep1/data/bản sao.pdf", "v1") as fh:
        assert fh.read()
    ok, messages = ocfl_py_validate_object(_root_dir(tmp_path) / v2.object_root)
    assert ok, messages


@pytest.mark.parametrize("logical", ["/abs", "a/../b", "a//b", "trailing/", "./a", ""])
def test_bad_logical_paths_refused(local: ObjectStore, tmp_path: Path, logical: str) -> None:
    f = tmp_path / "f"
    f.write_bytes(b"x")
    with pytest.raises(OcflError):
        write_object(local, OBJECT_ID, [(logical, f)], "m", "u")
    assert not local.exists(f"{object_root(local, OBJECT_ID)}/{INVENTORY}")


def test_file_and_directory_conflict_refused(local: ObjectStore, tmp_path: Path) -> None:
    f = tmp_path / "f"
    f.write_bytes(b"x")
    with pytest.raises(OcflError, match="directory"):
        write_object(local, OBJECT_ID, [("a", f), ("a/b", f)], "m", "u")


def test_verify_reports_mismatch_missing_and_sidecar(
    local: ObjectStore, files: dict[str, Path], tmp_path: Path
) -> None:
    w = write_object(local, OBJECT_ID, files.items(), "v1", "A")
    assert verify_object(local, OBJECT_ID).ok
    obj = _root_dir(tmp_path) / w.object_root
    target = obj / "v1/content/METS.xml"
    original = target.read_bytes()
    flipped = bytes([original[0] ^ 0x01]) + original[1:]
    target.write_bytes(flipped)
    (obj / "v1/content/representations/rep1/data/Tờ trình đề nghị.pdf").unlink()
    (obj / "v1/inventory.json.sha512").write_text("0" * 128 + "  inventory.json\n")

    result = verify_object(local, OBJECT_ID)
    assert not result.ok
    bad = {c.path: c for c in result.bad_files}
    assert set(bad) == {
        "v1/content/METS.xml",
        "v1/content/representations/rep1/data/Tờ trình đề nghị.pdf",
    }
    mets = bad["v1/content/METS.xml"]
    assert mets.status is FileStatus.MISMATCH
    assert mets.expected == {
        "sha512": hashlib.sha512(original).hexdigest(),
        "sha256": hashlib.sha256(original).hexdigest(),
    }
    assert mets.actual == {
        "sha512": hashlib.sha512(flipped).hexdigest(),
        "sha256": hashlib.sha256(flipped).hexdigest(),
    }
    assert bad["v1/content/representations/rep1/data/Tờ trình đề nghị.pdf"].status is (
        FileStatus.MISSING
    )
    assert [c.path for c in result.bad_metadata] == ["v1/inventory.json"]
    assert len([c for c in result.files if c.ok]) == 2


def test_verify_is_resumable(local: ObjectStore, files: dict[str, Path]) -> None:
    write_object(local, OBJECT_ID, files.items(), "v1", "A")
    seen: list[str] = []
    first = verify_object(local, OBJECT_ID, on_file=lambda c: seen.append(c.path))
    assert len(seen) == 4
    resumed = verify_object(local, OBJECT_ID, skip=set(seen[:3]))
    assert [c.path for c in resumed.files] == seen[3:]
    assert resumed.skipped == sorted(seen[:3])
    assert first.ok and resumed.ok


def test_tampered_root_inventory_refused(
    local: ObjectStore, files: dict[str, Path], tmp_path: Path
) -> None:
    w = write_object(local, OBJECT_ID, files.items(), "v1", "A")
    inv = _root_dir(tmp_path) / w.object_root / INVENTORY
    inv.write_text(inv.read_text(encoding="utf-8").replace("Tờ trình", "To trinh"), "utf-8")
    with pytest.raises(InventoryError) as info:
        read_inventory(local, OBJECT_ID)
    assert info.value.details["expected"] != info.value.details["actual"]
    with pytest.raises(InventoryError):
        write_object(local, OBJECT_ID, files.items(), "v2", "A")  # never builds on a bad one


def test_list_objects_and_purge(local: ObjectStore, files: dict[str, Path]) -> None:
    ids = [f"urn:uuid:00000000-0000-4000-8000-00000000000{i}" for i in range(3)]
    for object_id in ids:
        write_object(local, object_id, files.items(), "v1", "A")
    write_object(local, ids[1], list(files.items())[:2], "v2", "A")
    found = {o.object_id: o for o in list_objects(local)}
    assert set(found) == set(ids)
    assert found[ids[1]].head == "v2" and found[ids[0]].head == "v1"
    assert all(o.problem is None for o in found.values())

    removed = purge_object(local, ids[0])
    assert removed > 0
    assert {o.object_id for o in list_objects(local)} == set(ids[1:])
    assert list(local.list(object_root(local, ids[0]) + "/")) == []


class _Crash(Exception):
    pass


class CrashAfterPuts:
    """A real store that 'loses power' after ``n`` successful puts (to test write ordering)."""

    def __init__(self, inner: ObjectStore, n: int) -> None:
        self.inner = inner
        self.left = n

    @property
    def name(self) -> str:
        return self.inner.name

    def put(
        self,
        key: str,
        stream: Any,
        size: int,
        sha256_hex: str | None = None,
        *,
        sha512_hex: str | None = None,
    ) -> ObjectInfo:
        if self.left == 0:
            raise _Crash(key)
        self.left -= 1
        return self.inner.put(key, stream, size, sha256_hex, sha512_hex=sha512_hex)

    def open(self, key: str) -> ObjectStream:
        return self.inner.open(key)

    def head(self, key: str) -> ObjectInfo:
        return self.inner.head(key)

    def exists(self, key: str) -> bool:
        return self.inner.exists(key)

    def list(self, prefix: str = "") -> Iterator[str]:
        return self.inner.list(prefix)

    def delete(self, key: str) -> None:
        self.inner.delete(key)

    def ping(self) -> str | None:
        return self.inner.ping()


def test_crash_during_write_never_exposes_a_half_version(
    local: ObjectStore, files: dict[str, Path], tmp_path: Path
) -> None:
    write_object(local, OBJECT_ID, files.items(), "v1", "A")
    changed = tmp_path / "changed"
    changed.write_bytes(b"new METS")
    other = tmp_path / "other"
    other.write_bytes(b"new EAD")
    v2_files = {**files, "METS.xml": changed, "metadata/descriptive/EAD.xml": other}
    # v2 needs: 2 content puts, version inventory + sidecar, root inventory + sidecar.
    for n in range(5):
        with pytest.raises(_Crash):
            write_object(CrashAfterPuts(local, n), OBJECT_ID, v2_files.items(), "v2", "A")
        assert read_inventory(local, OBJECT_ID).head == "v1"  # still the committed state
        assert verify_object(local, OBJECT_ID).files  # and v1 still verifies file by file
        with open_file(local, OBJECT_ID, "METS.xml") as fh:
            assert fh.read() == files["METS.xml"].read_bytes()
    # A later attempt cleans the leftovers and produces a valid object.
    w = write_object(local, OBJECT_ID, v2_files.items(), "v2", "A")
    assert w.version == "v2"
    ok, messages = ocfl_py_validate_object(_root_dir(tmp_path) / w.object_root)
    assert ok, messages
    assert verify_object(local, OBJECT_ID).ok


def test_same_created_gives_identical_inventories(
    local: ObjectStore, files: dict[str, Path], tmp_path: Path
) -> None:
    other = open_store(LocationConfig(name="b", kind="local", path=tmp_path / "b"), create=True)
    when = dt.datetime(2026, 11, 22, 8, 30, tzinfo=dt.UTC)
    a = write_object(local, OBJECT_ID, files.items(), "v1", "A", created=when)
    b = write_object(other, OBJECT_ID, files.items(), "v1", "A", created=when)
    assert a.inventory_sha512 == b.inventory_sha512
    assert read_inventory(local, OBJECT_ID).versions["v1"].created == "2026-11-22T08:30:00Z"


@pytest.mark.s3
@pytest.mark.slow
def test_ocfl_on_s3_and_gateway_loss_mid_write(files: dict[str, Path], tmp_path: Path) -> None:
    """Own gateway: it is stopped in the middle of writing v2 and started again."""
    data_dir = tmp_path / "sw"
    with seaweedfs(data_dir) as endpoint:
        config = s3_config(endpoint, bucket="ocfl", max_attempts=2, backoff_seconds=0.05)
        s3 = open_store(config, create=True)
        write_object(s3, OBJECT_ID, files.items(), "v1", "A")
        assert verify_object(s3, OBJECT_ID).ok
        assert [o.object_id for o in list_objects(s3)] == [OBJECT_ID]
        with open_file(s3, OBJECT_ID, "representations/rep1/data/Tờ trình đề nghị.pdf") as fh:
            assert fh.read() == "%PDF-1.7 tờ trình".encode()

        changed = tmp_path / "changed"
        changed.write_bytes(b"new METS")
        other = tmp_path / "other"
        other.write_bytes(b"new EAD")
        v2_files = {**files, "METS.xml": changed, "metadata/descriptive/EAD.xml": other}

        from ops.services import seaweedfs as sw

        class StopGatewayAfterFirstPut(CrashAfterPuts):
            def put(
                self,
                key: str,
                stream: Any,
                size: int,
                sha256_hex: str | None = None,
                *,
                sha512_hex: str | None = None,
            ) -> Any:
                if self.left == 0:
                    sw.stop(data_dir)
                self.left -= 1
                return self.inner.put(key, stream, size, sha256_hex, sha512_hex=sha512_hex)

        logging.getLogger("botocore").setLevel(logging.CRITICAL)
        with pytest.raises(TransientStorageError) as info:
            write_object(StopGatewayAfterFirstPut(s3, 1), OBJECT_ID, v2_files.items(), "v2", "A")
        assert info.value.details["attempts"] == 2

    with seaweedfs(data_dir) as endpoint:  # same data, new ports
        s3 = open_store(s3_config(endpoint, bucket="ocfl"))
        assert read_inventory(s3, OBJECT_ID).head == "v1"
        result = verify_object(s3, OBJECT_ID)
        assert all(c.ok for c in result.files) and all(c.ok for c in result.metadata)
        assert result.unexpected == ["v2/content/METS.xml"]  # the one put that got through
        w = write_object(s3, OBJECT_ID, v2_files.items(), "v2", "A")
        assert w.version == "v2"
        assert verify_object(s3, OBJECT_ID).ok


def test_routine_verify_hashes_sha512_only_and_still_finds_a_flipped_byte(
    local: ObjectStore, files: dict[str, Path], tmp_path: Path
) -> None:
    w = write_object(local, OBJECT_ID, files.items(), "v1", "A")
    clean = verify_object(local, OBJECT_ID)
    assert clean.ok
    assert all(set(c.actual) == {"sha512"} for c in clean.files)  # one hash per byte
    target = _root_dir(tmp_path) / w.object_root / "v1/content/metadata/descriptive/EAD.xml"
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0x20
    target.write_bytes(bytes(data))
    result = verify_object(local, OBJECT_ID)
    assert [c.path for c in result.bad_files] == ["v1/content/metadata/descriptive/EAD.xml"]
    bad = result.bad_files[0]
    assert bad.status is FileStatus.MISMATCH
    assert bad.actual == {  # the damaged file's report carries both digests
        "sha256": hashlib.sha256(bytes(data)).hexdigest(),
        "sha512": hashlib.sha512(bytes(data)).hexdigest(),
    }


def _rewrite_inventory(obj: Path, edit: Callable[[dict[str, Any]], None]) -> None:
    """Change the inventory and re-sign it (root and head copies), as a buggy writer would."""
    inv = json.loads((obj / INVENTORY).read_text(encoding="utf-8"))
    edit(inv)
    data = json.dumps(inv, indent=2, ensure_ascii=False).encode() + b"\n"
    sidecar = f"{hashlib.sha512(data).hexdigest()}  inventory.json\n"
    for base in (obj, obj / inv["head"]):
        (base / INVENTORY).write_bytes(data)
        (base / "inventory.json.sha512").write_text(sidecar)


def test_thorough_verify_also_checks_the_sha256_fixity(
    local: ObjectStore, files: dict[str, Path], tmp_path: Path
) -> None:
    w = write_object(local, OBJECT_ID, files.items(), "v1", "A")
    obj = _root_dir(tmp_path) / w.object_root
    thorough = verify_object(local, OBJECT_ID, thorough=True)
    assert thorough.ok
    assert all(set(c.actual) == {"sha256", "sha512"} for c in thorough.files)
    mets = "v1/content/METS.xml"

    def break_fixity(inv: dict[str, Any]) -> None:
        block = inv["fixity"]["sha256"]
        (old,) = [d for d, paths in block.items() if mets in paths]
        block["0" * 64] = block.pop(old)

    _rewrite_inventory(obj, break_fixity)
    assert verify_object(local, OBJECT_ID).ok  # routine: the sha512 manifest alone
    result = verify_object(local, OBJECT_ID, thorough=True)
    assert [c.path for c in result.bad_files] == [mets]
    assert result.bad_files[0].expected["sha256"] == "0" * 64
    assert result.bad_files[0].actual["sha512"] == result.bad_files[0].expected["sha512"]


def test_parallel_verify_gives_the_same_result_in_order(
    local: ObjectStore, files: dict[str, Path], tmp_path: Path
) -> None:
    w = write_object(local, OBJECT_ID, files.items(), "v1", "A")
    (_root_dir(tmp_path) / w.object_root / "v1/content/METS.xml").write_bytes(b"<other/>")
    one = verify_object(local, OBJECT_ID)
    seen: list[str] = []
    two = verify_object(local, OBJECT_ID, workers=3, on_file=lambda c: seen.append(c.path))
    assert two.files == one.files and not two.ok
    assert seen == sorted(seen) == [c.path for c in one.files]


def test_second_location_takes_the_first_ones_digests(
    local: ObjectStore, files: dict[str, Path], tmp_path: Path
) -> None:
    other = open_store(LocationConfig(name="b", kind="local", path=tmp_path / "b"), create=True)
    when = dt.datetime(2026, 11, 22, 8, 30, tzinfo=dt.UTC)
    a = write_object(local, OBJECT_ID, files.items(), "v1", "A", created=when)
    assert set(a.digests) == set(files)
    for logical, path in files.items():
        assert a.digests[logical].sha512 == hashlib.sha512(path.read_bytes()).hexdigest()
        assert a.digests[logical].sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    b = write_object(other, OBJECT_ID, files.items(), "v1", "A", created=when, digests=a.digests)
    assert b.inventory_sha512 == a.inventory_sha512
    ok, messages = ocfl_py_validate_object(tmp_path / "b" / b.object_root)
    assert ok, messages


def test_known_digests_that_do_not_match_the_files_are_refused(
    local: ObjectStore, files: dict[str, Path], tmp_path: Path
) -> None:
    first = write_object(local, OBJECT_ID, files.items(), "v1", "A")
    other = open_store(LocationConfig(name="b", kind="local", path=tmp_path / "b"), create=True)
    files["METS.xml"].write_text("<mets OBJID='đã đổi'/>", encoding="utf-8")  # changed since
    with pytest.raises(DigestMismatch):
        write_object(other, OBJECT_ID, files.items(), "v1", "A", digests=first.digests)
    assert not other.exists(f"{object_root(other, OBJECT_ID)}/{INVENTORY}")  # nothing committed
