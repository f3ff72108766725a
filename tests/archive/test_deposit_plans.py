"""Deposit against the file plan (Danh mục hồ sơ): import from CSV, XLSX and JSON in the shape
of NĐ 30/2020 Phụ lục V, matching submissions by fileCode, the not-in-plan warning, overdue
deposits (Luật Lưu trữ 2024), and who may see which agency's plan."""

from __future__ import annotations

import csv
import io
import uuid

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from openpyxl import Workbook

from archive.catalog.accounts import Agency
from archive.catalog.base import utcnow
from archive.catalog.engine import session_scope
from archive.catalog.events import Event
from archive.catalog.records import Dossier, Submission
from archive.errors import InvalidInput
from archive.services.deposit_plans import XLSX_TYPE, parse_plan_rows, plan_findings
from archive.web.deposit_page import deposit_router
from tests.conftest import World, login

AGENCY = "000.00.01.H41"
URL = f"/api/v1/deposit-plan/{AGENCY}/2024"

# Phụ lục V: title lines, the header, the column numbers, headings (Roman, Arabic), dossiers,
# and the closing count.
PLAN: list[list[str]] = [
    ["SỞ NỘI VỤ TỈNH NGHỆ AN", "", "", "", ""],
    ["DANH MỤC HỒ SƠ CỦA SỞ NỘI VỤ NĂM 2024", "", "", "", ""],
    ["Số và ký hiệu hồ sơ", "Tên đề mục và tiêu đề hồ sơ", "Thời hạn bảo quản",
     "Người lập hồ sơ", "Ghi chú"],
    ["(1)", "(2)", "(3)", "(4)", "(5)"],
    ["I", "TỔ CHỨC CÁN BỘ", "", "", ""],
    ["1", "Tuyển dụng", "", "", ""],
    ["01.TCCB", "Hồ sơ tuyển dụng công chức năm 2024", "Vĩnh viễn", "Nguyễn Văn A", ""],
    ["02.TCCB", "Hồ sơ nâng lương năm 2024", "20 năm", "Nguyễn Văn A", "Bản điện tử"],
    ["2", "Thi đua khen thưởng", "", "", ""],
    ["03.TCCB", "Hồ sơ khen thưởng năm 2024", "10 năm", "Trần Thị B", ""],
    ["II", "VĂN PHÒNG", "", "", ""],
    ["01.VP", "Công văn trao đổi về hành chính", "03 năm", "Lê Văn C", ""],
    ["02.VP", "Hồ sơ hội nghị tổng kết năm 2024", "Vĩnh viễn", "Lê Văn C", ""],
    ["03.VP", "Hồ sơ hợp đồng dịch vụ", "Đến khi hợp đồng hết hiệu lực", "Lê Văn C", ""],
    ["", "Bản Danh mục hồ sơ này có 6 hồ sơ, bao gồm: 2 hồ sơ bảo quản vĩnh viễn", "", "", ""],
]  # fmt: skip


def code(notation: str, year: int = 2024) -> str:
    return f"{AGENCY}.{year}.{notation}"


def plan_csv(delimiter: str = ",") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(PLAN)
    return out.getvalue().encode("utf-8-sig")


def plan_xlsx() -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in PLAN:
        sheet.append([None if cell == "" else cell for cell in row])
    sheet.append([])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def plan_json() -> dict[str, object]:
    rows: list[dict[str, str]] = []
    for notation, title, retention, creator, note in PLAN[4:-1]:
        if not retention:
            rows.append({"heading": f"{notation}. {title}"})
        else:
            rows.append(
                {"fileNotation": notation, "title": title, "retention": retention,
                 "creator": creator, "note": note}
            )  # fmt: skip
    return {"rows": rows}


def test_phu_luc_v_rows_become_dossiers_under_their_headings() -> None:
    entries = parse_plan_rows(PLAN)
    assert [e.file_notation for e in entries] == ["01.TCCB", "02.TCCB", "03.TCCB", "01.VP",
                                                  "02.VP", "03.VP"]  # fmt: skip
    assert entries[0].heading == "I. TỔ CHỨC CÁN BỘ › 1. Tuyển dụng"
    assert entries[2].heading == "I. TỔ CHỨC CÁN BỘ › 2. Thi đua khen thưởng"
    assert entries[3].heading == "II. VĂN PHÒNG"
    assert [e.retention_years for e in entries] == [None, 20, 10, 3, None, None]
    assert entries[1].note == "Bản điện tử" and entries[0].creator == "Nguyễn Văn A"
    with pytest.raises(InvalidInput, match="no column header"):
        parse_plan_rows(PLAN[4:])
    with pytest.raises(InvalidInput, match="repeats row"):
        parse_plan_rows([*PLAN[:8], ["01.TCCB", "Trùng số", "5 năm", "", ""]])


