"""What a search asks and what it answers, shared by every backend, the API and the web page."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from metadata_schemas.codelists import MAINTENANCE, MODE, TYPE_NAME
from search.errors import InvalidSearch

Sort = Literal["relevance", "date"]
STATUSES = ("archived", "due_for_review", "on_hold", "destroyed", "transferred")
KINDS = ("dossier", "document")
FACETS = ("kind", "agency", "year", "type", "maintenance", "mode", "status")
MAX_LIMIT = 100
MAX_VALUES = 50  # values of one filter


@dataclass(frozen=True)
class SearchFilters:
    agencies: tuple[str, ...] = ()  # agency codes
    year_from: int | None = None
    year_to: int | None = None
    types: tuple[str, ...] = ()  # typeName codes (documents only)
    maintenance: tuple[str, ...] = ()
    modes: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {}
        for name in ("agencies", "types", "maintenance", "modes", "statuses", "kinds"):
            if values := getattr(self, name):
                out[name] = list(values)
        if self.year_from is not None:
            out["year_from"] = self.year_from
        if self.year_to is not None:
            out["year_to"] = self.year_to
        return out


def _values(raw: Iterable[str] | None, allowed: Iterable[str] | None, name: str) -> tuple[str, ...]:
    """Accept repeated parameters and comma-separated lists alike."""
    values: list[str] = []
    for item in raw or ():
        values.extend(v.strip() for v in item.split(",") if v.strip())
    if len(values) > MAX_VALUES:
        raise InvalidSearch(f"quá nhiều giá trị cho {name} / too many values for {name}")
    if allowed is not None:
        allowed_set = set(allowed)
        wrong = [v for v in values if v not in allowed_set]
        if wrong:
            raise InvalidSearch(f"giá trị {name} không hợp lệ / invalid {name}: {', '.join(wrong)}")
    return tuple(dict.fromkeys(values))


@dataclass(frozen=True)
class SearchRequest:
    text: str = ""
    filters: SearchFilters = field(default_factory=SearchFilters)
    sort: Sort = "relevance"
    cursor: str | None = None
    limit: int = 20
    facets: bool = True

    @classmethod
    def from_params(
        cls,
        *,
        q: str | None = None,
        agency: Iterable[str] | None = None,
        year_from: int | None = None,
        year_to: int | None = None,
        type: Iterable[str] | None = None,
        maintenance: Iterable[str] | None = None,
        mode: Iterable[str] | None = None,
        status: Iterable[str] | None = None,
        kind: Iterable[str] | None = None,
        sort: str | None = None,
        cursor: str | None = None,
        limit: int | None = None,
        facets: bool = True,
    ) -> SearchRequest:
        """Validate raw parameters (API query string, web form) into a request."""
        if sort not in (None, "", "relevance", "date"):
            raise InvalidSearch("sort phải là relevance hoặc date / sort must be relevance or date")
        if limit is not None and not 1 <= limit <= MAX_LIMIT:
            raise InvalidSearch(f"limit phải từ 1 đến {MAX_LIMIT} / limit must be 1..{MAX_LIMIT}")
        for year in (year_from, year_to):
            if year is not None and not 1000 <= year <= 9999:
                raise InvalidSearch("năm không hợp lệ / invalid year")
        if year_from is not None and year_to is not None and year_from > year_to:
            raise InvalidSearch("year_from sau year_to / year_from is after year_to")
        text = (q or "").strip()
        if len(text) > 500:
            raise InvalidSearch("câu tìm kiếm quá dài / query too long (500 characters at most)")
        filters = SearchFilters(
            agencies=_values(agency, None, "agency"),
            year_from=year_from,
            year_to=year_to,
            types=_values(type, TYPE_NAME.code_values(), "type"),
            maintenance=_values(maintenance, MAINTENANCE.code_values(), "maintenance"),
            modes=_values(mode, MODE.code_values(), "mode"),
            statuses=_values(status, STATUSES, "status"),
            kinds=_values(kind, KINDS, "kind"),
        )
        return cls(
            text=text,
            filters=filters,
            sort="date" if sort == "date" else "relevance",
            cursor=cursor or None,
            limit=limit or 20,
            facets=facets,
        )

    @property
    def effective_sort(self) -> Sort:
        """Without words there is no relevance: newest first."""
        return self.sort if self.text else "date"


@dataclass(frozen=True)
class Cursor:
    """The last hit of a page: its sort key and id. Opaque to clients (base64 JSON)."""

    sort: Sort
    key: float | str
    record_id: str

    def encode(self) -> str:
        raw = json.dumps([self.sort, self.key, self.record_id], separators=(",", ":"))
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, token: str, sort: Sort) -> Cursor:
        try:
            padded = token + "=" * (-len(token) % 4)
            kind, key, record_id = json.loads(base64.urlsafe_b64decode(padded.encode()))
        except (ValueError, TypeError, binascii.Error):
            raise InvalidSearch("con trỏ trang không hợp lệ / invalid cursor") from None
        if kind != sort or not isinstance(record_id, str) or not isinstance(key, float | int | str):
            raise InvalidSearch("con trỏ không khớp kiểu sắp xếp / cursor does not match the sort")
        if sort == "relevance" and not isinstance(key, float | int):
            raise InvalidSearch("con trỏ trang không hợp lệ / invalid cursor")
        return cls(sort, float(key) if sort == "relevance" else str(key), record_id)


@dataclass(frozen=True)
class IndexRow:
    """The flat projection of one dossier or document: what is searched and shown."""

    record_id: str
    kind: str  # dossier | document
    dossier_id: str
    document_id: str | None
    agency_id: int
    agency_code: str
    status: str
    mode: str
    maintenance: str | None
    type_name: str | None
    year: int | None
    sort_date: str | None  # YYYY-MM-DD, for sorting by date
    file_code: str
    title: str
    subject: str | None = None
    code_number: str | None = None
    code_notation: str | None = None
    organ_name: str | None = None
    signer: str | None = None
    issued_date: str | None = None
    start_date: str | None = None
    end_date: str | None = None
    keywords: str | None = None
    text: str | None = None  # extracted document text (documents) or description (dossiers)
    dossier_mode: str | None = None  # a document's dossier's access mode (its own for dossiers)

    @property
    def tombstone(self) -> bool:
        return self.status == "destroyed"

    def record_fields(self) -> dict[str, Any]:
        """The fields every backend stores as they are: ids, access columns, filters, codes."""
        return {
            "record_id": self.record_id,
            "kind": self.kind,
            "dossier_id": self.dossier_id,
            "document_id": self.document_id,
            "agency_id": self.agency_id,
            "agency_code": self.agency_code,
            "status": self.status,
            "mode": self.mode,
            "dossier_mode": self.dossier_mode or self.mode,
            "maintenance": self.maintenance,
            "type_name": self.type_name,
            "year": self.year,
            "sort_date": self.sort_date,
            "file_code": self.file_code,
            "code_number": self.code_number,
            "code_notation": self.code_notation,
            "issued_date": self.issued_date,
        }


@dataclass(frozen=True)
class SearchHit:
    kind: str
    record_id: str
    dossier_id: str
    document_id: str | None
    file_code: str
    title: str
    subject: str | None
    code_number: str | None
    code_notation: str | None
    issued_date: str | None
    agency_code: str
    status: str
    mode: str
    score: float
    snippet: str | None
    tombstone: bool


@dataclass(frozen=True)
class FacetValue:
    value: str
    count: int


@dataclass(frozen=True)
class SearchResult:
    hits: list[SearchHit]
    facets: dict[str, list[FacetValue]]
    total: int | None
    next_cursor: str | None
