"""``luutru admin …``: agencies, users and API keys from the command line."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Annotated

import typer

from archive.catalog.accounts import Role
from archive.catalog.engine import session_scope
from archive.cli.common import CLI_AGENT, one_line_errors, settings_and_engine
from archive.services import accounts, trust

app = typer.Typer(
    help="Quản trị: cơ quan, người dùng, khóa API / administration", no_args_is_help=True
)


@app.command("create-agency")
@one_line_errors
def create_agency(
    code: Annotated[str, typer.Argument(help="Mã định danh QĐ 20/2020, e.g. 000.00.00.H41")],
    name: Annotated[str, typer.Argument(help="Tên cơ quan")],
    parent: Annotated[str | None, typer.Option(help="Mã cơ quan cấp trên")] = None,
) -> None:
    _, engine = settings_and_engine()
    with session_scope(engine) as session:
        agency = accounts.create_agency(session, code, name, parent, actor=CLI_AGENT)
        typer.echo(f"agency {agency.code} created (id {agency.id})")


@app.command("create-user")
@one_line_errors
def create_user(
    username: str,
    agency: Annotated[str, typer.Option(help="Mã cơ quan của người dùng")],
    role: Annotated[list[Role], typer.Option(help="Vai trò (lặp lại được)")],
    password: Annotated[
        str | None, typer.Option(help="Mật khẩu; bỏ trống để sinh ngẫu nhiên và in ra một lần")
    ] = None,
    full_name: Annotated[str, typer.Option(help="Họ và tên")] = "",
) -> None:
    _, engine = settings_and_engine()
    chosen = password or secrets.token_urlsafe(12)
    with session_scope(engine) as session:
        user = accounts.create_user(
            session, username, chosen, agency, set(role), full_name=full_name, actor=CLI_AGENT
        )
        typer.echo(f"user {user.username} created (id {user.id})")
    if password is None:
        typer.echo(f"password: {chosen}")


@app.command("create-api-key")
@one_line_errors
def create_api_key(
    name: Annotated[str, typer.Argument(help="Tên hệ thống QLVB")],
    agency: Annotated[str, typer.Option(help="Mã cơ quan mà khóa được gắn với")],
) -> None:
    _, engine = settings_and_engine()
    with session_scope(engine) as session:
        key, plain = accounts.create_api_key(session, name, agency, actor=CLI_AGENT)
        typer.echo(f"API key {key.id} ({key.prefix}) for {agency}; shown once:")
        typer.echo(plain)


@app.command("list-api-keys")
@one_line_errors
def list_api_keys(agency: Annotated[str | None, typer.Option()] = None) -> None:
    _, engine = settings_and_engine()
    with session_scope(engine) as session:
        for key in accounts.list_api_keys(session, agency):
            state = f"revoked {key.revoked_at:%Y-%m-%d}" if key.revoked_at else "active"
            typer.echo(f"{key.id}\t{key.prefix}\t{key.agency.code}\t{state}\t{key.name}")


@app.command("revoke-api-key")
@one_line_errors
def revoke_api_key(key_id: int) -> None:
    _, engine = settings_and_engine()
    with session_scope(engine) as session:
        key = accounts.revoke_api_key(session, key_id, actor=CLI_AGENT)
        typer.echo(f"API key {key.id} ({key.prefix}) revoked")


@app.command("add-trust-anchor")
@one_line_errors
def add_trust_anchor(
    pem: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="PEM of a CA")],
) -> None:
    _, engine = settings_and_engine()
    with session_scope(engine) as session:
        for anchor in trust.add_trust_anchors(session, pem.read_bytes(), actor=CLI_AGENT):
            typer.echo(f"trust anchor {anchor.id} added: {anchor.subject}")


@app.command("list-trust-anchors")
@one_line_errors
def list_trust_anchors() -> None:
    _, engine = settings_and_engine()
    with session_scope(engine) as session:
        for anchor in trust.list_trust_anchors(session):
            typer.echo(f"{anchor.id}\t{anchor.not_after:%Y-%m-%d}\t{anchor.subject}")


@app.command("remove-trust-anchor")
@one_line_errors
def remove_trust_anchor(anchor_id: int) -> None:
    _, engine = settings_and_engine()
    with session_scope(engine) as session:
        trust.remove_trust_anchor(session, anchor_id, actor=CLI_AGENT)
        typer.echo(f"trust anchor {anchor_id} removed")
