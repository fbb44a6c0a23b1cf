"""`offset parameters load | list` and `offset yield-tables load | list`: reference data.

Parameter sets and yield tables are versioned data files (docs/reference-data.md); a name and
version once loaded is never changed, and the newest loaded is the one estimates use.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from offset.cli.context import reading, writing
from offset.errors import InvalidInput
from offset.forestry import reference
from offset.forestry.parameters import Loaded
from offset.forestry.reference import load_parameter_set

parameters_app = typer.Typer(help="Load and list species parameter sets.",
                             no_args_is_help=True)
yield_tables_app = typer.Typer(help="Load and list yield tables (収穫表).", no_args_is_help=True)

File = Annotated[Path, typer.Argument(metavar="FILE", help="UTF-8 CSV as docs/reference-data.md.")]
Name = Annotated[str | None, typer.Option(
    metavar="NAME", help="Name (default: the file's '# name:' line).")]
Version = Annotated[str | None, typer.Option(
    metavar="VERSION", help="Version (default: the file's '# version:' line).")]


def read(file: Path) -> str:
    """Return the file's text. Raises InvalidInput naming the file."""
    try:
        return file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else "not UTF-8 text"
        raise InvalidInput(f"cannot read {file}: {reason}", field="file") from None


def show(catalogue: list[Loaded], what: str) -> None:
    """Print one line per loaded set, oldest first, marking the newest as the one in use."""
    if not catalogue:
        typer.echo(f"no {what} loaded; run `offset db upgrade` to load the shipped ones")
    for n, loaded in enumerate(catalogue, start=1):
        flag = ("" if loaded.illustrative is None
                else "  illustrative" if loaded.illustrative else "  measured")
        in_use = "  (in use)" if n == len(catalogue) else ""
        typer.echo(f"{loaded.name}@{loaded.version}{flag}  loaded "
                   f"{loaded.loaded_at.isoformat(timespec='seconds')}{in_use}")


@parameters_app.command("load")
def load_parameters(ctx: typer.Context, file: File, name: Name = None,
                    version: Version = None) -> None:
    """Load a species parameter set; estimates use it from now on (the newest loaded)."""
    text = read(file)
    with writing(ctx) as uow:
        loaded = load_parameter_set(uow, text, name, version)
    typer.echo(f"loaded parameter set {loaded.label}: {len(loaded.species)} species "
               f"({', '.join(loaded.species)})")


@parameters_app.command("list")
def list_parameters(ctx: typer.Context) -> None:
    """List the loaded parameter sets: name@version and when loaded."""
    with reading(ctx) as uow:
        catalogue = reference.parameter_sets(uow)
    show(catalogue, "parameter sets")


@yield_tables_app.command("load")
def load_yield_table(
    ctx: typer.Context, file: File, name: Name = None, version: Version = None,
    illustrative: Annotated[bool | None, typer.Option(
        "--illustrative/--measured", help="Whether the table is invented (default: the "
                                          "file's '# illustrative:' line, else measured).")
    ] = None,
) -> None:
    """Load a yield table, e.g. a prefecture's; estimates use it from now on."""
    text = read(file)
    with writing(ctx) as uow:
        loaded = reference.load_yield_table(uow, text, name, version, illustrative)
    kind = "illustrative" if loaded.illustrative else "measured"
    species = sorted({code for code, _, _ in loaded.volumes})
    typer.echo(f"loaded yield table {loaded.label} ({kind}): {len(loaded.volumes)} volumes "
               f"for {', '.join(species)}")


@yield_tables_app.command("list")
def list_yield_tables(ctx: typer.Context) -> None:
    """List the loaded yield tables: name@version, illustrative or measured, when loaded."""
    with reading(ctx) as uow:
        catalogue = reference.yield_tables(uow)
    show(catalogue, "yield tables")
