"""Ingest bench: generated dossier packages pushed through the submission API, as a QLVB does.

For each set-up, ``embedded`` (SQLite, local folders, local broker, worker inside
``luutru serve``) and ``server`` (a PostgreSQL database made for the run, Redis on a spare DB
number, two SeaweedFS locations, ``luutru serve`` without worker plus a separate
``luutru worker``):

* small packages (``--documents`` documents, mixed born-digital/digitised, ~5 MB for 10):
  one at a time — POST answer time and time from POST to the final status
  (``awaiting_review``/``rejected``) — then all at once (packages/s, MB/s). Per-step seconds
  come from the pipeline's PREMIS events (``detail.seconds``), queue wait and run time from the
  job rows. The settings cannot switch content checks off, so the virus step runs (ClamAV's
  test database in a private clamd) and the figures are given with and without it.
  Baseline: the same pipeline called in-process on the same zips (no HTTP, queue, catalog).
* large packages (``--large-mb``, built with the streamed large-file mode): the server-side
  staging time of the POST (the API's own request log) next to ``sha256sum`` on the same
  file in the same run; then the API process's peak RSS (``VmHWM``) while a ``--memory-mb``
  package uploads, next to its idle peak. The API runs without a worker here, so no
  validation competes for the CPU.

    ./ops/bench ingest --packages 3 --sizes small --setup embedded     # quick (< 1 min)
    ./ops/bench ingest                                                 # everything
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import shutil
import signal
import tempfile
import time
import uuid
import zipfile
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa

from ops.benchmarks.common import (
    RssSampler,
    Service,
    Stopwatch,
    demo_init,
    emit,
    free_port,
    luutru,
    machine,
    mb,
    mb_per_s,
    postgres_database,
    private_clamd,
    proc_status_kb,
    progress,
    python_env,
    ratio,
    redis_spare_db,
    scratch_dir,
    seaweedfs_locations,
    serve_service,
    sha256sum_seconds,
    summarize,
    worker_service,
)

FINAL = frozenset({"awaiting_review", "rejected", "failed"})
CHUNK = 1024 * 1024
TARGET_FINAL_P95_S = 1.0
TARGET_POST_P95_S = 0.1
TARGET_STAGING_VS_SHA256SUM = 0.5
TARGET_VMHWM_MB = 300.0
STEP_ORDER: tuple[str, ...] = (
    "unpack",
    "read",
    "package",
    "metadata",
    "virus",
    "format",
    "pdfa",
    "digitised",
    "signature",
)


# ---------------------------------------------------------------- packages


@dataclass(frozen=True)
class Packages:
    small: list[Path]
    throughput: list[Path]  # the same dossiers, other bytes (zip comment): not duplicates
    warmup: list[Path]
    large: Path | None
    memory: Path | None
    trust_root: Path


def _agency() -> Any:
    from ingest.sample.agencies import SO_NOI_VU_NGHE_AN

    return SO_NOI_VU_NGHE_AN


def _build(spec: Any, folder: Path, pki_cache: Path) -> Path:
    """Build ``spec`` into ``folder`` unless a zip is already there (the build is seeded)."""
    from ingest.sample.package import build_package

    found = sorted(folder.glob("*.zip")) if folder.is_dir() else []
    if found:
        return found[0]
    with Stopwatch() as watch:
        built = build_package(spec, folder, cache_dir=pki_cache)
    progress(
        f"built {built.zip_path.name} ({mb(built.zip_path.stat().st_size):.1f} MB) "
        f"in {watch.seconds:.1f} s"
    )
    return built.zip_path


def with_comment(source: Path, target: Path, comment: str) -> Path:
    """A copy of ``source`` whose bytes differ only in the zip comment (same dossier content)."""
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        with zipfile.ZipFile(target, "a") as archive:
            archive.comment = comment.encode()
    return target


def build_packages(args: argparse.Namespace, cache: Path) -> Packages:
    from ingest.sample.package import PackageSpec, agency_pki
    from metadata_schemas.enums import ConfidenceLevel

    agency = _agency()
    pki_cache = cache / "pki"
    pki, _ = agency_pki(agency, 2025, pki_cache)
    small: list[Path] = []
    need_small = args.sizes in ("small", "all")
    for index in range(args.packages if need_small else 0):
        spec = PackageSpec(
            seed=7000 + index,
            agency=agency,
            documents=args.documents,
            confidence_level=ConfidenceLevel.MIXED,
            sequence=index + 1,
        )
        small.append(_build(spec, cache / f"small-d{args.documents}-{index}", pki_cache))
    copies = cache / "copies"
    throughput = [
        with_comment(p, copies / f"tput-{i}.zip", "bench: throughput copy")
        for i, p in enumerate(small)
    ]
    warmup = (
        [
            with_comment(small[0], copies / f"warmup-{i}.zip", f"bench: warm-up {i}")
            for i in range(2)
        ]
        if small
        else []
    )
    large = memory = None
    if args.sizes in ("large", "all"):
        large = _build(
            PackageSpec(seed=7900, agency=agency, documents=1, large_mb=args.large_mb),
            cache / f"large-{args.large_mb}",
            pki_cache,
        )
        memory = _build(
            PackageSpec(seed=7901, agency=agency, documents=1, large_mb=args.memory_mb),
            cache / f"large-{args.memory_mb}",
            pki_cache,
        )
    return Packages(small, throughput, warmup, large, memory, pki.root_pem)


# ---------------------------------------------------------------- client side


@dataclass
class Submitted:
    package: Path
    size: int
    post_started_wall: float  # time.time(), to compare with the catalog's timestamps
    post_seconds: float
    http_status: int
    submission_id: str
    status_url: str
    status: str = ""
    final_client_seconds: float | None = None
    server: dict[str, Any] = field(default_factory=dict)


def _chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            yield chunk


def post(
    http: httpx.Client, base: str, api_key: str, package: Path, request_id: str = ""
) -> Submitted:
    size = package.stat().st_size
    headers = {
        "Authorization": f"Bearer {api_key}",
        "Content-Type": "application/zip",
        "Content-Length": str(size),
    }
    if request_id:
        headers["X-Request-ID"] = request_id
    wall = time.time()
    with Stopwatch() as watch:
        response = http.post(
            f"{base}/api/v1/submissions", content=_chunks(package), headers=headers
        )
    if response.status_code not in (200, 202):
        raise RuntimeError(f"POST {package.name}: HTTP {response.status_code} {response.text}")
    answer = response.json()
    status = str(answer.get("status", ""))
    if response.status_code == 200:
        raise RuntimeError(f"{package.name} was taken for a duplicate: {answer}")
    return Submitted(
        package,
        size,
        wall,
        watch.seconds,
        response.status_code,
        answer["id"],
        answer["status_url"],
        status,
    )


def wait_final(
    http: httpx.Client, api_key: str, pending: Sequence[Submitted], poll: float, timeout: float
) -> None:
    """Poll every pending submission's status until it is final (bounded by ``timeout``)."""
    headers = {"Authorization": f"Bearer {api_key}"}
    deadline = time.monotonic() + timeout
    waiting = [s for s in pending if s.status not in FINAL]
    while waiting:
        if time.monotonic() > deadline:
            raise RuntimeError(f"{len(waiting)} submissions not final within {timeout:g} s")
        time.sleep(poll)
        for item in list(waiting):
            answer = http.get(item.status_url, headers=headers)
            answer.raise_for_status()
            item.status = str(answer.json()["status"])
            if item.status in FINAL:
                item.final_client_seconds = time.time() - item.post_started_wall
                waiting.remove(item)


