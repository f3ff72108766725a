"""The application's exception family; the API turns each into RFC 9457 problem+json."""

from __future__ import annotations

from typing import Any


class ArchiveError(Exception):
    """Base of all application errors. ``status`` is the HTTP status the API answers with."""

    status = 500
    type_slug = "internal-error"
    title_vi = "Lỗi hệ thống"
    title_en = "Internal error"

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra


class InvalidInput(ArchiveError):
    status = 400
    type_slug = "invalid-input"
    title_vi = "Dữ liệu không hợp lệ"
    title_en = "Invalid input"


class Unauthenticated(ArchiveError):
    status = 401
    type_slug = "unauthenticated"
    title_vi = "Chưa xác thực"
    title_en = "Authentication required"


class Forbidden(ArchiveError):
    status = 403
    type_slug = "forbidden"
    title_vi = "Không có quyền"
    title_en = "Not allowed"


class NotFound(ArchiveError):
    """Also answered for records of an agency the caller may not see (no existence leak)."""

    status = 404
    type_slug = "not-found"
    title_vi = "Không tìm thấy"
    title_en = "Not found"


class Conflict(ArchiveError):
    status = 409
    type_slug = "conflict"
    title_vi = "Xung đột"
    title_en = "Conflict"


class PayloadTooLarge(ArchiveError):
    status = 413
    type_slug = "payload-too-large"
    title_vi = "Gói tin quá lớn"
    title_en = "Payload too large"


class UnsupportedMediaType(ArchiveError):
    status = 415
    type_slug = "unsupported-media-type"
    title_vi = "Kiểu dữ liệu không được hỗ trợ"
    title_en = "Unsupported media type"


class ServiceUnavailable(ArchiveError):
    status = 503
    type_slug = "service-unavailable"
    title_vi = "Dịch vụ tạm thời không sẵn sàng"
    title_en = "Service unavailable"
