"""Shared, session-wide sample material: generating a PKI takes seconds, so it is made once."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from ingest.sample.agencies import QUYET_DINH, UBND_NGHE_AN
from ingest.sample.layout import DocumentLayout
from ingest.sample.pdf_documents import write_document_pdf
from ingest.sample.pki import PkiSubjects, SamplePki, build_test_pki
from ingest.sample.text import DocumentContent, make_document_content

SEED = 20250305


@dataclass(frozen=True)
class MainDocument:
    content: DocumentContent
    layout: DocumentLayout
    unsigned: Path


@pytest.fixture(scope="session")
def sample_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("sample")


@pytest.fixture(scope="session")
def decision() -> DocumentContent:
    """A three-page Quyết định of UBND tỉnh Nghệ An."""
    return make_document_content(SEED, pages=3, agency=UBND_NGHE_AN, doc_type=QUYET_DINH)


@pytest.fixture(scope="session")
def pki(decision: DocumentContent, sample_dir: Path) -> SamplePki:
    return build_test_pki(
        SEED, PkiSubjects.of(decision), decision.issued_date, sample_dir / "pki-cache"
    )


@pytest.fixture(scope="session")
def main_document(decision: DocumentContent, sample_dir: Path) -> MainDocument:
    path = sample_dir / "decision.pdf"
    layout = write_document_pdf(decision, path)
    return MainDocument(decision, layout, path)
