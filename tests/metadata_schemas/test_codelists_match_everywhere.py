"""The XSD enumerations, the JSON file and the enums hold exactly the Python code lists."""

from __future__ import annotations

import json

import pytest
from lxml import etree

from metadata_schemas import enums
from metadata_schemas.codelists import ALL_CODE_LISTS, CodeList
from metadata_schemas.generate import JSON_PATH, XSD_PATH

XS = {"xs": "http://www.w3.org/2001/XMLSchema"}
ENUMERATION_VALUES = etree.XPath("xs:restriction/xs:enumeration/@value", namespaces=XS)


def xsd_enumerations() -> dict[str, list[str]]:
    root = etree.parse(str(XSD_PATH)).getroot()
    return {
        simple_type.get("name"): ENUMERATION_VALUES(simple_type)
        for simple_type in root.iterfind("xs:simpleType", XS)
    }


@pytest.mark.parametrize("code_list", ALL_CODE_LISTS, ids=lambda cl: cl.name)
def test_xsd_enumeration_equals_python_list(code_list: CodeList) -> None:
    assert xsd_enumerations()[code_list.xsd_type] == list(code_list.code_values())


def test_xsd_has_no_type_without_a_python_list() -> None:
    assert set(xsd_enumerations()) == {code_list.xsd_type for code_list in ALL_CODE_LISTS}


@pytest.mark.parametrize("code_list", ALL_CODE_LISTS, ids=lambda cl: cl.name)
def test_enum_equals_python_list(code_list: CodeList) -> None:
    enum_class = getattr(enums, code_list.enum_name)
    assert [(member.name, member.value) for member in enum_class] == [
        (item.key, item.code) for item in code_list.codes
    ]


@pytest.mark.parametrize("code_list", ALL_CODE_LISTS, ids=lambda cl: cl.name)
def test_json_labels_equal_python_list(code_list: CodeList) -> None:
    published = json.loads(JSON_PATH.read_text(encoding="utf-8"))["lists"][code_list.name]
    assert {code: (entry["vi"], entry["en"]) for code, entry in published["codes"].items()} == {
        item.code: (item.vi, item.en) for item in code_list.codes
    }


def test_code_lists_have_unique_codes_keys_and_types() -> None:
    for code_list in ALL_CODE_LISTS:
        assert len(set(code_list.code_values())) == len(code_list.codes), code_list.name
        assert len({item.key for item in code_list.codes}) == len(code_list.codes), code_list.name
    assert len({code_list.xsd_type for code_list in ALL_CODE_LISTS}) == len(ALL_CODE_LISTS)
