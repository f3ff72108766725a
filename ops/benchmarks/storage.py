"""Storage bench: archiving throughput (OCFL write to two locations + read-back verification)
and fixity-audit throughput (verify + digest, one location), each next to a baseline measured
in the same run on the same bytes: reading them and SHA-512-hashing them directly. JSON on
stdout; targets on local folders: archiving ≥ 0.4× and audit ≥ 0.8× of the baseline.

    ./ops/bench storage                       # local folders and SeaweedFS, ~100 MB
    ./ops/bench storage --files 4 --file-mb 2 --no-seaweedfs   # a few seconds
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import resource
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from archive.services.archiving import READ_BACK_WORKERS
from storage import LocationConfig, ObjectStore, open_store
from storage.digests import Digests, digest_file
from storage.ocfl import verify_object, write_object

MB = 1024 * 1024
CHUNK = MB
WHEN = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
TARGETS = {"archiving": 0.4, "audit": 0.8}


def make_files(folder: Path, count: int, size: int) -> list[tuple[str, Path]]:
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for i in range(count):
        path = folder / f"tai-lieu-{i:04d}.pdf"
        with path.open("wb") as out:
            left = size
            while left:
                n = min(CHUNK, left)
                out.write(os.urandom(n))
                left -= n
        files.append((f"representations/rep1/data/{path.name}", path))
    return files


def baseline(files: list[tuple[str, Path]]) -> None:
    """Read and SHA-512 every byte: the least any fixity check must do."""
    for _, path in files:
        digest = hashlib.sha512()
        with path.open("rb") as fh:
            while chunk := fh.read(CHUNK):
                digest.update(chunk)
        digest.hexdigest()


def write_copies(files: list[tuple[str, Path]], folder: Path, copies: int = 2) -> None:
    """Context for archiving: plainly copy the bytes to ``copies`` files, each fsync'ed."""
    for n in range(copies):
        target_dir = folder / f"copy{n}"
        target_dir.mkdir(parents=True, exist_ok=True)
        for _, path in files:
            with path.open("rb") as src, (target_dir / path.name).open("wb") as out:
                shutil.copyfileobj(src, out, CHUNK)
                out.flush()
                os.fsync(out.fileno())
        shutil.rmtree(target_dir)


def archive(stores: list[ObjectStore], files: list[tuple[str, Path]], parallel: bool) -> None:
    """What accession does per dossier: write the object everywhere, read it back, verify.

    Sequential (as accession runs): the first location's write digests the files, the others
    get those digests and only verify what they write.  Parallel (what writing the locations
    at once would give): the files are digested first, then every location is written with
    those digests and read back at the same time.
    """
    object_id = f"urn:uuid:{uuid.uuid4()}"

    def read_back(store: ObjectStore) -> None:
        if not verify_object(store, object_id, workers=READ_BACK_WORKERS).ok:
            raise RuntimeError(f"read-back verification failed on {store.name}")

    if parallel:
        known = {logical: digest_file(path, parallel=True) for logical, path in files}

        def one(store: ObjectStore) -> None:
            write_object(store, object_id, files, "bench", "bench", created=WHEN, digests=known)
            read_back(store)

        with ThreadPoolExecutor(len(stores)) as pool:
            list(pool.map(one, stores))
        return
    digests: dict[str, Digests] = {}
    for store in stores:
        digests.update(
            write_object(
                store, object_id, files, "bench", "bench", created=WHEN, digests=digests
            ).digests
        )
    for store in stores:
        read_back(store)


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def timed(function: Callable[[], Any], repeat: int) -> tuple[float, float]:
    """The median wall time and the median CPU time (this process, all threads) of ``repeat``
    runs."""
    times, cpu = [], []
    for _ in range(repeat):
        started, cpu_started = time.perf_counter(), _cpu()
        function()
        times.append(time.perf_counter() - started)
        cpu.append(_cpu() - cpu_started)
    return statistics.median(times), statistics.median(cpu)


