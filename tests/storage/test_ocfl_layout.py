from __future__ import annotations

import pytest

from storage.errors import OcflError
from storage.ocfl_layout import EXTENSION_NAME, HashedNTupleLayout


def test_examples_from_the_extension_text() -> None:
    # https://ocfl.github.io/extensions/0004-hashed-n-tuple-storage-layout.html, examples 1-3
    digest = "3c0ff4240c1e116dba14c7627f2319b58aa3d77606d0d90dfc6161608ac987d4"
    assert HashedNTupleLayout().object_root("object-01") == f"3c0/ff4/240/{digest}"
    short = HashedNTupleLayout(short_object_root=True)
    assert short.object_root("object-01") == f"3c0/ff4/240/{digest[9:]}"
    flat = HashedNTupleLayout(tuple_size=0, number_of_tuples=0)
    assert flat.object_root("object-01") == digest


def test_config_round_trip() -> None:
    layout = HashedNTupleLayout()
    assert layout.config() == {
        "extensionName": EXTENSION_NAME,
        "digestAlgorithm": "sha256",
        "tupleSize": 3,
        "numberOfTuples": 3,
        "shortObjectRoot": False,
    }
    assert HashedNTupleLayout.from_config(layout.config()) == layout
    assert layout.layout_json()["extension"] == EXTENSION_NAME


@pytest.mark.parametrize(
    "kwargs",
    [
        {"tuple_size": 0, "number_of_tuples": 3},
        {"tuple_size": 33, "number_of_tuples": 2},
        {"digest_algorithm": "crc32"},
        {"tuple_size": 8, "number_of_tuples": 8, "short_object_root": True},
    ],
)
def test_bad_parameters_refused(kwargs: dict[str, object]) -> None:
    with pytest.raises(OcflError):
        HashedNTupleLayout(**kwargs)  # type: ignore[arg-type]


def test_other_extension_config_refused() -> None:
    with pytest.raises(OcflError):
        HashedNTupleLayout.from_config({"extensionName": "0002-flat-direct-storage-layout"})
