"""Secrecy marks are found as standalone marks, labelled fields or two-word marks, case-blind."""

from __future__ import annotations

import unicodedata

import pytest

from metadata_schemas.enums import SecrecyMark
from metadata_schemas.marks import find_secrecy_marks, is_secret


@pytest.mark.parametrize(
    ("text", "mark"),
    [
        ("MẬT", SecrecyMark.MAT),
        ("mật", SecrecyMark.MAT),
        ("UBND TỈNH NGHỆ AN\n   - MẬT -\nSố: 15/QĐ-UBND", SecrecyMark.MAT),
        ("Độ mật: Tối mật", SecrecyMark.TOI_MAT),
        ("Mức độ mật - TUYỆT MẬT", SecrecyMark.TUYET_MAT),
        ("độ mật: mật", SecrecyMark.MAT),
        ("Gửi kèm tài liệu tuyệt mật về quốc phòng", SecrecyMark.TUYET_MAT),
        ("TỐI  MẬT", SecrecyMark.TOI_MAT),
        (unicodedata.normalize("NFD", "Tối mật"), SecrecyMark.TOI_MAT),
    ],
)
def test_mark_is_found(text: str, mark: SecrecyMark) -> None:
    assert [found.mark for found in find_secrecy_marks(text)] == [mark]


@pytest.mark.parametrize(
    "text",
    [
        "Hướng dẫn đổi mật khẩu hệ thống",
        "Quy chế bảo vệ bí mật nhà nước",
        "QUY CHẾ BẢO VỆ BÍ MẬT NHÀ NƯỚC",
        "Báo cáo mật độ dân số",
        "Quan hệ mật thiết giữa hai cơ quan",
        "Buổi tối mật ong được bày bán",
        "Độ mật: không",
    ],
)
def test_ordinary_words_are_not_marks(text: str) -> None:
    assert not is_secret(text)


def test_span_points_at_the_mark() -> None:
    text = "Độ mật: Tối mật"
    (found,) = find_secrecy_marks(text)
    assert text[found.start : found.end] == "Tối mật"
