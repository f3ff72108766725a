"""What a sample document says: all its fields, made from templates and a seed.

Everything is drawn from ``random.Random(seed)`` so the same seed always gives the same
document. The body is already split into pages (``body_pages``) with a conservative budget of
characters per page, so the page count is a parameter and the PDF has exactly that many pages.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Literal

from ingest.sample.agencies import (
    AGENCIES,
    CCCD_PROVINCE_PREFIX,
    CONG_VAN,
    DOCUMENT_TYPES,
    OTHER_PROVINCES,
    QUYET_DINH,
    Agency,
    DocumentType,
)

BlockStyle = Literal["paragraph", "heading", "centred_bold"]

# Characters of body text that surely fit on a page, whatever the wrapping (see layout.py).
CHARS_FIRST_PAGE = 1900
CHARS_FULL_PAGE = 3000
CHARS_RESERVED_FOR_SIGNER_BLOCK = 1000


@dataclass(frozen=True)
class Block:
    text: str
    style: BlockStyle = "paragraph"


@dataclass(frozen=True)
class Signer:
    full_name: str  # "Nguyễn Văn An"
    position: str  # "Phó Chủ tịch"
    authority_prefix: str  # "TM.", "KT." or "" (signing in one's own right)
    authority_lines: tuple[str, ...]  # as printed: ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", …)
    national_id: str  # 12-digit CCCD number, goes into the person certificate as CCCD:


@dataclass(frozen=True)
class DocumentContent:
    """One document as the package builder describes it in metadata and the PDF shows it."""

    seed: int
    agency: Agency
    doc_type: DocumentType
    code_number: str  # "15": zero-padded below 10 (NĐ30)
    code_notation: str  # "QĐ-UBND"
    issued_date: dt.date
    place_date_line: str  # "Nghệ An, ngày 05 tháng 3 năm 2025"
    subject: str  # "Về việc phê duyệt …" (công văn: "V/v …")
    body_pages: tuple[tuple[Block, ...], ...]
    recipients: tuple[str, ...]  # lines of "Nơi nhận:"
    signer: Signer

    @property
    def number_symbol(self) -> str:
        return f"{self.code_number}/{self.code_notation}"

    @property
    def page_count(self) -> int:
        return len(self.body_pages)

    @property
    def issuer_name(self) -> str:
        return self.agency.name


@dataclass(frozen=True)
class AttachmentContent:
    """A phụ lục issued with a main document but kept in a separate file."""

    main: DocumentContent
    ordinal: int  # 1 → "Phụ lục I"
    title: str  # upper case, printed bold
    body_pages: tuple[tuple[Block, ...], ...]

    @property
    def label(self) -> str:
        return f"Phụ lục {_roman(self.ordinal)}"

    @property
    def reference_line(self) -> str:
        main = self.main
        return (
            f"(Kèm theo {main.doc_type.name} số {main.number_symbol} ngày "
            f"{short_date(main.issued_date)} của {main.agency.name})"
        )

    @property
    def page_count(self) -> int:
        return len(self.body_pages)


_FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ")
_MIDDLE = ("Văn", "Thị", "Đức", "Minh", "Thanh", "Hữu", "Quang", "Ngọc", "Xuân")
_GIVEN = ("An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Hương", "Tuấn", "Thắng", "Đạt", "Phương")


def make_document_content(
    seed: int,
    *,
    pages: int = 1,
    agency: Agency | None = None,
    doc_type: DocumentType | None = None,
    issued_date: dt.date | None = None,
    number: int | None = None,
) -> DocumentContent:
    """A complete, plausible document; anything not given is drawn from ``seed``."""
    if pages < 1:
        raise ValueError("a document has at least one page")
    rng = random.Random(seed)
    agency = agency or rng.choice(AGENCIES)
    doc_type = doc_type or rng.choice(DOCUMENT_TYPES)
    issued_date = issued_date or dt.date(2025, 1, 2) + dt.timedelta(days=rng.randrange(360))
    number = number if number is not None else rng.randint(1, 250)
    if doc_type == CONG_VAN:
        notation = f"{agency.abbreviation}-{rng.choice(agency.drafting_units)}"
    else:
        notation = f"{doc_type.abbreviation}-{agency.abbreviation}"
    project = _project(rng, agency)
    signer = _signer(rng, agency)
    return DocumentContent(
        seed=seed,
        agency=agency,
        doc_type=doc_type,
        code_number=f"{number:02d}",
        code_notation=notation,
        issued_date=issued_date,
        place_date_line=f"{agency.province}, {long_date(issued_date)}",
        subject=_subject(rng, doc_type, project, issued_date.year),
        body_pages=_paginate(
            _opening(rng, agency, doc_type, project, issued_date),
            _filler(rng, agency, project, issued_date, CHARS_FULL_PAGE * pages),
            _closing(agency, doc_type),
            pages,
            last=(CHARS_FIRST_PAGE if pages == 1 else CHARS_FULL_PAGE)
            - CHARS_RESERVED_FOR_SIGNER_BLOCK,
        ),
        recipients=_recipients(rng, agency, doc_type),
        signer=signer,
    )


def make_attachment_content(
    main: DocumentContent, ordinal: int = 1, *, pages: int = 1
) -> AttachmentContent:
    rng = random.Random(f"{main.seed}/attachment/{ordinal}")
    project = _project(rng, main.agency)
    opening = [Block(f"Dự án {project}.", "heading")]
    filler = _filler(rng, main.agency, project, main.issued_date, CHARS_FULL_PAGE * pages)
    titles = ("DANH MỤC CÁC HẠNG MỤC ĐẦU TƯ", "KẾ HOẠCH VỐN VÀ TIẾN ĐỘ THỰC HIỆN")
    return AttachmentContent(
        main=main,
        ordinal=ordinal,
        title=titles[(ordinal - 1) % len(titles)],
        body_pages=_paginate(opening, filler, [], pages, last=CHARS_FULL_PAGE),
    )


def long_date(day: dt.date) -> str:
    """'ngày 05 tháng 3 năm 2025': day below 10 and months 1–2 zero-padded (NĐ30)."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def short_date(day: dt.date) -> str:
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{day.day:02d}/{month}/{day.year}"


