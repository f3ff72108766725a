"""``luutru reindex``: rebuild the search index from the catalog, resumable, with progress."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from archive.cli.common import one_line_errors, settings_and_engine
from archive.services.indexing import RebuildProgress, rebuild


@one_line_errors
def reindex(
    batch_size: Annotated[int, typer.Option(min=1, max=5000, help="dossiers per batch")] = 200,
    restart: Annotated[
        bool, typer.Option(help="start over instead of resuming an unfinished rebuild")
    ] = False,
) -> None:
    """Dựng lại chỉ mục tìm kiếm / rebuild the search index (resumes where it stopped)."""
    settings, engine = settings_and_engine()
    with Progress(
        TextColumn("[bold]Lập chỉ mục / indexing"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("hồ sơ · {task.fields[documents]} tài liệu"),
        TimeRemainingColumn(),
    ) as bar:
        task = bar.add_task("reindex", total=None, documents=0)

        def show(progress: RebuildProgress) -> None:
            bar.update(
                task,
                total=progress.dossiers_total,
                completed=progress.dossiers_done,
                documents=progress.documents_done,
            )

        final = rebuild(engine, settings, batch_size=batch_size, restart=restart, on_progress=show)
    resumed = " (resumed)" if final.resumed else ""
    typer.echo(
        f"search index rebuilt{resumed}: {final.dossiers_done} dossiers, "
        f"{final.documents_done} documents ({settings.search_backend})"
    )


def register(app: typer.Typer) -> None:
    """Add this area's commands to the luutru app."""
    app.command("reindex")(reindex)
