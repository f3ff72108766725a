"""Shared helpers for ``./ops/bench``: services started for a run, timing, percentiles, JSON out.

Benchmarks print one JSON document on stdout and progress on stderr. Every figure sits next to
a baseline measured in the same run (``ratio`` computes the comparison) and the machine's load
at the time (``machine``), because the machines these run on are shared and small.

Everything a benchmark starts is started here with its own process group and stopped here by
its process id; only 127.0.0.1 is used.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import math
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import httpx

REPO_ROOT = Path(__file__).resolve().parents[2]
POSTGRES_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
_STARTED = time.monotonic()


# ---------------------------------------------------------------- output


def progress(message: str) -> None:
    """One line of progress on stderr, with the seconds since the benchmark started."""
    print(f"[{time.monotonic() - _STARTED:7.1f}s] {message}", file=sys.stderr, flush=True)


def emit(result: Mapping[str, Any], stream: TextIO | None = None) -> None:
    """The benchmark's one JSON document, on stdout."""
    json.dump(result, stream or sys.stdout, ensure_ascii=False, indent=2, default=str)
    (stream or sys.stdout).write("\n")


def machine() -> dict[str, Any]:
    """Cores, load averages and ``uptime`` now: the context every figure needs."""
    load = os.getloadavg()
    try:
        uptime = subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout
    except OSError:
        uptime = ""
    return {
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "loadavg_1_5_15": [round(x, 2) for x in load],
        "uptime": uptime.strip(),
        "python": sys.version.split()[0],
    }


