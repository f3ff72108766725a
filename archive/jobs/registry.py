"""Job kinds and their handlers. A handler is a plain function of (context, payload)."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from archive.jobs.queue import Dispatch
from archive.settings import Settings


@dataclass(frozen=True)
class JobContext:
    job_id: str
    attempt: int
    settings: Settings
    engine: sa.Engine
    heartbeat: Callable[[], None]
    dispatch: Dispatch


JobHandler = Callable[[JobContext, dict[str, Any]], dict[str, Any] | None]

_HANDLERS: dict[str, JobHandler] = {}

# Modules whose import registers handlers; the worker imports them all at start.
HANDLER_MODULES = (
    "archive.services.audit",
    "archive.services.validation",
    "archive.services.callbacks",
    "archive.services.archiving",
    "archive.services.fixity_jobs",
    "archive.services.indexing",
    "archive.services.access_jobs",
)


def job_handler(kind: str) -> Callable[[JobHandler], JobHandler]:
    def register(function: JobHandler) -> JobHandler:
        if kind in _HANDLERS and _HANDLERS[kind] is not function:
            raise ValueError(f"job kind registered twice: {kind}")
        _HANDLERS[kind] = function
        return function

    return register


def load_handlers() -> None:
    for module in HANDLER_MODULES:
        importlib.import_module(module)


def handler_for(kind: str) -> JobHandler:
    load_handlers()
    try:
        return _HANDLERS[kind]
    except KeyError:
        raise LookupError(f"no handler for job kind {kind!r}") from None
