"""The search page (Tra cứu): the same request, filters and access rule as the API."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from archive.api.deps import SessionDep, SettingsDep, get_principal
from archive.errors import ArchiveError, InvalidInput
from archive.services.search_service import build_request, search_records
from archive.services.visibility import may_read_records
from archive.web.pages import templates
from metadata_schemas.codelists import MAINTENANCE, MODE, TYPE_NAME

search_router = APIRouter(include_in_schema=False)

FACET_TITLES = {
    "kind": "Loại bản ghi",
    "agency": "Cơ quan",
    "year": "Năm",
    "type": "Loại văn bản",
    "maintenance": "Thời hạn bảo quản",
    "mode": "Chế độ sử dụng",
    "status": "Tình trạng",
}
LABELS = {
    "kind": {"dossier": "Hồ sơ", "document": "Tài liệu"},
    "type": {c.code: c.vi for c in TYPE_NAME.codes},
    "maintenance": {c.code: c.vi for c in MAINTENANCE.codes},
    "mode": {c.code: c.vi for c in MODE.codes},
    "status": {
        "archived": "Đang lưu trữ",
        "due_for_review": "Xem xét hủy",
        "on_hold": "Đang tạm giữ",
        "destroyed": "Đã hủy",
        "transferred": "Đã nộp lưu trữ lịch sử",
    },
}
# Facet name → the query parameter that filters on it.
FILTER_PARAMS = {
    "kind": "kind",
    "agency": "agency",
    "type": "type",
    "maintenance": "maintenance",
    "mode": "mode",
    "status": "status",
}


@search_router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    q: str = "",
    agency: Annotated[list[str] | None, Query()] = None,
    year_from: Annotated[str, Query()] = "",
    year_to: Annotated[str, Query()] = "",
    type: Annotated[list[str] | None, Query()] = None,
    maintenance: Annotated[list[str] | None, Query()] = None,
    mode: Annotated[list[str] | None, Query()] = None,
    status: Annotated[list[str] | None, Query()] = None,
    kind: Annotated[list[str] | None, Query()] = None,
    sort: str = "relevance",
    cursor: str | None = None,
) -> Response:
    try:
        principal = get_principal(request, session, settings)
    except ArchiveError:
        return RedirectResponse("/login", status_code=303)
    params = {
        "q": q,
        "agency": agency,
        "type": type,
        "maintenance": maintenance,
        "mode": mode,
        "status": status,
        "kind": kind,
        "sort": sort,
    }
    error = None
    result = None
    if not may_read_records(principal):
        error = "Vai trò của bạn không được tra cứu hồ sơ."
    else:
        try:
            search_request = build_request(
                **params,
                year_from=int(year_from) if year_from.strip() else None,
                year_to=int(year_to) if year_to.strip() else None,
                cursor=cursor,
                limit=20,
            )
            result = search_records(
                session,
                settings,
                principal,
                search_request,
                channel="web",
                client_address=request.client.host if request.client else None,
                user_agent=request.headers.get("user-agent"),
            )
        except (InvalidInput, ValueError) as exc:
            error = f"Yêu cầu tìm kiếm không hợp lệ: {exc}"
    base = [(k, v) for k, vs in params.items() for v in (vs if isinstance(vs, list) else [vs]) if v]
    base += [(k, v) for k, v in (("year_from", year_from), ("year_to", year_to)) if v]
    next_url = None
    if result is not None and result.next_cursor:
        next_url = "/search?" + urlencode([*base, ("cursor", result.next_cursor)])
    facet_links = {}
    if result is not None:
        for name, values in result.facets.items():
            param = FILTER_PARAMS.get(name)
            facet_links[name] = [
                (
                    LABELS.get(name, {}).get(v.value, v.value),
                    v.count,
                    "/search?"
                    + urlencode(
                        [*base, (param, v.value)]
                        if param
                        else [*base, ("year_from", v.value), ("year_to", v.value)]
                    ),
                )
                for v in values
            ]
    return templates.TemplateResponse(
        request,
        "search.html",
        {
            "principal": principal,
            "q": q,
            "year_from": year_from,
            "year_to": year_to,
            "sort": sort,
            "result": result,
            "error": error,
            "next_url": next_url,
            "facet_titles": FACET_TITLES,
            "facet_links": facet_links,
            "labels": LABELS,
        },
    )
