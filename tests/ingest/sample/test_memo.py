"""The test-suite memo copies a package built once; the copy is the package itself."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from ingest.sample.agencies import SO_NOI_VU_NGHE_AN
from ingest.sample.memo import MEMO_ENV
from ingest.sample.package import PackageSpec, build_package


def test_memo_returns_the_same_bytes_as_a_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = PackageSpec(seed=41, agency=SO_NOI_VU_NGHE_AN, documents=1)
    monkeypatch.setenv(MEMO_ENV, str(tmp_path / "memo"))
    first = build_package(spec, tmp_path / "a")
    copied = build_package(spec, tmp_path / "b")
    monkeypatch.delenv(MEMO_ENV)
    fresh = build_package(spec, tmp_path / "c")
    assert copied.zip_path.parent == tmp_path / "b"
    digests = {hashlib.sha256(p.zip_path.read_bytes()).hexdigest() for p in (first, copied, fresh)}
    assert digests == {fresh.sha256}
    assert len(list((tmp_path / "memo").iterdir())) == 1
