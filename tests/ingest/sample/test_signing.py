from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from cryptography import x509
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from ingest.context import SignerRecognition
from ingest.sample.pdf_documents import write_attachment_pdf, write_document_pdf
from ingest.sample.pki import Credential, SamplePki
from ingest.sample.scanned import write_scanned_pdf
from ingest.sample.signing import (
    ORGANISATION_FIELD,
    PERSON_FIELD,
    default_signing_times,
    iso_time,
    sign_attachment,
    sign_digitised,
    sign_main_document,
)
from ingest.sample.text import DocumentContent, make_attachment_content, make_document_content
from tests.ingest.sample.conftest import MainDocument
from tests.ingest.sample.pdf_checks import extracted_text
from tests.ingest.sample.test_pki import signer_kind

# Objects a signature increment may add or change; anything else would alter the content.
SIGNATURE_OBJECT_TYPES = {"/Annot", "/Sig", "/XObject", "/XRef", "/Font", "/FontDescriptor", None}


@pytest.fixture(autouse=True)
def quiet_certvalidator() -> Iterator[None]:
    # certvalidator logs full tracebacks for the expected failures.
    logging.disable(logging.CRITICAL)
    yield
    logging.disable(logging.NOTSET)


def statuses(path: Path, root_pem: Path, moment: dt.datetime) -> dict[str, Any]:
    context = ValidationContext(
        trust_roots=[load_cert_from_pemder(str(root_pem))],
        allow_fetching=False,
        revocation_mode="soft-fail",
        moment=moment,
    )
    with path.open("rb") as stream:
        return {
            sig.field_name: validate_pdf_signature(sig, context)
            for sig in PdfFileReader(stream).embedded_signatures
        }


def sign(main: MainDocument, pki: SamplePki, out: Path, person: Credential | None = None) -> Path:
    sign_main_document(
        main.unsigned,
        out,
        main.content,
        main.layout,
        person=person or pki.person,
        organisation=pki.organisation,
    )
    return out


def test_both_signatures_validate_as_of_signing_time(
    main_document: MainDocument, pki: SamplePki, tmp_path: Path
) -> None:
    signed = sign(main_document, pki, tmp_path / "signed.pdf")
    person_time, organisation_time = default_signing_times(main_document.content.issued_date)
    found = statuses(signed, pki.root_pem, organisation_time)
    assert list(found) == [PERSON_FIELD, ORGANISATION_FIELD]
    rule = SignerRecognition()
    for field, kind, moment in (
        (PERSON_FIELD, "person", person_time),
        (ORGANISATION_FIELD, "organisation", organisation_time),
    ):
        status = found[field]
        assert status.bottom_line and status.intact and status.valid and status.trusted
        assert status.signer_reported_dt == moment
        cert = pikepdf_free_cert(status)
        assert signer_kind(cert, rule) == kind
    assert found[PERSON_FIELD].coverage.name == "ENTIRE_REVISION"
    assert found[PERSON_FIELD].modification_level.name == "FORM_FILLING"
    assert found[ORGANISATION_FIELD].coverage.name == "ENTIRE_FILE"
    with pikepdf.open(signed) as pdf:
        assert pdf.pdf_version == "1.7"
        assert signed.read_bytes().startswith(b"%PDF-1.7")


def pikepdf_free_cert(status: Any) -> x509.Certificate:
    """The signer's certificate as a ``cryptography`` object (pyHanko gives asn1crypto)."""
    return x509.load_der_x509_certificate(status.signing_cert.dump())


def added_objects(before: pikepdf.Pdf, after: pikepdf.Pdf) -> list[pikepdf.Object]:
    known = {obj.objgen for obj in before.objects}
    return [
        obj
        for obj in after.objects
        if obj.objgen not in known and isinstance(obj, pikepdf.Dictionary | pikepdf.Stream)
    ]


def assert_only_signature_objects_added(unsigned: Path, signed: Path) -> None:
    assert signed.read_bytes().startswith(unsigned.read_bytes())  # first revision untouched
    with pikepdf.open(unsigned) as before, pikepdf.open(signed) as after:
        assert set(after.Root.keys()) - set(before.Root.keys()) <= {"/AcroForm", "/Extensions"}
        assert after.Root.Metadata.read_bytes() == before.Root.Metadata.read_bytes()
        assert len(after.pages) == len(before.pages)
        for old, new in zip(before.pages, after.pages, strict=True):
            assert set(new.obj.keys()) - set(old.obj.keys()) <= {"/Annots"}
            assert new.Contents.read_bytes() == old.Contents.read_bytes()
        for obj in added_objects(before, after):
            kind = obj.get("/Type")
            assert kind in SIGNATURE_OBJECT_TYPES, f"unexpected {kind} in the increment"
            assert not {"/Kids", "/Pages", "/OpenAction", "/JS", "/S"} & set(obj.keys())


