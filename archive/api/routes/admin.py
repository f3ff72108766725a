"""Administration: agencies, users and API keys."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from fastapi import APIRouter
from pydantic import BaseModel, Field

from archive.api.deps import AdminUser, SessionDep
from archive.catalog.accounts import Agency, Role
from archive.services import accounts

router = APIRouter(prefix="/api/v1/admin", tags=["admin"])


class AgencyIn(BaseModel):
    code: str = Field(examples=["000.00.00.H41"])
    name: str = Field(min_length=1, max_length=300)
    parent_code: str | None = None


class AgencyOut(BaseModel):
    id: int
    code: str
    name: str
    parent_id: int | None


class UserIn(BaseModel):
    username: str = Field(min_length=2, max_length=100, pattern=r"^[A-Za-z0-9._-]+$")
    password: str = Field(min_length=10, max_length=1000)
    agency_code: str
    roles: list[Role] = Field(min_length=1)
    full_name: str = ""


class UserOut(BaseModel):
    id: int
    username: str
    agency_id: int
    roles: list[str]


class ApiKeyIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    agency_code: str


class ApiKeyOut(BaseModel):
    id: int
    prefix: str
    name: str
    agency_id: int
    created_at: dt.datetime
    revoked_at: dt.datetime | None
    last_used_at: dt.datetime | None


class ApiKeyCreated(ApiKeyOut):
    key: str = Field(description="Shown once; store it now. Only its hash is kept.")


@router.get("/agencies", response_model=list[AgencyOut])
def list_agencies(_: AdminUser, session: SessionDep) -> list[AgencyOut]:
    agencies = session.scalars(sa.select(Agency).order_by(Agency.code))
    return [AgencyOut(id=a.id, code=a.code, name=a.name, parent_id=a.parent_id) for a in agencies]


@router.post("/agencies", response_model=AgencyOut, status_code=201)
def create_agency(body: AgencyIn, admin: AdminUser, session: SessionDep) -> AgencyOut:
    agency = accounts.create_agency(
        session, body.code, body.name, body.parent_code, actor=admin.agent
    )
    return AgencyOut(id=agency.id, code=agency.code, name=agency.name, parent_id=agency.parent_id)


@router.post("/users", response_model=UserOut, status_code=201)
def create_user(body: UserIn, admin: AdminUser, session: SessionDep) -> UserOut:
    user = accounts.create_user(
        session,
        body.username,
        body.password,
        body.agency_code,
        set(body.roles),
        full_name=body.full_name,
        actor=admin.agent,
    )
    return UserOut(
        id=user.id, username=user.username, agency_id=user.agency_id, roles=sorted(user.role_names)
    )


def _key_out(key: accounts.ApiKey) -> ApiKeyOut:
    return ApiKeyOut(
        id=key.id,
        prefix=key.prefix,
        name=key.name,
        agency_id=key.agency_id,
        created_at=key.created_at,
        revoked_at=key.revoked_at,
        last_used_at=key.last_used_at,
    )


@router.get("/api-keys", response_model=list[ApiKeyOut])
def list_api_keys(_: AdminUser, session: SessionDep) -> list[ApiKeyOut]:
    return [_key_out(key) for key in accounts.list_api_keys(session)]


@router.post("/api-keys", response_model=ApiKeyCreated, status_code=201)
def create_api_key(body: ApiKeyIn, admin: AdminUser, session: SessionDep) -> ApiKeyCreated:
    key, plain = accounts.create_api_key(session, body.name, body.agency_code, actor=admin.agent)
    return ApiKeyCreated(**_key_out(key).model_dump(), key=plain)


@router.delete("/api-keys/{key_id}", response_model=ApiKeyOut)
def revoke_api_key(key_id: int, admin: AdminUser, session: SessionDep) -> ApiKeyOut:
    return _key_out(accounts.revoke_api_key(session, key_id, actor=admin.agent))
