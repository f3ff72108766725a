"""Helpers for the accession, archiving, dossier, receipt and rebuild tests (no tests here):
a sample package pushed by the QLVB key, validated by the real job, accepted, archived."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from archive.catalog.records import Submission
from archive.jobs.registry import JobContext
from archive.services import accession, trust
from archive.services.archiving import archive_submission
from archive.services.validation import validate_submission
from archive.settings import Settings
from ingest.sample.agencies import SO_NOI_VU_NGHE_AN
from ingest.sample.package import (
    BuiltPackage,
    PackageSpec,
    agency_pki,
    build_package,
    default_cache_dir,
)
from tests.conftest import World, login


def trust_sample_pki(world: World) -> None:
    pki, _ = agency_pki(SO_NOI_VU_NGHE_AN, 2025, default_cache_dir())
    with world.session() as session:
        trust.add_trust_anchors(session, pki.root_pem.read_bytes(), actor="test")


def job_context(world: World, settings: Settings, job_id: str = "test", attempt: int = 1,
                sent: list[tuple[str, float]] | None = None) -> JobContext:  # fmt: skip
    box = sent if sent is not None else []
    return JobContext(
        job_id=job_id,
        attempt=attempt,
        settings=settings,
        engine=world.engine,
        heartbeat=lambda: None,
        dispatch=lambda job, countdown: box.append((job, countdown)),
    )


@dataclass
class Flow:
    client: TestClient
    world: World
    settings: Settings
    tmp_path: Path
    built: dict[str, BuiltPackage] = field(default_factory=dict)

    def submit(self, seed: int, documents: int = 2) -> str:
        built = build_package(
            PackageSpec(seed=seed, agency=SO_NOI_VU_NGHE_AN, documents=documents),
            self.tmp_path / f"pkg-{seed}",
        )
        response = self.client.post(
            "/api/v1/submissions",
            content=built.zip_path.read_bytes(),
            headers={
                "Authorization": f"Bearer {self.world.api_keys['nghean_sonv']}",
                "content-type": "application/zip",
                "X-Callback-URL": "https://qlvb.example/cb",
            },
        )
        assert response.status_code == 202, response.text
        submission_id = str(response.json()["id"])
        self.built[submission_id] = built
        return submission_id

    def validate(self, submission_id: str, settings: Settings | None = None) -> str:
        result = validate_submission(
            job_context(self.world, settings or self.settings), {"submission_id": submission_id}
        )
        assert result is not None
        return str(result["status"])

    def submit_validated(self, seed: int, documents: int = 2) -> str:
        submission_id = self.submit(seed, documents)
        assert self.validate(submission_id) == "awaiting_review"
        return submission_id

    def acknowledgements(self, submission_id: str) -> list[dict[str, Any]]:
        with self.world.session() as session:
            submission = session.get(Submission, submission_id)
            assert submission is not None
            found = accession.indeterminate_findings(submission.report)
        return [
            {"code": f["code"], "path": f["path"], "note": "đã kiểm tra thủ công"} for f in found
        ]

    def accept(self, submission_id: str, user: str = "archivist", **body: Any) -> Any:
        payload = {"acknowledgements": self.acknowledgements(submission_id), **body}
        return self.client.post(
            f"/api/v1/submissions/{submission_id}/accept",
            json=payload,
            headers=login(self.client, user),
        )

    def archive(self, submission_id: str, settings: Settings | None = None) -> dict[str, Any]:
        result = archive_submission(
            job_context(self.world, settings or self.settings), {"submission_id": submission_id}
        )
        assert result is not None
        return result

    def archived(self, seed: int, documents: int = 2) -> tuple[str, str]:
        """(submission id, dossier id) of a sample dossier taken all the way into storage."""
        submission_id = self.submit_validated(seed, documents)
        assert self.accept(submission_id).status_code == 202
        result = self.archive(submission_id)
        assert result["status"] == "archived", result
        return submission_id, str(result["dossier_id"])