def test_signature_increments_add_only_signature_objects(
    main_document: MainDocument, decision: DocumentContent, pki: SamplePki, tmp_path: Path
) -> None:
    signed = sign(main_document, pki, tmp_path / "signed.pdf")
    assert_only_signature_objects_added(main_document.unsigned, signed)
    attachment = make_attachment_content(decision, 1)
    unsigned = tmp_path / "phu-luc.pdf"
    layout = write_attachment_pdf(attachment, unsigned)
    sign_attachment(
        unsigned, tmp_path / "signed-pl.pdf", attachment, layout, organisation=pki.organisation
    )
    assert_only_signature_objects_added(unsigned, tmp_path / "signed-pl.pdf")


def test_same_inputs_give_identical_signed_bytes(
    main_document: MainDocument, pki: SamplePki, tmp_path: Path
) -> None:
    first = sign(main_document, pki, tmp_path / "a.pdf")
    second = sign(main_document, pki, tmp_path / "b.pdf")
    assert first.read_bytes() == second.read_bytes()


def test_expired_certificate_fails_validation(
    main_document: MainDocument, pki: SamplePki, tmp_path: Path
) -> None:
    signed = sign(main_document, pki, tmp_path / "expired.pdf", person=pki.expired_person)
    found = statuses(
        signed, pki.root_pem, default_signing_times(main_document.content.issued_date)[1]
    )
    person = found[PERSON_FIELD]
    assert person.intact and not person.trusted and not person.bottom_line
    assert found[ORGANISATION_FIELD].bottom_line


def test_untrusted_root_fails_validation(
    main_document: MainDocument, pki: SamplePki, tmp_path: Path
) -> None:
    signed = sign(main_document, pki, tmp_path / "untrusted.pdf", person=pki.untrusted_person)
    found = statuses(
        signed, pki.root_pem, default_signing_times(main_document.content.issued_date)[1]
    )
    assert found[PERSON_FIELD].intact and not found[PERSON_FIELD].trusted
    assert not found[PERSON_FIELD].bottom_line


def test_attachment_has_exactly_one_organisation_signature(
    decision: DocumentContent, pki: SamplePki, tmp_path: Path
) -> None:
    attachment = make_attachment_content(decision, 1)
    unsigned = tmp_path / "phu-luc.pdf"
    layout = write_attachment_pdf(attachment, unsigned)
    signed = tmp_path / "phu-luc-signed.pdf"
    sign_attachment(unsigned, signed, attachment, layout, organisation=pki.organisation)
    moment = default_signing_times(decision.issued_date)[1]
    found = statuses(signed, pki.root_pem, moment)
    assert list(found) == [ORGANISATION_FIELD]
    status = found[ORGANISATION_FIELD]
    assert status.bottom_line and status.coverage.name == "ENTIRE_FILE"
    assert signer_kind(pikepdf_free_cert(status), SignerRecognition()) == "organisation"
    flattened = tmp_path / "flattened.pdf"
    with pikepdf.open(signed) as pdf:  # pypdf reads page content, not annotation appearances
        pdf.flatten_annotations("all")
        pdf.save(flattened)
    stamp_text = extracted_text(flattened)
    assert decision.number_symbol in stamp_text
    assert iso_time(moment) in stamp_text and iso_time(moment).endswith("+07:00")
    with pikepdf.open(signed) as pdf:
        (widget,) = pdf.pages[0].Annots
        x1, y1, x2, y2 = (float(v) for v in widget.Rect)
        width, height = float(pdf.pages[0].mediabox[2]), float(pdf.pages[0].mediabox[3])
        assert x2 > width * 0.8 and y2 > height * 0.9  # top right of page 1


def test_digitised_document_signed_by_organisation_only(pki: SamplePki, tmp_path: Path) -> None:
    content = make_document_content(31, pages=1)
    unsigned = tmp_path / "scan.pdf"
    layout = write_scanned_pdf(content, unsigned)
    signed = tmp_path / "scan-signed.pdf"
    sign_digitised(unsigned, signed, content, layout, organisation=pki.organisation)
    found = statuses(signed, pki.root_pem, default_signing_times(content.issued_date)[1])
    assert list(found) == [ORGANISATION_FIELD]
    assert found[ORGANISATION_FIELD].bottom_line


def test_time_to_build_one_signed_three_page_document(pki: SamplePki, tmp_path: Path) -> None:
    started = time.perf_counter()
    content = make_document_content(4242, pages=3)
    unsigned = tmp_path / "doc.pdf"
    layout = write_document_pdf(content, unsigned)
    signed = tmp_path / "signed.pdf"
    sign_main_document(
        unsigned, signed, content, layout, person=pki.person, organisation=pki.organisation
    )
    elapsed = time.perf_counter() - started
    print(f"\none signed 3-page document: {elapsed:.2f} s, {signed.stat().st_size} bytes")
    assert signed.stat().st_size > unsigned.stat().st_size