# ---------------------------------------------------------------- catalog side


def server_timings(catalog_url: str, submitted: Sequence[Submitted]) -> None:
    """Fill ``server`` of each submission from the catalog: steps, final event, job times."""
    from archive.catalog.engine import make_engine
    from archive.catalog.events import Event
    from archive.catalog.jobs import Job

    ids = {s.submission_id: s for s in submitted}
    engine = make_engine(catalog_url)
    try:
        with engine.connect() as conn:
            events = conn.execute(
                sa.select(Event.submission_id, Event.event_type, Event.event_time, Event.detail)
                .where(Event.submission_id.in_(list(ids)))
                .order_by(Event.seq)
            ).all()
            jobs = conn.execute(
                sa.select(
                    Job.payload, Job.created_at, Job.started_at, Job.finished_at, Job.attempts
                ).where(Job.kind == "ingest.validate")
            ).all()
    finally:
        engine.dispose()
    for row in events:
        item = ids[row.submission_id]
        detail = row.detail or {}
        if "step" in detail and "seconds" in detail:
            item.server.setdefault("steps", {})[detail["step"]] = float(detail["seconds"])
        elif row.event_type == "validation" and "status" in detail:
            item.server["final_at"] = row.event_time
            item.server["final_events"] = item.server.get("final_events", 0) + 1
    for job in jobs:
        owner = ids.get(str((job.payload or {}).get("submission_id")))
        if owner is None or job.started_at is None:
            continue
        owner.server["queue_wait_s"] = (job.started_at - job.created_at).total_seconds()
        if job.finished_at is not None:
            owner.server["job_run_s"] = (job.finished_at - job.started_at).total_seconds()
        owner.server["attempts"] = job.attempts
    for item in submitted:
        final_at: dt.datetime | None = item.server.get("final_at")
        if final_at is not None:
            item.server["final_s"] = final_at.timestamp() - item.post_started_wall
            virus = item.server.get("steps", {}).get("virus", 0.0)
            item.server["final_minus_virus_s"] = item.server["final_s"] - virus


