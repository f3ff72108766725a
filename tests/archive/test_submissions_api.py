"""The submission API QLVB vendors code against: staging, idempotency, duplicates, limits,
credentials and agency scoping. Validation itself runs as a job (tests/archive/test_validation)."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from archive.catalog.jobs import Job
from archive.catalog.records import Submission
from archive.settings import Settings
from tests.archive.test_api_auth import assert_problem
from tests.conftest import World, login


def zip_bytes(marker: str = "một") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        entry = zipfile.ZipInfo(
            "uuid-00000000-0000-4000-8000-000000000000/METS.xml", date_time=(2025, 1, 1, 0, 0, 0)
        )
        archive.writestr(entry, f"<x>{marker}</x>")  # fixed time: the same marker, the same bytes
    return buffer.getvalue()


def qlvb(world: World, name: str = "nghean_sonv") -> dict[str, str]:
    return {"Authorization": f"Bearer {world.api_keys[name]}"}


def submit(client: TestClient, world: World, body: bytes, **headers: str):  # type: ignore[no-untyped-def]
    return client.post(
        "/api/v1/submissions",
        content=body,
        headers={**qlvb(world), "content-type": "application/zip", **headers},
    )


def test_raw_zip_is_staged_and_answered_202(
    client: TestClient, world: World, settings: Settings
) -> None:
    body = zip_bytes()
    response = submit(client, world, body)
    assert response.status_code == 202, response.text
    answer = response.json()
    assert set(answer) >= {"id", "status", "status_url", "report_url"}
    assert answer["status"] == "received"
    assert answer["status_url"].endswith(f"/api/v1/submissions/{answer['id']}")
    status = client.get(answer["status_url"], headers=qlvb(world)).json()
    assert status["package_sha256"] == hashlib.sha256(body).hexdigest()
    assert status["size"] == len(body)
    assert status["counts"] == {"error": 0, "warning": 0, "info": 0, "indeterminate": 0}
    staged = settings.staging / "submissions" / answer["id"] / "package.zip"
    assert staged.read_bytes() == body
    with world.session() as session:
        job = session.scalars(sa.select(Job)).one()
    assert (job.kind, job.payload, job.state) == (
        "ingest.validate",
        {"submission_id": answer["id"]},
        "queued",
    )


def test_multipart_with_callback_url(client: TestClient, world: World, settings: Settings) -> None:
    body = zip_bytes("hai")
    response = client.post(
        "/api/v1/submissions",
        files={"package": ("goi.zip", body, "application/zip")},
        data={"callback_url": "https://qlvb.example.gov.vn/hook"},
        headers=qlvb(world),
    )
    assert response.status_code == 202, response.text
    submission_id = response.json()["id"]
    with world.session() as session:
        submission = session.get(Submission, submission_id)
        assert submission is not None
        assert submission.callback_url == "https://qlvb.example.gov.vn/hook"
        assert submission.package_sha256 == hashlib.sha256(body).hexdigest()
    assert (settings.staging / "submissions" / submission_id / "package.zip").read_bytes() == body


def test_multipart_without_package_field_is_400(client: TestClient, world: World) -> None:
    response = client.post(
        "/api/v1/submissions",
        files={"other": ("a.zip", b"PK", "application/zip")},
        headers=qlvb(world),
    )
    assert "package" in assert_problem(response, 400)["detail"]


def test_other_media_types_are_415(client: TestClient, world: World) -> None:
    response = client.post(
        "/api/v1/submissions",
        content=b"{}",
        headers={**qlvb(world), "content-type": "application/json"},
    )
    assert_problem(response, 415)


def test_same_key_same_bytes_returns_the_original(client: TestClient, world: World) -> None:
    first = submit(client, world, zip_bytes(), **{"Idempotency-Key": "k-1"})
    again = submit(client, world, zip_bytes(), **{"Idempotency-Key": "k-1"})
    assert first.status_code == 202, first.text
    assert again.status_code == 202, again.text
    assert again.json()["id"] == first.json()["id"]
    with world.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Submission)) == 1


def test_same_key_other_bytes_is_409(client: TestClient, world: World) -> None:
    first = submit(client, world, zip_bytes("a"), **{"Idempotency-Key": "k-2"})
    other = submit(client, world, zip_bytes("b"), **{"Idempotency-Key": "k-2"})
    body = assert_problem(other, 409)
    assert body["submission_id"] == first.json()["id"]


def test_same_bytes_without_key_is_a_duplicate(
    client: TestClient, world: World, settings: Settings
) -> None:
    first = submit(client, world, zip_bytes())
    duplicate = submit(client, world, zip_bytes())
    assert duplicate.status_code == 200
    assert duplicate.json()["id"] == first.json()["id"]
    assert duplicate.json()["duplicate_of"] == first.json()["id"]
    with world.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Submission)) == 1
        assert session.scalar(sa.select(sa.func.count()).select_from(Job)) == 1
    leftovers = list((settings.staging / "incoming").iterdir())
    assert leftovers == []


def test_same_bytes_from_another_agency_is_its_own_submission(
    client: TestClient, world: World
) -> None:
    first = submit(client, world, zip_bytes())
    other = client.post(
        "/api/v1/submissions",
        content=zip_bytes(),
        headers={**qlvb(world, "hanoi"), "content-type": "application/zip"},
    )
    assert other.status_code == 202
    assert other.json()["id"] != first.json()["id"]


@pytest.fixture
def small_limit_client(settings: Settings):  # type: ignore[no-untyped-def]
    from archive.api.app import create_app

    app = create_app(settings.model_copy(update={"max_package_bytes": 1000}))
    with TestClient(app) as test_client:
        yield test_client
    app.state.engine.dispose()


def test_over_the_size_limit_is_413_and_leaves_nothing(
    small_limit_client: TestClient, world: World, settings: Settings
) -> None:
    response = submit(small_limit_client, world, b"PK" + b"x" * 5000)
    assert_problem(response, 413)
    chunked = small_limit_client.post(
        "/api/v1/submissions",
        content=iter([b"x" * 600, b"y" * 600]),  # no Content-Length: enforced while streaming
        headers={**qlvb(world), "content-type": "application/zip"},
    )
    assert_problem(chunked, 413)
    assert list((settings.staging / "incoming").iterdir()) == []
    with world.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Submission)) == 0


def test_people_cannot_submit(client: TestClient, world: World) -> None:
    response = client.post(
        "/api/v1/submissions",
        content=zip_bytes(),
        headers={**login(client, "archivist"), "content-type": "application/zip"},
    )
    assert_problem(response, 403)


def test_revoked_key_cannot_submit(client: TestClient, world: World) -> None:
    admin = login(client, "admin")
    client.delete(f"/api/v1/admin/api-keys/{world.api_key_ids['nghean_sonv']}", headers=admin)
    assert_problem(submit(client, world, zip_bytes()), 401)


def test_submissions_are_scoped_to_agencies(client: TestClient, world: World) -> None:
    mine = submit(client, world, zip_bytes()).json()
    theirs = client.post(
        "/api/v1/submissions",
        content=zip_bytes("hà nội"),
        headers={**qlvb(world, "hanoi"), "content-type": "application/zip"},
    ).json()
    # the QLVB sees only its own agency's submissions; another agency's is 404
    listed = client.get("/api/v1/submissions", headers=qlvb(world)).json()
    assert [s["id"] for s in listed] == [mine["id"]]
    assert_problem(client.get(f"/api/v1/submissions/{theirs['id']}", headers=qlvb(world)), 404)
    assert_problem(
        client.get(f"/api/v1/submissions/{theirs['id']}/report", headers=qlvb(world)), 404
    )
    # the provincial archivist serves the department; the Hà Nội archivist does not
    province = login(client, "archivist")
    assert [s["id"] for s in client.get("/api/v1/submissions", headers=province).json()] == [
        mine["id"]
    ]
    hanoi = login(client, "archivist_hn")
    assert_problem(client.get(f"/api/v1/submissions/{mine['id']}", headers=hanoi), 404)
    # officials do not handle submissions at all
    assert_problem(client.get("/api/v1/submissions", headers=login(client, "official")), 403)


def test_list_filters_by_status_and_since(client: TestClient, world: World) -> None:
    submitted = submit(client, world, zip_bytes()).json()
    received = client.get("/api/v1/submissions?status=received", headers=qlvb(world)).json()
    assert [s["id"] for s in received] == [submitted["id"]]
    assert client.get("/api/v1/submissions?status=archived", headers=qlvb(world)).json() == []
    later = client.get("/api/v1/submissions?since=2999-01-01T00:00:00Z", headers=qlvb(world))
    assert later.json() == []
    assert_problem(client.get("/api/v1/submissions?status=nope", headers=qlvb(world)), 422)


def test_report_before_validation_is_pending(client: TestClient, world: World) -> None:
    submitted = submit(client, world, zip_bytes()).json()
    report = client.get(submitted["report_url"], headers=qlvb(world)).json()
    assert report["outcome"] == "indeterminate"
    assert report["status"] == "received"


def test_staging_keeps_big_uploads_off_the_heap(tmp_path: Path) -> None:
    from archive.services.staging import StagingWriter

    writer = StagingWriter(tmp_path, max_bytes=10 * 1024 * 1024)
    digest = hashlib.sha256()
    for n in range(160):
        chunk = bytes([n % 256]) * 65536
        digest.update(chunk)
        writer.write(chunk)
    staged = writer.finish()
    assert staged.size == 160 * 65536
    assert staged.sha256 == digest.hexdigest()
    assert staged.path.stat().st_size == staged.size
