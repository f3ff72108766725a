"""Value types of XMP 2005 predefined schemas (6.6.2.3.1) and Separation/DeviceN rules (6.2.4.4)."""

from __future__ import annotations

import io
import re
import time
from pathlib import Path

import pikepdf
import pikepdf.pdfa
import pytest
from lxml import etree
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from ingest.checks.pdfa import check_pdf
from ingest.checks.pdfa.xmp_predefined import is_xmp_date, read_node, value_matches
from ingest.findings import Finding, Outcome, overall_outcome

DEJAVU_SERIF = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
_NAMESPACES = (
    'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
    'xmlns:xmpDM="http://ns.adobe.com/xmp/1.0/DynamicMedia/" '
    'xmlns:stDim="http://ns.adobe.com/xap/1.0/sType/Dimensions#" '
    'xmlns:exif="http://ns.adobe.com/exif/1.0/"'
)


def _node(xml: str) -> etree._Element:
    return etree.fromstring(f"<wrap {_NAMESPACES}>{xml}</wrap>")[0]


def _matches(xml: str, value_type: str) -> bool:
    value = read_node(_node(xml))
    assert value is not None
    return value_matches(value, value_type)


@pytest.mark.parametrize(
    ("xml", "value_type", "expected"),
    [
        ("<xmpDM:trackNumber>7</xmpDM:trackNumber>", "Integer", True),
        ("<xmpDM:trackNumber>7.0</xmpDM:trackNumber>", "Integer", False),
        ("<xmpDM:tempo>120.5</xmpDM:tempo>", "Real", True),
        ("<xmpDM:tempo>fast</xmpDM:tempo>", "Real", False),
        ("<xmpDM:loop>True</xmpDM:loop>", "Boolean", True),
        ("<xmpDM:loop>true</xmpDM:loop>", "Boolean", False),
        ("<exif:GPSLatitude>50,26.6N</exif:GPSLatitude>", "GPSCoordinate", True),
        ("<exif:GPSLatitude>50.44N</exif:GPSLatitude>", "GPSCoordinate", False),
        ("<xmpDM:path>http://example.org/a</xmpDM:path>", "URI", True),
        ("<xmpDM:path>http://example.org/a b</xmpDM:path>", "URI", False),
        (
            '<xmpDM:projectRef rdf:parseType="Resource"><xmpDM:type>movie</xmpDM:type>'
            "<xmpDM:path>file:///x</xmpDM:path></xmpDM:projectRef>",
            "ProjectLink",
            True,
        ),
        ("<xmpDM:projectRef>http://example.org/</xmpDM:projectRef>", "ProjectLink", False),
        (
            '<xmpDM:videoFrameSize stDim:w="640" stDim:h="480" stDim:unit="pixel"/>',
            "Dimensions",
            True,
        ),
        (
            '<xmpDM:videoFrameSize rdf:parseType="Resource"><xmpDM:w>640</xmpDM:w>'
            "</xmpDM:videoFrameSize>",
            "Dimensions",
            False,
        ),
        (
            '<xmpDM:contributedMedia><rdf:Bag><rdf:li rdf:parseType="Resource">'
            "<xmpDM:managed>True</xmpDM:managed></rdf:li></rdf:Bag></xmpDM:contributedMedia>",
            "Bag Media",
            True,
        ),
        (
            '<xmpDM:contributedMedia><rdf:Seq><rdf:li rdf:parseType="Resource">'
            "<xmpDM:managed>True</xmpDM:managed></rdf:li></rdf:Seq></xmpDM:contributedMedia>",
            "Bag Media",
            False,
        ),
        (
            '<exif:UserComment><rdf:Alt><rdf:li xml:lang="x-default">hi</rdf:li></rdf:Alt>'
            "</exif:UserComment>",
            "Lang Alt",
            True,
        ),
        ("<exif:UserComment>hi</exif:UserComment>", "Lang Alt", False),
    ],
)
def test_value_forms(xml: str, value_type: str, expected: bool) -> None:
    assert _matches(xml, value_type) is expected


def test_xmp_dates_follow_the_iso_8601_reader() -> None:
    assert is_xmp_date("2016-02-01T13:19:21+01:00")
    assert is_xmp_date("2016")
    assert is_xmp_date("2016-02-01T13:19:21.25Z")
    assert not is_xmp_date("2016-13-01")
    assert not is_xmp_date("01/02/2016")
    assert not is_xmp_date("2016-02-01T25:00")


def _canvas_pdf(pages: int = 1, extra: str = "") -> bytes:
    pdfmetrics.registerFont(TTFont("DejaVuSerif", str(DEJAVU_SERIF)))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, initialFontName="DejaVuSerif")
    for number in range(pages):
        page.setFont("DejaVuSerif", 11)
        for line in range(40):
            page.drawString(
                72, 770 - 17 * line, f"Trang {number + 1}, dòng {line + 1}: hồ sơ lưu trữ điện tử"
            )
        page.showPage()
    page.save()
    return buffer.getvalue()