def _series(items: Sequence[Submitted], key: str) -> list[float]:
    return [float(s.server[key]) for s in items if key in s.server]


def latency_report(items: Sequence[Submitted]) -> dict[str, Any]:
    steps: dict[str, list[float]] = defaultdict(list)
    for item in items:
        for name, seconds in item.server.get("steps", {}).items():
            steps[name].append(seconds)
    step_totals = [sum(s.server.get("steps", {}).values()) for s in items]
    return {
        "statuses": dict(Counter(s.status for s in items)),
        "package_mb": summarize([mb(s.size) for s in items], 2),
        "post_s": summarize([s.post_seconds for s in items]),
        "final_s": summarize(_series(items, "final_s")),
        "final_minus_virus_s": summarize(_series(items, "final_minus_virus_s")),
        "final_client_observed_s": summarize(
            [s.final_client_seconds for s in items if s.final_client_seconds is not None]
        ),
        "queue_wait_s": summarize(_series(items, "queue_wait_s")),
        "job_run_s": summarize(_series(items, "job_run_s")),
        "steps_sum_s": summarize(step_totals),
        "steps_s": {name: summarize(steps[name]) for name in STEP_ORDER if name in steps}
        | {name: summarize(v) for name, v in steps.items() if name not in STEP_ORDER},
    }


def rejected_codes(catalog_url: str, items: Sequence[Submitted]) -> dict[str, int]:
    """Error codes of rejected submissions (a good sample package should have none)."""
    from archive.catalog.engine import make_engine
    from archive.catalog.records import Submission

    wanted = [s.submission_id for s in items if s.status == "rejected"]
    if not wanted:
        return {}
    engine = make_engine(catalog_url)
    codes: Counter[str] = Counter()
    try:
        with engine.connect() as conn:
            for (report,) in conn.execute(
                sa.select(Submission.report).where(Submission.id.in_(wanted))
            ):
                for finding in (report or {}).get("findings", []):
                    if finding.get("severity") == "error":
                        codes[finding.get("code", "?")] += 1
    finally:
        engine.dispose()
    return dict(codes)


# ---------------------------------------------------------------- baseline: pipeline alone


