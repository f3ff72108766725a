"""Checks bench: each content check (virus, format, pdfa, digitised, signature) on the files of
sample packages, per file, next to bare baselines measured in the same run over the same files:

* ``sha256`` of the same bytes (every check reads the file at least once);
* ``clamd INSTREAM`` alone (a raw socket, no parsing of answers into findings) for ``virus``;
* ``pyHanko validate_pdf_signature`` alone (same reader, same trust root, no judging, no
  evidence) for ``signature``;
* ``pikepdf.open`` alone for ``pdfa`` and ``digitised``; ``pygfried.identify`` for ``format``.

Files: a mixed (born-digital + digitised) 10-document package, a born-digital package of
10-page documents (the "typical document" of the targets), and, for memory, one package with a
large scanned attachment (``--large-mb``). Each check's peak memory on that large file is taken
in a fresh child process: RSS high-water mark (VmHWM) growth and tracemalloc's peak.

    ./ops/bench checks --repeat 1 --large-mb 0        # quick
    ./ops/bench checks                                # default: 3 repeats, 200 MB attachment
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import socket
import struct
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ops.benchmarks.common import (
    RssSampler,
    emit,
    machine,
    mb,
    mb_per_s,
    private_clamd,
    proc_status_kb,
    progress,
    ratio,
    scratch_dir,
    summarize,
)

CHECKS = ("virus", "format", "pdfa", "digitised", "signature")
CHUNK = 1024 * 1024
TARGET_TYPICAL_MS = 20.0
TARGET_SIGNATURE_RATIO = 1.2


@dataclass(frozen=True)
class FileSet:
    name: str
    files: list[Any]  # ingest.context.PackageFile


def _agency() -> Any:
    from ingest.sample.agencies import SO_NOI_VU_NGHE_AN

    return SO_NOI_VU_NGHE_AN


def _build(spec: Any, folder: Path, pki_cache: Path) -> Path:
    from ingest.sample.package import build_package

    found = sorted(folder.glob("*.zip")) if folder.is_dir() else []
    if found:
        return found[0]
    started = time.perf_counter()
    built = build_package(spec, folder, cache_dir=pki_cache)
    progress(
        f"built {built.zip_path.name} ({mb(built.zip_path.stat().st_size):.1f} MB) "
        f"in {time.perf_counter() - started:.1f} s"
    )
    return built.zip_path


def unpacked_files(zip_path: Path, into: Path) -> tuple[Path, list[Any]]:
    """Unpack as the pipeline does and return the package root and its content files."""
    from ingest.package import content_files, read_package
    from ingest.unpack import UnpackLimits, unpack

    if not into.exists():
        unpacked = unpack(zip_path, into, UnpackLimits())
        if unpacked.root is None:
            raise RuntimeError(f"{zip_path} did not unpack: {unpacked.findings}")
    root = next(p for p in into.iterdir() if p.is_dir())
    package, _ = read_package(root)
    if package is None:
        raise RuntimeError(f"{zip_path}: METS not readable")
    return root, [f for f in content_files(package) if f.path.is_file()]


# ---------------------------------------------------------------- baselines


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def clamd_instream(socket_path: str, path: Path) -> bytes:
    """clamd INSTREAM over the Unix socket, nothing else: the bare scanner cost."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(300)
        sock.connect(socket_path)
        sock.sendall(b"zINSTREAM\0")
        with path.open("rb") as stream, contextlib.suppress(BrokenPipeError):
            while chunk := stream.read(CHUNK):
                sock.sendall(struct.pack(">I", len(chunk)) + chunk)
            sock.sendall(struct.pack(">I", 0))
        return sock.recv(4096)


def pyhanko_alone(roots: list[Any]) -> Callable[[Path], int]:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    def run(path: Path) -> int:
        with path.open("rb") as stream:
            reader = PdfFileReader(stream, strict=False)
            count = 0
            for signature in reader.embedded_signatures:
                vc = ValidationContext(
                    trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail"
                )
                validate_pdf_signature(signature, vc)
                count += 1
            return count

    return run


def pikepdf_open(path: Path) -> int:
    import pikepdf

    with pikepdf.open(path) as pdf:
        return len(pdf.pages)


def siegfried_alone(path: Path) -> Any:
    import pygfried

    return pygfried.identify(str(path))


