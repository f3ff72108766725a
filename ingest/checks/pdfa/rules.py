"""The PDF/A rules this check reports, one stable code each (ISO 19005-2, level B).

Every failed finding carries in ``detail`` the ISO 19005-2 ``clause`` it breaks and, where one
exists, the veraPDF rule id (``verapdf_rule``, e.g. ``ISO_19005_2:6.2.11.4.1-1``).
"""

from __future__ import annotations

from ingest.findings import Outcome, Rule, Severity, rule

_ISO = "ISO 19005-2:2011"

NOT_PDFA = rule(
    "PDFA-NOT-PDFA",
    Severity.ERROR,
    "Tệp không khai báo là PDF/A-2 (thiếu định danh pdfaid trong siêu dữ liệu XMP).",
    "The file does not declare itself PDF/A-2 (no pdfaid identification in its XMP metadata).",
    source=_ISO,
)
WRONG_PART = rule(
    "PDFA-WRONG-PART",
    Severity.ERROR,
    "Tệp khai báo PDF/A phần {part}, mức {conformance}; yêu cầu PDF/A-2 mức B trở lên.",
    "The file declares PDF/A part {part}, conformance {conformance}; PDF/A-2 level B or higher "
    "is required.",
    source=_ISO,
)
ENCRYPTED = rule(
    "PDFA-ENCRYPTED",
    Severity.ERROR,
    "Tệp PDF bị mã hóa; PDF/A không cho phép mã hóa.",
    "The PDF is encrypted; PDF/A forbids encryption.",
    source=_ISO,
)
JAVASCRIPT = rule(
    "PDFA-JAVASCRIPT",
    Severity.ERROR,
    "Tệp PDF chứa JavaScript ({where}).",
    "The PDF contains JavaScript ({where}).",
    source=_ISO,
)
FORBIDDEN_ACTION = rule(
    "PDFA-FORBIDDEN-ACTION",
    Severity.ERROR,
    "Tệp PDF chứa hành động bị cấm trong PDF/A: {action} ({where}).",
    "The PDF contains an action PDF/A forbids: {action} ({where}).",
    source=_ISO,
)
FONT_NOT_EMBEDDED = rule(
    "PDFA-FONT-NOT-EMBEDDED",
    Severity.ERROR,
    "Phông chữ {font} không được nhúng vào tệp.",
    "The font {font} is not embedded in the file.",
    source=_ISO,
)
FONT_GLYPH_MISSING = rule(
    "PDFA-FONT-GLYPH-MISSING",
    Severity.ERROR,
    "Phông chữ nhúng {font} thiếu nét chữ (glyph) cho ký tự được dùng ({where}).",
    "The embedded font {font} lacks glyphs for characters the document uses ({where}).",
    source=_ISO,
)
FONT = rule(
    "PDFA-FONT",
    Severity.ERROR,
    "Phông chữ không đáp ứng PDF/A: {message}",
    "A font does not conform to PDF/A: {message}",
    source=_ISO,
)
FILE_STRUCTURE = rule(
    "PDFA-FILE-STRUCTURE",
    Severity.ERROR,
    "Cấu trúc tệp PDF không đáp ứng PDF/A: {message}",
    "The PDF file structure does not conform to PDF/A: {message}",
    source=_ISO,
)
METADATA = rule(
    "PDFA-METADATA",
    Severity.ERROR,
    "Siêu dữ liệu XMP không đáp ứng PDF/A: {message}",
    "The XMP metadata does not conform to PDF/A: {message}",
    source=_ISO,
)
OUTPUT_INTENT = rule(
    "PDFA-OUTPUT-INTENT",
    Severity.ERROR,
    "Output intent hoặc hồ sơ màu ICC không hợp lệ: {message}",
    "The output intent or its ICC profile is not valid: {message}",
    source=_ISO,
)
COLOUR = rule(
    "PDFA-COLOUR",
    Severity.ERROR,
    "Không gian màu không đáp ứng PDF/A: {message}",
    "A colour space does not conform to PDF/A: {message}",
    source=_ISO,
)
GRAPHICS = rule(
    "PDFA-GRAPHICS",
    Severity.ERROR,
    "Nội dung đồ họa không đáp ứng PDF/A: {message}",
    "Graphics content does not conform to PDF/A: {message}",
    source=_ISO,
)
TRANSPARENCY = rule(
    "PDFA-TRANSPARENCY",
    Severity.ERROR,
    "Độ trong suốt không đáp ứng PDF/A: {message}",
    "Transparency does not conform to PDF/A: {message}",
    source=_ISO,
)
ANNOTATION = rule(
    "PDFA-ANNOTATION",
    Severity.ERROR,
    "Chú thích (annotation) không đáp ứng PDF/A: {message}",
    "An annotation does not conform to PDF/A: {message}",
    source=_ISO,
)
FORM = rule(
    "PDFA-FORM",
    Severity.ERROR,
    "Biểu mẫu tương tác không đáp ứng PDF/A: {message}",
    "An interactive form does not conform to PDF/A: {message}",
    source=_ISO,
)
EMBEDDED_FILE = rule(
    "PDFA-EMBEDDED-FILE",
    Severity.ERROR,
    "Tệp đính kèm {name} không phải PDF/A; PDF/A-2 chỉ cho phép đính kèm tệp PDF/A.",
    "The embedded file {name} is not PDF/A; PDF/A-2 only allows PDF/A files to be embedded.",
    source=_ISO,
)
OPTIONAL_CONTENT = rule(
    "PDFA-OPTIONAL-CONTENT",
    Severity.ERROR,
    "Nội dung tùy chọn (optional content) không đáp ứng PDF/A: {message}",
    "Optional content does not conform to PDF/A: {message}",
    source=_ISO,
)
NONCONFORMING = rule(
    "PDFA-NONCONFORMING",
    Severity.ERROR,
    "Tệp không đáp ứng PDF/A ({clause}): {message}",
    "The file does not conform to PDF/A ({clause}): {message}",
    source=_ISO,
)
UNSUPPORTED_CONSTRUCT = rule(
    "PDFA-UNSUPPORTED-CONSTRUCT",
    Severity.WARNING,
    "Bộ kiểm tra tích hợp không kiểm tra được cấu trúc này: {message} ({where}).",
    "The built-in checker cannot check this construct: {message} ({where}).",
    source=_ISO,
)
UNREADABLE = rule(
    "PDFA-UNREADABLE",
    Severity.ERROR,
    "Không đọc được tệp PDF để kiểm tra PDF/A: {reason}",
    "The PDF could not be read for the PDF/A check: {reason}",
    outcome=Outcome.INDETERMINATE,
    source=_ISO,
)
BUILTIN_SCOPE = rule(
    "PDFA-BUILTIN-SCOPE",
    Severity.INFO,
    "Bộ kiểm tra PDF/A tích hợp chỉ kiểm tra các điều khoản: {clauses}.",
    "The built-in PDF/A checker covers only these clauses: {clauses}.",
    outcome=Outcome.PASSED,
    source=_ISO,
)
PREFLIGHT_PASSED = rule(
    "PDFA-PREFLIGHT-PASSED",
    Severity.INFO,
    "Kiểm tra sơ bộ PDF/A đạt; đây không phải là kiểm định đầy đủ bằng veraPDF.",
    "PDF/A pre-flight passed; this is not a full veraPDF validation.",
    outcome=Outcome.PASSED,
    source=_ISO,
)
VERAPDF_RULE_FAILED = rule(
    "PDFA-VERAPDF-RULE",
    Severity.ERROR,
    "veraPDF: vi phạm điều {clause}-{test_number} ({specification}): {description}",
    "veraPDF: rule {clause}-{test_number} ({specification}) failed: {description}",
    source="veraPDF",
)
VERAPDF_COMPLIANT = rule(
    "PDFA-VERAPDF-COMPLIANT",
    Severity.INFO,
    "veraPDF xác nhận tệp tuân thủ {profile}.",
    "veraPDF found the file compliant with {profile}.",
    outcome=Outcome.PASSED,
    source="veraPDF",
)
VERAPDF_INDETERMINATE = rule(
    "PDFA-VERAPDF-INDETERMINATE",
    Severity.ERROR,
    "veraPDF không hoàn tất kiểm tra: {reason}",
    "veraPDF could not finish the check: {reason}",
    outcome=Outcome.INDETERMINATE,
    source="veraPDF",
)

ALL_RULES: tuple[Rule, ...] = (
    NOT_PDFA,
    WRONG_PART,
    ENCRYPTED,
    JAVASCRIPT,
    FORBIDDEN_ACTION,
    FONT_NOT_EMBEDDED,
    FONT_GLYPH_MISSING,
    FONT,
    FILE_STRUCTURE,
    METADATA,
    OUTPUT_INTENT,
    COLOUR,
    GRAPHICS,
    TRANSPARENCY,
    ANNOTATION,
    FORM,
    EMBEDDED_FILE,
    OPTIONAL_CONTENT,
    NONCONFORMING,
    UNSUPPORTED_CONSTRUCT,
    UNREADABLE,
    BUILTIN_SCOPE,
    PREFLIGHT_PASSED,
    VERAPDF_RULE_FAILED,
    VERAPDF_COMPLIANT,
    VERAPDF_INDETERMINATE,
)