def pipeline_alone(
    packages: Sequence[Path], trust_root: Path, clamd_socket: str, work: Path
) -> dict[str, Any]:
    """The same pipeline, called in this process on the same zips: no HTTP, queue or catalog."""
    from ingest.context import CheckContext
    from ingest.pipeline import PipelineConfig, run_pipeline

    ctx = CheckContext(trust_roots_pem=[trust_root.read_bytes()], clamd_socket=clamd_socket)
    config = PipelineConfig(check_context=ctx, agency_code=_agency().code)
    run_pipeline(packages[0], work / "warm", config)  # imports, first-use caches
    totals: list[float] = []
    minus_virus: list[float] = []
    errors: Counter[str] = Counter()
    for index, package in enumerate(packages):
        with Stopwatch() as watch:
            result = run_pipeline(package, work / f"p{index}", config)
        shutil.rmtree(work / f"p{index}", ignore_errors=True)
        virus = sum(step.seconds for step in result.steps if step.name == "virus")
        totals.append(watch.seconds)
        minus_virus.append(watch.seconds - virus)
        errors.update(f.code for f in result.report.findings if f.is_error)
    shutil.rmtree(work / "warm", ignore_errors=True)
    mean = sum(totals) / len(totals)
    return {
        "seconds": summarize(totals),
        "seconds_minus_virus": summarize(minus_virus),
        "packages_per_s_one_process": round(1 / mean, 3) if mean else None,
        "error_codes": dict(errors),
    }


# ---------------------------------------------------------------- set-ups


@dataclass
class SetUp:
    name: str
    env: dict[str, str]
    catalog_url: str
    separate_worker: bool
    describe: dict[str, Any]


@contextlib.contextmanager
def make_setup(name: str, root: Path, clamd_socket: str) -> Iterator[SetUp]:
    data = root / "var"
    base = {
        "LUUTRU_DATA_DIR": str(data),
        "LUUTRU_LOG_JSON": "true",
        "LUUTRU_CLAMD_SOCKET": clamd_socket,
    }
    if name == "embedded":
        yield SetUp(
            name,
            python_env(base),
            f"sqlite:///{data.resolve() / 'catalog.sqlite'}",
            separate_worker=False,
            describe={
                "catalog": "sqlite",
                "broker": "local sqlite (kombu sqla)",
                "storage": "2 local folders",
                "worker": "child of luutru serve",
            },
        )
        return
    with contextlib.ExitStack() as stack:
        database = stack.enter_context(postgres_database())
        broker = stack.enter_context(redis_spare_db())
        progress(
            f"server set-up: database {database.rsplit('/', 1)[-1]}, broker {broker}; "
            "starting two SeaweedFS gateways"
        )
        locations = stack.enter_context(seaweedfs_locations(root / "seaweedfs", 2))
        env = python_env(
            base
            | {
                "LUUTRU_DATABASE_URL": database,
                "LUUTRU_BROKER_URL": broker,
                "LUUTRU_STORAGE_LOCATIONS": json.dumps(locations),
                "LUUTRU_RUN_WORKER_IN_SERVE": "false",
            }
        )
        yield SetUp(
            name,
            env,
            database,
            separate_worker=True,
            describe={
                "catalog": "postgresql (database made for the run)",
                "broker": broker.rsplit("/", 1)[0] + "/<spare db>",
                "storage": "2 SeaweedFS S3 gateways",
                "worker": "separate luutru worker",
            },
        )


@contextlib.contextmanager
def running(setup: SetUp, root: Path, tag: str, with_worker: bool) -> Iterator[tuple[str, Service]]:
    """The API (and a worker) of ``setup``; yields the base URL and the API's Service."""
    port = free_port()
    env = dict(setup.env)
    if not with_worker:
        env["LUUTRU_RUN_WORKER_IN_SERVE"] = "false"
    api = serve_service(env, port, root / f"{tag}-serve.log").start()
    worker = None
    try:
        api.wait_http(f"http://127.0.0.1:{port}/healthz")
        if with_worker and setup.separate_worker:
            worker = worker_service(env, root / f"{tag}-worker.log").start()
        if with_worker:
            (worker or api).wait_children(2 if worker is None else 1)
        yield f"http://127.0.0.1:{port}", api
    finally:
        if worker is not None:
            worker.stop(first=signal.SIGTERM)
        api.stop()


