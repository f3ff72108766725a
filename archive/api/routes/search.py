"""``GET /api/v1/search``: records the caller may see, with facets and a stable cursor."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel

from archive.api.deps import RecordReader, SessionDep, SettingsDep
from archive.services.search_service import build_request, search_records
from search.spec import SearchResult

router = APIRouter(prefix="/api/v1/search", tags=["search"])


class HitOut(BaseModel):
    kind: str
    id: str
    dossier_id: str
    document_id: str | None
    fileCode: str
    title: str
    subject: str | None
    codeNumber: str | None
    codeNotation: str | None
    issuedDate: str | None
    agency: str
    status: str
    mode: str
    tombstone: bool
    snippet: str | None
    score: float


class FacetOut(BaseModel):
    value: str
    count: int


class SearchOut(BaseModel):
    hits: list[HitOut]
    facets: dict[str, list[FacetOut]]
    total: int | None
    next_cursor: str | None


def to_out(result: SearchResult) -> SearchOut:
    return SearchOut(
        hits=[
            HitOut(
                kind=h.kind,
                id=h.record_id,
                dossier_id=h.dossier_id,
                document_id=h.document_id,
                fileCode=h.file_code,
                title=h.title,
                subject=h.subject,
                codeNumber=h.code_number,
                codeNotation=h.code_notation,
                issuedDate=h.issued_date,
                agency=h.agency_code,
                status=h.status,
                mode=h.mode,
                tombstone=h.tombstone,
                snippet=h.snippet,
                score=h.score,
            )
            for h in result.hits
        ],
        facets={
            name: [FacetOut(value=v.value, count=v.count) for v in values]
            for name, values in result.facets.items()
        },
        total=result.total,
        next_cursor=result.next_cursor,
    )


@router.get("", response_model=SearchOut)
def search(
    request: Request,
    principal: RecordReader,
    session: SessionDep,
    settings: SettingsDep,
    q: str = "",
    agency: Annotated[list[str] | None, Query(description="agency code(s)")] = None,
    year_from: int | None = None,
    year_to: int | None = None,
    type: Annotated[list[str] | None, Query(description="typeName code(s) 01-32")] = None,
    maintenance: Annotated[list[str] | None, Query(description="retention code(s) 01-07")] = None,
    mode: Annotated[list[str] | None, Query(description="access mode code(s) 01-02")] = None,
    status: Annotated[
        list[str] | None,
        Query(description="archived, due_for_review, on_hold, destroyed, transferred"),
    ] = None,
    kind: Annotated[list[str] | None, Query(description="dossier or document")] = None,
    sort: Annotated[str, Query(pattern="^(relevance|date)$")] = "relevance",
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> SearchOut:
    """Tìm kiếm hồ sơ, tài liệu / search dossiers and documents (each search is logged)."""
    search_request = build_request(
        q=q,
        agency=agency,
        year_from=year_from,
        year_to=year_to,
        type=type,
        maintenance=maintenance,
        mode=mode,
        status=status,
        kind=kind,
        sort=sort,
        cursor=cursor,
        limit=limit,
    )
    result = search_records(
        session,
        settings,
        principal,
        search_request,
        channel="api",
        client_address=request.client.host if request.client else None,
        user_agent=request.headers.get("user-agent"),
    )
    return to_out(result)