def _pdfa(target: Path, pages: int = 1) -> Path:
    if not DEJAVU_SERIF.exists():
        pytest.skip(f"font {DEJAVU_SERIF} is not installed")
    with pikepdf.open(io.BytesIO(_canvas_pdf(pages))) as pdf:
        for page in pdf.pages:
            if "/Trans" in page.obj:
                del page.obj["/Trans"]
        pikepdf.pdfa.save(pdf, target, "2b")
    return target


def _rules(findings: list[Finding]) -> set[str]:
    return {str(f.detail.get("verapdf_rule")) for f in findings if f.outcome is not Outcome.PASSED}


def _with_xmp_property(source: Path, target: Path, description: str) -> Path:
    with pikepdf.open(source) as pdf:
        packet = pdf.Root.Metadata.read_bytes().decode("utf-8")
        packet = re.sub(r"</rdf:RDF>", description + "</rdf:RDF>", packet, count=1)
        pdf.Root.Metadata.write(packet.encode("utf-8"))
        pdf.save(target)
    return target


def test_predefined_property_of_wrong_type_is_rejected(tmp_path: Path) -> None:
    source = _pdfa(tmp_path / "valid.pdf")
    good = _with_xmp_property(
        source,
        tmp_path / "good.pdf",
        '<rdf:Description rdf:about="" xmlns:xmpDM="http://ns.adobe.com/xmp/1.0/DynamicMedia/">'
        "<xmpDM:trackNumber>3</xmpDM:trackNumber></rdf:Description>",
    )
    bad = _with_xmp_property(
        source,
        tmp_path / "bad.pdf",
        '<rdf:Description rdf:about="" xmlns:xmpDM="http://ns.adobe.com/xmp/1.0/DynamicMedia/">'
        "<xmpDM:trackNumber>third</xmpDM:trackNumber></rdf:Description>",
    )
    assert overall_outcome(check_pdf(good)) is Outcome.PASSED
    findings = check_pdf(bad)
    assert overall_outcome(findings) is Outcome.FAILED
    assert "ISO_19005_2:6.6.2.3.1-2" in _rules(findings)


def test_unknown_property_of_predefined_schema_is_rejected(tmp_path: Path) -> None:
    bad = _with_xmp_property(
        _pdfa(tmp_path / "valid.pdf"),
        tmp_path / "bad.pdf",
        '<rdf:Description rdf:about="" xmlns:tiff="http://ns.adobe.com/tiff/1.0/">'
        "<tiff:Flavour>vanilla</tiff:Flavour></rdf:Description>",
    )
    assert "ISO_19005_2:6.6.2.3.1-1" in _rules(check_pdf(bad))


def _separation(pdf: pikepdf.Pdf, alternate: str, code: bytes) -> pikepdf.Array:
    function = pikepdf.Stream(pdf, code)
    function.FunctionType = 4
    function.Domain = [0, 1]
    function.Range = [0, 1, 0, 1, 0, 1] if alternate == "/DeviceRGB" else [0, 1]
    return pikepdf.Array(
        [pikepdf.Name.Separation, pikepdf.Name.Red, pikepdf.Name(alternate), function]
    )


def _with_separations(source: Path, target: Path, second_code: bytes) -> Path:
    with pikepdf.open(source) as pdf:
        page = pdf.pages[0]
        page.Resources.ColorSpace = pikepdf.Dictionary(
            CS0=_separation(pdf, "/DeviceRGB", b"{dup dup}"),
            CS1=_separation(pdf, "/DeviceRGB", second_code),
        )
        page.contents_add(
            pikepdf.Stream(pdf, b"q /CS0 cs 1 scn 0 0 10 10 re f /CS1 cs 1 scn 0 0 5 5 re f Q"),
            prepend=False,
        )
        pdf.save(target)
    return target


def test_separations_of_one_colorant_must_agree(tmp_path: Path) -> None:
    source = _pdfa(tmp_path / "valid.pdf")  # pikepdf.pdfa.save writes an sRGB output intent
    same = _with_separations(source, tmp_path / "same.pdf", b"{dup dup}")
    different = _with_separations(source, tmp_path / "different.pdf", b"{pop 0 0 0}")
    assert "ISO_19005_2:6.2.4.4-2" not in _rules(check_pdf(same))
    assert "ISO_19005_2:6.2.4.4-2" in _rules(check_pdf(different))


def test_ten_page_document_timing(tmp_path: Path) -> None:
    """A typical ten-page PDF/A-2b passes; the time per file is printed, never asserted."""
    path = _pdfa(tmp_path / "ten-pages.pdf", pages=10)
    started = time.perf_counter()
    findings = check_pdf(path)
    elapsed_ms = (time.perf_counter() - started) * 1000
    print(f"\nbuilt-in PDF/A check, 10 pages, {path.stat().st_size} bytes: {elapsed_ms:.0f} ms")
    with pikepdf.open(path) as pdf:
        assert len(pdf.pages) == 10
    assert overall_outcome(findings) is Outcome.PASSED, [f.message_en for f in findings]