def run_small(
    setup: SetUp, root: Path, packages: Packages, api_key: str, poll: float
) -> dict[str, Any]:
    result: dict[str, Any] = {}
    with (
        running(setup, root, "small", with_worker=True) as (base, _api),
        httpx.Client(timeout=httpx.Timeout(120.0)) as http,
    ):
        health = []
        for _ in range(20):
            with Stopwatch() as watch:
                http.get(f"{base}/healthz").raise_for_status()
            health.append(watch.seconds)
        progress(f"{setup.name}: warm-up ({len(packages.warmup)} packages at once)")
        warm = [post(http, base, api_key, p) for p in packages.warmup]
        wait_final(http, api_key, warm, poll, timeout=300)
        server_timings(setup.catalog_url, warm)
        result["warmup"] = {
            "final_s": [round(s.server.get("final_s", -1), 3) for s in warm],
            "statuses": [s.status for s in warm],
        }
        progress(f"{setup.name}: latency, {len(packages.small)} packages one at a time")
        one_by_one: list[Submitted] = []
        for package in packages.small:
            item = post(http, base, api_key, package)
            wait_final(http, api_key, [item], poll, timeout=300)
            one_by_one.append(item)
        progress(f"{setup.name}: throughput, {len(packages.throughput)} packages at once")
        started = time.time()
        burst = [post(http, base, api_key, p) for p in packages.throughput]
        posted = time.time() - started
        wait_final(http, api_key, burst, poll, timeout=600)
        time.sleep(0.5)  # the job row is marked finished just after the final status
        server_timings(setup.catalog_url, [*one_by_one, *burst])
        result["latency"] = latency_report(one_by_one)
        result["latency"]["healthz_get_s_baseline"] = summarize(health)
        result["latency"]["rejected_error_codes"] = rejected_codes(setup.catalog_url, one_by_one)
        finals = [s.post_started_wall + s.server["final_s"] for s in burst if "final_s" in s.server]
        span = (max(finals) - started) if finals else None
        total = sum(s.size for s in burst)
        result["throughput"] = {
            "packages": len(burst),
            "all_posted_in_s": round(posted, 3),
            "first_post_to_last_final_s": round(span, 3) if span else None,
            "packages_per_s": round(len(burst) / span, 3) if span else None,
            "mb_per_s": mb_per_s(total, span),
            "statuses": dict(Counter(s.status for s in burst)),
            "post_s": summarize([s.post_seconds for s in burst]),
            "final_s": summarize(_series(burst, "final_s")),
            "steps_sum_s": summarize([sum(s.server.get("steps", {}).values()) for s in burst]),
        }
        result["final_events_per_submission"] = dict(
            Counter(s.server.get("final_events", 0) for s in [*warm, *one_by_one, *burst])
        )
    return result


def _request_ms(api: Service, request_id: str) -> float | None:
    for record in api.log_lines():
        if record.get("request_id") == request_id and record.get("event") == "request":
            return float(record["ms"])
    return None


