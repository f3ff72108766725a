"""Web pages for people (Vietnamese first). They use the same services as the API."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from archive.api.deps import SessionDep, SettingsDep, get_principal
from archive.errors import ArchiveError
from archive.services import accounts

templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
router = APIRouter(include_in_schema=False)

ROLE_LABELS = {
    "admin": "Quản trị hệ thống",
    "archivist": "Lưu trữ viên",
    "official": "Cán bộ tra cứu",
    "approver": "Người phê duyệt",
    "auditor": "Kiểm toán viên",
    "system": "Hệ thống QLVB",
}


@router.get("/", response_class=HTMLResponse)
def home(request: Request, session: SessionDep, settings: SettingsDep) -> Response:
    try:
        principal = get_principal(request, session, settings)
    except ArchiveError:
        return RedirectResponse("/login", status_code=303)
    return templates.TemplateResponse(
        request,
        "home.html",
        {"principal": principal, "roles": [ROLE_LABELS[r] for r in sorted(principal.roles)]},
    )


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request) -> Response:
    return templates.TemplateResponse(request, "login.html", {"error": None})


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    session: SessionDep,
    settings: SettingsDep,
) -> Response:
    try:
        user = accounts.authenticate_password(session, username, password)
    except ArchiveError:
        return templates.TemplateResponse(
            request,
            "login.html",
            {"error": "Sai tên đăng nhập hoặc mật khẩu."},
            status_code=401,
        )
    token, ttl = accounts.open_login_session(session, user, settings.token_ttl_seconds)
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(
        settings.session_cookie_name,
        token,
        max_age=ttl,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )
    return response


@router.post("/logout")
def logout(request: Request, session: SessionDep, settings: SettingsDep) -> Response:
    token = request.cookies.get(settings.session_cookie_name)
    if token:
        accounts.close_login_session(session, token)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(settings.session_cookie_name)
    return response
