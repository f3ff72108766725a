"""Keeping the search index in step with the catalog.

The projection turns a dossier and its documents into flat ``IndexRow``s (never the raw
METS/PREMIS). Indexing runs as the retryable job ``search.index`` after the accession
transaction has committed; ``luutru reindex`` rebuilds everything, resumably.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import sqlalchemy as sa
from sqlalchemy.orm import Session

from archive.catalog.access import DocumentText
from archive.catalog.accounts import Agency
from archive.catalog.base import utcnow
from archive.catalog.engine import session_scope
from archive.catalog.jobs import Job, JobState
from archive.catalog.records import Document, Dossier, DossierStatus
from archive.catalog.search_index import SearchRebuild
from archive.jobs.queue import Dispatch, enqueue
from archive.jobs.registry import JobContext, job_handler
from archive.services.search_service import open_writer
from archive.settings import Settings
from metadata_schemas.codelists import TYPE_NAME
from metadata_schemas.dates import parse_partial_date
from metadata_schemas.errors import InvalidValueError
from search.spec import IndexRow

INDEX_JOB = "search.index"
_TYPE_LABELS = {item.code: item.vi for item in TYPE_NAME.codes}


def iso_date(value: str | None) -> str | None:
    """Catalog dates may be ISO or TT05 ``DD/MM/YYYY`` (or ``MM/YYYY``, ``YYYY``)."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        pass
    try:
        return parse_partial_date(value).earliest().isoformat()
    except (InvalidValueError, ValueError):
        return None


def _year(value: str | None) -> int | None:
    iso = iso_date(value)
    return int(iso[:4]) if iso else None


def _meta(metadata: dict[str, Any] | None, *keys: str) -> str | None:
    for key in keys:
        value = (metadata or {}).get(key)
        if isinstance(value, list):
            value = " ".join(str(v) for v in value)
        if value:
            return str(value)
    return None