def run_large(setup: SetUp, root: Path, packages: Packages, api_key: str) -> dict[str, Any]:
    assert packages.large is not None and packages.memory is not None
    result: dict[str, Any] = {}
    with (
        running(setup, root, "large", with_worker=False) as (base, api),
        httpx.Client(timeout=httpx.Timeout(900.0)) as http,
    ):
        idle_hwm = proc_status_kb(api.pid, "VmHWM")
        large = packages.large
        size = large.stat().st_size
        sums = [sha256sum_seconds(large) for _ in range(2)]  # the first also warms the cache
        request_id = f"bench-{uuid.uuid4().hex}"
        progress(f"{setup.name}: POST {mb(size):.0f} MB")
        item = post(http, base, api_key, large, request_id)
        server_ms = _request_ms(api, request_id)
        sha_s = min(sums)
        staging_s = server_ms / 1000 if server_ms is not None else None
        result["staging"] = {
            "package_mb": round(mb(size), 1),
            "server_request_s": round(staging_s, 3) if staging_s else None,
            "server_mb_per_s": mb_per_s(size, staging_s),
            "client_post_s": round(item.post_seconds, 3),
            "client_mb_per_s": mb_per_s(size, item.post_seconds),
            "baseline_sha256sum_s": [round(s, 3) for s in sums],
            "baseline_sha256sum_mb_per_s": mb_per_s(size, sha_s),
            "server_vs_sha256sum": ratio(mb_per_s(size, staging_s), mb_per_s(size, sha_s)),
            "note": "server time = the API's request log (body received, hashed, written, "
            "fsynced, recorded); sha256sum = best of two runs on the same file",
        }
        after_large = proc_status_kb(api.pid, "VmHWM")
        memory = packages.memory
        size = memory.stat().st_size
        progress(f"{setup.name}: POST {mb(size):.0f} MB while sampling the API's memory")
        with RssSampler(api.pid) as sampler:
            item = post(http, base, api_key, memory, f"bench-{uuid.uuid4().hex}")
        hwm = proc_status_kb(api.pid, "VmHWM")
        result["memory"] = {
            "package_mb": round(mb(size), 1),
            "api_pid_vmhwm_mb_idle_baseline": _kb_mb(idle_hwm),
            "api_pid_vmhwm_mb_after_large": _kb_mb(after_large),
            "api_pid_vmhwm_mb_after_upload": _kb_mb(hwm),
            "api_pid_sampled_rss_peak_mb": _kb_mb(sampler.peak_kb),
            "rss_samples": sampler.samples,
            "growth_over_idle_mb": (
                round((hwm - idle_hwm) / 1024, 1) if hwm and idle_hwm else None
            ),
            "client_post_s": round(item.post_seconds, 3),
            "client_mb_per_s": mb_per_s(size, item.post_seconds),
        }
    return result


def _kb_mb(kb: int | None) -> float | None:
    return None if kb is None else round(kb / 1024, 1)


