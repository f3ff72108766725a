"""RFC 9457 problem details for every error the API answers with."""

from __future__ import annotations

from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from archive.errors import ArchiveError

PROBLEM_TYPE_BASE = "https://luutru.example/problems/"
MEDIA_TYPE = "application/problem+json"
log = structlog.get_logger(__name__)

_HTTP_TITLES = {
    400: ("Yêu cầu không hợp lệ", "Bad request"),
    401: ("Chưa xác thực", "Authentication required"),
    403: ("Không có quyền", "Not allowed"),
    404: ("Không tìm thấy", "Not found"),
    405: ("Phương thức không được phép", "Method not allowed"),
    409: ("Xung đột", "Conflict"),
    413: ("Gói tin quá lớn", "Payload too large"),
    415: ("Kiểu dữ liệu không được hỗ trợ", "Unsupported media type"),
    422: ("Dữ liệu không hợp lệ", "Unprocessable content"),
}


def problem(
    request: Request,
    status: int,
    *,
    slug: str,
    title_vi: str,
    title_en: str,
    detail: str,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_BASE + slug,
        "title": title_en,
        "title_vi": title_vi,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
        "request_id": getattr(request.state, "request_id", None),
        **extra,
    }
    if status == 401:
        headers = {"WWW-Authenticate": 'Bearer realm="luutru"', **(headers or {})}
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def install_problem_handlers(app: FastAPI) -> None:
    @app.exception_handler(ArchiveError)
    async def _archive_error(request: Request, exc: ArchiveError) -> JSONResponse:
        return problem(
            request,
            exc.status,
            slug=exc.type_slug,
            title_vi=exc.title_vi,
            title_en=exc.title_en,
            detail=exc.detail,
            **exc.extra,
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        title_vi, title_en = _HTTP_TITLES.get(exc.status_code, ("Lỗi", "Error"))
        return problem(
            request,
            exc.status_code,
            slug=f"http-{exc.status_code}",
            title_vi=title_vi,
            title_en=title_en,
            detail=str(exc.detail),
            headers=dict(exc.headers or {}),
        )

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"loc": list(err.get("loc", ())), "msg": err.get("msg"), "type": err.get("type")}
            for err in exc.errors()
        ]
        return problem(
            request,
            422,
            slug="validation-error",
            title_vi="Dữ liệu không hợp lệ",
            title_en="Unprocessable content",
            detail="; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errors),
            errors=errors,
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error", path=request.url.path)
        return problem(
            request,
            500,
            slug="internal-error",
            title_vi="Lỗi hệ thống",
            title_en="Internal error",
            detail="An unexpected error occurred; it has been logged with the request id.",
        )
