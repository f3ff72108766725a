"""Every TT 05/2025/TT-BNV code list, defined once, as plain data.

``python -m metadata_schemas.generate`` turns these lists into ``xsd/codelists.xsd``,
``codelists.json`` and ``enums.py``; edit here, then regenerate. Sources: REFERENCE.md §3.4
(TT05 code lists, METS conventions), §2.7 (NĐ 30/2020 Phụ lục III abbreviations) and §2.8
(secrecy and urgency marks).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Code:
    """One value of a list: the stored ``code`` and the labels displayed for it."""

    code: str
    key: str  # the Python enum member name
    vi: str
    en: str
    abbreviation: str | None = None  # NĐ 30/2020 Phụ lục III, for document types and copies
    years: int | None = None  # retention years, for maintenance codes 02–06


@dataclass(frozen=True)
class CodeList:
    name: str  # the element or attribute that carries the code
    enum_name: str
    xsd_type: str
    vi: str
    en: str
    codes: tuple[Code, ...]

    def code_values(self) -> tuple[str, ...]:
        return tuple(item.code for item in self.codes)

    def by_code(self, code: str) -> Code:
        for item in self.codes:
            if item.code == code:
                return item
        raise KeyError(f"{code!r} is not a {self.name} code")


MAINTENANCE = CodeList(
    "maintenance",
    "Maintenance",
    "maintenanceCode",
    "Thời hạn lưu trữ",
    "Retention period",
    (
        Code("01", "PERMANENT", "Vĩnh viễn", "Permanent"),
        Code("02", "YEARS_70", "70 năm", "70 years", years=70),
        Code("03", "YEARS_50", "50 năm", "50 years", years=50),
        Code("04", "YEARS_30", "30 năm", "30 years", years=30),
        Code("05", "YEARS_20", "20 năm", "20 years", years=20),
        Code("06", "YEARS_10", "10 năm", "10 years", years=10),
        Code("07", "OTHER", "Khác", "Other"),
    ),
)

MODE = CodeList(
    "mode",
    "Mode",
    "modeCode",
    "Chế độ sử dụng",
    "Access regime",
    (
        Code("01", "PUBLIC", "Công khai", "Public"),
        Code("02", "CONDITIONAL", "Sử dụng có điều kiện", "Conditional use"),
        Code("03", "SECRET", "Mật", "Secret"),
    ),
)

LANGUAGE = CodeList(
    "language",
    "Language",
    "languageCode",
    "Ngôn ngữ",
    "Language",
    (
        Code("01", "VIETNAMESE", "Tiếng Việt", "Vietnamese"),
        Code("02", "ENGLISH", "Tiếng Anh", "English"),
        Code("03", "FRENCH", "Tiếng Pháp", "French"),
        Code("04", "RUSSIAN", "Tiếng Nga", "Russian"),
        Code("05", "CHINESE", "Tiếng Trung", "Chinese"),
        Code("06", "VIETNAMESE_ENGLISH", "Tiếng Việt - Tiếng Anh", "Vietnamese and English"),
        Code("07", "VIETNAMESE_RUSSIAN", "Tiếng Việt - Tiếng Nga", "Vietnamese and Russian"),
        Code("08", "VIETNAMESE_FRENCH", "Tiếng Việt - Tiếng Pháp", "Vietnamese and French"),
        Code("09", "HAN_NOM", "Hán Nôm", "Han-Nom"),
        Code("10", "VIETNAMESE_CHINESE", "Tiếng Việt - Tiếng Trung", "Vietnamese and Chinese"),
        Code("11", "OTHER", "Khác", "Other"),
    ),
)

CONFIDENCE_LEVEL = CodeList(
    "confidenceLevel",
    "ConfidenceLevel",
    "confidenceLevelCode",
    "Mức độ tin cậy",
    "Reliability (origin of the record)",
    (
        Code("01", "BORN_DIGITAL", "Gốc điện tử", "Born digital"),
        Code("02", "DIGITISED", "Số hóa", "Digitised"),
        Code("03", "MIXED", "Hỗn hợp", "Mixed"),
    ),
)

PHYSICAL_CONDITION = CodeList(
    "format",
    "PhysicalCondition",
    "physicalConditionCode",
    "Tình trạng vật lý",
    "Physical condition",
    (
        Code("01", "GOOD", "Tốt", "Good"),
        Code("02", "FAIR", "Bình thường", "Fair"),
        Code("03", "DAMAGED", "Hỏng", "Damaged"),
    ),
)

# Codes 01–29 are NĐ 30/2020 Điều 7's administrative types in TT05's order. Công văn and Thư
# công have no Phụ lục III abbreviation (a công văn symbol is issuer + drafting unit); nor do the
# three non-administrative types 30–32.
TYPE_NAME = CodeList(
    "typeName",
    "TypeName",
    "typeNameCode",
    "Tên loại tài liệu",
    "Document type",
    (
        Code("01", "NGHI_QUYET", "Nghị quyết", "Resolution", "NQ"),
        Code("02", "QUYET_DINH", "Quyết định", "Decision", "QĐ"),
        Code("03", "CHI_THI", "Chỉ thị", "Directive", "CT"),
        Code("04", "QUY_CHE", "Quy chế", "Statute", "QC"),
        Code("05", "QUY_DINH", "Quy định", "Regulation", "QyĐ"),
        Code("06", "THONG_CAO", "Thông cáo", "Communiqué", "TC"),
        Code("07", "THONG_BAO", "Thông báo", "Notice", "TB"),
        Code("08", "HUONG_DAN", "Hướng dẫn", "Guidance", "HD"),
        Code("09", "CHUONG_TRINH", "Chương trình", "Programme", "CTr"),
        Code("10", "KE_HOACH", "Kế hoạch", "Plan", "KH"),
        Code("11", "PHUONG_AN", "Phương án", "Option plan", "PA"),
        Code("12", "DE_AN", "Đề án", "Scheme", "ĐA"),
        Code("13", "DU_AN", "Dự án", "Project", "DA"),
        Code("14", "BAO_CAO", "Báo cáo", "Report", "BC"),
        Code("15", "TO_TRINH", "Tờ trình", "Submission", "TTr"),
        Code("16", "GIAY_UY_QUYEN", "Giấy ủy quyền", "Power of attorney", "GUQ"),
        Code("17", "PHIEU_GUI", "Phiếu gửi", "Dispatch slip", "PG"),
        Code("18", "PHIEU_CHUYEN", "Phiếu chuyển", "Forwarding slip", "PC"),
        Code("19", "PHIEU_BAO", "Phiếu báo", "Notification slip", "PB"),
        Code("20", "BIEN_BAN", "Biên bản", "Minutes", "BB"),
        Code("21", "HOP_DONG", "Hợp đồng", "Contract", "HĐ"),
        Code("22", "CONG_VAN", "Công văn", "Official letter"),
        Code("23", "CONG_DIEN", "Công điện", "Official telegram", "CĐ"),
        Code("24", "BAN_GHI_NHO", "Bản ghi nhớ", "Memorandum of understanding", "BGN"),
        Code("25", "BAN_THOA_THUAN", "Bản thỏa thuận", "Agreement", "BTT"),
        Code("26", "GIAY_MOI", "Giấy mời", "Invitation", "GM"),
        Code("27", "GIAY_GIOI_THIEU", "Giấy giới thiệu", "Letter of introduction", "GGT"),
        Code("28", "GIAY_NGHI_PHEP", "Giấy nghỉ phép", "Leave permit", "GNP"),
        Code("29", "THU_CONG", "Thư công", "Public letter"),
        Code("30", "BAN_DO", "Bản đồ", "Map"),
        Code("31", "BAN_VE_KY_THUAT", "Bản vẽ kỹ thuật", "Technical drawing"),
        Code("32", "KHAC", "Khác", "Other"),
    ),
)

RISK_RECOVERY_STATUS = CodeList(
    "riskRecoveryStatus",
    "RiskRecoveryStatus",
    "riskRecoveryStatusCode",
    "Tình trạng dự phòng",
    "Backup-copy status",
    (
        Code("01", "BACKED_UP", "Đã dự phòng", "Backup copy made"),
        Code("02", "NOT_BACKED_UP", "Chưa dự phòng", "No backup copy yet"),
    ),
)

DIP_PURPOSE = CodeList(
    "purpose",
    "DipPurpose",
    "dipPurposeCode",
    "Mục đích sử dụng",
    "Purpose of use",
    (
        Code("01", "PERSONAL", "Cá nhân", "Personal"),
        Code("02", "OFFICIAL", "Công vụ", "Official duty"),
        Code("03", "SPECIAL_OFFICIAL", "Công vụ đặc biệt", "Special official duty"),
    ),
)

FEE_OBJECT_TYPE = CodeList(
    "feeObjectType",
    "FeeObjectType",
    "feeObjectTypeCode",
    "Đối tượng sử dụng (phí)",
    "Requester category (fees)",
    (
        Code(
            "01",
            "STUDENT",
            "Học sinh, sinh viên, học viên, nghiên cứu sinh",
            "Pupil, student, trainee or doctoral candidate",
        ),
        Code("02", "MARTYR_RELATIVE", "Thân nhân liệt sĩ", "Relative of a fallen soldier"),
        Code("03", "WAR_INVALID", "Thương binh, bệnh binh", "War invalid or sick soldier"),
        Code("04", "RESISTANCE_PARTICIPANT", "Người hoạt động kháng chiến", "Resistance veteran"),
        Code(
            "05",
            "REVOLUTION_HELPER",
            "Người có công giúp đỡ cách mạng",
            "Person who helped the revolution",
        ),
        Code("06", "MARTYR_WORSHIPPER", "Người thờ cúng liệt sỹ", "Keeper of a martyr's worship"),
        Code("07", "PENSIONER", "Người hưởng chế độ hưu trí", "Pensioner"),
        Code(
            "08",
            "WORK_INCAPACITY",
            "Người mất sức lao động, tai nạn lao động",
            "Person with lost working capacity or a work accident",
        ),
        Code("09", "OCCUPATIONAL_DISEASE", "Người bị bệnh nghề nghiệp", "Occupational disease"),
        Code("10", "OTHER", "Khác", "Other"),
    ),
)

PICTURE_TYPE = CodeList(
    "typePic",
    "PictureType",
    "pictureTypeCode",
    "Loại hình ảnh",
    "Picture type",
    (
        Code("01", "NEGATIVE_FILM", "Phim âm bản", "Negative film"),
        Code("02", "PHOTOGRAPH", "Ảnh", "Photograph"),
    ),
)

PICTURE_COLOUR = CodeList(
    "colour",
    "PictureColour",
    "pictureColourCode",
    "Màu sắc",
    "Colour",
    (
        Code("01", "COLOUR", "Màu", "Colour"),
        Code("02", "BLACK_AND_WHITE", "Đen trắng", "Black and white"),
    ),
)

MEDIA_TYPE = CodeList(
    "typeMedia",
    "MediaType",
    "mediaTypeCode",
    "Loại tài liệu ghi âm, ghi hình",
    "Audio-visual type",
    (
        Code("01", "AUDIO", "Âm thanh", "Audio"),
        Code("02", "VIDEO", "Video", "Video"),
    ),
)

RECORD_STATUS = CodeList(
    "RECORDSTATUS",
    "RecordStatus",
    "recordStatusCode",
    "Trạng thái gói tin (METS)",
    "Package status (METS)",
    (
        Code("NEW", "NEW", "Mới", "New"),
        Code("SUPPLEMENT", "SUPPLEMENT", "Bổ sung", "Supplement"),
        Code("REPLACEMENT", "REPLACEMENT", "Thay thế", "Replacement"),
        Code("TEST", "TEST", "Thử nghiệm", "Test"),
        Code("OTHER", "OTHER", "Khác", "Other"),
    ),
)

OAIS_PACKAGE_TYPE = CodeList(
    "OAISPACKAGETYPE",
    "OaisPackageType",
    "oaisPackageTypeCode",
    "Loại gói tin",
    "OAIS package type",
    (
        Code("SIP", "SIP", "Gói hồ sơ, tài liệu nộp", "Submission information package"),
        Code("AIP", "AIP", "Gói hồ sơ, tài liệu lưu trữ", "Archival information package"),
        Code("DIP", "DIP", "Gói tài liệu lưu trữ sử dụng", "Dissemination information package"),
    ),
)

SECRECY_MARK = CodeList(
    "secrecyMark",
    "SecrecyMark",
    "secrecyMarkCode",
    "Dấu chỉ độ mật",
    "State-secret classification mark",
    (
        Code("TUYỆT MẬT", "TUYET_MAT", "Tuyệt mật", "Top secret"),
        Code("TỐI MẬT", "TOI_MAT", "Tối mật", "Secret"),
        Code("MẬT", "MAT", "Mật", "Confidential"),
    ),
)

URGENCY_MARK = CodeList(
    "urgencyMark",
    "UrgencyMark",
    "urgencyMarkCode",
    "Dấu chỉ mức độ khẩn",
    "Urgency mark",
    (
        Code("HỎA TỐC", "HOA_TOC", "Hỏa tốc", "Flash"),
        Code("THƯỢNG KHẨN", "THUONG_KHAN", "Thượng khẩn", "Immediate"),
        Code("KHẨN", "KHAN", "Khẩn", "Urgent"),
    ),
)

COPY_FORM = CodeList(
    "copyForm",
    "CopyForm",
    "copyFormCode",
    "Hình thức bản sao",
    "Form of copy",
    (
        Code("SAO Y", "SAO_Y", "Bản sao y", "True copy", "SY"),
        Code("SAO LỤC", "SAO_LUC", "Bản sao lục", "Copy of a copy", "SL"),
        Code("TRÍCH SAO", "TRICH_SAO", "Bản trích sao", "Extract copy", "TrS"),
    ),
)

ALL_CODE_LISTS: tuple[CodeList, ...] = (
    MAINTENANCE,
    MODE,
    LANGUAGE,
    CONFIDENCE_LEVEL,
    PHYSICAL_CONDITION,
    TYPE_NAME,
    RISK_RECOVERY_STATUS,
    DIP_PURPOSE,
    FEE_OBJECT_TYPE,
    PICTURE_TYPE,
    PICTURE_COLOUR,
    MEDIA_TYPE,
    RECORD_STATUS,
    OAIS_PACKAGE_TYPE,
    SECRECY_MARK,
    URGENCY_MARK,
    COPY_FORM,
)
