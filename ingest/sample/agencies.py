"""Issuing agencies and document types the sample documents are drawn from.

Agency codes follow QĐ 20/2020/QĐ-TTg (``LLL.KK.JJ.Xnn``): the provincial codes H26 Hà Nội,
H41 Nghệ An and H49 Quảng Ninh are real; the level-2 numbers of the departments (``.01.``,
``.05.`` …) are illustrative. Type abbreviations are NĐ 30/2020 Phụ lục III; type codes are
TT 05/2025 ``typeName`` (01–32).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Agency:
    name: str  # "Ủy ban nhân dân tỉnh Nghệ An"
    code: str  # QĐ20 agency code, "000.00.00.H41"
    abbreviation: str  # issuer part of the symbol: "UBND", "SNV"
    province: str  # place in the date line: "Nghệ An"
    parent_name: str  # the governing body printed above the name; "" for a top-level body
    budget_code: str  # mã quan hệ ngân sách, goes into the organisation certificate as MNS:
    collective: str  # body a "TM." signature speaks for ("Ủy ban nhân dân"); "" if none
    head_title: str  # "Chủ tịch", "Giám đốc"
    deputy_title: str  # "Phó Chủ tịch", "Phó Giám đốc"
    drafting_units: tuple[str, ...]  # second part of a công văn symbol: "UBND-VX"
    places: tuple[str, ...]  # districts and towns of the province, for subjects and bodies
    streets: tuple[str, ...]


@dataclass(frozen=True)
class DocumentType:
    name: str  # "Quyết định"
    abbreviation: str  # "QĐ"; "" for công văn, whose symbol has no type part
    type_code: str  # TT05 typeName


QUYET_DINH = DocumentType("Quyết định", "QĐ", "02")
THONG_BAO = DocumentType("Thông báo", "TB", "07")
KE_HOACH = DocumentType("Kế hoạch", "KH", "10")
BAO_CAO = DocumentType("Báo cáo", "BC", "14")
TO_TRINH = DocumentType("Tờ trình", "TTr", "15")
CONG_VAN = DocumentType("Công văn", "", "22")

DOCUMENT_TYPES: tuple[DocumentType, ...] = (
    QUYET_DINH,
    CONG_VAN,
    BAO_CAO,
    TO_TRINH,
    KE_HOACH,
    THONG_BAO,
)

_NGHE_AN_PLACES = ("thành phố Vinh", "thị xã Cửa Lò", "huyện Nghi Lộc", "huyện Diễn Châu")
_NGHE_AN_STREETS = ("đường Lê Lợi", "đường Nguyễn Du", "đường tỉnh 534", "đường Trường Thi")
_QUANG_NINH_PLACES = ("thành phố Hạ Long", "thị xã Đông Triều", "huyện Vân Đồn")
_QUANG_NINH_STREETS = ("đường Trần Hưng Đạo", "đường tỉnh 338", "đường Bạch Đằng")

UBND_NGHE_AN = Agency(
    name="Ủy ban nhân dân tỉnh Nghệ An",
    code="000.00.00.H41",
    abbreviation="UBND",
    province="Nghệ An",
    parent_name="",
    budget_code="1058421",
    collective="Ủy ban nhân dân",
    head_title="Chủ tịch",
    deputy_title="Phó Chủ tịch",
    drafting_units=("VX", "KT", "CN", "NC"),
    places=_NGHE_AN_PLACES,
    streets=_NGHE_AN_STREETS,
)
SO_NOI_VU_NGHE_AN = Agency(
    name="Sở Nội vụ tỉnh Nghệ An",
    code="000.00.01.H41",
    abbreviation="SNV",
    province="Nghệ An",
    parent_name="Ủy ban nhân dân tỉnh Nghệ An",
    budget_code="1058437",
    collective="",
    head_title="Giám đốc",
    deputy_title="Phó Giám đốc",
    drafting_units=("VP", "TCBC", "CCVC"),
    places=_NGHE_AN_PLACES,
    streets=_NGHE_AN_STREETS,
)
SO_XAY_DUNG_NGHE_AN = Agency(
    name="Sở Xây dựng tỉnh Nghệ An",
    code="000.00.05.H41",
    abbreviation="SXD",
    province="Nghệ An",
    parent_name="Ủy ban nhân dân tỉnh Nghệ An",
    budget_code="1058452",
    collective="",
    head_title="Giám đốc",
    deputy_title="Phó Giám đốc",
    drafting_units=("VP", "QLCL", "KTHT"),
    places=_NGHE_AN_PLACES,
    streets=_NGHE_AN_STREETS,
)
UBND_HA_NOI = Agency(
    name="Ủy ban nhân dân thành phố Hà Nội",
    code="000.00.00.H26",
    abbreviation="UBND",
    province="Hà Nội",
    parent_name="",
    budget_code="1014356",
    collective="Ủy ban nhân dân",
    head_title="Chủ tịch",
    deputy_title="Phó Chủ tịch",
    drafting_units=("KT", "ĐT", "KGVX"),
    places=("quận Cầu Giấy", "huyện Đông Anh", "quận Long Biên", "huyện Gia Lâm"),
    streets=("đường Láng", "đường Giải Phóng", "đường Nguyễn Văn Cừ", "đường Võ Chí Công"),
)
UBND_QUANG_NINH = Agency(
    name="Ủy ban nhân dân tỉnh Quảng Ninh",
    code="000.00.00.H49",
    abbreviation="UBND",
    province="Quảng Ninh",
    parent_name="",
    budget_code="1066123",
    collective="Ủy ban nhân dân",
    head_title="Chủ tịch",
    deputy_title="Phó Chủ tịch",
    drafting_units=("XD", "TM", "VX"),
    places=_QUANG_NINH_PLACES,
    streets=_QUANG_NINH_STREETS,
)
SO_TAI_CHINH_QUANG_NINH = Agency(
    name="Sở Tài chính tỉnh Quảng Ninh",
    code="000.00.03.H49",
    abbreviation="STC",
    province="Quảng Ninh",
    parent_name="Ủy ban nhân dân tỉnh Quảng Ninh",
    budget_code="1066178",
    collective="",
    head_title="Giám đốc",
    deputy_title="Phó Giám đốc",
    drafting_units=("VP", "QLNS", "ĐT"),
    places=_QUANG_NINH_PLACES,
    streets=_QUANG_NINH_STREETS,
)

AGENCIES: tuple[Agency, ...] = (
    UBND_NGHE_AN,
    SO_NOI_VU_NGHE_AN,
    SO_XAY_DUNG_NGHE_AN,
    UBND_HA_NOI,
    UBND_QUANG_NINH,
    SO_TAI_CHINH_QUANG_NINH,
)

# Places outside the issuing province that documents mention (study visits, comparisons).
OTHER_PROVINCES: tuple[str, ...] = ("Đồng Nai", "Bình Dương", "Thanh Hóa", "Đắk Lắk")

# First three digits of a CCCD number: the province of birth (Nghệ An 040, Hà Nội 001 …).
CCCD_PROVINCE_PREFIX: dict[str, str] = {"Nghệ An": "040", "Hà Nội": "001", "Quảng Ninh": "022"}
