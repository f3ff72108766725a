"""Agencies, users, API keys and logins: the rules, not the HTTP."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.orm import Session

from archive.catalog.accounts import Agency, ApiKey, LoginSession, Role, User, UserRole
from archive.catalog.base import utcnow
from archive.errors import Conflict, InvalidInput, NotFound, Unauthenticated
from archive.services.events import EventOutcome, record_event

_hasher = PasswordHasher()
# QĐ 20/2020/QĐ-TTg: up to 35 characters, dot-separated groups of digits and capital letters.
AGENCY_CODE = re.compile(r"^[0-9A-Z]+(\.[0-9A-Z]+){0,6}$")
API_KEY_PREFIX = "ltk"


def sha256_hex(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Principal:
    """Who is calling: a person (with roles) or a QLVB system (through an API key)."""

    kind: str  # "user" | "api_key"
    name: str
    roles: frozenset[Role]
    agency_id: int
    user_id: int | None = None
    api_key_id: int | None = None
    visible_agency_ids: frozenset[int] | None = None  # None: every agency (admin, auditor)

    @property
    def agent(self) -> str:
        return f"user:{self.name}" if self.kind == "user" else f"apikey:{self.api_key_id}"

    def has_any(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))

    def can_see_agency(self, agency_id: int) -> bool:
        return self.visible_agency_ids is None or agency_id in self.visible_agency_ids


# --- agencies -----------------------------------------------------------------------------


def create_agency(
    session: Session, code: str, name: str, parent_code: str | None = None, *, actor: str
) -> Agency:
    if not AGENCY_CODE.match(code) or len(code) > 35:
        raise InvalidInput(f"mã định danh cơ quan không hợp lệ / invalid agency code: {code!r}")
    if session.scalar(sa.select(Agency).where(Agency.code == code)):
        raise Conflict(f"agency {code} already exists")
    parent = None
    if parent_code:
        parent = session.scalar(sa.select(Agency).where(Agency.code == parent_code))
        if parent is None:
            raise NotFound(f"parent agency {parent_code} not found")
    agency = Agency(code=code, name=name, parent_id=parent.id if parent else None)
    session.add(agency)
    session.flush()
    record_event(
        session,
        "agency creation",
        agent=actor,
        outcome=EventOutcome.SUCCESS,
        detail={"code": code, "name": name, "parent": parent_code},
    )
    return agency


def agency_by_code(session: Session, code: str) -> Agency:
    agency = session.scalar(sa.select(Agency).where(Agency.code == code))
    if agency is None:
        raise NotFound(f"agency {code} not found")
    return agency


def agency_subtree(session: Session, root_id: int) -> frozenset[int]:
    """The agency and every agency below it (a provincial archive sees its departments)."""
    edges = session.execute(sa.select(Agency.id, Agency.parent_id)).all()
    children: dict[int, list[int]] = {}
    for agency_id, parent_id in edges:
        if parent_id is not None:
            children.setdefault(parent_id, []).append(agency_id)
    seen = {root_id}
    stack = [root_id]
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in seen:
                seen.add(child)
                stack.append(child)
    return frozenset(seen)


# --- users --------------------------------------------------------------------------------


def create_user(
    session: Session,
    username: str,
    password: str,
    agency_code: str,
    roles: set[Role],
    *,
    full_name: str = "",
    actor: str,
) -> User:
    if Role.SYSTEM in roles:
        raise InvalidInput("the system role belongs to API keys, not to people")
    if len(password) < 10:
        raise InvalidInput("mật khẩu phải có ít nhất 10 ký tự / password needs 10+ characters")
    if session.scalar(sa.select(User).where(User.username == username)):
        raise Conflict(f"user {username} already exists")
    agency = agency_by_code(session, agency_code)
    user = User(
        username=username,
        full_name=full_name,
        password_hash=_hasher.hash(password),
        agency_id=agency.id,
        roles=[UserRole(role=role.value) for role in sorted(roles)],
    )
    session.add(user)
    session.flush()
    record_event(
        session,
        "user creation",
        agent=actor,
        outcome=EventOutcome.SUCCESS,
        detail={"username": username, "agency": agency_code, "roles": sorted(roles)},
    )
    return user


def principal_for_user(session: Session, user: User) -> Principal:
    roles = user.role_names
    everything = roles & {Role.ADMIN, Role.AUDITOR}
    return Principal(
        kind="user",
        name=user.username,
        roles=roles,
        agency_id=user.agency_id,
        user_id=user.id,
        visible_agency_ids=None if everything else agency_subtree(session, user.agency_id),
    )


def authenticate_password(session: Session, username: str, password: str) -> User:
    user = session.scalar(sa.select(User).where(User.username == username))
    if user is None or not user.active:
        _hasher.hash(password)  # same cost whether or not the user exists
        raise Unauthenticated("sai tên đăng nhập hoặc mật khẩu / wrong username or password")
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        raise Unauthenticated(
            "sai tên đăng nhập hoặc mật khẩu / wrong username or password"
        ) from None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return user


def open_login_session(session: Session, user: User, ttl_seconds: int) -> tuple[str, int]:
    token = secrets.token_urlsafe(32)
    session.add(
        LoginSession(
            token_hash=sha256_hex(token),
            user_id=user.id,
            expires_at=utcnow() + dt.timedelta(seconds=ttl_seconds),
        )
    )
    record_event(
        session, "login", agent=f"user:{user.username}", outcome=EventOutcome.SUCCESS, detail={}
    )
    return token, ttl_seconds


def user_for_token(session: Session, token: str) -> User:
    login = session.scalar(
        sa.select(LoginSession).where(LoginSession.token_hash == sha256_hex(token))
    )
    if login is None or login.revoked_at is not None or login.expires_at <= utcnow():
        raise Unauthenticated("phiên đăng nhập không hợp lệ hoặc đã hết hạn / invalid session")
    if not login.user.active:
        raise Unauthenticated("tài khoản đã bị khóa / account disabled")
    return login.user


def close_login_session(session: Session, token: str) -> None:
    session.execute(
        sa.update(LoginSession)
        .where(LoginSession.token_hash == sha256_hex(token))
        .values(revoked_at=utcnow())
    )


# --- API keys -----------------------------------------------------------------------------


def create_api_key(
    session: Session, name: str, agency_code: str, *, actor: str
) -> tuple[ApiKey, str]:
    """Returns the key record and the key itself, which is shown once and never stored."""
    agency = agency_by_code(session, agency_code)
    prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    plain = f"{API_KEY_PREFIX}_{prefix}_{secret}"
    key = ApiKey(
        prefix=prefix, key_hash=sha256_hex(plain), name=name, agency_id=agency.id, created_by=actor
    )
    session.add(key)
    session.flush()
    record_event(
        session,
        "api key creation",
        agent=actor,
        outcome=EventOutcome.SUCCESS,
        detail={"api_key_id": key.id, "prefix": prefix, "name": name, "agency": agency_code},
    )
    return key, plain


def callback_signing_key(api_key: ApiKey) -> bytes:
    """Callbacks are signed with HMAC-SHA256 keyed by SHA-256(api key): the QLVB computes the
    same from its key, and the archive never needs to keep the key itself."""
    return bytes.fromhex(api_key.key_hash)


def api_key_for(session: Session, plain: str) -> ApiKey:
    parts = plain.split("_", 2)
    if len(parts) != 3 or parts[0] != API_KEY_PREFIX:
        raise Unauthenticated("khóa API không hợp lệ / invalid API key")
    key = session.scalar(sa.select(ApiKey).where(ApiKey.prefix == parts[1]))
    if key is None or not secrets.compare_digest(key.key_hash, sha256_hex(plain)):
        raise Unauthenticated("khóa API không hợp lệ / invalid API key")
    if key.revoked_at is not None:
        raise Unauthenticated("khóa API đã bị thu hồi / API key revoked")
    return key


def principal_for_api_key(key: ApiKey) -> Principal:
    return Principal(
        kind="api_key",
        name=key.name,
        roles=frozenset({Role.SYSTEM}),
        agency_id=key.agency_id,
        api_key_id=key.id,
        visible_agency_ids=frozenset({key.agency_id}),
    )


def list_api_keys(session: Session, agency_code: str | None = None) -> list[ApiKey]:
    query = sa.select(ApiKey).order_by(ApiKey.id)
    if agency_code:
        query = query.where(ApiKey.agency_id == agency_by_code(session, agency_code).id)
    return list(session.scalars(query))


def revoke_api_key(session: Session, key_id: int, *, actor: str) -> ApiKey:
    key = session.get(ApiKey, key_id)
    if key is None:
        raise NotFound(f"API key {key_id} not found")
    if key.revoked_at is None:
        key.revoked_at = utcnow()
        record_event(
            session,
            "api key revocation",
            agent=actor,
            outcome=EventOutcome.SUCCESS,
            detail={"api_key_id": key.id, "prefix": key.prefix},
        )
    return key
