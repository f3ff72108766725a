"""First-run demo accounts for the embedded default (``./ops/run``)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from archive.catalog.accounts import Role, User
from archive.services import accounts

DEMO_PROVINCE = ("000.00.00.H41", "Ủy ban nhân dân tỉnh Nghệ An")
DEMO_DEPARTMENT = ("000.00.01.H41", "Sở Nội vụ tỉnh Nghệ An")
DEMO_USERS = (
    (Role.ADMIN, "quantri", "Quản trị hệ thống"),
    (Role.ARCHIVIST, "luutruvien", "Nguyễn Thị Lưu"),
    (Role.OFFICIAL, "canbo", "Trần Văn Tra"),
    (Role.APPROVER, "pheduyet", "Lê Văn Duyệt"),
    (Role.AUDITOR, "kiemtoan", "Phạm Thị Kiểm"),
)


@dataclass(frozen=True)
class DemoCredentials:
    accounts: list[tuple[Role, str, str]]  # role, username, password
    api_key: str


def create_demo(session: Session, actor: str) -> DemoCredentials | None:
    """Create the demo agency, people and QLVB key once; None when the catalog has users."""
    if session.scalar(sa.select(sa.func.count()).select_from(User)):
        return None
    province_code, province_name = DEMO_PROVINCE
    department_code, department_name = DEMO_DEPARTMENT
    accounts.create_agency(session, province_code, province_name, actor=actor)
    accounts.create_agency(session, department_code, department_name, province_code, actor=actor)
    created = []
    for role, username, full_name in DEMO_USERS:
        password = secrets.token_urlsafe(12)
        accounts.create_user(
            session, username, password, province_code, {role}, full_name=full_name, actor=actor
        )
        created.append((role, username, password))
    _, key = accounts.create_api_key(session, "QLVB Sở Nội vụ (demo)", department_code, actor=actor)
    return DemoCredentials(accounts=created, api_key=key)
