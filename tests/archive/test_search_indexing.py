"""Indexing runs as a job outside the accession transaction; reindex rebuilds and resumes."""

from __future__ import annotations

import contextlib

import sqlalchemy as sa

from archive.catalog.accounts import User
from archive.catalog.base import utcnow
from archive.catalog.jobs import Job
from archive.catalog.search_index import SearchEntry, SearchRebuild
from archive.jobs import queue
from archive.jobs.registry import JobContext, handler_for
from archive.services import accounts
from archive.services.indexing import INDEX_JOB, queue_dossier_indexing, rebuild
from archive.services.search_service import SqlSearch
from archive.settings import Settings
from search.spec import SearchRequest
from tests.conftest import World
from tests.search.catalog_records import Doc, Folder, add_dossier


def _found(world: World, q: str) -> set[str]:
    with world.session() as session:
        user = session.scalar(sa.select(User).where(User.username == "admin"))
        assert user is not None
        principal = accounts.principal_for_user(session, user)
        result = SqlSearch(session, principal, utcnow()).search(SearchRequest(text=q, limit=100))
        return {h.record_id for h in result.hits}


def _run_job(world: World, settings: Settings, job_id: str) -> dict[str, object] | None:
    """As archive.jobs.celery_app.run_job does: claim, build the context, call the handler."""
    job = queue.claim(world.engine, job_id, settings.job_stale_seconds)
    assert job is not None
    context = JobContext(
        job_id=job_id,
        attempt=job.attempts,
        settings=settings,
        engine=world.engine,
        heartbeat=lambda: queue.heartbeat(world.engine, job_id),
        dispatch=lambda _job, _countdown: None,
    )
    result = handler_for(job.kind)(context, dict(job.payload))
    queue.succeed(world.engine, job_id, result)
    return result


def test_a_job_indexes_an_accepted_dossier(world: World, settings: Settings) -> None:
    sent: list[str] = []
    with world.session() as session:
        dossier_id, (doc_id,) = add_dossier(
            session,
            Folder(
                "000.00.01.H41.2024.01",
                "Hồ sơ xây dựng cầu Bến Thủy",
                documents=[Doc("Tờ trình xây cầu")],
            ),
        )
        job = queue_dossier_indexing(session, lambda j, c: sent.append(j), dossier_id)
        again = queue_dossier_indexing(session, lambda j, c: sent.append(j), dossier_id)
        assert again.id == job.id  # deduplicated while queued
        job_id = job.id
    assert sent == [job_id]  # the broker heard of it once, after commit
    assert _found(world, "ben thuy") == set()
    result = _run_job(world, settings, job_id)
    assert result == {"dossier_id": dossier_id, "rows": 2}
    assert _found(world, "ben thuy") == {dossier_id}
    assert _found(world, "xay cau") == {dossier_id, doc_id}
    with world.session() as session:
        assert session.get_one(Job, job_id).kind == INDEX_JOB
        later = queue_dossier_indexing(session, lambda j, c: None, dossier_id)
        assert later.id != job_id  # a change after the run needs a new run


def test_reindex_rebuilds_resumes_and_drops_stale_rows(world: World, settings: Settings) -> None:
    with world.session() as session:
        ids = [
            add_dossier(session, Folder(f"000.00.01.H41.2024.{n:02d}", f"Hồ sơ đê điều số {n}"))[0]
            for n in range(5)
        ]
        session.add(
            SearchEntry(
                record_id="gone",
                kind="dossier",
                dossier_id="gone",
                agency_id=1,
                agency_code="x",
                status="archived",
                mode="01",
                file_code="x",
                title="đê điều cũ",
                f_title="de dieu cu",
                f_meta="",
                f_symbol="",
                f_body="",
                x_text="đê điều cũ",
                indexed_at=utcnow(),
            )
        )
    seen: list[int] = []

    class Stop(Exception):
        pass

    def stop_after_two(progress: object) -> None:
        seen.append(progress.dossiers_done)  # type: ignore[attr-defined]
        if progress.dossiers_done >= 2:  # type: ignore[attr-defined]
            raise Stop

    with contextlib.suppress(Stop):
        rebuild(world.engine, settings, batch_size=2, on_progress=stop_after_two)
    with world.session() as session:
        run = session.scalar(sa.select(SearchRebuild))
        assert run is not None and run.finished_at is None and run.dossiers_done == 2
    final = rebuild(world.engine, settings, batch_size=2)
    assert final.resumed and final.dossiers_done == 5 and final.dossiers_total == 5
    assert _found(world, "de dieu") == set(ids)  # the stale row is gone
    with world.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(SearchEntry)) == 5
