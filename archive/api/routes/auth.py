"""Logging in: a bearer token for the API (the web pages use the same token as a cookie)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from archive.api.deps import CurrentPrincipal, SessionDep, SettingsDep
from archive.services import accounts

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])


class TokenRequest(BaseModel):
    username: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=1000)


class TokenResponse(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int


class Me(BaseModel):
    kind: str
    name: str
    roles: list[str]
    agency_id: int


@router.post("/token", response_model=TokenResponse)
def issue_token(body: TokenRequest, session: SessionDep, settings: SettingsDep) -> TokenResponse:
    user = accounts.authenticate_password(session, body.username, body.password)
    token, ttl = accounts.open_login_session(session, user, settings.token_ttl_seconds)
    return TokenResponse(access_token=token, expires_in=ttl)


@router.post("/logout", status_code=204)
def logout(request: Request, principal: CurrentPrincipal, session: SessionDep) -> None:
    header = request.headers.get("authorization", "")
    if principal.kind == "user" and header.lower().startswith("bearer "):
        accounts.close_login_session(session, header.split(" ", 1)[1].strip())


@router.get("/me", response_model=Me)
def me(principal: CurrentPrincipal) -> Me:
    return Me(
        kind=principal.kind,
        name=principal.name,
        roles=sorted(principal.roles),
        agency_id=principal.agency_id,
    )
