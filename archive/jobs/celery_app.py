"""The Celery application. Embedded default: a local SQLite broker and a worker started by
``luutru serve``; server deployment: Redis and ``luutru worker``.

Celery only carries "run job X"; the job's state lives in the catalog (archive.jobs.queue)."""

from __future__ import annotations

import threading
import traceback
from typing import Any

from celery import signals

from archive.catalog.engine import engine_for
from archive.jobs import queue
from archive.jobs.broker import RECOVER, RUN_JOB, make_celery
from archive.jobs.registry import JobContext, handler_for, load_handlers
from archive.logs import configure_logging, get_logger
from archive.settings import get_settings

log = get_logger(__name__)


settings = get_settings()
app = make_celery(settings)


def dispatch(job_id: str, countdown: float = 0.0) -> None:
    app.send_task(RUN_JOB, args=[job_id], countdown=countdown or None)


def _beat_while(stop: threading.Event, engine: Any, job_id: str, every: float) -> None:
    while not stop.wait(every):
        queue.heartbeat(engine, job_id)


@app.task(name=RUN_JOB)
def run_job(job_id: str) -> None:
    engine = engine_for(settings.catalog_url)
    job = queue.claim(engine, job_id, settings.job_stale_seconds)
    if job is None:
        return  # already done, running elsewhere, or not yet due
    stop = threading.Event()
    beater = threading.Thread(
        target=_beat_while,
        args=(stop, engine, job_id, max(settings.job_stale_seconds / 4, 0.5)),
        daemon=True,
    )
    beater.start()
    log.info("job started", job_id=job_id, kind=job.kind, attempt=job.attempts)
    try:
        handler = handler_for(job.kind)
        context = JobContext(
            job_id=job_id,
            attempt=job.attempts,
            settings=settings,
            engine=engine,
            heartbeat=lambda: queue.heartbeat(engine, job_id),
            dispatch=dispatch,
        )
        result = handler(context, dict(job.payload))
    except Exception as exc:  # every failure is recorded on the job
        stop.set()
        state = queue.fail(engine, job_id, "".join(traceback.format_exception(exc)), dispatch)
        log.warning("job failed", job_id=job_id, kind=job.kind, next_state=state, error=str(exc))
        return
    stop.set()
    queue.succeed(engine, job_id, result)
    log.info("job finished", job_id=job_id, kind=job.kind)


@app.task(name=RECOVER)
def recover_jobs() -> None:
    resent = queue.recover(engine_for(settings.catalog_url), dispatch, settings.job_stale_seconds)
    if resent:
        log.info("jobs sent again", jobs=resent)


@signals.worker_init.connect
def _on_worker_init(**_: Any) -> None:
    configure_logging(settings)
    load_handlers()


@signals.worker_ready.connect
def _on_worker_ready(**_: Any) -> None:
    recover_jobs.delay()