def _rows(answer: dict[str, object]) -> list[tuple[str, str, str | None]]:
    rows = answer["rows"]
    assert isinstance(rows, list)
    return [(r["fileCode"], r["retention"], r["heading"]) for r in rows]


def test_the_plan_imports_the_same_from_csv_xlsx_and_json(world: World, client: TestClient) -> None:
    archivist = login(client, "archivist")
    from_csv = client.put(
        URL, content=plan_csv(";"), headers={**archivist, "Content-Type": "text/csv"}
    )
    assert from_csv.status_code == 200, from_csv.text
    expected = _rows(from_csv.json())
    assert expected[0] == (code("01.TCCB"), "Vĩnh viễn", "I. TỔ CHỨC CÁN BỘ › 1. Tuyển dụng")
    assert from_csv.json()["summary"]["dossiers"] == 6
    assert from_csv.json()["summary"]["permanent"] == 2

    from_xlsx = client.put(
        URL,
        files={"file": ("danh-muc-2024.xlsx", plan_xlsx(), XLSX_TYPE)},
        headers=archivist,
    )
    assert from_xlsx.status_code == 200, from_xlsx.text
    assert _rows(from_xlsx.json()) == expected

    from_json = client.put(URL, json=plan_json(), headers=archivist)
    assert from_json.status_code == 200, from_json.text
    assert _rows(from_json.json()) == expected
    assert _rows(client.get(URL, headers=archivist).json()) == expected

    with session_scope(world.engine) as session:
        imports = session.scalars(
            sa.select(Event).where(Event.event_type == "deposit plan import")
        ).all()
        assert [e.detail["source"] for e in imports] == ["csv", "xlsx", "json"]
        assert [e.detail["replaced"] for e in imports] == [False, True, True]
        assert all(e.agent == "user:archivist" and e.detail["dossiers"] == 6 for e in imports)

    listed = client.get("/api/v1/deposit-plan", headers=archivist).json()
    assert listed == [
        {"agency": AGENCY, "agency_name": "Sở Nội vụ tỉnh Nghệ An", "year": 2024, "dossiers": 6}
    ]


def test_bad_plans_are_refused_with_a_problem(world: World, client: TestClient) -> None:
    archivist = login(client, "archivist")
    no_header = client.put(
        URL, content=b"01.VP,Cong van,10 nam\n", headers={**archivist, "Content-Type": "text/csv"}
    )
    assert no_header.status_code == 400
    assert no_header.headers["content-type"] == "application/problem+json"
    assert "header" in no_header.json()["detail"]
    pdf = client.put(URL, content=b"%PDF", headers={**archivist, "Content-Type": "application/pdf"})
    assert pdf.status_code == 415
    no_retention = client.put(
        URL,
        json={"rows": [{"fileNotation": "01.VP", "title": "Công văn", "retention": ""}]},
        headers=archivist,
    )
    assert no_retention.status_code == 400


def _submission(engine: object, notation: str, status: str, year: int = 2024) -> str:
    with session_scope(engine) as session:  # type: ignore[arg-type]
        agency_id = session.scalar(sa.select(Agency.id).where(Agency.code == AGENCY))
        submission = Submission(
            agency_id=agency_id,
            status=status,
            package_sha256=uuid.uuid4().hex * 2,
            size=1000,
            file_code=code(notation, year),
        )
        session.add(submission)
        session.flush()
        return submission.id


def _dossier(engine: object, notation: str, end_year: int) -> str:
    with session_scope(engine) as session:  # type: ignore[arg-type]
        agency_id = session.scalar(sa.select(Agency.id).where(Agency.code == AGENCY))
        dossier = Dossier(
            agency_id=agency_id,
            file_code=code(notation),
            title="Hồ sơ",
            maintenance="01",
            mode="01",
            confidence_level="01",
            end_year=end_year,
            archived_at=utcnow(),
        )
        session.add(dossier)
        session.flush()
        return dossier.id


