"""`offset export csv|xlsx|beancount --agreement ID -o FILE`: an agreement's journal to a file."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Annotated

import typer

from offset.cli import inputs
from offset.cli.context import reading
from offset.cli.inputs import AsOfOption
from offset.errors import InvalidInput
from offset.exports import beancount_export, csv_export, services, xlsx_export
from offset.exports.source import Source

app = typer.Typer(help="Export an agreement's journal (formats: docs/exports.md).",
                  no_args_is_help=True)

Agreement = Annotated[int, typer.Option("--agreement", help="Agreement id.")]
Output = Annotated[Path, typer.Option("--output", "-o", help="File to write (replaced).")]


@app.command("csv")
def export_csv(ctx: typer.Context, agreement: Agreement, output: Output,
               as_of: AsOfOption = None) -> None:
    """Write the journal as CSV, a row per posting (UTF-8 with BOM)."""
    _export(ctx, agreement, output, as_of, lambda source: csv_export.csv_chunks(source.entries))


@app.command("xlsx")
def export_xlsx(ctx: typer.Context, agreement: Agreement, output: Output,
                as_of: AsOfOption = None) -> None:
    """Write the journal as an XLSX workbook: Journal, Balances and About sheets."""
    _export(ctx, agreement, output, as_of, lambda source: [xlsx_export.xlsx_bytes(source)])


@app.command("beancount")
def export_beancount(ctx: typer.Context, agreement: Agreement, output: Output,
                     as_of: AsOfOption = None) -> None:
    """Write the journal as a beancount ledger that bean-check accepts."""
    _export(ctx, agreement, output, as_of, beancount_export.beancount_chunks)


def _export(ctx: typer.Context, agreement_id: int, output: Path, as_of: str | None,
            render: Callable[[Source], Iterable[bytes]]) -> None:
    point = inputs.as_of(as_of)
    with reading(ctx) as uow:
        source = services.source(uow, agreement_id, as_of=point)
        write_atomically(output, render(source))
    typer.echo(f"wrote agreement {agreement_id}'s journal ({source.head.entry_count} entries, "
               f"head {source.head.hash[:12]}) to {output}")


def write_atomically(path: Path, chunks: Iterable[bytes]) -> None:
    """Write `chunks` to `path` through a temporary file, so a failed export leaves no file.

    Raises InvalidInput when the file cannot be written.
    """
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as error:
        raise InvalidInput(f"cannot write {path}: {error.strerror}", field="output") from None
    try:
        with os.fdopen(handle, "wb") as file:
            for chunk in chunks:
                file.write(chunk)
        os.replace(temporary, path)
    except BaseException as error:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise InvalidInput(f"cannot write {path}: {error.strerror}", field="output") from None
        raise
