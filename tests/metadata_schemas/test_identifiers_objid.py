"""Package OBJIDs: SIP uuid-<UUID>; AIP urn:uuid:<UUID> or urn:<mã phông>:uuid-<UUID>."""

from __future__ import annotations

import uuid

import pytest

from metadata_schemas.errors import InvalidValueError
from metadata_schemas.identifiers import parse_aip_objid, parse_sip_objid, sip_objid

VALUE = uuid.UUID("2f1c0b7e-8d4a-4c55-9a57-3f0e6a1d2b44")


@pytest.mark.parametrize("text", [f"uuid-{VALUE}", f"uuid-{str(VALUE).upper()}"])
def test_sip_objid_gives_its_uuid(text: str) -> None:
    assert parse_sip_objid(text) == VALUE


def test_sip_objid_round_trips() -> None:
    assert parse_sip_objid(sip_objid(VALUE)) == VALUE


@pytest.mark.parametrize(
    "text", [str(VALUE), f"urn:uuid:{VALUE}", f"uuid_{VALUE}", f"uuid-{str(VALUE)[:-1]}"]
)
def test_bad_sip_objid_is_rejected(text: str) -> None:
    with pytest.raises(InvalidValueError) as wrong:
        parse_sip_objid(text)
    assert wrong.value.part == "objid"


def test_aip_objid_without_fonds() -> None:
    objid = parse_aip_objid(f"urn:uuid:{VALUE}")
    assert objid.uuid == VALUE and objid.fonds_code is None
    assert objid.folder_name == f"urn_uuid_{VALUE}"


def test_aip_objid_with_fonds_code() -> None:
    objid = parse_aip_objid(f"urn:P123:uuid-{VALUE}")
    assert (objid.uuid, objid.fonds_code) == (VALUE, "P123")
    assert str(objid) == f"urn:P123:uuid-{VALUE}"
    assert objid.folder_name == f"urn_P123_uuid-{VALUE}"


@pytest.mark.parametrize("text", [f"uuid-{VALUE}", f"urn:uuid-{VALUE}", f"urn:a:b:uuid-{VALUE}"])
def test_bad_aip_objid_is_rejected(text: str) -> None:
    with pytest.raises(InvalidValueError):
        parse_aip_objid(text)
