"""``luutru serve`` (API + worker child) and ``luutru worker`` (worker alone)."""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys

import uvicorn

from archive.catalog.migrate import upgrade
from archive.logs import get_logger
from archive.services.locations import open_locations
from archive.settings import Settings

log = get_logger(__name__)
PR_SET_PDEATHSIG = 1


def prepare(settings: Settings) -> None:
    """Migrate the catalog and create what the embedded default keeps under ./var."""
    settings.resolved_data_dir.mkdir(parents=True, exist_ok=True)
    settings.staging.mkdir(parents=True, exist_ok=True)
    upgrade(settings.catalog_url)
    open_locations(settings, create=True)


def worker_argv(settings: Settings, *, beat: bool) -> list[str]:
    argv = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "archive.jobs.celery_app:app",
        "worker",
        "--loglevel",
        settings.log_level,
        "--concurrency",
        str(settings.worker_concurrency),
        "--hostname",
        f"luutru-{os.getpid()}@%h",
    ]
    if beat:
        argv += ["--beat", "--schedule", str(settings.resolved_data_dir / "celerybeat-schedule")]
    return argv


def _die_with_parent() -> None:
    # The worker must not outlive `luutru serve`, even when serve is killed with SIGKILL.
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def start_worker(settings: Settings) -> subprocess.Popen[bytes]:
    env = dict(os.environ, LUUTRU_DATA_DIR=str(settings.resolved_data_dir))
    preexec = _die_with_parent if sys.platform.startswith("linux") else None
    return subprocess.Popen(worker_argv(settings, beat=True), env=env, preexec_fn=preexec)


def stop_worker(worker: subprocess.Popen[bytes], timeout: float = 20.0) -> None:
    if worker.poll() is not None:
        return
    worker.send_signal(signal.SIGTERM)  # warm shutdown: the running job finishes or is requeued
    try:
        worker.wait(timeout)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


def serve(settings: Settings, host: str, port: int) -> None:
    prepare(settings)
    worker = start_worker(settings) if settings.run_worker_in_serve else None
    try:
        config = uvicorn.Config(
            "archive.api.main:app",
            host=host,
            port=port,
            log_config=None,
            proxy_headers=True,
            lifespan="off",
        )
        uvicorn.Server(config).run()
    except KeyboardInterrupt:
        pass  # Ctrl-C is the normal way to stop the embedded service
    finally:
        if worker is not None:
            stop_worker(worker)


def run_worker(settings: Settings, beat: bool) -> None:
    prepare(settings)
    os.execv(sys.executable, worker_argv(settings, beat=beat))
