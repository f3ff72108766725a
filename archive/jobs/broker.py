"""The Celery application factory and the producer side: "run job X" messages."""

from __future__ import annotations

import kombu.transport.sqlalchemy
from celery import Celery

from archive.jobs.queue import Dispatch
from archive.settings import Settings

RUN_JOB = "luutru.run_job"
RECOVER = "luutru.recover_jobs"


def make_celery(settings: Settings) -> Celery:
    if settings.broker.startswith("sqla+"):
        # kombu's SQLAlchemy transport polls once a second by default; its transport options
        # are handed to create_engine, so the interval can only be set on the class.
        kombu.transport.sqlalchemy.Transport.polling_interval = settings.broker_polling_interval
        settings.resolved_data_dir.mkdir(parents=True, exist_ok=True)
    app = Celery("luutru", broker=settings.broker)
    app.conf.update(
        task_ignore_result=True,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
        beat_schedule={
            "recover-jobs": {"task": RECOVER, "schedule": max(settings.job_stale_seconds / 2, 5)},
            # Hourly look for locations due an audit; each location's own cadence
            # (audit_interval_days) decides (archive.services.fixity_jobs).
            "fixity-audits": {"task": "luutru.schedule_fixity_audits", "schedule": 3600.0},
        },
        beat_schedule_filename=str(settings.resolved_data_dir / "celerybeat-schedule"),
    )
    if settings.broker.startswith("sqla+sqlite"):
        app.conf.broker_transport_options = {"connect_args": {"timeout": 30}}
    return app


def make_dispatch(settings: Settings) -> Dispatch:
    producer = make_celery(settings)

    def dispatch(job_id: str, countdown: float = 0.0) -> None:
        producer.send_task(RUN_JOB, args=[job_id], countdown=countdown or None)

    return dispatch
