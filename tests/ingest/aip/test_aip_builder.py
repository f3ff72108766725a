"""AIP_hoso built from a sample SIP_hoso: valid METS (CSIP, AIP) and EADs (AIP schemas), PREMIS
with fixity and formats, the submitted files kept; read back into the same description."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

import pytest
from lxml import etree

from ingest.aip import AipAgent, AipError, AipInput, PremisEventRecord, build_aip, read_aip
from ingest.aip.ead import condition_code
from ingest.package import read_package
from ingest.sample.agencies import SO_NOI_VU_NGHE_AN
from ingest.sample.package import PackageSpec, build_package
from ingest.unpack import unpack
from metadata_schemas.schemas import validate

CREATED = dt.datetime(2026, 1, 5, 8, 0, tzinfo=dt.UTC)
REPORT = {
    "findings": [
        {
            "code": "FMT-IDENTIFIED",
            "path": "representations/rep1/data/X.pdf",
            "detail": {"puid": "fmt/477", "format_name": "PDF/A", "format_version": "2b",
                       "mime": "application/pdf"},
        }
    ]
}  # fmt: skip


def _input(root: Path, **overrides: object) -> AipInput:
    package, _ = read_package(root)
    event = PremisEventRecord(
        str(uuid.uuid4()), "information package creation", CREATED, "software:luutru",
        "success", {"package": "AIP_hoso"}, ({"type": "URN", "id": "x", "role": "outcome"},),
    )  # fmt: skip
    values: dict[str, object] = {
        "package": package,
        "object_uuid": "6f1c1a8e-3b57-4c1e-9a53-0d6c2b1f7e42",
        "created": CREATED,
        "archive_code": "000.00.00.H41",
        "archive_name": "Lưu trữ cơ quan UBND tỉnh Nghệ An",
        "agency_name": "Sở Nội vụ tỉnh Nghệ An",
        "agency_code": "000.00.01.H41",
        "submission_id": "sub-1",
        "report": REPORT,
        "events": [event],
        "agents": [AipAgent("software:luutru", "luutru", "software", "1.0")],
    }
    values.update(overrides)
    return AipInput(**values)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def sip_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sip")
    built = build_package(PackageSpec(seed=91, agency=SO_NOI_VU_NGHE_AN, documents=2), out)
    result = unpack(built.zip_path, out / "unpacked")
    assert result.root is not None
    return result.root


def test_aip_is_valid_and_reads_back_the_same(sip_root: Path, tmp_path: Path) -> None:
    built = build_aip(_input(sip_root), tmp_path / "aip")
    local = dict(built.files)
    mets = etree.parse(str(local["METS.xml"]))
    assert validate("METS", mets) == []
    assert mets.getroot().get("OBJID") == "urn:uuid:6f1c1a8e-3b57-4c1e-9a53-0d6c2b1f7e42"
    ead = etree.parse(str(local["metadata/descriptive/EAD.xml"]))
    assert validate("EAD_AIP", ead) == []
    assert ead.findtext("arcFileCode") == f"000.00.00.H41.{built.description.file_code}"
    assert ead.findtext("format") == "01"  # "Tốt" in the SIP
    data = [p for p in local if p.startswith("representations/rep1/data/")]
    assert all(local[p].is_relative_to(sip_root) for p in data)  # streamed from the SIP as is
    assert {"document", "metadata", "report"} <= {f.role for f in built.description.files}

    files = {f.logical_path: (f.size, f.sha256) for f in built.description.files}
    again = read_aip(lambda path: local[path].open("rb"), files)
    assert again == built.description


def test_condition_codes_and_invalid_metadata(sip_root: Path, tmp_path: Path) -> None:
    assert [condition_code(x) for x in ("Tốt", "bình thường", "03", "???")] == [
        "01",
        "02",
        "03",
        "",
    ]
    broken = _input(sip_root, archive_code="X" * 120)  # arcFileCode longer than 100
    with pytest.raises(AipError) as info:
        build_aip(broken, tmp_path / "aip")
    assert "EAD_AIP" in str(info.value)
