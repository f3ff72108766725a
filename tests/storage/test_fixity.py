"""Fixity across a local folder and a real S3 location: detect, repair, report loss."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from storage import LocationConfig, ObjectStore, open_store
from storage.fixity import RepairStatus, Throttle, verify_and_repair
from storage.ocfl import INVENTORY, FileStatus, read_inventory, verify_object, write_object

OBJECT_ID = "urn:uuid:0b9e4b7e-1d2c-4a55-8f0e-5a8d2c7b9e11"
WHEN = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def source_files(tmp_path: Path) -> dict[str, Path]:
    out = {}
    for i, (logical, text) in enumerate(
        {
            "METS.xml": "<mets/>",
            "representations/rep1/data/Công văn số 45.pdf": "%PDF công văn " * 500,
            "representations/rep1/data/Báo cáo.pdf": "%PDF báo cáo " * 500,
        }.items()
    ):
        p = tmp_path / f"src{i}"
        p.write_text(text, encoding="utf-8")
        out[logical] = p
    return out


@pytest.fixture
def two_locations(
    tmp_path: Path, make_s3_store: Callable[..., ObjectStore], source_files: dict[str, Path]
) -> tuple[ObjectStore, ObjectStore, Path]:
    root = tmp_path / "kho-a"
    local = open_store(LocationConfig(name="kho-a", kind="local", path=root), create=True)
    s3 = make_s3_store("kho-b")
    for store in (local, s3):
        write_object(store, OBJECT_ID, source_files.items(), "v1", "A", created=WHEN)
    return local, s3, root / verify_object(local, OBJECT_ID).object_root


@pytest.mark.s3
def test_clean_object_needs_nothing(two_locations: tuple[ObjectStore, ObjectStore, Path]) -> None:
    local, s3, _ = two_locations
    result = verify_and_repair([local, s3], OBJECT_ID)
    assert result.ok and result.repairs == []
    assert set(result.before) == {"kho-a", "kho-b"}
    assert result.reference == "kho-a"


@pytest.mark.s3
def test_flipped_byte_is_repaired_from_the_other_location(
    two_locations: tuple[ObjectStore, ObjectStore, Path],
) -> None:
    local, s3, obj = two_locations
    target = obj / "v1/content/representations/rep1/data/Công văn số 45.pdf"
    data = bytearray(target.read_bytes())
    data[1000] ^= 0x40
    target.write_bytes(bytes(data))

    check = verify_object(local, OBJECT_ID).bad_files
    assert len(check) == 1 and check[0].status is FileStatus.MISMATCH
    assert check[0].expected["sha512"] != check[0].actual["sha512"]

    result = verify_and_repair([local, s3], OBJECT_ID)
    assert [(r.location, r.path, r.status, r.source) for r in result.repairs] == [
        (
            "kho-a",
            "v1/content/representations/rep1/data/Công văn số 45.pdf",
            RepairStatus.REPAIRED,
            "kho-b",
        )
    ]
    assert not result.before["kho-a"].ok and result.before["kho-b"].ok
    assert result.ok
    assert verify_object(local, OBJECT_ID).ok and verify_object(s3, OBJECT_ID).ok


@pytest.mark.s3
def test_repair_goes_both_ways_and_reports_loss(
    two_locations: tuple[ObjectStore, ObjectStore, Path],
) -> None:
    local, s3, obj = two_locations
    root = verify_object(s3, OBJECT_ID).object_root
    (obj / "v1/content/METS.xml").unlink()  # only on local: repairable
    s3.delete(f"{root}/v1/content/representations/rep1/data/Báo cáo.pdf")  # only on S3
    lost = "v1/content/representations/rep1/data/Công văn số 45.pdf"
    (obj / lost).unlink()  # on both: lost
    s3.delete(f"{root}/{lost}")

    result = verify_and_repair([local, s3], OBJECT_ID)
    by = {(r.location, r.path): r.status for r in result.repairs}
    assert by == {
        ("kho-a", "v1/content/METS.xml"): RepairStatus.REPAIRED,
        ("kho-b", "v1/content/representations/rep1/data/Báo cáo.pdf"): RepairStatus.REPAIRED,
        ("kho-a", lost): RepairStatus.LOST,
        ("kho-b", lost): RepairStatus.LOST,
    }
    assert {(r.location, r.path) for r in result.lost} == {("kho-a", lost), ("kho-b", lost)}
    assert not result.ok
    for name in ("kho-a", "kho-b"):
        assert [c.path for c in result.after[name].bad_files] == [lost]
        assert result.after[name].bad_files[0].status is FileStatus.MISSING


@pytest.mark.s3
def test_damaged_inventory_is_restored(
    two_locations: tuple[ObjectStore, ObjectStore, Path],
) -> None:
    local, s3, obj = two_locations
    (obj / INVENTORY).write_text("{ not json", encoding="utf-8")
    (obj / "v1" / "inventory.json.sha512").unlink()
    result = verify_and_repair([local, s3], OBJECT_ID)
    assert result.reference == "kho-b"
    assert {r.path for r in result.repaired} == {INVENTORY, "v1/inventory.json"}
    assert result.ok
    assert read_inventory(local, OBJECT_ID).head == "v1"


@pytest.mark.s3
def test_lagging_location_is_brought_to_head(
    two_locations: tuple[ObjectStore, ObjectStore, Path],
    source_files: dict[str, Path],
    tmp_path: Path,
) -> None:
    local, s3, _ = two_locations
    changed = tmp_path / "mets2"
    changed.write_text("<mets v='2'/>", encoding="utf-8")
    write_object(s3, OBJECT_ID, {**source_files, "METS.xml": changed}.items(), "v2", "B")
    result = verify_and_repair([local, s3], OBJECT_ID)  # local missed v2
    assert result.reference == "kho-b"
    assert ("kho-a", "v2/content/METS.xml") in {(r.location, r.path) for r in result.repaired}
    assert result.ok
    assert read_inventory(local, OBJECT_ID).head == "v2"


def test_missing_everywhere_is_lost(tmp_path: Path) -> None:
    a = open_store(LocationConfig(name="a", kind="local", path=tmp_path / "a"), create=True)
    b = open_store(LocationConfig(name="b", kind="local", path=tmp_path / "b"), create=True)
    f = tmp_path / "f"
    f.write_bytes(b"x")
    write_object(a, "urn:uuid:other", [("f", f)], "v1", "A")  # a storage root, not our object
    result = verify_and_repair([a, b], OBJECT_ID)
    assert result.reference is None
    assert {r.location for r in result.repairs} == {"a", "b"}
    assert all(r.status is not RepairStatus.REPAIRED for r in result.repairs)
    assert not result.ok


@pytest.mark.s3
def test_unreachable_location_is_reported_not_damaged(
    two_locations: tuple[ObjectStore, ObjectStore, Path],
) -> None:
    local, _, _ = two_locations
    dead = open_store(
        LocationConfig(
            name="dead", kind="s3", bucket="b", endpoint_url="http://127.0.0.1:9",
            access_key="a", secret_key="s", max_attempts=1, sdk_max_attempts=1,
            connect_timeout=0.5,
        )
    )  # fmt: skip
    result = verify_and_repair([local, dead], OBJECT_ID)
    assert set(result.unavailable) == {"dead"}
    assert result.ok and result.repairs == []


def test_throttle_paces_reads() -> None:
    now = [0.0]
    slept: list[float] = []

    def sleep(s: float) -> None:
        slept.append(s)
        now[0] += s

    t = Throttle(2.0, clock=lambda: now[0], sleep=sleep)  # 2 MB/s
    for _ in range(4):
        t.consume(1024 * 1024)  # 1 MB read instantly each time
    assert now[0] == pytest.approx(2.0)  # 4 MB at 2 MB/s take 2 s
    assert t.slept == pytest.approx(2.0)
    unlimited = Throttle(0, clock=lambda: now[0], sleep=sleep)
    unlimited.consume(10**9)
    assert len(slept) == 4


@pytest.mark.s3
def test_verification_uses_the_throttle(
    two_locations: tuple[ObjectStore, ObjectStore, Path],
) -> None:
    local, s3, _ = two_locations
    counted: list[int] = []

    class Counting(Throttle):
        def consume(self, nbytes: int) -> None:
            counted.append(nbytes)

    result = verify_and_repair([local, s3], OBJECT_ID, throttle=Counting(1.0))
    content = sum(c.size or 0 for v in result.before.values() for c in v.files)
    assert sum(counted) == content > 0


@pytest.mark.s3
def test_resume_skips_files_per_location(
    two_locations: tuple[ObjectStore, ObjectStore, Path],
) -> None:
    local, s3, _ = two_locations
    done = ["v1/content/METS.xml"]
    result = verify_and_repair([local, s3], OBJECT_ID, skip={"kho-a": done}, repair=False)
    assert [c.path for c in result.before["kho-a"].files if c.path in done] == []
    assert result.before["kho-a"].skipped == done
    assert len(result.before["kho-b"].files) == 3


@pytest.mark.parametrize("thorough", [True, False])
def test_repair_checks_fixity_thoroughly_unless_told_not_to(
    tmp_path: Path, source_files: dict[str, Path], thorough: bool
) -> None:
    a, b = (
        open_store(LocationConfig(name=n, kind="local", path=tmp_path / n), create=True)
        for n in ("kho-a", "kho-b")
    )
    for store in (a, b):
        write_object(store, OBJECT_ID, source_files.items(), "v1", "A", created=WHEN)
    path = "v1/content/METS.xml"
    target = tmp_path / "kho-a" / verify_object(a, OBJECT_ID).object_root / path
    target.write_bytes(b"<mets!>")  # same size as "<mets/>", other bytes

    result = verify_and_repair([a, b], OBJECT_ID, thorough=thorough)
    assert [(r.location, r.path, r.status) for r in result.repairs] == [
        ("kho-a", path, RepairStatus.REPAIRED)
    ]
    algorithms = {"sha256", "sha512"} if thorough else {"sha512"}
    good = result.before["kho-b"].check(path)
    assert good is not None and set(good.actual) == algorithms
    assert result.ok and target.read_bytes() == source_files["METS.xml"].read_bytes()