def _roman(n: int) -> str:
    numerals = ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    out = ""
    for value, letters in numerals:
        while n >= value:
            out, n = out + letters, n - value
    return out


def _person_name(rng: random.Random) -> str:
    return f"{rng.choice(_FAMILY)} {rng.choice(_MIDDLE)} {rng.choice(_GIVEN)}"


def _signer(rng: random.Random, agency: Agency) -> Signer:
    deputy = rng.random() < 0.6
    position = agency.deputy_title if deputy else agency.head_title
    lines: list[str] = []
    if agency.collective:
        lines.append(f"TM. {agency.collective.upper()}")
    if deputy:
        lines += [f"KT. {agency.head_title.upper()}", agency.deputy_title.upper()]
    else:
        lines.append(agency.head_title.upper())
    prefix = "KT." if deputy else ("TM." if agency.collective else "")
    birth_year = rng.randint(1965, 1985)
    national_id = (
        CCCD_PROVINCE_PREFIX.get(agency.province, "040")
        + str(rng.choice((0, 1)))  # 0 male, 1 female, born in the 20th century
        + f"{birth_year % 100:02d}"
        + f"{rng.randrange(10**6):06d}"
    )
    return Signer(_person_name(rng), position, prefix, tuple(lines), national_id)


def _project(rng: random.Random, agency: Agency) -> str:
    street = rng.choice(agency.streets)
    place = rng.choice(agency.places)
    return rng.choice(
        (
            f"nâng cấp, mở rộng tuyến {street} đoạn qua {place}",
            f"cải tạo hệ thống thoát nước dọc {street}, {place}",
            f"xây dựng cầu vượt và nút giao trên {street}, {place}",
        )
    )


def _subject(rng: random.Random, doc_type: DocumentType, project: str, year: int) -> str:
    if doc_type == QUYET_DINH:
        verb = rng.choice(("phê duyệt kế hoạch lựa chọn nhà thầu", "phê duyệt chủ trương đầu tư"))
        return f"Về việc {verb} dự án {project}"
    if doc_type == CONG_VAN:
        return f"V/v triển khai thực hiện dự án {project}"
    if doc_type.abbreviation == "BC":
        return f"Kết quả thực hiện dự án {project} năm {year}"
    if doc_type.abbreviation == "TTr":
        return f"Đề nghị phê duyệt chủ trương đầu tư dự án {project}"
    if doc_type.abbreviation == "KH":
        return f"Triển khai thực hiện dự án {project} năm {year}"
    return f"Kết luận kiểm tra tiến độ dự án {project}"


def _legal_basis(rng: random.Random, agency: Agency, issued: dt.date) -> str:
    # Every document cites an earlier decision, so "Quyết định" and "Ủy ban nhân dân" occur.
    earlier = issued - dt.timedelta(days=rng.randint(30, 400))
    province_body = agency.parent_name or agency.name
    return (
        f"Căn cứ Quyết định số {rng.randint(1, 300):02d}/QĐ-UBND ngày {short_date(earlier)} của "
        f"{province_body} về việc giao chỉ tiêu kế hoạch đầu tư công năm {issued.year}"
    )


def _opening(
    rng: random.Random, agency: Agency, doc_type: DocumentType, project: str, issued: dt.date
) -> list[Block]:
    blocks: list[Block] = []
    if doc_type == QUYET_DINH:
        blocks.append(Block(f"{agency.head_title} {agency.name}".upper(), "centred_bold"))
        blocks.append(Block("Căn cứ Luật Đầu tư công ngày 29 tháng 11 năm 2024;"))
        blocks.append(Block(_legal_basis(rng, agency, issued) + ";"))
        blocks.append(Block("QUYẾT ĐỊNH:", "centred_bold"))
        blocks.append(Block(f"Điều 1. Phê duyệt các nội dung chủ yếu của dự án {project}."))
    else:
        blocks.append(Block(_legal_basis(rng, agency, issued) + "."))
        blocks.append(Block("I. MỤC ĐÍCH, YÊU CẦU", "heading"))
    return blocks


