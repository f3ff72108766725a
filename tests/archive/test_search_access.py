"""Search applies exactly archive.services.visibility's rule: on a generated catalog with
several agencies, modes, grants (valid, expired, revoked) and destroyed dossiers, every user
finds by search the very records visibility.py's conditions select from dossiers/documents,
also right after a status or mode changes and before any reindex."""

from __future__ import annotations

import random

import pytest
import sqlalchemy as sa

from archive.catalog.accounts import User
from archive.catalog.base import utcnow
from archive.catalog.records import Document, Dossier
from archive.services import accounts
from archive.services.indexing import index_dossier
from archive.services.search_service import SqlSearch
from archive.services.visibility import document_condition, dossier_condition
from archive.settings import Settings
from search.spec import SearchRequest
from tests.conftest import World
from tests.search.catalog_records import Doc, Folder, add_dossier, grant

USERS = ("admin", "auditor", "archivist", "archivist_hn", "official", "approver")
AGENCIES = ("000.00.00.H41", "000.00.01.H41", "000.00.00.H26")


def _generate(world: World, settings: Settings) -> None:
    rng = random.Random(5)
    with world.session() as session:
        for n in range(24):
            mode = rng.choice(["01", "01", "02"])
            folder = Folder(
                f"{rng.choice(AGENCIES)}.2020.{n:02d}",
                f"Hồ sơ lưu trữ số {n}",
                agency=AGENCIES[n % 3],
                mode=mode,
                status=rng.choice(["archived", "archived", "on_hold", "destroyed"]),
                documents=[
                    Doc(f"Văn bản lưu trữ {n}.{k}", mode="02" if rng.random() < 0.4 else mode)
                    for k in range(rng.randint(0, 3))
                ],
            )
            dossier_id, doc_ids = add_dossier(session, folder)
            index_dossier(session, settings, dossier_id)
            for username in ("official", "approver"):
                for days, revoked in ((30, False), (-1, False), (30, True)):
                    if rng.random() < 0.3:
                        grant(session, username, dossier_id=dossier_id, days=days, revoked=revoked)
                    for doc_id in doc_ids:
                        if rng.random() < 0.2:
                            grant(session, username, document_id=doc_id, days=days, revoked=revoked)


def _expected(world: World, username: str) -> set[str]:
    with world.session() as session:
        principal = _principal(session, username)
        now = utcnow()
        dossiers = session.scalars(sa.select(Dossier.id).where(dossier_condition(principal, now)))
        documents = session.scalars(
            sa.select(Document.id)
            .join(Dossier, Dossier.id == Document.dossier_id)
            # a destroyed dossier is shown as a tombstone, without its documents
            .where(document_condition(principal, now), Dossier.status != "destroyed")
        )
        return set(dossiers) | set(documents)


def _principal(session: sa.orm.Session, username: str) -> accounts.Principal:
    user = session.scalar(sa.select(User).where(User.username == username))
    assert user is not None
    return accounts.principal_for_user(session, user)


def _found(world: World, username: str, text: str) -> tuple[set[str], int | None]:
    found: list[str] = []
    cursor = None
    total = None
    with world.session() as session:
        principal = _principal(session, username)
        while True:
            request = SearchRequest(text=text, limit=7, cursor=cursor)
            result = SqlSearch(session, principal, utcnow()).search(request)
            total = total if total is not None else result.total
            found += [h.record_id for h in result.hits]
            cursor = result.next_cursor
            if cursor is None:
                break
    assert len(found) == len(set(found))
    return set(found), total


def _assert_same_as_visibility(world: World) -> None:
    for username in USERS:
        expected = _expected(world, username)
        for text in ("", "luu tru"):
            found, total = _found(world, username, text)
            assert found == expected, (username, text)
            assert total == len(expected), (username, text)


def test_search_sees_what_visibility_allows(world: World, settings: Settings) -> None:
    _generate(world, settings)
    assert _expected(world, "official") != _expected(world, "archivist")  # the catalog differs
    _assert_same_as_visibility(world)


@pytest.mark.parametrize("change", ["status", "dossier_mode", "document_mode"])
def test_status_and_mode_changes_apply_before_reindexing(
    world: World, settings: Settings, change: str
) -> None:
    _generate(world, settings)
    with world.session() as session:
        if change == "status":
            for dossier in session.scalars(sa.select(Dossier).order_by(Dossier.id).limit(8)):
                # destruction cannot be undone: the documents of a destroyed dossier are gone
                moves = {"archived": "destroyed", "on_hold": "archived"}
                dossier.status = moves.get(dossier.status, dossier.status)
        elif change == "dossier_mode":
            for dossier in session.scalars(sa.select(Dossier).order_by(Dossier.id).limit(8)):
                dossier.mode = "02" if dossier.mode == "01" else "01"
        else:
            for document in session.scalars(sa.select(Document).order_by(Document.id).limit(8)):
                document.mode = "02" if document.mode == "01" else "01"
    _assert_same_as_visibility(world)
