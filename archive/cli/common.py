"""What every command shares: settings, the catalog, and one readable line on failure."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import sqlalchemy as sa
import typer

from archive.catalog.engine import make_engine
from archive.errors import ArchiveError
from archive.logs import configure_logging
from archive.settings import Settings, get_settings

P = ParamSpec("P")
R = TypeVar("R")
CLI_AGENT = "cli:admin"


def settings_and_engine() -> tuple[Settings, sa.Engine]:
    settings = get_settings()
    configure_logging(settings)
    return settings, make_engine(settings.catalog_url)


def fail(message: str, code: int = 2) -> typer.Exit:
    typer.echo(f"lỗi / error: {message}", err=True)
    return typer.Exit(code)


def one_line_errors(function: Callable[P, R]) -> Callable[P, R]:
    """Expected failures end the command with one readable line, not a traceback."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return function(*args, **kwargs)
        except ArchiveError as exc:
            raise fail(exc.detail) from None
        except (OSError, sa.exc.OperationalError, ValueError) as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise fail(first) from None

    return wrapper


def echo_err(message: str) -> None:
    print(message, file=sys.stderr)