class DossierFields(Protocol):
    """What the projection reads of a dossier: an ORM ``Dossier`` or a Core row of
    ``_DOSSIER_COLUMNS`` alike."""

    @property
    def id(self) -> str: ...
    @property
    def agency_id(self) -> int: ...
    @property
    def status(self) -> str: ...
    @property
    def mode(self) -> str: ...
    @property
    def maintenance(self) -> str: ...
    @property
    def end_year(self) -> int | None: ...
    @property
    def start_date(self) -> str | None: ...
    @property
    def end_date(self) -> str | None: ...
    @property
    def file_code(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def metadata_json(self) -> dict[str, Any] | None: ...


class DocumentFields(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def doc_id(self) -> str: ...
    @property
    def type_name(self) -> str | None: ...
    @property
    def code_number(self) -> str | None: ...
    @property
    def code_notation(self) -> str | None: ...
    @property
    def issued_date(self) -> str | None: ...
    @property
    def organ_name(self) -> str | None: ...
    @property
    def subject(self) -> str | None: ...
    @property
    def mode(self) -> str: ...
    @property
    def maintenance(self) -> str | None: ...
    @property
    def metadata_json(self) -> dict[str, Any] | None: ...


_DOSSIER_COLUMNS = (
    Dossier.id,
    Dossier.agency_id,
    Dossier.status,
    Dossier.mode,
    Dossier.maintenance,
    Dossier.end_year,
    Dossier.start_date,
    Dossier.end_date,
    Dossier.file_code,
    Dossier.title,
    Dossier.metadata_json,
)
_DOCUMENT_COLUMNS = (
    Document.id,
    Document.dossier_id,
    Document.doc_id,
    Document.type_name,
    Document.code_number,
    Document.code_notation,
    Document.issued_date,
    Document.organ_name,
    Document.subject,
    Document.mode,
    Document.maintenance,
    Document.metadata_json,
    DocumentText.text,
)


def dossier_row(dossier: DossierFields, agency_code: str) -> IndexRow:
    destroyed = dossier.status == DossierStatus.DESTROYED.value
    end = iso_date(dossier.end_date)
    return IndexRow(
        record_id=dossier.id,
        kind="dossier",
        dossier_id=dossier.id,
        document_id=None,
        agency_id=dossier.agency_id,
        agency_code=agency_code,
        status=dossier.status,
        mode=dossier.mode,
        maintenance=dossier.maintenance,
        type_name=None,
        year=dossier.end_year or _year(dossier.end_date) or _year(dossier.start_date),
        sort_date=end or iso_date(dossier.start_date),
        file_code=dossier.file_code,
        title=dossier.title,
        start_date=dossier.start_date,
        end_date=dossier.end_date,
        keywords=None if destroyed else _meta(dossier.metadata_json, "keyword"),
        text=None if destroyed else _meta(dossier.metadata_json, "description"),
        dossier_mode=dossier.mode,
    )


def document_row(
    document: DocumentFields, dossier: DossierFields, agency_code: str, text: str | None
) -> IndexRow:
    symbol = (
        f"{document.code_number}/{document.code_notation}"
        if document.code_number and document.code_notation
        else None
    )
    label = _TYPE_LABELS.get(document.type_name or "", "")
    title = document.subject or " ".join(x for x in (label, symbol) if x) or document.doc_id
    return IndexRow(
        record_id=document.id,
        kind="document",
        dossier_id=dossier.id,
        document_id=document.id,
        agency_id=dossier.agency_id,
        agency_code=agency_code,
        status=dossier.status,
        mode=document.mode,
        maintenance=document.maintenance or dossier.maintenance,
        type_name=document.type_name,
        year=_year(document.issued_date) or dossier.end_year,
        sort_date=iso_date(document.issued_date),
        file_code=dossier.file_code,
        title=title[:1000],
        subject=document.subject,
        code_number=document.code_number,
        code_notation=document.code_notation,
        organ_name=document.organ_name,
        signer=_meta(document.metadata_json, "autograph", "signer"),
        issued_date=document.issued_date,
        keywords=_meta(document.metadata_json, "keyword"),
        text=text,
        dossier_mode=dossier.mode,
    )


def project(session: Session, dossier_ids: Sequence[str]) -> list[IndexRow]:
    """The rows of these dossiers, read with three plain SELECTs (no ORM objects): a destroyed
    dossier is a tombstone line only."""
    if not dossier_ids:
        return []
    codes = dict(session.execute(sa.select(Agency.id, Agency.code)).all())
    dossiers: list[Any] = []
    documents: dict[str, list[Any]] = {}
    ids = list(dossier_ids)
    for start in range(0, len(ids), 1000):
        chunk = ids[start : start + 1000]
        dossiers += session.execute(
            sa.select(*_DOSSIER_COLUMNS).where(Dossier.id.in_(chunk)).order_by(Dossier.id)
        ).all()
        for document in session.execute(
            sa.select(*_DOCUMENT_COLUMNS)
            .outerjoin(DocumentText, DocumentText.document_id == Document.id)
            .where(Document.dossier_id.in_(chunk))
            .order_by(Document.dossier_id, Document.sequence)
        ):
            documents.setdefault(document.dossier_id, []).append(document)
    rows: list[IndexRow] = []
    for dossier in dossiers:
        code = codes.get(dossier.agency_id, "")
        rows.append(dossier_row(dossier, code))
        if dossier.status == DossierStatus.DESTROYED.value:
            continue
        rows.extend(
            document_row(doc, dossier, code, doc.text) for doc in documents.get(dossier.id, [])
        )
    return rows


def project_dossier(session: Session, dossier_id: str) -> list[IndexRow]:
    session.flush()
    return project(session, [dossier_id])


def index_dossier(session: Session, settings: Settings, dossier_id: str) -> int:
    """Index one dossier now, in the caller's transaction (the job calls this)."""
    rows = project_dossier(session, dossier_id)
    open_writer(settings, session).replace([dossier_id], rows)
    return len(rows)


def _dedupe_key(dossier_id: str) -> str:
    return f"{INDEX_JOB}:{dossier_id}"


def queue_dossier_indexing(session: Session, dispatch: Dispatch, dossier_id: str) -> Job:
    """Ask for (re)indexing after the caller's transaction commits. While a run is still
    queued a second request joins it; once it has started, a new change needs a new run."""
    key = _dedupe_key(dossier_id)
    existing = session.scalar(sa.select(Job).where(Job.dedupe_key == key))
    if existing is not None:
        if existing.state == JobState.QUEUED.value:
            return existing
        existing.dedupe_key = f"{key}:{existing.id}"  # free the key for the next run
        session.flush()
    return enqueue(session, dispatch, INDEX_JOB, {"dossier_id": dossier_id}, dedupe_key=key)


@job_handler(INDEX_JOB)
def run_index_job(context: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
    dossier_id = str(payload["dossier_id"])
    with session_scope(context.engine) as session:
        rows = index_dossier(session, context.settings, dossier_id)
    return {"dossier_id": dossier_id, "rows": rows}


# --- full rebuild ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RebuildProgress:
    dossiers_done: int
    documents_done: int
    dossiers_total: int
    resumed: bool


def rebuild(
    engine: sa.Engine,
    settings: Settings,
    *,
    batch_size: int = 200,
    restart: bool = False,
    on_progress: Callable[[RebuildProgress], None] | None = None,
) -> RebuildProgress:
    """Rebuild the index from the catalog in dossier-id order, saving progress after each batch
    so that a stopped run resumes where it was; the new index goes live only at the end."""
    backend = settings.search_backend
    with session_scope(engine) as session:
        total = session.scalar(sa.select(sa.func.count()).select_from(Dossier)) or 0
        run = session.scalar(
            sa.select(SearchRebuild)
            .where(SearchRebuild.backend == backend, SearchRebuild.finished_at.is_(None))
            .order_by(SearchRebuild.id.desc())
        )
        if run is not None and restart:
            run.finished_at = utcnow()
            run = None
        resumed = run is not None
        if run is None:
            token = open_writer(settings, session).begin_rebuild(None)
            run = SearchRebuild(backend=backend, token=token, dossiers_done=0, documents_done=0)
            session.add(run)
        else:
            open_writer(settings, session).begin_rebuild(run.token)
        session.flush()
        run_id = run.id
        last, done, docs = run.last_dossier_id, run.dossiers_done, run.documents_done
    progress = RebuildProgress(done, docs, total, resumed)
    if on_progress:
        on_progress(progress)
    while True:
        with session_scope(engine) as session:
            query = sa.select(Dossier.id)
            if last is not None:
                query = query.where(Dossier.id > last)
            batch = list(session.scalars(query.order_by(Dossier.id).limit(batch_size)))
            if not batch:
                break
            rows = project(session, batch)
            run = session.get_one(SearchRebuild, run_id)
            open_writer(settings, session).replace(batch, rows, target=run.token)
            last = batch[-1]
            done += len(batch)
            docs += sum(1 for row in rows if row.kind == "document")
            run.last_dossier_id, run.dossiers_done, run.documents_done = last, done, docs
        progress = RebuildProgress(done, docs, total, resumed)
        if on_progress:
            on_progress(progress)
    with session_scope(engine) as session:
        run = session.get_one(SearchRebuild, run_id)
        open_writer(settings, session).finish_rebuild(run.token)
        run.finished_at = utcnow()
    return progress
