"""Each broken variant is produced and carries its own defect."""

from __future__ import annotations

import hashlib
import logging
import stat
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from lxml import etree
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from ingest.sample.agencies import UBND_NGHE_AN
from ingest.sample.broken import BROKEN_RULES
from ingest.sample.package import BuiltPackage, PackageSpec
from ingest.sample.scanned import page_dpi
from ingest.sample.signing import ORGANISATION_FIELD, PERSON_FIELD
from metadata_schemas.dates import parse_date
from metadata_schemas.errors import MalformedXmlError, UnsafeXmlError
from metadata_schemas.marks import is_secret
from metadata_schemas.xml import parse_xml
from tests.ingest.sample.pdf_checks import extracted_text

SPEC = PackageSpec(seed=99, agency=UBND_NGHE_AN, documents=2, pages_max=1, attachment_share=0.0)
NS = {"mets": "http://www.loc.gov/METS/", "csip": "https://DILCIS.eu/XML/METS/CSIPExtensionMETS"}


@pytest.fixture(autouse=True)
def quiet_certvalidator() -> Iterator[None]:
    logging.disable(logging.CRITICAL)
    yield
    logging.disable(logging.NOTSET)


@pytest.fixture(scope="module")
def pki_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pki")


@pytest.fixture(scope="module")
def make(
    tmp_path_factory: pytest.TempPathFactory, pki_cache: Path
) -> Callable[[str], BuiltPackage]:
    def build(name: str) -> BuiltPackage:
        return BROKEN_RULES[name].build(SPEC, tmp_path_factory.mktemp(name), pki_cache)

    return build


def entry(built: BuiltPackage, name: str) -> bytes:
    with zipfile.ZipFile(built.zip_path) as archive:
        return archive.read(f"{built.objid}/{name}")


def main_pdf(built: BuiltPackage, tmp_path: Path) -> Path:
    path = tmp_path / "main.pdf"
    with zipfile.ZipFile(built.zip_path) as archive:
        path.write_bytes(archive.read(built.documents[0].files[0]))
    return path


def ead_doc(built: BuiltPackage, n: int = 1) -> etree._Element:
    return etree.fromstring(
        entry(built, f"representations/rep1/metadata/descriptive/EAD_doc_{n}.xml")
    )


def dossier(built: BuiltPackage) -> etree._Element:
    return etree.fromstring(entry(built, "metadata/descriptive/EAD.xml"))


def signatures(path: Path, pki_cache: Path) -> dict[str, Any]:
    """pyHanko's status of each signature, trusting the agency's test root only."""
    (root_pem,) = pki_cache.glob("pki-*/root.cert.pem")  # one agency, one year: one PKI
    context = ValidationContext(
        trust_roots=[load_cert_from_pemder(str(root_pem))],
        allow_fetching=False,
        revocation_mode="soft-fail",
    )
    with path.open("rb") as stream:
        return {
            s.field_name: validate_pdf_signature(s, context)
            for s in PdfFileReader(stream).embedded_signatures
        }


def test_every_rule_is_listed_with_both_descriptions() -> None:
    assert len(BROKEN_RULES) >= 33
    for name, variant in BROKEN_RULES.items():
        assert variant.name == name and variant.description_vi and variant.description_en
        assert variant.expected_codes_hint


def test_checksum_mismatch(make: Callable[[str], BuiltPackage]) -> None:
    built = make("checksum-mismatch")
    rep = etree.fromstring(entry(built, "representations/rep1/METS.xml"))
    (element,) = rep.iterfind(".//mets:file[@ID='file-1']", NS)
    data = entry(
        built, "representations/rep1/data/" + built.documents[0].files[0].rsplit("/", 1)[1]
    )
    assert element.get("CHECKSUM") != hashlib.sha256(data).hexdigest()
    root = etree.fromstring(entry(built, "METS.xml"))
    (rep_file,) = root.iterfind(".//mets:file[@ID='rep1-mets']", NS)
    assert (
        rep_file.get("CHECKSUM")
        == hashlib.sha256(entry(built, "representations/rep1/METS.xml")).hexdigest()
    )


def test_file_missing(make: Callable[[str], BuiltPackage]) -> None:
    built = make("file-missing")
    assert b"schemas/codelists.xsd" in entry(built, "METS.xml")
    with zipfile.ZipFile(built.zip_path) as archive:
        assert f"{built.objid}/schemas/codelists.xsd" not in archive.namelist()