# ---------------------------------------------------------------- numbers


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0-100), linear interpolation between closest ranks (numpy's)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100.0
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def summarize(values: Sequence[float], digits: int = 4) -> dict[str, Any]:
    """n, p50, p95, min, max and mean of ``values`` (None for an empty list)."""
    return {
        "n": len(values),
        "p50": _round(percentile(values, 50), digits),
        "p95": _round(percentile(values, 95), digits),
        "min": _round(min(values), digits) if values else None,
        "max": _round(max(values), digits) if values else None,
        "mean": _round(sum(values) / len(values), digits) if values else None,
    }


def ratio(value: float | None, baseline: float | None, digits: int = 3) -> float | None:
    """value / baseline, or None when either is missing or the baseline is zero."""
    if value is None or baseline is None or baseline == 0:
        return None
    return round(value / baseline, digits)


def mb(n_bytes: float) -> float:
    return n_bytes / 1e6


def mb_per_s(n_bytes: float, seconds: float | None) -> float | None:
    if seconds is None or seconds <= 0:
        return None
    return round(mb(n_bytes) / seconds, 2)


@dataclass
class Stopwatch:
    """``with Stopwatch() as w: ...`` then ``w.seconds``."""

    started: float = 0.0
    seconds: float = 0.0

    def __enter__(self) -> Stopwatch:
        self.started = time.perf_counter()
        return self

    def __exit__(self, *_: object) -> None:
        self.seconds = time.perf_counter() - self.started


# ---------------------------------------------------------------- processes


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (children first, then theirs), from /proc."""
    found: list[int] = []
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return found
    for child in map(int, children):
        found.append(child)
        found.extend(descendants(child))
    return found


def proc_status_kb(pid: int, key: str) -> int | None:
    """A ``kB`` field of /proc/<pid>/status, e.g. VmHWM (peak RSS) or VmRSS."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{key}:"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return None


class RssSampler:
    """Sample a /proc/<pid>/status field (VmRSS; RssAnon = heap, not file pages) every
    ``interval`` seconds in a thread; ``peak_kb`` after."""

    def __init__(self, pid: int, interval: float = 0.05, key: str = "VmRSS") -> None:
        self.pid = pid
        self.interval = interval
        self.key = key
        self.peak_kb = 0
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            rss = proc_status_kb(self.pid, self.key)
            if rss is not None:
                self.peak_kb = max(self.peak_kb, rss)
                self.samples += 1
            self._stop.wait(self.interval)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


def python_env(extra: Mapping[str, str]) -> dict[str, str]:
    """The environment for a ``luutru`` child: ours, the repo on PYTHONPATH, ``extra`` on top."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LUUTRU_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    env.update(extra)
    return env


def luutru(env: Mapping[str, str], *args: str, timeout: float = 120.0) -> str:
    """Run ``luutru ARGS`` (``python -m archive.cli.main``) to completion; its stdout."""
    completed = subprocess.run(
        [sys.executable, "-m", "archive.cli.main", *args],
        env=dict(env),
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(
            f"luutru {' '.join(args)} exited {completed.returncode}: "
            f"{(completed.stderr or completed.stdout)[-2000:]}"
        )
    return completed.stdout


@dataclass(frozen=True)
class DemoAccounts:
    api_key: str
    passwords: dict[str, str] = field(default_factory=dict)  # username -> password
    roles: dict[str, str] = field(default_factory=dict)  # role -> username


def parse_demo_output(text: str) -> DemoAccounts:
    """Parse ``luutru demo init``: ``demo account: ROLE USER PASSWORD`` and ``demo API key: K``."""
    passwords: dict[str, str] = {}
    roles: dict[str, str] = {}
    api_key = ""
    for line in text.splitlines():
        if line.startswith("demo account:"):
            role, username, password = line.removeprefix("demo account:").split()
            passwords[username], roles[role] = password, username
        elif line.startswith("demo API key:"):
            api_key = line.removeprefix("demo API key:").strip()
    if not api_key:
        raise RuntimeError(f"`luutru demo init` printed no API key: {text[-500:]!r}")
    return DemoAccounts(api_key, passwords, roles)


def demo_init(env: Mapping[str, str]) -> DemoAccounts:
    return parse_demo_output(luutru(env, "demo", "init"))


class Service:
    """``luutru serve`` or ``luutru worker`` in its own process group, output in a log file."""

    def __init__(
        self, name: str, args: Sequence[str], env: Mapping[str, str], log_path: Path
    ) -> None:
        self.name = name
        self.args = list(args)
        self.env = dict(env)
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int:
        assert self.process is not None, f"{self.name} is not running"
        return self.process.pid

    def start(self) -> Service:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "archive.cli.main", *self.args],
                env=self.env,
                cwd=REPO_ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # its own group: stopped as a whole, by its id
            )
        return self

    def wait_http(self, url: str, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited: {self.log_tail()}")
            try:
                if httpx.get(url, timeout=1.0).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"{self.name} did not answer {url} within {timeout:g} s")

    def wait_children(self, count: int, timeout: float = 60.0) -> list[int]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pids = descendants(self.pid)
            if len(pids) >= count:
                return pids
            time.sleep(0.1)
        raise RuntimeError(f"{self.name}: fewer than {count} child processes after {timeout:g} s")

    def log_tail(self, chars: int = 2000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    def log_lines(self) -> Iterator[dict[str, Any]]:
        """The JSON log records the service wrote (other lines are skipped)."""
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return
        for line in text.splitlines():
            if line.startswith("{"):
                with contextlib.suppress(ValueError):
                    yield json.loads(line)

    def stop(self, first: signal.Signals = signal.SIGINT, grace: float = 30.0) -> None:
        """``first`` to the main process (Ctrl-C for serve), then SIGKILL to its group."""
        if self.process is None:
            return
        process, self.process = self.process, None
        group = process.pid  # start_new_session: the group id is the leader's pid
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                process.send_signal(first)
            try:
                process.wait(grace)
            except subprocess.TimeoutExpired:
                progress(f"{self.name} did not stop within {grace:g} s; SIGKILL to its group")
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(group, signal.SIGKILL)  # leftovers (pool children) of our group only
        process.wait()


def serve_service(env: Mapping[str, str], port: int, log_path: Path) -> Service:
    return Service("luutru serve", ["serve", "--port", str(port)], env, log_path)


def worker_service(env: Mapping[str, str], log_path: Path) -> Service:
    return Service("luutru worker", ["worker"], env, log_path)


# ---------------------------------------------------------------- server components


@contextlib.contextmanager
def postgres_database(admin_url: str = POSTGRES_ADMIN_URL) -> Iterator[str]:
    """A PostgreSQL database created for the run and dropped after it; yields its URL."""
    import psycopg

    name = f"luutru_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{admin_url.rsplit('/', 1)[0]}/{name}"
    finally:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def redis_spare_db(host: str = REDIS_HOST, port: int = REDIS_PORT) -> Iterator[str]:
    """An empty Redis DB number, claimed with a marker key and flushed after; yields its URL.

    Numbers are tried from the top (15) down so the usual DB 0 of the machine is left alone."""
    import redis

    marker = f"luutru-bench:{uuid.uuid4().hex}"
    chosen: int | None = None
    for number in range(15, 0, -1):
        client = redis.Redis(host=host, port=port, db=number, socket_timeout=5)
        try:
            if client.dbsize() == 0 and client.set("luutru-bench-claim", marker, nx=True):
                chosen = number
                break
        finally:
            client.close()
    if chosen is None:
        raise RuntimeError("no empty Redis database number between 1 and 15")
    try:
        yield f"redis://{host}:{port}/{chosen}"
    finally:
        client = redis.Redis(host=host, port=port, db=chosen, socket_timeout=5)
        try:
            if client.get("luutru-bench-claim") == marker.encode():
                client.flushdb()
        finally:
            client.close()


@contextlib.contextmanager
def seaweedfs_locations(root: Path, count: int = 2) -> Iterator[list[dict[str, Any]]]:
    """``count`` SeaweedFS gateways (one per storage location); yields the locations' JSON."""
    from ops.services import seaweedfs

    with contextlib.ExitStack() as stack:
        locations: list[dict[str, Any]] = []
        for index in range(count):
            endpoint = stack.enter_context(seaweedfs.seaweedfs(root / f"weed-{index + 1}"))
            locations.append(
                {
                    "name": f"s3-{index + 1}",
                    "kind": "s3",
                    "bucket": f"luutru-bench-{index + 1}",
                    "endpoint_url": endpoint.endpoint_url,
                    "region": endpoint.region,
                    "access_key": endpoint.access_key,
                    "secret_key": endpoint.secret_key,
                }
            )
        yield locations


@contextlib.contextmanager
def private_clamd(root: Path) -> Iterator[str]:
    """A private clamd with the ClamAV test database; yields its socket path."""
    from ops.services.clamav import ClamdService

    work = root / "clamd"
    short: Path | None = None
    if len(str(work.resolve() / "clamd.sock")) > 100:  # sun_path holds 108 bytes
        short = work = Path(tempfile.mkdtemp(prefix="luutru-clamd-"))
    try:
        with ClamdService(work) as clamd:
            yield str(clamd.socket_path)
    finally:
        if short is not None:
            shutil.rmtree(short, ignore_errors=True)


@contextlib.contextmanager
def scratch_dir(parent: Path | None, prefix: str, keep: bool = False) -> Iterator[Path]:
    """A temporary folder (under ``parent`` when given), removed afterwards unless ``keep``."""
    if parent is not None:
        parent.mkdir(parents=True, exist_ok=True)
    path = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    try:
        yield path
    finally:
        if not keep:
            shutil.rmtree(path, ignore_errors=True)


# ---------------------------------------------------------------- baselines


def sha256sum_seconds(path: Path) -> float:
    """Wall time of ``sha256sum FILE`` (the bare hashing baseline)."""
    with Stopwatch() as watch:
        subprocess.run(["sha256sum", str(path)], capture_output=True, check=True)
    return watch.seconds
