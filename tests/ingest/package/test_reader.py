"""Reading a package: the model, content files, and XML that must not be trusted."""

from __future__ import annotations

from pathlib import Path

from ingest.package import content_files, read_package
from tests.ingest.package_factory import (
    AGENCY_CODE,
    FILE_CODE,
    OBJID,
    DocSpec,
    PackageSpec,
    build_package,
)

EAD = "metadata/descriptive/EAD.xml"
XXE = b"""<?xml version="1.0"?>
<!DOCTYPE simpledc [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<simpledc><fileCode>&xxe;</fileCode></simpledc>"""
LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE simpledc [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>
<simpledc><title>&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;</title></simpledc>"""


def test_reads_the_model(tmp_path: Path) -> None:
    spec = PackageSpec(
        documents=[DocSpec(), DocSpec(attachments=(2, 1), fields={"typeName": "30"})]
    )
    package, findings = read_package(build_package(tmp_path, spec))
    assert findings == []
    assert package.objid == OBJID and package.package_type == "SIP"
    assert package.agency_code() == AGENCY_CODE
    assert package.dossier is not None and package.dossier.file_code == FILE_CODE
    assert package.dossier.number("totalDoc") == 2
    assert [d.sequence for d in package.documents] == [1, 2]
    second = package.documents[1]
    assert second.doc_id == f"{FILE_CODE}.2"
    assert second.ead_path == "representations/rep1/metadata/descriptive/EAD_doc_2.xml"
    assert [ref.path.rsplit("/", 1)[1] for ref in second.files if ref.path] == [
        f"{FILE_CODE}.2.pdf",
        f"{FILE_CODE}.2.1.pdf",
        f"{FILE_CODE}.2.2.pdf",
    ]
    assert all(ref.checksum and len(ref.checksum) == 64 for ref in package.listed_files())
    assert len(package.schemas) == 7


def test_content_files_carry_document_info(tmp_path: Path) -> None:
    spec = PackageSpec(
        documents=[
            DocSpec(fields={"confidenceLevel": None}),
            DocSpec(attachments=(1,), fields={"typeName": "31"}),
        ],
        dossier={"confidenceLevel": "02", "paperFileCode": "H41.01.02.15"},
    )
    files = content_files(read_package(build_package(tmp_path, spec))[0])
    assert [f.logical_path.rsplit("/", 1)[1] for f in files] == [
        f"{FILE_CODE}.1.pdf",
        f"{FILE_CODE}.2.pdf",
        f"{FILE_CODE}.2.1.pdf",
    ]
    first, main, attachment = (f.document for f in files)
    assert first is not None and first.confidence_level == "02"  # the dossier's, as a fallback
    assert main is not None and not main.is_attachment and main.is_map_or_drawing
    assert attachment is not None and attachment.is_attachment
    assert main.code_number == "02" and main.code_notation == "QĐ-UBND"
    assert all(f.size == f.path.stat().st_size for f in files)


def test_meta_xml_unsafe_xxe_is_refused_not_expanded(tmp_path: Path) -> None:
    package, findings = read_package(build_package(tmp_path, PackageSpec(replace_bytes={EAD: XXE})))
    assert [f.code for f in findings] == ["META-XML-UNSAFE"]
    assert package.dossier is None


def test_meta_xml_unsafe_billion_laughs(tmp_path: Path) -> None:
    package, findings = read_package(
        build_package(tmp_path, PackageSpec(replace_bytes={EAD: LAUGHS}))
    )
    assert [f.code for f in findings] == ["META-XML-UNSAFE"]
    assert findings[0].is_error


def test_pkg_mets_malformed_has_line(tmp_path: Path) -> None:
    spec = PackageSpec(
        replace_bytes={"METS.xml": b"<?xml version='1.0'?>\n<mets>\n<metsHdr>\n</mets>"}
    )
    package, findings = read_package(build_package(tmp_path, spec))
    assert [f.code for f in findings] == ["PKG-METS-MALFORMED"]
    assert findings[0].detail["line"] == 4
    assert package.mets is None and package.representation is not None  # the rest is still read


def test_meta_xml_malformed(tmp_path: Path) -> None:
    spec = PackageSpec(replace_bytes={EAD: b"<simpledc><title>x</simpledc>"})
    assert [f.code for f in read_package(build_package(tmp_path, spec))[1]] == [
        "META-XML-MALFORMED"
    ]


def test_pkg_mets_missing_and_meta_ead_missing(tmp_path: Path) -> None:
    root = build_package(tmp_path)
    (root / "METS.xml").unlink()
    (root / EAD).unlink()
    codes = [f.code for f in read_package(root)[1]]
    assert codes == ["PKG-METS-MISSING", "META-EAD-MISSING"]


def test_pkg_href_invalid(tmp_path: Path) -> None:
    def escape(mets: object) -> None:
        location = mets.find(".//{http://www.loc.gov/METS/}FLocat")  # type: ignore[attr-defined]
        location.set("{http://www.w3.org/1999/xlink}href", "../../../etc/passwd")

    _, findings = read_package(build_package(tmp_path, PackageSpec(edit_rep_mets=escape)))
    assert [f.code for f in findings] == ["PKG-HREF-INVALID"]
