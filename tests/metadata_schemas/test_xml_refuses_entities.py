"""parse_xml refuses entity declarations and external DTDs without expanding or fetching them."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from lxml import etree

from metadata_schemas.errors import MalformedXmlError, UnsafeXmlError
from metadata_schemas.xml import parse_xml, safe_parser

SECRET = "CONTENT-OF-A-LOCAL-FILE"


def billion_laughs(levels: int = 10) -> bytes:
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, levels)
    ]
    return f"<!DOCTYPE lolz [{''.join(entities)}]><lolz>&lol{levels - 1};</lolz>".encode()


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text(SECRET)
    return path


def test_external_entity_is_refused(secret_file: Path) -> None:
    document = f'<!DOCTYPE r [<!ENTITY x SYSTEM "{secret_file.as_uri()}">]><r>&x;</r>'
    with pytest.raises(UnsafeXmlError) as refused:
        parse_xml(document.encode())
    assert SECRET not in str(refused.value)


def test_external_parameter_entity_is_refused(secret_file: Path) -> None:
    document = f'<!DOCTYPE r [<!ENTITY % x SYSTEM "{secret_file.as_uri()}"> %x;]><r/>'
    with pytest.raises(UnsafeXmlError):
        parse_xml(document.encode())


def test_external_dtd_is_refused(secret_file: Path) -> None:
    with pytest.raises(UnsafeXmlError):
        parse_xml(f'<!DOCTYPE r SYSTEM "{secret_file.as_uri()}"><r/>'.encode())


def test_billion_laughs_is_refused_quickly() -> None:
    started = time.monotonic()
    with pytest.raises(UnsafeXmlError):
        parse_xml(billion_laughs())
    assert time.monotonic() - started < 1.0


def test_utf16_document_with_entities_is_refused() -> None:
    document = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE r [<!ENTITY x "y">]><r>&x;</r>'
    with pytest.raises(UnsafeXmlError):
        parse_xml(document.encode("utf-16"))


def test_entities_declared_after_a_long_prolog_are_refused() -> None:
    padding = "<!--" + "x" * 100_000 + "-->"
    with pytest.raises(UnsafeXmlError):
        parse_xml(f'{padding}<!DOCTYPE r [<!ENTITY x "y">]><r>&x;</r>'.encode())


def test_file_input_is_checked_too(tmp_path: Path) -> None:
    path = tmp_path / "EAD.xml"
    path.write_bytes(billion_laughs())
    with pytest.raises(UnsafeXmlError):
        parse_xml(path)


def test_plain_doctype_without_entities_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "EAD.xml"
    path.write_text("<!DOCTYPE simpledc><simpledc><title>Hồ sơ</title></simpledc>", "utf-8")
    tree = parse_xml(path)
    assert tree.getroot().findtext("title") == "Hồ sơ"


def test_malformed_xml_reports_its_line() -> None:
    with pytest.raises(MalformedXmlError) as malformed:
        parse_xml(b"<simpledc>\n<title>x</simpledc>")
    assert malformed.value.line == 2


def test_safe_parser_never_expands_entities(secret_file: Path) -> None:
    document = f'<!DOCTYPE r [<!ENTITY x SYSTEM "{secret_file.as_uri()}">]><r>&x;</r>'
    root = etree.fromstring(document.encode(), safe_parser())
    assert SECRET not in etree.tostring(root, encoding="unicode")
