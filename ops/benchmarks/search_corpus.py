"""A generated catalog of realistic Vietnamese dossiers and documents, for the search bench.

Written straight into a migrated catalog with bulk inserts (COPY on PostgreSQL), built once
per (database, size) and reused: ``build(url, documents)`` returns at once when it exists.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from typing import Any

import sqlalchemy as sa

from archive.catalog.access import AccessGrant, DocumentText
from archive.catalog.accounts import Agency, Role
from archive.catalog.engine import make_engine, session_scope
from archive.catalog.migrate import upgrade
from archive.catalog.records import Document, Dossier
from archive.services import accounts
from metadata_schemas.codelists import TYPE_NAME

DOCS_PER_DOSSIER = 10
FLUSH_DOSSIERS = 10_000
PROVINCES = [
    "Nghệ An",
    "Hà Tĩnh",
    "Thanh Hóa",
    "Đồng Nai",
    "Bình Dương",
    "Đắk Lắk",
    "Quảng Ninh",
    "Lâm Đồng",
    "Cần Thơ",
    "Hải Phòng",
    "Bắc Giang",
    "Thái Bình",
    "Phú Yên",
    "Kiên Giang",
]
ISSUERS = ["UBND", "SNV", "STC", "SXD", "STNMT", "SGDĐT", "SYT", "SKHĐT"]
ACTIONS = [
    "phê duyệt",
    "ban hành",
    "điều chỉnh",
    "bổ sung",
    "thành lập",
    "giao",
    "kiện toàn",
    "công nhận",
    "khen thưởng",
    "thu hồi",
    "cấp phép",
    "tổ chức",
    "triển khai",
    "sửa đổi",
]
TOPICS = [
    "quy hoạch sử dụng đất",
    "dự án đầu tư xây dựng",
    "kế hoạch phát triển kinh tế xã hội",
    "chương trình nông thôn mới",
    "đề án vị trí việc làm",
    "biên chế công chức",
    "danh mục tài liệu hết giá trị",
    "giải phóng mặt bằng",
    "đường giao thông nông thôn",
    "trường trung học cơ sở",
    "trạm y tế xã",
    "hệ thống thủy lợi",
    "bảo vệ rừng phòng hộ",
    "chuyển đổi số",
    "cải cách hành chính",
    "phòng chống thiên tai",
    "hồ chứa nước",
    "khu công nghiệp",
    "chợ nông thôn",
    "di tích lịch sử văn hóa",
    "bảo hiểm xã hội",
    "thu ngân sách nhà nước",
    "mua sắm tài sản công",
    "lưu trữ tài liệu điện tử",
]
PLACES = [
    "xã Hưng Lộc",
    "xã Nghi Phú",
    "phường Bến Thủy",
    "thị trấn Quán Hành",
    "xã Đức Thọ",
    "huyện Diễn Châu",
    "huyện Quỳnh Lưu",
    "thành phố Vinh",
    "xã Thạch Đồng",
    "xã Đông Sơn",
    "phường Trường Thi",
    "xã Tây Hiếu",
    "huyện Yên Thành",
    "xã Đồng Văn",
    "xã Quỳnh Đôi",
]
SENTENCES = [
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015",
    "Xét đề nghị của Giám đốc Sở Nội vụ tại Tờ trình",
    "Các cơ quan, đơn vị có liên quan chịu trách nhiệm thi hành quyết định này",
    "Giao Ủy ban nhân dân cấp huyện chủ trì, phối hợp với các sở, ngành",
    "Kinh phí thực hiện từ nguồn ngân sách địa phương theo phân cấp hiện hành",
    "Báo cáo kết quả thực hiện về Ủy ban nhân dân tỉnh trước ngày 31 tháng 12",
    "Quyết định này có hiệu lực kể từ ngày ký",
    "Nơi nhận: như Điều 3; lưu VT",
    "Tổ chức kiểm tra, giám sát việc thực hiện và xử lý vi phạm theo quy định",
]
SIGNERS = [
    "Nguyễn Văn An",
    "Trần Thị Bình",
    "Lê Văn Cường",
    "Phạm Thị Dung",
    "Hoàng Văn Đức",
    "Võ Thị Hạnh",
    "Đặng Văn Hùng",
    "Bùi Thị Lan",
    "Đỗ Văn Minh",
    "Ngô Thị Nga",
]
TYPES = [c for c in TYPE_NAME.codes if c.abbreviation][:15]


def _exists(url: str, documents: int) -> bool:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return (
                conn.execute(sa.select(sa.func.count()).select_from(Document)).scalar() == documents
            )
    except sa.exc.SQLAlchemyError:
        return False
    finally:
        engine.dispose()


def _subject(rng: random.Random, type_label: str) -> str:
    place = rng.choice(PLACES)
    return (
        f"{type_label} {rng.choice(ACTIONS)} {rng.choice(TOPICS)} {place} {rng.choice(PROVINCES)}"
    )


def build(url: str, documents: int, seed: int = 7) -> dict[str, int]:
    """Make the catalog at ``url`` hold ``documents`` documents (once); returns agency ids."""
    upgrade(url)
    engine = make_engine(url)
    try:
        with session_scope(engine) as session:
            if session.scalar(sa.select(sa.func.count()).select_from(Agency)) == 0:
                accounts.create_agency(session, "000.00.00.H41", "UBND tỉnh Nghệ An", actor="bench")
                for n in range(1, 10):
                    accounts.create_agency(
                        session,
                        f"000.00.{n:02d}.H41",
                        f"Sở {n} tỉnh Nghệ An",
                        "000.00.00.H41",
                        actor="bench",
                    )
                accounts.create_user(
                    session,
                    "admin",
                    "bench-password-1",
                    "000.00.00.H41",
                    {Role.ADMIN},
                    actor="bench",
                )
                accounts.create_user(
                    session,
                    "archivist",
                    "bench-password-1",
                    "000.00.01.H41",
                    {Role.ARCHIVIST},
                    actor="bench",
                )
                accounts.create_user(
                    session,
                    "official",
                    "bench-password-1",
                    "000.00.02.H41",
                    {Role.OFFICIAL},
                    actor="bench",
                )
            agencies = dict(session.execute(sa.select(Agency.code, Agency.id)).all())
        if _exists(url, documents):
            return agencies
        _fill(engine, documents, seed, sorted(agencies.values()))
        return agencies
    finally:
        engine.dispose()


def _fill(engine: sa.Engine, documents: int, seed: int, agency_ids: list[int]) -> None:
    rng = random.Random(seed)
    with engine.begin() as conn:
        for table in ("search_entries", "access_grants", "document_texts", "documents", "dossiers"):
            conn.execute(sa.text(f"DELETE FROM {table}"))
    dossiers: list[dict[str, object]] = []
    docs: list[dict[str, object]] = []
    texts: list[dict[str, object]] = []
    grants: list[dict[str, object]] = []
    now = dt.datetime.now(dt.UTC)
    written = 0
    for d in range(max(1, documents // DOCS_PER_DOSSIER)):
        year = rng.randint(2005, 2024)
        agency = rng.choice(agency_ids[1:])
        dossier_id = str(uuid.UUID(int=rng.getrandbits(128)))
        topic, place = rng.choice(TOPICS), rng.choice(PLACES)
        mode = "02" if rng.random() < 0.15 else "01"
        status = rng.choices(["archived", "due_for_review", "on_hold", "destroyed"], [90, 5, 3, 2])[
            0
        ]
        dossiers.append(
            {
                "id": dossier_id,
                "agency_id": agency,
                "file_code": f"000.00.{agency:02d}.H41.{year}.{d:06d}",
                "title": f"Hồ sơ về {topic} {place} năm {year}",
                "maintenance": rng.choice(["01", "03", "04", "05", "06"]),
                "mode": mode,
                "language": "01",
                "start_date": f"01/01/{year}",
                "end_date": f"31/12/{year}",
                "end_year": year,
                "confidence_level": "01",
                "total_doc": DOCS_PER_DOSSIER,
                "number_of_page": 20,
                "status": status,
                "ocfl_version": 1,
                "created_at": now,
            }
        )
        for s in range(DOCS_PER_DOSSIER):
            if written + len(docs) >= documents:
                break
            kind = rng.choice(TYPES)
            doc_id = str(uuid.UUID(int=rng.getrandbits(128)))
            number = f"{rng.randint(1, 999):02d}"
            notation = f"{kind.abbreviation}-{rng.choice(ISSUERS)}"
            subject = _subject(rng, kind.vi)
            docs.append(
                {
                    "id": doc_id,
                    "dossier_id": dossier_id,
                    "sequence": s + 1,
                    "doc_id": f"{d}.{s}",
                    "type_name": kind.code,
                    "code_number": number,
                    "code_notation": notation[:30],
                    "issued_date": f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{year}",
                    "organ_name": "UBND tỉnh Nghệ An",
                    "subject": subject,
                    "mode": "02" if mode == "02" or rng.random() < 0.05 else "01",
                    "maintenance": "04",
                    "confidence_level": "01",
                    "number_of_page": 2,
                    "metadata_json": {"autograph": rng.choice(SIGNERS)},
                }
            )
            body = ". ".join([subject, *rng.sample(SENTENCES, 3), f"{topic} tại {place}"])
            texts.append({"document_id": doc_id, "text": body, "extracted_at": now})
        if mode == "02" and rng.random() < 0.3:
            grants.append(
                {
                    "user_id": 3,
                    "dossier_id": dossier_id,
                    "valid_until": now + dt.timedelta(days=365),
                    "reason": "bench",
                    "granted_by": "bench",
                    "granted_at": now,
                }
            )
        if len(dossiers) >= FLUSH_DOSSIERS:
            written += len(docs)
            _flush(engine, dossiers, docs, texts, grants)
    _flush(engine, dossiers, docs, texts, grants)


def _flush(engine: sa.Engine, *batches: list[dict[str, object]]) -> None:
    """Write what was generated so far (dossiers before their documents) and forget it, so
    that a million documents never sit in memory at once."""
    for table, rows in zip(
        (Dossier.__table__, Document.__table__, DocumentText.__table__, AccessGrant.__table__),
        batches,
        strict=True,
    ):
        _insert(engine, table, rows)
        rows.clear()


def _insert(engine: sa.Engine, table: Any, rows: list[dict[str, object]]) -> None:
    if not rows:
        return
    if engine.dialect.name == "postgresql":
        import json

        columns = list(rows[0])
        raw = engine.raw_connection()
        try:
            cur = raw.cursor()
            with cur.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(
                        [
                            json.dumps(v) if isinstance(v, dict) else v
                            for v in (row[c] for c in columns)
                        ]
                    )
            raw.commit()
        finally:
            raw.close()
        return
    with engine.begin() as conn:
        for start in range(0, len(rows), 5000):
            conn.execute(table.insert(), rows[start : start + 5000])


if __name__ == "__main__":
    import sys

    print(build(sys.argv[1], int(sys.argv[2])))
