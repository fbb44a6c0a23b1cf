"""`offset import thinnings FILE --agreement ID`: log a season's thinning log, all rows or none."""

from __future__ import annotations

import getpass
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from offset.agreements import services as agreements
from offset.cli.context import database, reading, writing
from offset.cli.errors import BAD_INPUT
from offset.errors import InvalidInput
from offset.forestry.errors import ImportRejected
from offset.forestry.imports import read_table
from offset.forestry.sheets import FileFormat, Limits
from offset.forestry.thinnings import Progress as Callback
from offset.forestry.thinnings import import_thinnings, prepare_import

app = typer.Typer(help="Import records from files.", no_args_is_help=True)

SUFFIXES = {".csv": FileFormat.CSV, ".txt": FileFormat.CSV, ".xlsx": FileFormat.XLSX}


def file_format(path: Path) -> FileFormat:
    """Return the format a file's suffix names. Raises InvalidInput."""
    found = SUFFIXES.get(path.suffix.lower())
    if found is None:
        raise InvalidInput(f"{path.name}: give a .csv or .xlsx file", field="file")
    return found


def read(path: Path, limits: Limits) -> bytes:
    """Return the file's bytes, refusing one beyond its bound unread. Raises InvalidInput,
    TooLarge."""
    try:
        limits.check_size(path.stat().st_size)
        return path.read_bytes()
    except OSError as error:
        raise InvalidInput(f"cannot read {path}: {error.strerror}", field="file") from None


@contextmanager
def progress_bar() -> Iterator[Callback | None]:
    """Yield a per-row callback drawing a bar on stderr, or None when stderr is no terminal."""
    if not sys.stderr.isatty():
        yield None
        return
    with Progress(TextColumn("importing"), BarColumn(), MofNCompleteColumn(),
                  TimeRemainingColumn(), console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("rows", total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)
        yield advance


@contextmanager
def rejections(file: Path) -> Iterator[None]:
    """Print every problem of a rejected file and exit 2."""
    try:
        yield
    except ImportRejected as rejected:
        typer.echo(f"error: {file.name}: {len(rejected.problems)} problem(s), "
                   "nothing imported", err=True)
        for problem in rejected.problems:
            typer.echo(f"  {problem}", err=True)
        raise typer.Exit(BAD_INPUT) from None


@app.command("thinnings")
def thinnings(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="The log: .csv (UTF-8 or Shift_JIS) or .xlsx; "
                                              "columns as docs/import-format.md.")],
    agreement: Annotated[int, typer.Option("--agreement", help="Agreement id.")],
    sheet: Annotated[str | None, typer.Option(help="XLSX sheet (default: the first).")] = None,
    recorded_by: Annotated[str | None, typer.Option(
        "--recorded-by", help="Who the records are by (default: cli:<your login>).")] = None,
) -> None:
    """Log every row of a thinning log for an agreement: all rows or none.

    The file is read and checked before the write transaction opens, so other writers wait
    only for the final commit. A rejected file prints every problem (line, column, reason)
    and exits 2.
    """
    kind = file_format(file)
    limits = database(ctx).settings.import_limits()
    table = read_table(read(file, limits), kind, sheet, limits)
    who = recorded_by or f"cli:{getpass.getuser()}"
    with rejections(file):
        with reading(ctx) as uow:
            found = agreements.agreement(uow, agreement)
            with progress_bar() as progress:
                prepared = prepare_import(uow, found, table, progress)
        with writing(ctx) as uow:
            done = import_thinnings(uow, found, prepared, who)
    typer.echo(f"imported {len(done.thinnings)} thinning(s) into agreement {agreement}, "
               f"posting {len(done.estimates)} estimate(s)")
