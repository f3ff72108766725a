"""Reading copies on screen (TT 05/2025 Điều 37): the archive's name in the bottom margin of
every page, served inline and never cached, only to those who may see the document."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import sqlalchemy as sa
from fastapi.testclient import TestClient
from pypdf import PdfReader

from archive.catalog.access import AccessLogEntry
from archive.services.reading_copy import stamp_pages
from archive.settings import Settings
from archive.web.reading_page import reading_router
from ingest.sample.agencies import SO_NOI_VU_NGHE_AN, UBND_HA_NOI
from tests.archive.access_fixtures import (
    PackageCache,
    add_people,
    archived,
    package_cache,
)
from tests.conftest import PASSWORD, World, login

ARCHIVE_NAME = "Lưu trữ Sở Nội vụ tỉnh Nghệ An"

__all__ = ["package_cache"]  # a fixture, used by name


def _named(settings: Settings) -> Settings:
    return settings.model_copy(update={"archive_name": ARCHIVE_NAME})


def _stamp_hits(page: object) -> list[tuple[float, float]]:
    """(x, y) of the stamp's text in the page's form space, as pypdf reports them."""
    hits: list[tuple[float, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if ARCHIVE_NAME in text:
            hits.append((tm[4], tm[5]))

    page.extract_text(visitor_text=visit)  # type: ignore[attr-defined]
    return hits


def test_reading_copy_has_the_archive_name_on_every_page_and_is_inline(
    world: World,
    settings: Settings,
    package_cache: PackageCache,
    tmp_path: Path,
) -> None:
    from archive.api.app import create_app

    settings = _named(settings)
    dossier = archived(
        world, settings, package_cache, tmp_path, seed=31, agency=SO_NOI_VU_NGHE_AN, documents=3
    )
    # The document with an attachment file shows both files, attachment pages after the main.
    document = max(dossier.documents, key=lambda d: len(d.files))
    app = create_app(settings)
    with TestClient(app) as client:
        response = client.get(
            f"/api/v1/dossiers/{dossier.id}/documents/{document.id}/reading-copy",
            headers={**login(client, "official"), "user-agent": "pytest-browser"},
        )
    app.state.engine.dispose()
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("inline")
    assert "no-store" in response.headers["cache-control"]
    reader = PdfReader(io.BytesIO(response.content))
    pages_expected = sum(
        len(PdfReader(io.BytesIO(_stored(settings, dossier.object_id, p))).pages)
        for p in document.files
    )
    assert len(reader.pages) == pages_expected
    for page in reader.pages:
        text = page.extract_text()
        assert ARCHIVE_NAME in text
        [(x, y)] = _stamp_hits(page)
        assert y < 40  # in the bottom margin
        width = float(page.mediabox.width)
        assert 0.2 * width < x < 0.5 * width  # starts left of the centre: centred text
    # The copy is a rendition: no signature fields claim a validity the stamp has broken.
    with pikepdf.open(io.BytesIO(response.content)) as pdf:
        assert "/AcroForm" not in pdf.Root
    with world.session() as session:
        [entry] = session.scalars(
            sa.select(AccessLogEntry).where(AccessLogEntry.action == "view")
        ).all()
        assert (entry.actor, entry.dossier_id, entry.document_id) == (
            "user:official",
            dossier.id,
            document.id,
        )
        assert (entry.channel, entry.user_agent) == ("api", "pytest-browser")
        assert entry.detail is not None and entry.detail["pages"] == pages_expected
    # Nothing of the rendition stays in staging.
    assert not list((settings.staging / "reading-copies").glob("*.pdf"))


def _stored(settings: Settings, object_id: str, logical_path: str) -> bytes:
    from archive.services.stored_files import open_stored_file

    with open_stored_file(settings, object_id, logical_path).stream as stream:
        return stream.read()


def test_reading_copy_is_404_across_agencies_and_403_for_qlvb(
    client: TestClient,
    world: World,
    settings: Settings,
    package_cache: PackageCache,
    tmp_path: Path,
) -> None:
    add_people(world)
    hanoi = archived(world, settings, package_cache, tmp_path, seed=32, agency=UBND_HA_NOI)
    url = f"/api/v1/dossiers/{hanoi.id}/documents/{hanoi.documents[0].id}/reading-copy"
    for who in ("official", "archivist"):
        response = client.get(url, headers=login(client, who))
        assert response.status_code == 404
        assert response.headers["content-type"].startswith("application/problem+json")
    assert client.get(url, headers=login(client, "official_hn")).status_code == 200
    assert client.get(url, headers=login(client, "archivist_hn")).status_code == 200
    # A document asked for under another dossier's id is not found either.
    nghean = archived(
        world, settings, package_cache, tmp_path, seed=31, agency=SO_NOI_VU_NGHE_AN, documents=3
    )
    wrong = f"/api/v1/dossiers/{nghean.id}/documents/{hanoi.documents[0].id}/reading-copy"
    assert client.get(wrong, headers=login(client, "admin")).status_code == 404
    qlvb = {"Authorization": f"Bearer {world.api_keys['hanoi']}"}
    assert client.get(url, headers=qlvb).status_code == 403
    with world.session() as session:
        views = session.scalars(
            sa.select(AccessLogEntry.actor).where(AccessLogEntry.action == "view")
        ).all()
    assert sorted(views) == ["user:archivist_hn", "user:official_hn"]


def test_reading_page_embeds_the_copy_and_logs_the_metadata_read(
    client: TestClient,
    world: World,
    settings: Settings,
    package_cache: PackageCache,
    tmp_path: Path,
) -> None:
    client.app.include_router(reading_router)  # type: ignore[attr-defined]
    add_people(world)
    dossier = archived(
        world, settings, package_cache, tmp_path, seed=31, agency=SO_NOI_VU_NGHE_AN, documents=3
    )
    document = dossier.documents[0]
    assert client.get(f"/doc/{document.id}/xem", follow_redirects=False).status_code == 303
    client.post("/login", data={"username": "official_hn", "password": PASSWORD})
    assert client.get(f"/doc/{document.id}/xem").status_code == 404
    client.post("/login", data={"username": "official", "password": PASSWORD})
    page = client.get(f"/doc/{document.id}/xem")
    assert page.status_code == 200
    assert "Bản đọc trên màn hình" in page.text and document.doc_id in page.text
    assert f"/api/v1/dossiers/{dossier.id}/documents/{document.id}/reading-copy" in page.text
    assert "no-store" in page.headers["cache-control"]
    # The iframe's request, with the session cookie, is a view.
    copy = client.get(f"/api/v1/dossiers/{dossier.id}/documents/{document.id}/reading-copy")
    assert copy.status_code == 200
    with world.session() as session:
        actions = session.execute(
            sa.select(AccessLogEntry.action, AccessLogEntry.channel)
            .where(AccessLogEntry.document_id == document.id)
            .order_by(AccessLogEntry.id)
        ).all()
    assert [tuple(a) for a in actions] == [("metadata", "web"), ("view", "api")]


def test_stamp_reads_upright_on_rotated_pages(tmp_path: Path) -> None:
    from reportlab.pdfgen.canvas import Canvas

    source = tmp_path / "rotated.pdf"
    canvas = Canvas(str(source), pagesize=(595, 842))
    canvas.drawString(72, 700, "Trang xoay")
    canvas.showPage()
    canvas.save()
    with pikepdf.open(source, allow_overwriting_input=True) as pdf:
        pdf.pages[0].obj.Rotate = 90
        pdf.save(source)
    out = tmp_path / "out.pdf"
    assert stamp_pages([source], out, ARCHIVE_NAME, tmp_path / "work") == 1
    with pikepdf.open(out) as pdf:
        page = pdf.pages[0]
        content = (
            page.obj.Contents.read_bytes()
            if not isinstance(page.obj.Contents, pikepdf.Array)
            else b"".join(part.read_bytes() for part in page.obj.Contents)
        )
    # The stamp is placed with the inverse of /Rotate 90: displayed x runs up the page and
    # displayed y runs from the right edge leftwards, so it sits near x = 595 in user space.
    assert b"0 1 -1 0 595 0 cm" in content
    assert ARCHIVE_NAME in PdfReader(out).pages[0].extract_text()
