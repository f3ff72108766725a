"""Typed dependencies: every route says what it needs (a session, a person with a role, a
QLVB client) and gets it from here."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated

import sqlalchemy as sa
from fastapi import Depends, Request
from sqlalchemy.orm import Session

from archive.catalog.accounts import Role
from archive.catalog.base import utcnow
from archive.catalog.engine import session_factory
from archive.errors import Forbidden, Unauthenticated
from archive.jobs.queue import Dispatch
from archive.services import accounts
from archive.services.accounts import Principal
from archive.settings import Settings


def get_settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_engine(request: Request) -> sa.Engine:
    engine: sa.Engine = request.app.state.engine
    return engine


def get_dispatch(request: Request) -> Dispatch:
    dispatch: Dispatch = request.app.state.dispatch
    return dispatch


def get_session(engine: Annotated[sa.Engine, Depends(get_engine)]) -> Iterator[Session]:
    session = session_factory(engine)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
EngineDep = Annotated[sa.Engine, Depends(get_engine)]
SessionDep = Annotated[Session, Depends(get_session)]
DispatchDep = Annotated[Dispatch, Depends(get_dispatch)]


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


def get_principal(request: Request, session: SessionDep, settings: SettingsDep) -> Principal:
    """A bearer token (person), an API key (QLVB system), or the web session cookie."""
    token = _bearer(request)
    if token is None:
        token = request.cookies.get(settings.session_cookie_name)
    if not token:
        raise Unauthenticated("cần đăng nhập hoặc khóa API / credentials required")
    if token.startswith(accounts.API_KEY_PREFIX + "_"):
        key = accounts.api_key_for(session, token)
        key.last_used_at = utcnow()
        principal = accounts.principal_for_api_key(key)
    else:
        principal = accounts.principal_for_user(session, accounts.user_for_token(session, token))
    request.state.principal = principal
    return principal


CurrentPrincipal = Annotated[Principal, Depends(get_principal)]


def require(*roles: Role) -> Callable[[Principal], Principal]:
    def check(principal: CurrentPrincipal) -> Principal:
        if not principal.has_any(*roles):
            raise Forbidden(
                "vai trò của bạn không được phép thực hiện thao tác này / "
                f"your role may not do this (needs one of: {', '.join(sorted(roles))})"
            )
        return principal

    return check


AdminUser = Annotated[Principal, Depends(require(Role.ADMIN))]
ArchivistUser = Annotated[Principal, Depends(require(Role.ARCHIVIST))]
AuditorUser = Annotated[Principal, Depends(require(Role.AUDITOR, Role.ADMIN))]
QlvbClient = Annotated[Principal, Depends(require(Role.SYSTEM))]
SubmissionReader = Annotated[Principal, Depends(require(Role.SYSTEM, Role.ARCHIVIST, Role.ADMIN))]
RecordReader = Annotated[
    Principal,
    Depends(require(Role.OFFICIAL, Role.ARCHIVIST, Role.APPROVER, Role.AUDITOR, Role.ADMIN)),
]
