"""``luutru check-file`` and ``luutru check-package``: run the checks without the catalog's
write side, for archivists looking at one document and QLVB vendors testing their output."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path
from typing import Annotated

import sqlalchemy as sa
import typer

from archive.catalog.engine import session_scope
from archive.cli.common import fail, one_line_errors, settings_and_engine
from archive.services.checking import check_context
from archive.services.trust import trust_roots_pem
from ingest.checks.runner import DEFAULT_ORDER, run_file_checks
from ingest.findings import Report
from ingest.pipeline import PipelineConfig, run_pipeline

SEVERITY_VI = {"error": "LỖI", "warning": "CẢNH BÁO", "info": "THÔNG TIN"}


def _trust(engine: sa.Engine, extra: list[Path]) -> list[bytes]:
    roots = [path.read_bytes() for path in extra]
    try:
        with session_scope(engine) as session:
            roots += trust_roots_pem(session)
    except sa.exc.SQLAlchemyError:
        pass  # no catalog here: only the anchors given with --trust
    return roots


def _print(report: Report, as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
        return
    for finding in report.findings:
        if finding.outcome.value == "passed" and finding.severity.value == "info":
            continue
        where = f" [{finding.path}]" if finding.path else ""
        typer.echo(
            f"{SEVERITY_VI[finding.severity.value]:9} {finding.outcome.value:13} "
            f"{finding.code}{where}: {finding.message_vi}"
        )
    counts = report.counts()
    typer.echo(
        f"kết quả / outcome: {report.outcome.value} — "
        f"{counts['error']} lỗi, {counts['warning']} cảnh báo, {counts['info']} thông tin, "
        f"{counts['indeterminate']} chưa xác định"
    )


def _parse_time(value: str | None) -> dt.datetime | None:
    if value is None:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise fail(
            f"--at needs an ISO 8601 time, e.g. 2025-03-05T09:00:00+07:00: {value!r}"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone(dt.timedelta(hours=7)))


@one_line_errors
def check_file(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
    check: Annotated[
        list[str] | None, typer.Option(help=f"one of {', '.join(DEFAULT_ORDER)} (repeatable)")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the report as JSON")] = False,
    at: Annotated[str | None, typer.Option(help="validate signatures as of this ISO time")] = None,
    trust: Annotated[list[Path] | None, typer.Option(help="extra trust anchor PEM")] = None,
) -> None:
    """Kiểm tra một tệp / check one file (exit 0 when no error finding, 1 otherwise)."""
    for name in check or []:
        if name not in DEFAULT_ORDER:
            raise fail(f"unknown check {name!r}; choose from {', '.join(DEFAULT_ORDER)}")
    settings, engine = settings_and_engine()
    ctx = check_context(settings, _trust(engine, trust or []), validation_time=_parse_time(at))
    report = run_file_checks([file], check or None, ctx)
    _print(report, as_json)
    raise typer.Exit(1 if report.has_error else 0)


@one_line_errors
def check_package(
    package: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
    as_json: Annotated[bool, typer.Option("--json", help="print the report as JSON")] = False,
    trust: Annotated[list[Path] | None, typer.Option(help="extra trust anchor PEM")] = None,
    agency: Annotated[str | None, typer.Option(help="the submitting agency's code")] = None,
) -> None:
    """Kiểm tra cả gói tin như khi nộp, không nộp / run the whole pipeline without submitting."""
    run = one_line_errors(_check_package)
    run(package, as_json, trust, agency)


def _check_package(
    package: Path, as_json: bool, trust: list[Path] | None, agency: str | None
) -> None:
    settings, engine = settings_and_engine()
    ctx = check_context(settings, _trust(engine, trust or []))
    with tempfile.TemporaryDirectory(prefix="luutru-check-") as tmp:
        result = run_pipeline(
            package, Path(tmp) / "work", PipelineConfig(check_context=ctx, agency_code=agency)
        )
    _print(result.report, as_json)
    raise typer.Exit(1 if result.report.has_error else 0)
