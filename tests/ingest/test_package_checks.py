"""PKG- checks, each on a factory package broken in exactly one way."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from lxml import etree

from ingest.findings import Finding, Outcome
from ingest.package import read_package
from ingest.package_checks import check_package
from tests.ingest.package_factory import FILE_CODE, PackageSpec, build_package

M = "{http://www.loc.gov/METS/}"
C = "{https://DILCIS.eu/XML/METS/CSIPExtensionMETS}"
DATA = "representations/rep1/data"


def _check(tmp_path: Path, spec: PackageSpec | None = None) -> list[Finding]:
    root = build_package(tmp_path, spec)
    package, _ = read_package(root)
    return check_package(package, root)


def _errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.is_error or f.outcome is Outcome.INDETERMINATE]


def _csip(findings: list[Finding]) -> set[str]:
    return {f.detail["requirement"] for f in findings if f.code == "PKG-METS-CSIP"}


def test_good_package_has_no_error(tmp_path: Path) -> None:
    findings = _check(tmp_path)
    assert _errors(findings) == []
    assert {f.code for f in findings} == {"PKG-METS-CSIP-WARNING"}  # xml:ids LAYOUT omits


def _root(edit: Callable[[etree._Element], None]) -> PackageSpec:
    return PackageSpec(edit_root_mets=edit)


def test_pkg_mets_csip_root_attributes(tmp_path: Path) -> None:
    def strip(mets: etree._Element) -> None:
        del mets.attrib["PROFILE"]
        del mets.attrib[f"{C}OAISPACKAGETYPE"]
        mets.find(f"{M}metsHdr").attrib.pop("CREATEDATE")

    findings = _check(tmp_path, _root(strip))
    assert {"CSIP6", "CSIP9", "CSIP7"} <= _csip(findings)
    assert all(f.path == "METS.xml" for f in findings if f.code == "PKG-METS-CSIP")


def test_pkg_mets_csip_software_agent(tmp_path: Path) -> None:
    def drop(mets: etree._Element) -> None:
        header = mets.find(f"{M}metsHdr")
        header.remove(header.find(f"{M}agent[@OTHERTYPE='SOFTWARE']"))

    assert "CSIP13" in _csip(_check(tmp_path, _root(drop)))


def test_pkg_mets_csip_file_attributes(tmp_path: Path) -> None:
    def strip(mets: etree._Element) -> None:
        mets.find(f".//{M}file").attrib.pop("CHECKSUM")
        mets.find(f".//{M}mdRef").set("LOCTYPE", "OTHER")

    assert {"CSIP71", "CSIP22"} <= _csip(_check(tmp_path, PackageSpec(edit_rep_mets=strip)))


def test_pkg_mets_csip_struct_map(tmp_path: Path) -> None:
    def relabel(mets: etree._Element) -> None:
        mets.find(f"{M}structMap/{M}div").set("LABEL", "something-else")
        mets.find(f".//{M}mptr").set("{http://www.w3.org/1999/xlink}href", "rep1/METS.xml")

    assert {"CSIP86", "CSIP110"} <= _csip(_check(tmp_path, _root(relabel)))


def test_pkg_mets_tt05_organisation_agent(tmp_path: Path) -> None:
    def drop(mets: etree._Element) -> None:
        header = mets.find(f"{M}metsHdr")
        header.remove(header.find(f"{M}agent[@TYPE='ORGANIZATION']"))

    assert "PKG-METS-TT05" in {f.code for f in _check(tmp_path, _root(drop))}


def test_pkg_mets_schema_with_line(tmp_path: Path) -> None:
    def unknown(mets: etree._Element) -> None:
        etree.SubElement(mets.find(f"{M}metsHdr"), f"{M}bogus")

    schema = [f for f in _check(tmp_path, _root(unknown)) if f.code == "PKG-METS-SCHEMA"]
    assert schema and schema[0].detail["element"] and isinstance(schema[0].detail["line"], int)


def test_pkg_not_sip(tmp_path: Path) -> None:
    def aip(mets: etree._Element) -> None:
        mets.set(f"{C}OAISPACKAGETYPE", "AIP")

    findings = _check(tmp_path, PackageSpec(edit_root_mets=aip, edit_rep_mets=aip))
    assert [f.code for f in _errors(findings)] == ["PKG-NOT-SIP"]


def test_pkg_objid_mismatch(tmp_path: Path) -> None:
    def other(mets: etree._Element) -> None:
        mets.set("OBJID", "uuid-00000000-0000-0000-0000-000000000000")
        mets.find(f"{M}structMap/{M}div").set("LABEL", mets.get("OBJID"))

    assert [f.code for f in _errors(_check(tmp_path, _root(other)))] == ["PKG-OBJID-MISMATCH"]


def test_pkg_checksum_mismatch_names_expected_and_actual(tmp_path: Path) -> None:
    root = build_package(tmp_path)
    target = root / DATA / f"{FILE_CODE}.1.pdf"
    data = bytearray(target.read_bytes())
    data[-10] ^= 0x01  # same size, different bytes
    target.write_bytes(bytes(data))
    findings = _errors(check_package(read_package(root)[0], root))
    assert [f.code for f in findings] == ["PKG-CHECKSUM-MISMATCH"]
    assert findings[0].detail["expected"] != findings[0].detail["actual"]
    assert len(findings[0].detail["actual"]) == 64


def test_pkg_size_mismatch(tmp_path: Path) -> None:
    root = build_package(tmp_path)
    with (root / DATA / f"{FILE_CODE}.2.1.pdf").open("ab") as stream:
        stream.write(b"\n")
    codes = {f.code for f in _errors(check_package(read_package(root)[0], root))}
    assert codes == {"PKG-SIZE-MISMATCH", "PKG-CHECKSUM-MISMATCH"}


def test_pkg_checksum_type(tmp_path: Path) -> None:
    def md5(mets: etree._Element) -> None:
        mets.find(f".//{M}file").set("CHECKSUMTYPE", "MD5")

    codes = [f.code for f in _errors(_check(tmp_path, PackageSpec(edit_rep_mets=md5)))]
    assert codes == ["PKG-CHECKSUM-TYPE"]


def test_pkg_file_missing(tmp_path: Path) -> None:
    root = build_package(tmp_path)
    (root / DATA / f"{FILE_CODE}.1.pdf").unlink()
    findings = _errors(check_package(read_package(root)[0], root))
    assert [f.code for f in findings] == ["PKG-FILE-MISSING"]
    assert findings[0].detail["listed_in"] == "representations/rep1/METS.xml"


def test_pkg_unexpected_file(tmp_path: Path) -> None:
    root = build_package(tmp_path)
    (root / DATA / "extra.exe").write_bytes(b"MZ")
    findings = _errors(check_package(read_package(root)[0], root))
    assert [(f.code, f.path) for f in findings] == [("PKG-UNEXPECTED-FILE", f"{DATA}/extra.exe")]


def test_pkg_link_on_disk(tmp_path: Path) -> None:
    root = build_package(tmp_path)
    (root / DATA / "link.pdf").symlink_to("/etc/passwd")
    assert [f.code for f in _errors(check_package(read_package(root)[0], root))] == ["PKG-LINK"]


def test_pkg_rep_inconsistent_unlisted_representation(tmp_path: Path) -> None:
    def unlist(mets: etree._Element) -> None:
        group = mets.find(f".//{M}fileGrp[@USE='Representations/rep1']")
        group.getparent().remove(group)

    codes = {f.code for f in _errors(_check(tmp_path, _root(unlist)))}
    assert "PKG-REP-INCONSISTENT" in codes and "PKG-UNEXPECTED-FILE" in codes


def test_pkg_rep_inconsistent_order(tmp_path: Path) -> None:
    def reorder(mets: etree._Element) -> None:
        mets.findall(f".//{M}div[@ORDER]")[1].set("ORDER", "5")

    codes = [f.code for f in _errors(_check(tmp_path, PackageSpec(edit_rep_mets=reorder)))]
    assert codes == ["PKG-REP-INCONSISTENT"]


def test_pkg_ead_doc_without_file(tmp_path: Path) -> None:
    def no_fptr(mets: etree._Element) -> None:
        div = mets.find(f".//{M}div[@ORDER='1']")
        for fptr in div.findall(f"{M}fptr"):
            div.remove(fptr)

    codes = [f.code for f in _errors(_check(tmp_path, PackageSpec(edit_rep_mets=no_fptr)))]
    # the document's data file, now claimed by no div, is reported from its side too
    assert sorted(codes) == ["PKG-EAD-DOC-WITHOUT-FILE", "PKG-FILE-WITHOUT-EAD-DOC"]


def test_pkg_file_without_ead_doc(tmp_path: Path) -> None:
    def no_dmd(mets: etree._Element) -> None:
        mets.find(f".//{M}div[@ORDER='2']").attrib.pop("DMDID")

    codes = [f.code for f in _errors(_check(tmp_path, PackageSpec(edit_rep_mets=no_dmd)))]
    assert sorted(codes) == ["PKG-EAD-DOC-WITHOUT-FILE", "PKG-FILE-WITHOUT-EAD-DOC"]


def test_pkg_check_failed_is_indeterminate(tmp_path: Path) -> None:
    root = build_package(tmp_path)
    package, _ = read_package(root)
    package.documents = None  # type: ignore[assignment]  # a reader bug must not pass silently
    findings = check_package(package, root)
    assert [f.code for f in findings] == ["PKG-CHECK-FAILED"]
    assert findings[0].outcome is Outcome.INDETERMINATE


def test_zip_to_checks_end_to_end(tmp_path: Path) -> None:
    from ingest.unpack import unpack
    from tests.ingest.package_factory import zip_package

    unpacked = unpack(
        zip_package(build_package(tmp_path / "src"), tmp_path / "p.zip"), tmp_path / "d"
    )
    assert unpacked.root is not None
    package, read_findings = read_package(unpacked.root)
    assert read_findings == [] and _errors(check_package(package, unpacked.root)) == []
