"""The file-plan page (Danh mục hồ sơ): per planned dossier, what arrived and what is overdue.
The same service and the same scoping as ``GET /api/v1/deposit-plan/{agency}/{year}``."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from archive.api.deps import SessionDep, SettingsDep, get_principal
from archive.catalog.accounts import Role
from archive.errors import ArchiveError, NotFound
from archive.services import deposit_plans
from archive.services.accounts import Principal
from archive.web.pages import templates

deposit_router = APIRouter(include_in_schema=False)

STATUS_LABELS = {
    "missing": "Chưa nộp",
    "rejected": "Bị từ chối",
    "received": "Đã nhận, chờ xử lý",
    "accepted": "Đã chấp nhận",
    "archived": "Đã lưu trữ",
}
READERS = (Role.ARCHIVIST, Role.ADMIN, Role.AUDITOR)


def _reader(request: Request, session: SessionDep, settings: SettingsDep) -> Principal | None:
    try:
        return get_principal(request, session, settings)
    except ArchiveError:
        return None


@deposit_router.get("/deposit-plans", response_class=HTMLResponse)
def plans_page(request: Request, session: SessionDep, settings: SettingsDep) -> Response:
    principal = _reader(request, session, settings)
    if principal is None:
        return RedirectResponse("/login", status_code=303)
    if not principal.has_any(*READERS):
        return _error(request, principal, "Vai trò của bạn không xem được Danh mục hồ sơ.", 403)
    return templates.TemplateResponse(
        request,
        "deposit_plan.html",
        {
            "principal": principal,
            "plans": deposit_plans.visible_plans(session, principal),
            "report": None,
            "summary": None,
            "labels": STATUS_LABELS,
            "error": None,
        },
    )


@deposit_router.get("/deposit-plans/{agency}/{year}", response_class=HTMLResponse)
def plan_page(
    request: Request, agency: str, year: int, session: SessionDep, settings: SettingsDep
) -> Response:
    principal = _reader(request, session, settings)
    if principal is None:
        return RedirectResponse("/login", status_code=303)
    if not principal.has_any(*READERS):
        return _error(request, principal, "Vai trò của bạn không xem được Danh mục hồ sơ.", 403)
    try:
        report = deposit_plans.plan_report(session, principal, agency, year)
    except NotFound as exc:
        return _error(request, principal, exc.detail, 404)
    except ArchiveError as exc:
        return _error(request, principal, exc.detail, exc.status)
    return templates.TemplateResponse(
        request,
        "deposit_plan.html",
        {
            "principal": principal,
            "plans": None,
            "report": report,
            "summary": report.summary(),
            "labels": STATUS_LABELS,
            "error": None,
        },
    )


def _error(request: Request, principal: Principal, message: str, status: int) -> Response:
    return templates.TemplateResponse(
        request,
        "deposit_plan.html",
        {
            "principal": principal,
            "plans": None,
            "report": None,
            "summary": None,
            "labels": STATUS_LABELS,
            "error": message,
        },
        status_code=status,
    )