def measure(
    label: str,
    stores: list[ObjectStore],
    files: list[tuple[str, Path]],
    repeat: int,
    scratch: Path | None = None,
) -> dict[str, Any]:
    payload = sum(path.stat().st_size for _, path in files)
    mb = payload / MB
    base_s, base_cpu = timed(lambda: baseline(files), repeat)
    archive_s, archive_cpu = timed(lambda: archive(stores, files, parallel=False), repeat)
    parallel_s, _ = timed(lambda: archive(stores, files, parallel=True), repeat)
    audited_id = f"urn:uuid:{uuid.uuid4()}"
    write_object(stores[0], audited_id, files, "bench", "bench", created=WHEN)
    audit_s, audit_cpu = timed(lambda: _audit(stores[0], audited_id), repeat)
    base_after_s, base_after_cpu = timed(lambda: baseline(files), repeat)
    base_mb_s = mb / min(base_s, base_after_s)  # the faster of two: never flatter the ratio
    base_cpu = min(base_cpu, base_after_cpu)
    figures = {
        "archiving": mb / archive_s,
        "archiving_parallel_locations": mb / parallel_s,
        "audit": mb / audit_s,
    }
    result: dict[str, Any] = {
        "backend": label,
        "payload_mb": round(mb, 1),
        "baseline_read_sha512_mb_s": round(base_mb_s, 1),
        **{f"{name}_mb_s": round(value, 1) for name, value in figures.items()},
        "ratios": {name: round(value / base_mb_s, 3) for name, value in figures.items()},
        # CPU seconds of this process (all its threads; not the SeaweedFS server's), which the
        # load of a shared machine moves far less than wall time.
        "cpu_s": {
            "baseline": round(base_cpu, 3),
            "archiving": round(archive_cpu, 3),
            "audit": round(audit_cpu, 3),
        },
    }
    if scratch is not None:  # what the disk allows: two plain fsync'ed copies, no hashing
        copy_mb_s = mb / timed(lambda: write_copies(files, scratch), repeat)[0]
        result["context_two_plain_copies_fsync_mb_s"] = round(copy_mb_s, 1)
        result["archiving_vs_two_plain_copies"] = round(figures["archiving"] / copy_mb_s, 3)
    return result


def _audit(store: ObjectStore, object_id: str) -> None:
    if not verify_object(store, object_id).ok:
        raise RuntimeError(f"audit found damage on {store.name}")


@contextmanager
def local_stores(root: Path) -> Iterator[list[ObjectStore]]:
    stores = [
        open_store(LocationConfig(name=name, kind="local", path=root / name), create=True)
        for name in ("primary", "replica")
    ]
    try:
        yield stores
    finally:
        shutil.rmtree(root, ignore_errors=True)


@contextmanager
def seaweedfs_stores(root: Path) -> Iterator[list[ObjectStore]]:
    from ops.services.seaweedfs import seaweedfs

    with seaweedfs(root / "seaweedfs") as endpoint:
        yield [
            open_store(
                LocationConfig(
                    name=name,
                    kind="s3",
                    bucket=f"bench-{name}-{uuid.uuid4().hex[:8]}",
                    endpoint_url=endpoint.endpoint_url,
                    region=endpoint.region,
                    access_key=endpoint.access_key,
                    secret_key=endpoint.secret_key,
                ),
                create=True,
            )
            for name in ("primary", "replica")
        ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ops/bench storage", description=__doc__)
    parser.add_argument("--files", type=int, default=25, help="files in the dossier")
    parser.add_argument("--file-mb", type=float, default=4.0, help="size of each file, MB")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measure (median)")
    parser.add_argument("--workdir", type=Path, default=None, help="where to write (default: tmp)")
    parser.add_argument(
        "--seaweedfs", action=argparse.BooleanOptionalAction, default=True,
        help="also measure two SeaweedFS S3 locations",
    )  # fmt: skip
    args = parser.parse_args(argv)
    if args.files < 1 or args.file_mb <= 0 or args.repeat < 1:
        parser.error("--files, --file-mb and --repeat must be positive")
    work = Path(tempfile.mkdtemp(prefix="luutru-bench-storage-", dir=args.workdir))
    results: list[dict[str, Any]] = []
    try:
        files = make_files(work / "dossier", args.files, int(args.file_mb * MB))
        with local_stores(work / "local") as stores:
            results.append(measure("local", stores, files, args.repeat, work / "copies"))
        if args.seaweedfs:
            try:
                with seaweedfs_stores(work) as stores:
                    results.append(measure("seaweedfs", stores, files, args.repeat))
            except Exception as exc:  # reported, not fatal: local figures still stand
                results.append({"backend": "seaweedfs", "error": f"{type(exc).__name__}: {exc}"})
    finally:
        shutil.rmtree(work, ignore_errors=True)
    local = results[0]
    report = {
        "bench": "storage",
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "dossier": {"files": args.files, "file_mb": args.file_mb, "repeat": args.repeat},
        "targets": TARGETS,
        "meets_targets_local": {
            name: local["ratios"][name] >= target for name, target in TARGETS.items()
        },
        "results": results,
    }
    json.dump(report, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
