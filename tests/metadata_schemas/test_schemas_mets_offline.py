"""METS 1.12 + CSIP validation works offline and checks the CSIP and XLink attributes."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from metadata_schemas import schemas
from metadata_schemas.errors import UnknownSchemaError
from metadata_schemas.schemas import load_schema, validate
from metadata_schemas.xml import parse_xml

SHARED_SCHEMAS = Path(__file__).resolve().parents[2] / ".." / "shared" / "schemas"
CHECKSUM = "0" * 64

METS = """<?xml version="1.0" encoding="UTF-8"?>
<mets xmlns="http://www.loc.gov/METS/" xmlns:xlink="http://www.w3.org/1999/xlink"
      xmlns:csip="https://DILCIS.eu/XML/METS/CSIPExtensionMETS"
      OBJID="uuid-2f1c0b7e-8d4a-4c55-9a57-3f0e6a1d2b44" TYPE="Mixed"
      PROFILE="https://earkcsip.dilcis.eu/profile/E-ARK-CSIP.xml"
      csip:CONTENTINFORMATIONTYPE="MIXED">
  <metsHdr CREATEDATE="2025-12-01T10:00:00.0+07:00" RECORDSTATUS="NEW"
           csip:OAISPACKAGETYPE="{package_type}">
    <agent ROLE="CREATOR" TYPE="OTHER" OTHERTYPE="SOFTWARE">
      <name>QLVB</name>
      <note csip:NOTETYPE="SOFTWARE VERSION">3.2</note>
    </agent>
  </metsHdr>
  <dmdSec ID="dmd-ead">
    <mdRef LOCTYPE="URL" xlink:type="{link_type}" xlink:href="metadata/descriptive/EAD.xml"
           MDTYPE="OTHER" OTHERMDTYPE="EAD" MIMETYPE="text/xml" SIZE="1024"
           CHECKSUM="{checksum}" CHECKSUMTYPE="SHA-256"/>
  </dmdSec>
  <fileSec>
    <fileGrp USE="Representations/rep1">
      <file ID="file-rep1-mets" MIMETYPE="text/xml" SIZE="2048" CHECKSUM="{checksum}"
            CHECKSUMTYPE="SHA-256">
        <FLocat LOCTYPE="URL" xlink:type="simple" xlink:href="representations/rep1/METS.xml"/>
      </file>
    </fileGrp>
  </fileSec>
  <structMap TYPE="PHYSICAL" LABEL="CSIP">
    <div LABEL="uuid-2f1c0b7e-8d4a-4c55-9a57-3f0e6a1d2b44">
      <div LABEL="Representations/rep1"><fptr FILEID="file-rep1-mets"/></div>
    </div>
  </structMap>
</mets>
"""


def mets(package_type: str = "SIP", link_type: str = "simple") -> bytes:
    text = METS.format(package_type=package_type, link_type=link_type, checksum=CHECKSUM)
    return text.encode("utf-8")


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("schema loading tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    schemas._loaded.cache_clear()
    yield
    schemas._loaded.cache_clear()


def test_mets_schema_loads_without_network(no_network: None) -> None:
    assert validate("METS", parse_xml(mets())) == []


def test_csip_package_type_outside_its_list_is_rejected() -> None:
    errors = validate("METS", parse_xml(mets(package_type="XIP")))
    assert len(errors) == 1
    assert "OAISPACKAGETYPE" in errors[0].message
    assert errors[0].line == 8  # libxml2 reports the line on which the start tag ends


def test_xlink_attributes_are_checked_against_the_local_xlink_schema() -> None:
    errors = validate("METS", parse_xml(mets(link_type="bogus")))
    assert len(errors) == 1
    assert "xlink}type" in errors[0].message
    assert errors[0].line == 17


def test_schemas_are_loaded_once() -> None:
    assert load_schema("EAD_doc_SIP") is load_schema("EAD_doc_SIP")


def test_unknown_schema_name_is_a_typed_error() -> None:
    with pytest.raises(UnknownSchemaError):
        load_schema("EAD_doc_XIP")


@pytest.mark.parametrize("name", ["METS.xsd", "xlink.xsd", "DILCISExtensionMETS.xsd"])
def test_public_schemas_are_unmodified_copies(name: str) -> None:
    if not SHARED_SCHEMAS.is_dir():
        pytest.skip("../shared/schemas is not present beside the repository")
    ours = (schemas.XSD_DIR / name).read_bytes()
    assert ours == (SHARED_SCHEMAS / name).read_bytes()