def test_unexpected_file(make: Callable[[str], BuiltPackage]) -> None:
    built = make("unexpected-file")
    assert entry(built, "ghi-chu.txt")
    assert b"ghi-chu.txt" not in entry(built, "METS.xml")


@pytest.mark.parametrize(
    ("rule", "check"),
    [
        ("path-traversal-entry", lambda info: "/../" in info.filename),
        ("absolute-path-entry", lambda info: info.filename.startswith("/")),
        ("symlink-entry", lambda info: stat.S_ISLNK(info.external_attr >> 16)),
        (
            "zip-bomb",
            lambda info: info.file_size > 300 * 2**20 and info.file_size / info.compress_size > 500,
        ),
    ],
)
def test_zip_entry_defects(
    make: Callable[[str], BuiltPackage], rule: str, check: Callable[[zipfile.ZipInfo], bool]
) -> None:
    with zipfile.ZipFile(make(rule).zip_path) as archive:
        assert sum(1 for info in archive.infolist() if check(info)) == 1


def test_not_a_zip(make: Callable[[str], BuiltPackage]) -> None:
    built = make("not-a-zip")
    assert not zipfile.is_zipfile(built.zip_path)
    assert built.sha256 == hashlib.sha256(built.zip_path.read_bytes()).hexdigest()


def test_mets_not_well_formed(make: Callable[[str], BuiltPackage]) -> None:
    with pytest.raises(MalformedXmlError):
        parse_xml(entry(make("mets-not-well-formed"), "METS.xml"))


def test_mets_missing_csip_attributes(make: Callable[[str], BuiltPackage]) -> None:
    root = etree.fromstring(entry(make("mets-missing-csip-attributes"), "METS.xml"))
    assert root.get("OBJID") is None and root.get("PROFILE") is None
    assert not root.xpath("//@csip:OAISPACKAGETYPE", namespaces=NS)


def test_ead_doc_without_file(make: Callable[[str], BuiltPackage]) -> None:
    built = make("ead-doc-without-file")
    assert ead_doc(built, 3).findtext("docId") == f"{built.file_code}.3"
    assert built.documents[2].files == ()
    assert dossier(built).findtext("totalDoc") == "3"


def test_file_without_ead_doc(make: Callable[[str], BuiltPackage]) -> None:
    built = make("file-without-ead-doc")
    assert entry(built, f"representations/rep1/data/{built.file_code}.3.pdf")
    with zipfile.ZipFile(built.zip_path) as archive:
        assert not any(name.endswith("EAD_doc_3.xml") for name in archive.namelist())
    assert dossier(built).findtext("totalDoc") == "2"


def test_code_value_out_of_list(make: Callable[[str], BuiltPackage]) -> None:
    assert ead_doc(make("code-value-out-of-list")).findtext("typeName") == "99"


def test_dates_reversed(make: Callable[[str], BuiltPackage]) -> None:
    record = dossier(make("dates-reversed"))
    assert parse_date(record.findtext("startDate") or "") > parse_date(
        record.findtext("endDate") or ""
    )


def test_total_doc_wrong(make: Callable[[str], BuiltPackage]) -> None:
    built = make("total-doc-wrong")
    assert int(dossier(built).findtext("totalDoc") or 0) == len(built.documents) + 1


def test_number_of_page_mismatch(make: Callable[[str], BuiltPackage], tmp_path: Path) -> None:
    built = make("number-of-page-mismatch")
    with pikepdf.open(main_pdf(built, tmp_path)) as pdf:
        assert int(ead_doc(built).findtext("numberOfPage") or 0) == len(pdf.pages) + 1


def test_secret_dossier_mode_03(make: Callable[[str], BuiltPackage]) -> None:
    built = make("secret-dossier-mode-03")
    assert dossier(built).findtext("mode") == "03" and ead_doc(built).findtext("mode") == "03"


def test_secret_mark_in_document(make: Callable[[str], BuiltPackage], tmp_path: Path) -> None:
    built = make("secret-mark-in-document")
    assert is_secret(ead_doc(built).findtext("description") or "")
    assert "MẬT" in extracted_text(main_pdf(built, tmp_path)).split()
    assert ead_doc(built).findtext("mode") == "01"


def test_pdf_not_pdfa(make: Callable[[str], BuiltPackage], tmp_path: Path) -> None:
    with pikepdf.open(main_pdf(make("pdf-not-pdfa"), tmp_path)) as pdf, pdf.open_metadata() as xmp:
        assert xmp.get("pdfaid:part") is None
        assert len(pdf.Root.AcroForm.Fields) == 2