def _is_pdf(path: Path) -> bool:
    with path.open("rb") as stream:
        return b"%PDF-" in stream.read(1024)


# ---------------------------------------------------------------- timing


def time_per_file(
    function: Callable[[Any], object], items: Sequence[Any], repeat: int
) -> list[float]:
    """Median over ``repeat`` runs of each item's seconds, after one untimed first use."""
    per_item: list[float] = []
    if items:
        function(items[0])  # imports, engine start-up, caches: not what a file costs
    for item in items:
        runs = []
        for _ in range(repeat):
            started = time.perf_counter()
            function(item)
            runs.append(time.perf_counter() - started)
        runs.sort()
        per_item.append(runs[len(runs) // 2])
    return per_item


def figures(seconds: list[float], sizes: list[int]) -> dict[str, Any]:
    ms = summarize([s * 1000 for s in seconds], 3)
    total = sum(seconds)
    return {
        "files": len(seconds),
        "ms_per_file_p50": ms["p50"],
        "ms_per_file_p95": ms["p95"],
        "ms_per_file_max": ms["max"],
        "mb_per_s": mb_per_s(sum(sizes), total),
        "total_s": round(total, 4),
    }


def bench_set(
    fileset: FileSet, ctx: Any, clamd_socket: str, roots: list[Any], repeat: int
) -> dict[str, Any]:
    """Every check and baseline on every file, in ``repeat`` interleaved rounds (a round runs
    them all once), so a check and its baseline see the same machine load."""
    from ingest.checks.runner import load_check

    files = fileset.files
    pdfs = [f for f in files if _is_pdf(f.path)]
    sizes = [f.size for f in files]
    pdf_sizes = [f.size for f in pdfs]
    signed = pyhanko_alone(roots)
    loaded = {name: load_check(name) for name in CHECKS}

    def check_of(name: str) -> Callable[[Any], object]:
        return lambda item: loaded[name]([item], ctx)

    tasks: dict[str, tuple[Callable[[Any], object], list[Any]]] = {
        "base:sha256": (lambda f: sha256_file(f.path), files),
        "base:clamd_instream": (lambda f: clamd_instream(clamd_socket, f.path), files),
        "base:pyhanko_validate_pdf_signature": (lambda f: signed(f.path), pdfs),
        "base:pikepdf_open": (lambda f: pikepdf_open(f.path), pdfs),
        "base:siegfried_identify": (lambda f: siegfried_alone(f.path), files),
        **{f"check:{name}": (check_of(name), files) for name in CHECKS},
        "check:signature_pdfs_only": (check_of("signature"), pdfs),
    }
    rounds: dict[str, list[list[float]]] = {key: [] for key in tasks}
    for _ in range(repeat):
        for key, (function, items) in tasks.items():
            rounds[key].append(time_per_file(function, items, 1))
    medians: dict[str, list[float]] = {}
    for key, runs in rounds.items():
        per_item = [sorted(values)[len(values) // 2] for values in zip(*runs, strict=True)]
        medians[key] = per_item
    out: dict[str, Any] = {
        "files": len(files),
        "pdfs": len(pdfs),
        "mb": round(mb(sum(sizes)), 2),
        "rounds": repeat,
        "baselines": {},
        "checks": {},
    }
    for key, seconds in medians.items():
        kind, name = key.split(":", 1)
        sized = pdf_sizes if tasks[key][1] is pdfs else sizes
        if kind == "base":
            out["baselines"][name] = figures(seconds, sized)
        elif name in CHECKS:
            out["checks"][name] = figures(seconds, sized)
    base, checks = out["baselines"], out["checks"]
    for name in CHECKS:
        started = time.perf_counter()
        findings = loaded[name](files, ctx)
        checks[name]["batch_call_s"] = round(time.perf_counter() - started, 4)
        checks[name]["error_codes"] = sorted({f.code for f in findings if f.is_error})
        checks[name]["vs_sha256_time"] = ratio(checks[name]["total_s"], base["sha256"]["total_s"])
    pdf_total = sum(medians["check:signature_pdfs_only"])
    checks["signature"]["pdf_only_total_s"] = round(pdf_total, 4)
    checks["signature"]["vs_pyhanko_alone"] = ratio(
        pdf_total, base["pyhanko_validate_pdf_signature"]["total_s"]
    )
    checks["virus"]["vs_clamd_instream"] = ratio(
        checks["virus"]["total_s"], base["clamd_instream"]["total_s"]
    )
    checks["format"]["vs_siegfried_alone"] = ratio(
        checks["format"]["total_s"], base["siegfried_identify"]["total_s"]
    )
    for name in ("pdfa", "digitised"):
        checks[name]["vs_pikepdf_open"] = ratio(
            checks[name]["total_s"], base["pikepdf_open"]["total_s"]
        )
    return out


# ---------------------------------------------------------------- memory (child process)


def memory_probe(name: str, root: Path, logical: str, trust: Path, clamd: str) -> dict[str, Any]:
    """Run in a fresh process: the check's peak memory on one (large) file."""
    from ingest.checks.runner import load_check
    from ingest.context import CheckContext
    from ingest.package import content_files, read_package

    package, _ = read_package(root)
    assert package is not None
    item = next(f for f in content_files(package) if f.logical_path == logical)
    ctx = CheckContext(
        trust_roots_pem=[trust.read_bytes()], clamd_socket=clamd, evidence_dir=root.parent / "ev"
    )
    function: Callable[[], object]
    if name == "sha256":
        function = lambda: sha256_file(item.path)  # noqa: E731
    else:
        check = load_check(name)
        function = lambda: check([item], ctx)  # noqa: E731
    before_hwm = proc_status_kb_self("VmHWM")
    before_rss = proc_status_kb_self("VmRSS")
    before_anon = proc_status_kb_self("RssAnon")
    tracemalloc.start()
    with RssSampler(os.getpid(), 0.01, "RssAnon") as anon, RssSampler(os.getpid(), 0.01) as rss:
        started = time.perf_counter()
        result = function()
        seconds = time.perf_counter() - started
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    after_hwm = proc_status_kb_self("VmHWM")
    codes = sorted({f.code for f in result}) if isinstance(result, list) else []
    return {
        "seconds": round(seconds, 3),
        "mb_per_s": mb_per_s(item.size, seconds),
        "rss_before_mb": _mb(before_rss),
        "vmhwm_growth_mb": _mb((after_hwm or 0) - max(before_hwm or 0, before_rss or 0)),
        "sampled_rss_growth_mb": _mb(rss.peak_kb - (before_rss or 0)),
        "sampled_anon_growth_mb": _mb(anon.peak_kb - (before_anon or 0)),
        "tracemalloc_peak_mb": round(traced_peak / 2**20, 2),
        "codes": codes,
    }


def proc_status_kb_self(key: str) -> int | None:
    return proc_status_kb(os.getpid(), key)


def _mb(kb: int | None) -> float | None:
    return None if kb is None else round(max(kb, 0) / 1024, 1)


def memory_section(root: Path, item: Any, trust: Path, clamd: str) -> dict[str, Any]:
    out: dict[str, Any] = {"file_mb": round(mb(item.size), 1), "file": item.logical_path}
    for name in ("sha256", *CHECKS):
        completed = subprocess.run(
            [
                sys.executable,
                "-m",
                "ops.benchmarks.checks",
                "--memory-probe",
                name,
                str(root),
                item.logical_path,
                str(trust),
                clamd,
            ],
            capture_output=True,
            text=True,
            timeout=1800,
            check=False,
        )
        if completed.returncode != 0:
            out[name] = {"error": completed.stderr[-1000:]}
            continue
        out[name] = json.loads(completed.stdout)
        progress(f"memory {name}: {out[name]}")
    return out


# ---------------------------------------------------------------- main


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="ops/bench checks", description=__doc__.splitlines()[0] if __doc__ else None
    )
    parser.add_argument("--documents", type=int, default=10, help="documents per package")
    parser.add_argument("--repeat", type=int, default=3, help="runs per file (median kept)")
    parser.add_argument(
        "--large-mb", type=int, default=200, help="attachment for the memory test (0: skip)"
    )
    parser.add_argument("--work-dir", type=Path, help="where to run (default: a temp folder)")
    parser.add_argument("--package-cache", type=Path, help="keep built packages here, reuse")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--memory-probe", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if not 1 <= args.documents <= 100 or not 1 <= args.repeat <= 50:
        parser.error("--documents must be 1..100 and --repeat 1..50")
    if not 0 <= args.large_mb <= 4096:
        parser.error("--large-mb must be 0..4096")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.memory_probe:
        name, root, logical, trust, clamd = args.memory_probe
        print(json.dumps(memory_probe(name, Path(root), logical, Path(trust), clamd)))
        return 0
    from ingest.checks.signatures import trust_roots
    from ingest.context import CheckContext
    from ingest.sample.package import PackageSpec, agency_pki
    from metadata_schemas.enums import ConfidenceLevel

    output: dict[str, Any] = {
        "benchmark": "checks",
        "options": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
        "machine_start": machine(),
    }
    with contextlib.ExitStack() as stack:
        root = stack.enter_context(scratch_dir(args.work_dir, "luutru-bench-checks-", args.keep))
        cache = args.package_cache or root / "packages"
        agency = _agency()
        pki, _ = agency_pki(agency, 2025, cache / "pki")
        mixed = _build(
            PackageSpec(
                seed=8100,
                agency=agency,
                documents=max(2, args.documents),  # a mixed dossier needs two documents
                confidence_level=ConfidenceLevel.MIXED,
            ),
            cache / f"checks-mixed-{args.documents}",
            cache / "pki",
        )
        typical = _build(
            PackageSpec(
                seed=8200,
                agency=agency,
                documents=max(1, args.documents // 2),
                pages_min=10,
                pages_max=10,
                attachment_share=0.0,
            ),
            cache / f"checks-10page-{args.documents}",
            cache / "pki",
        )
        clamd = stack.enter_context(private_clamd(root))
        ctx = CheckContext(
            trust_roots_pem=[pki.root_pem.read_bytes()],
            clamd_socket=clamd,
            evidence_dir=root / "evidence",
            work_dir=root / "checks-work",
        )
        (root / "checks-work").mkdir(exist_ok=True)
        roots = trust_roots(ctx)
        sets = [
            FileSet("mixed_package", unpacked_files(mixed, root / "u-mixed")[1]),
            FileSet("ten_page_documents", unpacked_files(typical, root / "u-10page")[1]),
        ]
        output["sets"] = {}
        for fileset in sets:
            progress(f"{fileset.name}: {len(fileset.files)} files, {args.repeat} runs each")
            output["sets"][fileset.name] = bench_set(fileset, ctx, clamd, roots, args.repeat)
        if args.large_mb:
            large = _build(
                PackageSpec(seed=8300, agency=agency, documents=1, large_mb=args.large_mb),
                cache / f"checks-large-{args.large_mb}",
                cache / "pki",
            )
            large_root, large_files = unpacked_files(large, root / "u-large")
            biggest = max(large_files, key=lambda f: f.size)
            progress(f"memory on {biggest.logical_path} ({mb(biggest.size):.0f} MB)")
            output["memory_large_file"] = memory_section(large_root, biggest, pki.root_pem, clamd)
        output["targets"] = targets(output)
    output["machine_end"] = machine()
    emit(output)
    return 0


def targets(output: dict[str, Any]) -> dict[str, Any]:
    typical = output["sets"]["ten_page_documents"]["checks"]
    mixed = output["sets"]["mixed_package"]["checks"]
    out: dict[str, Any] = {}
    for name in ("format", "pdfa"):
        value = typical[name]["ms_per_file_p50"]
        out[f"{name}_under_20ms_per_10_page_document"] = {
            "p50_ms": value,
            "p95_ms": typical[name]["ms_per_file_p95"],
            "ok": value is not None and value < TARGET_TYPICAL_MS,
        }
    for label, checks in (("mixed_package", mixed), ("ten_page_documents", typical)):
        value = checks["signature"]["vs_pyhanko_alone"]
        out[f"signature_within_1.2x_pyhanko_{label}"] = {
            "ratio": value,
            "ok": value is not None and value <= TARGET_SIGNATURE_RATIO,
        }
    memory = output.get("memory_large_file")
    if memory:
        out["memory_growth_mb_on_large_file"] = {
            name: {
                "vmhwm": memory[name].get("vmhwm_growth_mb"),
                "anonymous": memory[name].get("sampled_anon_growth_mb"),
                "tracemalloc": memory[name].get("tracemalloc_peak_mb"),
            }
            for name in ("sha256", *CHECKS)
        }
    return out


if __name__ == "__main__":
    raise SystemExit(main())
