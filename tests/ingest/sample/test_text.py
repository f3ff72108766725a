from __future__ import annotations

import datetime as dt
import re

from ingest.sample.agencies import CONG_VAN, QUYET_DINH, UBND_NGHE_AN
from ingest.sample.text import long_date, make_attachment_content, make_document_content


def test_same_seed_same_content_and_other_seed_differs() -> None:
    assert make_document_content(11, pages=2) == make_document_content(11, pages=2)
    assert make_document_content(11, pages=2) != make_document_content(12, pages=2)


def test_number_symbol_follows_nd30() -> None:
    content = make_document_content(3, agency=UBND_NGHE_AN, doc_type=QUYET_DINH, number=5)
    assert content.number_symbol == "05/QĐ-UBND"
    letter = make_document_content(3, agency=UBND_NGHE_AN, doc_type=CONG_VAN, number=123)
    assert re.fullmatch(r"123/UBND-[A-ZĐ]+", letter.number_symbol)
    assert letter.subject.startswith("V/v ")
    assert content.subject.startswith("Về việc ")


def test_date_line_pads_day_and_early_months() -> None:
    assert long_date(dt.date(2025, 3, 5)) == "ngày 05 tháng 3 năm 2025"
    assert long_date(dt.date(2025, 2, 14)) == "ngày 14 tháng 02 năm 2025"
    content = make_document_content(1, agency=UBND_NGHE_AN, issued_date=dt.date(2025, 3, 5))
    assert content.place_date_line == "Nghệ An, ngày 05 tháng 3 năm 2025"


def test_page_count_is_the_parameter() -> None:
    for pages in (1, 2, 5):
        assert make_document_content(8, pages=pages).page_count == pages


def test_signer_carries_authority_and_a_cccd_number() -> None:
    for seed in range(20):
        signer = make_document_content(seed).signer
        assert signer.authority_prefix in ("TM.", "KT.", "")
        assert signer.authority_lines[-1] == signer.position.upper()
        if signer.authority_prefix == "KT.":
            assert any(line.startswith("KT. ") for line in signer.authority_lines)
        assert re.fullmatch(r"0\d{11}", signer.national_id)


def test_attachment_refers_to_its_main_document() -> None:
    main = make_document_content(4, agency=UBND_NGHE_AN, doc_type=QUYET_DINH)
    attachment = make_attachment_content(main, 2, pages=2)
    assert attachment.label == "Phụ lục II"
    assert main.number_symbol in attachment.reference_line
    assert attachment.page_count == 2
