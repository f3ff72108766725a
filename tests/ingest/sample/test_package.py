"""A generated SIP_hoso follows LAYOUT.md, E-ARK CSIP and the TT05 schemas, and repeats."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pikepdf
import pytest
from lxml import etree

from ingest.sample.agencies import UBND_NGHE_AN
from ingest.sample.memo import MEMO_ENV
from ingest.sample.package import BuiltPackage, PackageSpec, PackageSpecError, build_package
from metadata_schemas.enums import ConfidenceLevel
from metadata_schemas.schemas import validate
from tests.ingest.sample.csip_rules import csip_problems

SPEC = PackageSpec(
    seed=4242, agency=UBND_NGHE_AN, documents=3, pages_min=1, pages_max=2, attachment_share=1.0
)
NS = {"mets": "http://www.loc.gov/METS/", "xlink": "http://www.w3.org/1999/xlink"}
HREF = "{http://www.w3.org/1999/xlink}href"


@pytest.fixture(scope="module")
def pki_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pki")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, pki_cache: Path) -> BuiltPackage:
    return build_package(SPEC, tmp_path_factory.mktemp("good"), cache_dir=pki_cache)


@pytest.fixture(scope="module")
def unpacked(built: BuiltPackage, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("unpacked")
    with zipfile.ZipFile(built.zip_path) as archive:
        archive.extractall(target)
    return target / built.objid


def test_zip_has_one_sorted_top_folder_named_after_objid(built: BuiltPackage) -> None:
    with zipfile.ZipFile(built.zip_path) as archive:
        infos = archive.infolist()
    names = [info.filename for info in infos]
    assert names == sorted(names)
    assert {name.split("/")[0] for name in names} == {built.objid}
    assert built.zip_path.name == f"1{built.objid}.zip"
    assert all(info.date_time == (2000, 1, 1, 0, 0, 0) for info in infos)
    assert all(info.compress_type == zipfile.ZIP_DEFLATED for info in infos)


def test_root_and_representation_mets_meet_csip_must_requirements(unpacked: Path) -> None:
    root = etree.parse(str(unpacked / "METS.xml")).getroot()
    rep = etree.parse(str(unpacked / "representations/rep1/METS.xml")).getroot()
    assert csip_problems(root, representation=False) == []
    assert csip_problems(rep, representation=True) == []
    assert root.get("OBJID") == unpacked.name and unpacked.name.startswith("uuid-")


def test_mets_files_validate_against_mets_xsd(unpacked: Path) -> None:
    for path in (unpacked / "METS.xml", unpacked / "representations/rep1/METS.xml"):
        assert validate("METS", etree.parse(str(path))) == [], path


def test_ead_files_validate_against_their_schemas(unpacked: Path, built: BuiltPackage) -> None:
    assert validate("EAD_SIP", etree.parse(str(unpacked / "metadata/descriptive/EAD.xml"))) == []
    eads = sorted((unpacked / "representations/rep1/metadata/descriptive").glob("EAD_doc_*.xml"))
    assert len(eads) == len(built.documents) == SPEC.documents
    for path in eads:
        assert validate("EAD_doc_SIP", etree.parse(str(path))) == [], path


def _listed(mets_path: Path) -> list[tuple[Path, str, int]]:
    tree = etree.parse(str(mets_path))
    listed = []
    for element in tree.iterfind(".//mets:file", NS):
        (location,) = element.iterfind("mets:FLocat", NS)
        listed.append((location.get(HREF), element.get("CHECKSUM"), int(element.get("SIZE"))))
    for element in tree.iterfind(".//mets:mdRef", NS):
        listed.append((element.get(HREF), element.get("CHECKSUM"), int(element.get("SIZE"))))
    return [(mets_path.parent / href, checksum, size) for href, checksum, size in listed]


def test_every_checksum_and_size_in_mets_matches_and_every_file_is_listed(unpacked: Path) -> None:
    listed = _listed(unpacked / "METS.xml") + _listed(unpacked / "representations/rep1/METS.xml")
    for path, checksum, size in listed:
        data = path.read_bytes()
        assert hashlib.sha256(data).hexdigest() == checksum, path
        assert len(data) == size, path
    on_disk = {p for p in unpacked.rglob("*") if p.is_file()} - {unpacked / "METS.xml"}
    assert {path for path, _, _ in listed} == on_disk


def test_metadata_matches_the_documents_produced(unpacked: Path, built: BuiltPackage) -> None:
    dossier = etree.parse(str(unpacked / "metadata/descriptive/EAD.xml")).getroot()
    total_pages = 0
    issued = []
    for document in built.documents:
        ead = etree.parse(
            str(
                unpacked
                / f"representations/rep1/metadata/descriptive/EAD_doc_{document.sequence}.xml"
            )
        ).getroot()
        pages = 0
        for name in document.files:
            with pikepdf.open(unpacked.parent / name) as pdf:
                pages += len(pdf.pages)
        assert ead.findtext("docId") == document.doc_id == f"{built.file_code}.{document.sequence}"
        assert ead.findtext("docCode") == f"{built.file_code}.{document.sequence:07d}"
        assert int(ead.findtext("numberOfPage") or -1) == pages == document.pages
        assert ead.findtext("organName") == UBND_NGHE_AN.name
        assert len(ead) == 21
        assert document.files[0].endswith(f"/{built.file_code}.{document.sequence}.pdf")
        assert len(document.files) == 2  # attachment_share 1.0: one attachment each
        assert document.files[1].endswith(f"/{built.file_code}.{document.sequence}.1.pdf")
        with pikepdf.open(unpacked.parent / document.files[0]) as pdf:
            subject = str(pdf.docinfo["/Subject"])
            title = str(pdf.docinfo["/Title"])
        assert ead.findtext("subject") == subject
        assert f"số {ead.findtext('codeNumber')}/{ead.findtext('codeNotation')}" in title
        issued.append(ead.findtext("issuedDate"))
        total_pages += pages
    assert dossier.findtext("fileCode") == built.file_code
    assert dossier.findtext("totalDoc") == str(SPEC.documents)
    assert dossier.findtext("numberOfPage") == str(total_pages)
    assert dossier.findtext("startDate") == issued[0] and dossier.findtext("endDate") == issued[-1]
    assert dossier.findtext("confidenceLevel") == ConfidenceLevel.BORN_DIGITAL.value
    assert len(dossier) == 18  # every TT05 dossier element, optional ones empty
    assert dossier.findtext("paperFileCode") == "" and dossier.findtext("numberOfPaper") == "0"


def test_same_seed_gives_the_same_bytes(
    tmp_path: Path, pki_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(MEMO_ENV, raising=False)  # two real builds, not one build and a copy
    first = build_package(SPEC, tmp_path / "first", cache_dir=pki_cache)
    again = build_package(SPEC, tmp_path / "again", cache_dir=pki_cache)
    assert again.zip_path != first.zip_path
    assert again.zip_path.read_bytes() == first.zip_path.read_bytes()
    assert again.sha256 == first.sha256 == hashlib.sha256(again.zip_path.read_bytes()).hexdigest()


def test_digitised_dossier_has_paper_file_code_and_organisation_signature_only(
    tmp_path: Path, pki_cache: Path
) -> None:
    spec = PackageSpec(
        seed=7,
        agency=UBND_NGHE_AN,
        documents=1,
        pages_max=1,
        confidence_level=ConfidenceLevel.DIGITISED,
    )
    built = build_package(spec, tmp_path, cache_dir=pki_cache)
    with zipfile.ZipFile(built.zip_path) as archive:
        dossier = etree.fromstring(archive.read(f"{built.objid}/metadata/descriptive/EAD.xml"))
        main = archive.read(built.documents[0].files[0])
    assert dossier.findtext("confidenceLevel") == "02"
    assert (dossier.findtext("paperFileCode") or "").startswith(UBND_NGHE_AN.code)
    assert main.count(b"/Type /Sig") + main.count(b"/Type/Sig") == 1


def test_a_mixed_dossier_needs_two_documents(tmp_path: Path) -> None:
    spec = PackageSpec(seed=1, documents=1, confidence_level=ConfidenceLevel.MIXED)
    with pytest.raises(PackageSpecError, match="at least two documents"):
        build_package(spec, tmp_path)