def test_pdfa_with_javascript(make: Callable[[str], BuiltPackage], tmp_path: Path) -> None:
    with (
        pikepdf.open(main_pdf(make("pdfa-with-javascript"), tmp_path)) as pdf,
        pdf.open_metadata() as xmp,
    ):
        assert pikepdf.Name.JavaScript == pdf.Root.OpenAction.S
        assert str(xmp.get("pdfaid:part")) == "2"


def test_encrypted_pdf(make: Callable[[str], BuiltPackage], tmp_path: Path) -> None:
    with pikepdf.open(main_pdf(make("encrypted-pdf"), tmp_path)) as pdf:
        assert pdf.is_encrypted


def _fields(built: BuiltPackage, tmp_path: Path, pki_cache: Path) -> dict[str, Any]:
    return signatures(main_pdf(built, tmp_path), pki_cache)


def test_unsigned_document(
    make: Callable[[str], BuiltPackage], tmp_path: Path, pki_cache: Path
) -> None:
    assert _fields(make("unsigned-document"), tmp_path, pki_cache) == {}


def test_signature_broken_by_changed_byte(
    make: Callable[[str], BuiltPackage], tmp_path: Path, pki_cache: Path
) -> None:
    found = _fields(make("signature-broken-by-changed-byte"), tmp_path, pki_cache)
    assert found and not any(status.intact for status in found.values())


def test_person_signature_only(
    make: Callable[[str], BuiltPackage], tmp_path: Path, pki_cache: Path
) -> None:
    assert list(_fields(make("person-signature-only"), tmp_path, pki_cache)) == [PERSON_FIELD]


@pytest.mark.parametrize("rule", ["signer-untrusted-root", "signer-certificate-expired"])
def test_person_certificate_defects(
    make: Callable[[str], BuiltPackage], tmp_path: Path, pki_cache: Path, rule: str
) -> None:
    built = make(rule)
    found = _fields(built, tmp_path, pki_cache)
    person, organisation = found[PERSON_FIELD], found[ORGANISATION_FIELD]
    assert person.intact and organisation.intact
    assert organisation.trusted and not person.trusted
    cert = person.signing_cert
    signed_at = person.signer_reported_dt
    expired = cert.not_valid_after < signed_at
    assert expired == (rule == "signer-certificate-expired")


def test_eicar_file(make: Callable[[str], BuiltPackage]) -> None:
    built = make("eicar-file")
    text = entry(
        built, "representations/rep1/data/" + built.documents[0].files[-1].rsplit("/", 1)[1]
    )
    assert text.startswith(b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!")


@pytest.mark.parametrize("rule", ["xml-external-entity", "xml-billion-laughs"])
def test_hostile_xml(make: Callable[[str], BuiltPackage], rule: str) -> None:
    text = entry(make(rule), "representations/rep1/metadata/descriptive/EAD_doc_1.xml")
    assert b"<!ENTITY" in text
    with pytest.raises(UnsafeXmlError):
        parse_xml(text)


def test_title_2000_characters(make: Callable[[str], BuiltPackage]) -> None:
    assert len(dossier(make("title-2000-characters")).findtext("title") or "") == 2000


def test_scan_150_dpi(make: Callable[[str], BuiltPackage], tmp_path: Path) -> None:
    with pikepdf.open(main_pdf(make("scan-150-dpi"), tmp_path)) as pdf:
        assert round(page_dpi(pdf.pages[0])[0]) == 150


def test_scan_no_text_layer(make: Callable[[str], BuiltPackage], tmp_path: Path) -> None:
    path = main_pdf(make("scan-no-text-layer"), tmp_path)
    with pikepdf.open(path) as pdf:
        assert len(pdf.pages[0].images) == 1  # still a scan
    # Only the organisation's corner stamp (a signature appearance) carries text.
    assert UBND_NGHE_AN.name not in extracted_text(path).replace(UBND_NGHE_AN.name, "", 1)


def test_scan_greyscale_8_bit(make: Callable[[str], BuiltPackage], tmp_path: Path) -> None:
    with pikepdf.open(main_pdf(make("scan-greyscale-8-bit"), tmp_path)) as pdf:
        ((_, image),) = pdf.pages[0].images.items()
        assert image.ColorSpace == pikepdf.Name.DeviceGray and image.BitsPerComponent == 8


def test_paper_file_code_missing(make: Callable[[str], BuiltPackage]) -> None:
    record = dossier(make("paper-file-code-missing"))
    assert record.findtext("confidenceLevel") == "02" and record.find("paperFileCode") is None
