"""``luutru``: the archive's command line."""

from __future__ import annotations

from typing import Annotated

import typer

from archive.catalog.engine import session_scope
from archive.catalog.migrate import upgrade
from archive.cli import admin, catalog_rebuild, checks, preservation, sample, search_index
from archive.cli.common import CLI_AGENT, one_line_errors, settings_and_engine
from archive.services.demo import create_demo
from archive.services.readiness import extra_checks, readiness

app = typer.Typer(
    help="Lưu trữ điện tử — electronic records archive (TT 05/2025/TT-BNV)",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Cơ sở dữ liệu danh mục / catalog database", no_args_is_help=True)
demo_app = typer.Typer(help="Dữ liệu trình diễn / demo data", no_args_is_help=True)
app.add_typer(admin.app, name="admin")
app.add_typer(db_app, name="db")
app.add_typer(demo_app, name="demo")
app.add_typer(sample.app, name="sample")
app.add_typer(sample.push_app, name="push")
app.command("check-file")(checks.check_file)
app.command("check-package")(checks.check_package)
preservation.register(app)
catalog_rebuild.register(app)
search_index.register(app)


@app.command()
@one_line_errors
def serve(
    host: Annotated[str | None, typer.Option(help="default: LUUTRU_HOST or 127.0.0.1")] = None,
    port: Annotated[int | None, typer.Option(help="default: LUUTRU_PORT or 8000")] = None,
) -> None:
    """Start the API and, on the embedded default, its worker."""
    from archive.cli.serve import serve as run

    settings, _ = settings_and_engine()
    run(settings, host or settings.host, port or settings.port)


@app.command()
@one_line_errors
def worker(
    beat: Annotated[bool, typer.Option(help="also run the periodic scheduler")] = True,
) -> None:
    """Start a worker alone (server deployment, e.g. with a Redis broker)."""
    from archive.cli.serve import run_worker

    settings, _ = settings_and_engine()
    run_worker(settings, beat)


@db_app.command("upgrade")
@one_line_errors
def db_upgrade() -> None:
    """Apply the catalog migrations."""
    settings, _ = settings_and_engine()
    upgrade(settings.catalog_url)
    typer.echo("catalog schema up to date")


@demo_app.command("init")
@one_line_errors
def demo_init() -> None:
    """Create demo accounts and a QLVB key on first run, printing them once."""
    from archive.cli.serve import prepare

    settings, engine = settings_and_engine()
    prepare(settings)
    with session_scope(engine) as session:
        created = create_demo(session, actor=CLI_AGENT)
    if created is None:
        typer.echo("demo accounts exist already (their passwords were printed on first run)")
        return
    for role, username, password in created.accounts:
        typer.echo(f"demo account: {role.value} {username} {password}")
    typer.echo(f"demo API key: {created.api_key}")


@app.command()
@one_line_errors
def check() -> None:
    """Check the configuration and every dependency: each OK or a one-line reason."""
    settings, engine = settings_and_engine()
    typer.echo(
        f"OK configuration: environment {settings.environment}, data {settings.resolved_data_dir}"
    )
    statuses = [*readiness(settings, engine), *extra_checks(settings, engine)]
    for status in statuses:
        typer.echo(status.line())
    if not all(status.ok for status in statuses):
        raise typer.Exit(1)


if __name__ == "__main__":
    app()