def targets(setup_result: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    latency = setup_result.get("latency")
    if latency:
        p95 = latency["final_minus_virus_s"]["p95"]
        out["final_without_virus_p95_under_1s"] = {
            "value": p95,
            "ok": p95 is not None and p95 < TARGET_FINAL_P95_S,
        }
        out["final_with_virus_p95_s"] = latency["final_s"]["p95"]
        post_p95 = latency["post_s"]["p95"]
        out["post_p95_under_100ms"] = {
            "value": post_p95,
            "ok": post_p95 is not None and post_p95 < TARGET_POST_P95_S,
        }
    staging = setup_result.get("large", {}).get("staging")
    if staging:
        value = staging["server_vs_sha256sum"]
        out["staging_at_least_half_sha256sum"] = {
            "value": value,
            "ok": value is not None and value >= TARGET_STAGING_VS_SHA256SUM,
        }
    memory = setup_result.get("large", {}).get("memory")
    if memory:
        value = memory["api_pid_vmhwm_mb_after_upload"]
        out["api_vmhwm_under_300mb"] = {
            "value": value,
            "ok": value is not None and value < TARGET_VMHWM_MB,
        }
    return out


def run_setup(
    name: str, args: argparse.Namespace, root: Path, packages: Packages, clamd_socket: str
) -> dict[str, Any]:
    folder = root / name
    folder.mkdir(parents=True, exist_ok=True)
    result: dict[str, Any] = {"machine_before": machine()}
    with make_setup(name, folder, clamd_socket) as setup:
        result["config"] = setup.describe
        accounts = demo_init(setup.env)
        luutru(setup.env, "admin", "add-trust-anchor", str(packages.trust_root))
        if packages.small:
            result |= run_small(setup, folder, packages, accounts.api_key, args.poll_interval)
        if packages.large is not None:
            result["large"] = run_large(setup, folder, packages, accounts.api_key)
        result["targets"] = targets(result)
    result["machine_after"] = machine()
    return result


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="ops/bench ingest", description=__doc__.splitlines()[0] if __doc__ else None
    )
    parser.add_argument("--packages", type=int, default=20, help="small packages (default 20)")
    parser.add_argument("--documents", type=int, default=10, help="documents per small package")
    parser.add_argument("--sizes", choices=["small", "large", "all"], default="all")
    parser.add_argument("--setup", choices=["embedded", "server", "all"], default="all")
    parser.add_argument("--large-mb", type=int, default=1024, help="staging test package")
    parser.add_argument("--memory-mb", type=int, default=2048, help="memory test package")
    parser.add_argument("--poll-interval", type=float, default=0.05, help="status polling (s)")
    parser.add_argument("--work-dir", type=Path, help="where to run (default: a temp folder)")
    parser.add_argument(
        "--package-cache",
        type=Path,
        help="keep built packages here and reuse them (seeded: same bytes)",
    )
    parser.add_argument(
        "--baseline-packages", type=int, default=5, help="in-process baseline on the first K"
    )
    parser.add_argument("--keep", action="store_true", help="keep the work folder (logs)")
    args = parser.parse_args(argv)
    if not 1 <= args.packages <= 1000 or not 1 <= args.documents <= 200:
        parser.error("--packages must be 1..1000 and --documents 1..200")
    if not 1 <= args.large_mb <= 8192 or not 1 <= args.memory_mb <= 8192:
        parser.error("--large-mb and --memory-mb must be 1..8192")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    setups = ["embedded", "server"] if args.setup == "all" else [args.setup]
    output: dict[str, Any] = {
        "benchmark": "ingest",
        "options": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
        "machine_start": machine(),
    }
    with contextlib.ExitStack() as stack:
        root = stack.enter_context(scratch_dir(args.work_dir, "luutru-bench-ingest-", args.keep))
        cache = args.package_cache or root / "packages"
        progress(f"work folder {root}; building packages into {cache}")
        with Stopwatch() as watch:
            packages = build_packages(args, cache)
        output["packages"] = {
            "build_s": round(watch.seconds, 1),
            "small": {
                "count": len(packages.small),
                "documents": args.documents,
                "confidence_level": "03 (mixed)",
                "mb": summarize([mb(p.stat().st_size) for p in packages.small], 2),
            },
        }
        if packages.large is not None and packages.memory is not None:
            output["packages"]["large_mb"] = round(mb(packages.large.stat().st_size), 1)
            output["packages"]["memory_mb"] = round(mb(packages.memory.stat().st_size), 1)
        clamd_socket = stack.enter_context(private_clamd(root))
        if packages.small:
            progress("baseline: the pipeline in-process on the same zips")
            with tempfile.TemporaryDirectory(dir=root) as tmp:
                output["baseline_pipeline_in_process"] = pipeline_alone(
                    packages.small[: args.baseline_packages],
                    packages.trust_root,
                    clamd_socket,
                    Path(tmp),
                )
        output["setups"] = {}
        for name in setups:
            progress(f"set-up {name}")
            output["setups"][name] = run_setup(name, args, root, packages, clamd_socket)
            _compare(output, name)
    output["machine_end"] = machine()
    emit(output)
    return 0


def _compare(output: dict[str, Any], name: str) -> None:
    """Service figures over the in-process baseline, in the set-up's own section."""
    base = output.get("baseline_pipeline_in_process")
    latency = output["setups"][name].get("latency")
    if not base or not latency:
        return
    output["setups"][name]["vs_in_process_pipeline"] = {
        "final_p50_ratio": ratio(latency["final_s"]["p50"], base["seconds"]["p50"]),
        "final_minus_virus_p50_ratio": ratio(
            latency["final_minus_virus_s"]["p50"], base["seconds_minus_virus"]["p50"]
        ),
        "throughput_ratio": ratio(
            output["setups"][name].get("throughput", {}).get("packages_per_s"),
            base["packages_per_s_one_process"],
        ),
    }


if __name__ == "__main__":
    raise SystemExit(main())
