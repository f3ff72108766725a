"""Liveness, readiness and metrics."""

from __future__ import annotations

from fastapi import APIRouter, Response
from fastapi.responses import PlainTextResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from archive.api.deps import EngineDep, SettingsDep
from archive.services.readiness import readiness

router = APIRouter(tags=["health"])


@router.get("/healthz", response_class=PlainTextResponse)
def healthz() -> str:
    return "OK process alive\n"


@router.get("/readyz", response_class=PlainTextResponse)
def readyz(settings: SettingsDep, engine: EngineDep, response: Response) -> str:
    statuses = readiness(settings, engine)
    if not all(status.ok for status in statuses):
        response.status_code = 503
    return "".join(status.line() + "\n" for status in statuses)


@router.get("/metrics")
def metrics() -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
