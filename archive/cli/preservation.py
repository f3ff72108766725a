"""``luutru fixity audit``: a fixity audit in the foreground, with a progress bar.

Exit codes: 0 every copy verified (repairs included), 1 the audit found damage it could not
repair or lost files, 2 the audit could not finish (recorded on the audit row; run the same
command again to continue where it stopped).
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)

from archive.catalog.engine import session_scope
from archive.cli.common import CLI_AGENT, fail, one_line_errors, settings_and_engine
from archive.services import fixity

app = typer.Typer(help="Kiểm tra tính toàn vẹn / fixity audits", no_args_is_help=True)


@app.command("audit")
@one_line_errors
def audit(
    location: Annotated[
        str | None, typer.Option(help="kho lưu trữ / storage location; default: all")
    ] = None,
    dossier: Annotated[
        str | None, typer.Option(help="mã hồ sơ hoặc id / dossier fileCode or id")
    ] = None,
    new: Annotated[
        bool, typer.Option("--new", help="start a new audit instead of resuming a stopped one")
    ] = False,
    thorough: Annotated[
        bool,
        typer.Option(
            "--thorough",
            help="also recompute the sha256 fixity values (routine: sha512 only, one hash per "
            "byte)",
        ),
    ] = False,
) -> None:
    """Kiểm tra và sửa các bản lưu / verify stored copies, repair from good ones."""
    settings, engine = settings_and_engine()
    with session_scope(engine) as session:
        found = None
        if not new:
            dossier_id = fixity.resolve_dossier(session, dossier, None).id if dossier else None
            found = fixity.unfinished_audit(session, location=location, dossier_id=dossier_id)
        if found is None:
            found = fixity.create_audit(
                session, settings, requested_by=CLI_AGENT, location=location, dossier=dossier
            )
        audit_id, resumed = found.id, found.started_at is not None
    if resumed:
        typer.echo(f"tiếp tục / resuming audit {audit_id}", err=True)
    with Progress(
        TextColumn("[bold]Kiểm tra / fixity"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("hồ sơ"),
        TextColumn("· {task.fields[mb]:.1f} MB"),
        TimeElapsedColumn(),
    ) as bar:
        task = bar.add_task("audit", total=None, mb=0.0)

        def show(progress: fixity.AuditProgress) -> None:
            bar.update(
                task,
                total=progress.objects_total,
                completed=progress.objects_done,
                mb=progress.bytes_checked / 1024**2,
            )

        try:
            result = fixity.run_audit(
                engine, settings, audit_id, on_progress=show, thorough=thorough
            )
        except KeyboardInterrupt:
            raise fail(f"audit {audit_id} interrupted; run again to continue", 130) from None
        except Exception as exc:  # recorded on the audit row already; one line here
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise fail(f"audit {audit_id} failed: {first}") from None
    typer.echo(
        f"audit {result.id}: {result.state} — {result.objects_checked} objects, "
        f"{result.files_checked} files, {result.bytes_checked} bytes, "
        f"{result.mismatches} mismatches, {result.repaired} repaired, {result.lost} lost"
    )
    if result.state != fixity.AuditState.SUCCEEDED:
        raise fail(result.error or "audit failed", 1)


def register(app_: typer.Typer) -> None:
    """Add this area's commands to the luutru app."""
    app_.add_typer(app, name="fixity")