def _closing(agency: Agency, doc_type: DocumentType) -> list[Block]:
    if doc_type == QUYET_DINH:
        return [
            Block("Điều 2. Quyết định này có hiệu lực kể từ ngày ký."),
            Block(
                f"Điều 3. Chánh Văn phòng {agency.name}, Thủ trưởng các cơ quan, đơn vị và "
                "cá nhân có liên quan chịu trách nhiệm thi hành Quyết định này./."
            ),
        ]
    return [Block(f"Trên đây là {doc_type.name.lower()} của {agency.name}./.")]


_SENTENCES = (
    "Tổng chiều dài tuyến khoảng {km} km, bề rộng nền đường {width} m, mặt đường bê tông nhựa.",
    "Tổng mức đầu tư dự kiến {money} triệu đồng từ nguồn vốn ngân sách tỉnh và vốn hợp pháp khác.",
    "Thời gian thực hiện từ năm {year} đến năm {year2}, chia thành {phases} giai đoạn.",
    "Giao Ủy ban nhân dân {place} phối hợp giải phóng mặt bằng, bàn giao cho chủ đầu tư đúng hạn.",
    "Đơn vị thi công bảo đảm an toàn giao thông, vệ sinh môi trường trong quá trình thi công.",
    "Định kỳ hằng quý báo cáo kết quả thực hiện về {agency} để theo dõi, chỉ đạo.",
    "Kinh nghiệm triển khai các dự án tương tự tại tỉnh {other} được nghiên cứu, vận dụng phù hợp.",
    "Khối lượng hoàn thành đến nay đạt khoảng {percent}% so với kế hoạch được giao.",
    "Các hộ dân bị ảnh hưởng được bồi thường, hỗ trợ theo đúng quy định hiện hành.",
)

_HEADINGS = ("II. NỘI DUNG THỰC HIỆN", "III. TỔ CHỨC THỰC HIỆN", "IV. KINH PHÍ", "V. TIẾN ĐỘ")


def _filler(
    rng: random.Random, agency: Agency, project: str, issued: dt.date, chars: int
) -> list[Block]:
    """Paragraphs about ``project`` adding up to about ``chars`` characters."""
    blocks: list[Block] = []
    total = 0
    while total < chars:
        if rng.random() < 0.12:
            blocks.append(Block(rng.choice(_HEADINGS), "heading"))
            total += 60
            continue
        sentences = [
            template.format(
                km=f"{rng.randint(2, 40)},{rng.randint(0, 9)}",
                width=rng.choice(("7,5", "9,0", "12,0", "20,5")),
                money=f"{rng.randint(12, 950)}.{rng.randrange(1000):03d}",
                year=issued.year,
                year2=issued.year + rng.randint(1, 3),
                phases=rng.randint(2, 3),
                place=rng.choice(agency.places),
                agency=agency.name,
                other=rng.choice(OTHER_PROVINCES),
                percent=rng.randint(35, 95),
            )
            for template in rng.sample(_SENTENCES, k=rng.randint(2, 4))
        ]
        text = " ".join(sentences)
        blocks.append(Block(text))
        total += len(text)
    return blocks


def _paginate(
    opening: list[Block], filler: list[Block], closing: list[Block], pages: int, *, last: int
) -> tuple[tuple[Block, ...], ...]:
    """Lay blocks onto ``pages`` pages by character budget.

    The opening always goes on page 1 and the closing on the last page, whatever their size;
    filler is taken in order while it fits and the rest is dropped. ``last`` is the budget of
    the last page (smaller when the signer block follows the body).
    """
    result: list[tuple[Block, ...]] = []
    pending = list(filler)
    for index in range(pages):
        is_last = index == pages - 1
        budget = CHARS_FIRST_PAGE if index == 0 else CHARS_FULL_PAGE
        if is_last:
            budget = min(budget, last)
        head = list(opening) if index == 0 else []
        tail = list(closing) if is_last else []
        used = sum(_cost(block) for block in head + tail)
        while pending and used + _cost(pending[0]) <= budget:
            used += _cost(pending[0])
            head.append(pending.pop(0))
        result.append(tuple(head + tail))
    return tuple(result)


def _cost(block: Block) -> int:
    return len(block.text) + 80  # a paragraph wastes most of its last line and some spacing


def _recipients(rng: random.Random, agency: Agency, doc_type: DocumentType) -> tuple[str, ...]:
    lines = ["- Như Điều 3;"] if doc_type == QUYET_DINH else ["- Như trên;"]
    lines.append("- Bộ Xây dựng (để b/c);")
    if agency.parent_name:
        lines.append(f"- {agency.parent_name} (để b/c);")
    else:
        lines.append(f"- {agency.head_title}, các {agency.deputy_title} (để b/c);")
    unit = rng.choice(agency.drafting_units)
    lines.append(f"- Lưu: VT, {unit}.")
    return tuple(lines)
