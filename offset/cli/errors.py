"""The one place the CLI turns an error into a line on stderr and an exit code.

    OffsetError (offset.errors)
    ├── DatabaseUnavailable   the database cannot be reached or opened (exit 1)
    ├── SchemaNotReady        the schema is missing or older than the code (exit 1)
    └── ChainsBroken          `offset verify` found a chain that does not match (exit 1)

Bad input (InvalidInput, and NotFound for something named on the command line) exits 2;
every other error exits 1. Nothing the user can cause prints a traceback.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import typer
from sqlalchemy.exc import SQLAlchemyError
from typer.core import TyperGroup

from offset.cli.inputs import clean_arguments
from offset.errors import InvalidInput, NotFound, OffsetError

BAD_INPUT = 2
FAILURE = 1


class DatabaseUnavailable(OffsetError):
    title = "Database unavailable"
    code = "database-unavailable"


class SchemaNotReady(OffsetError):
    title = "Schema not ready"
    code = "schema-not-ready"


class ChainsBroken(OffsetError):
    title = "Chains broken"
    code = "chains-broken"


def exit_code(error: Exception) -> int:
    """Return the exit status for `error`: 2 for bad input, 1 for anything else."""
    return BAD_INPUT if isinstance(error, InvalidInput | NotFound) else FAILURE


def one_line(error: Exception) -> str:
    """Return `error` as the single line printed after 'error: '."""
    if isinstance(error, OffsetError):
        text = str(error)
    else:  # SQLAlchemyError: the driver's message, without SQL or the traceback link
        original = getattr(error, "orig", None)
        text = f"database: {original if original is not None else error}"
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[0] if lines else type(error).__name__


@contextmanager
def reported() -> Iterator[None]:
    """Turn offset's and the database's errors into one stderr line and a typer.Exit."""
    try:
        yield
    except (OffsetError, SQLAlchemyError) as error:
        typer.echo(f"error: {one_line(error)}", err=True)
        raise typer.Exit(exit_code(error)) from None


class ReportingGroup(TyperGroup):
    """The top-level command group: every argument is clean text, and every sub-command runs
    inside `reported()`."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        with reported():
            clean_arguments(args)
        return super().parse_args(ctx, args)

    def invoke(self, ctx: Any) -> Any:
        with reported():
            return super().invoke(ctx)
