"""``luutru rebuild-catalog --from LOCATION``: the catalog's archival records from storage alone."""

from __future__ import annotations

from typing import Annotated

import typer

from archive.cli.common import one_line_errors, settings_and_engine
from archive.services.rebuild import rebuild_catalog


@one_line_errors
def rebuild_catalog_command(
    location: Annotated[
        str, typer.Option("--from", help="kho lưu trữ nguồn / storage location to read")
    ],
) -> None:
    """Dựng lại danh mục hồ sơ từ kho lưu trữ / rebuild dossiers, documents, files, copies and
    events from the AIPs in one storage location."""
    settings, engine = settings_and_engine()
    report = rebuild_catalog(settings, engine, location)
    typer.echo(
        f"{report.objects} đối tượng / objects, {report.dossiers} hồ sơ dựng lại / dossiers "
        f"rebuilt, {report.skipped} đã có / already present"
    )
    for problem in report.problems:
        typer.echo(f"  ! {problem}", err=True)
    if report.problems:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("rebuild-catalog")(rebuild_catalog_command)