def test_rows_show_what_arrived_and_what_is_overdue(world: World, client: TestClient) -> None:
    archivist = login(client, "archivist")
    assert client.put(URL, json=plan_json(), headers=archivist).status_code == 200
    engine = world.engine
    _submission(engine, "01.TCCB", "rejected")
    archived_sub = _submission(engine, "01.TCCB", "archived")
    dossier_id = _dossier(engine, "01.TCCB", end_year=2023)
    _submission(engine, "02.TCCB", "awaiting_review")
    _submission(engine, "03.TCCB", "accepted")
    _submission(engine, "02.VP", "rejected")
    _submission(engine, "09.VP", "awaiting_review")  # not in the plan
    _submission(engine, "01.VP", "received", year=2025)  # another year's plan

    answer = client.get(URL, params={"as_of": "2026-01-02"}, headers=archivist).json()
    rows = {r["fileNotation"]: r for r in answer["rows"]}
    assert {n: r["status"] for n, r in rows.items()} == {
        "01.TCCB": "archived",
        "02.TCCB": "received",
        "03.TCCB": "accepted",
        "01.VP": "missing",
        "02.VP": "rejected",
        "03.VP": "missing",
    }
    first = rows["01.TCCB"]
    assert (first["received"], first["accepted"], first["archived"], first["missing"]) == (
        True, True, True, False,
    )  # fmt: skip
    assert first["dossier_id"] == dossier_id and archived_sub in first["submission_ids"]
    assert (first["end_year"], first["end_year_from_plan"]) == (2023, False)
    assert rows["03.TCCB"]["accepted"] and not rows["03.TCCB"]["archived"]
    assert rows["01.VP"]["missing"] and rows["01.VP"]["deposit_required"] is False  # 3 years
    assert rows["03.VP"]["deposit_required"] is None  # a condition in words
    # Work ended 2024 (the plan year) → deposit by 31/12/2025; only 02.VP (permanent, rejected)
    # is overdue on 2 January 2026: 01.VP need not be deposited, 03.VP is decided by a person.
    assert rows["02.VP"]["deposit_due"] == "2025-12-31"
    assert [n for n, r in rows.items() if r["overdue"]] == ["02.VP"]
    assert answer["not_in_plan"] == [code("09.VP")]
    assert answer["summary"]["overdue"] == 1 and answer["summary"]["missing"] == 2
    assert answer["summary"]["archived"] == 1 and answer["summary"]["received"] == 4

    on_time = client.get(URL, params={"as_of": "2025-12-31"}, headers=archivist).json()
    assert not any(r["overdue"] for r in on_time["rows"])


def test_plan_findings_warn_but_never_reject(world: World, client: TestClient) -> None:
    archivist = login(client, "archivist")
    assert client.put(URL, json=plan_json(), headers=archivist).status_code == 200
    with session_scope(world.engine) as session:
        (outside,) = plan_findings(session, AGENCY, code("09.VP"))
        assert (outside.code, outside.severity.value) == ("PLAN-NOT-IN-PLAN", "warning")
        assert not outside.is_error
        assert code("09.VP") in outside.message_vi and "2024" in outside.message_en
        assert plan_findings(session, AGENCY, code("02.VP"), maintenance="01") == []
        assert plan_findings(session, AGENCY, code("03.TCCB"), maintenance="06") == []  # 10 năm
        (differs,) = plan_findings(session, AGENCY, code("02.TCCB"), maintenance="06")
        assert differs.code == "PLAN-RETENTION-DIFFERS" and differs.severity.value == "warning"
        assert "20 năm" in differs.message_vi
        assert plan_findings(session, AGENCY, code("01.VP", 2023)) == []  # no plan for 2023
        assert plan_findings(session, AGENCY, None) == []


def test_archivists_see_only_the_agencies_they_serve(world: World, client: TestClient) -> None:
    archivist = login(client, "archivist")  # the province: sees its departments too
    assert client.put(URL, json=plan_json(), headers=archivist).status_code == 200
    hanoi = login(client, "archivist_hn")
    assert client.get(URL, headers=hanoi).status_code == 404
    assert client.put(URL, json=plan_json(), headers=hanoi).status_code == 404
    assert client.get("/api/v1/deposit-plan", headers=hanoi).json() == []
    assert client.get(URL, headers=login(client, "auditor")).status_code == 200
    assert client.put(URL, json=plan_json(), headers=login(client, "auditor")).status_code == 403
    assert client.get(URL, headers=login(client, "official")).status_code == 403
    qlvb = {"Authorization": f"Bearer {world.api_keys['nghean_sonv']}"}
    assert client.get(URL, headers=qlvb).status_code == 403
    missing = client.get(f"/api/v1/deposit-plan/{AGENCY}/2023", headers=archivist)
    assert missing.status_code == 404


def test_the_web_page_shows_the_plan(world: World, client: TestClient) -> None:
    client.app.include_router(deposit_router)  # type: ignore[attr-defined]
    archivist = login(client, "archivist")
    assert client.put(URL, json=plan_json(), headers=archivist).status_code == 200
    _submission(world.engine, "01.TCCB", "awaiting_review")
    page = client.get(f"/deposit-plans/{AGENCY}/2024", headers=archivist)
    assert page.status_code == 200
    assert "Danh mục hồ sơ năm 2024" in page.text
    assert "I. TỔ CHỨC CÁN BỘ › 1. Tuyển dụng" in page.text
    assert "Đã nhận, chờ xử lý" in page.text and "Chưa nộp" in page.text
    index = client.get("/deposit-plans", headers=archivist)
    assert f"/deposit-plans/{AGENCY}/2024" in index.text
    other = client.get(f"/deposit-plans/{AGENCY}/2024", headers=login(client, "archivist_hn"))
    assert other.status_code == 404 and "không tìm thấy" in other.text
