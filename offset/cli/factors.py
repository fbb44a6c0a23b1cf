"""`offset factors load FILE | list`: the versioned emission factor sets."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from offset.cli.context import reading, writing
from offset.emissions import services
from offset.errors import InvalidInput

app = typer.Typer(help="Load and list emission factor sets.", no_args_is_help=True)


@app.command("load")
def load(ctx: typer.Context,
         file: Annotated[Path, typer.Argument(help="CSV: set, activity, unit, "
                                                   "t_co2_per_unit, status, source")]) -> None:
    """Load the factor sets of a CSV file; a set id already loaded is refused."""
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidInput(f"cannot read {file}: {error}", field="file") from None
    with writing(ctx) as uow:
        loaded = services.load_factor_sets(uow, text)
    typer.echo(f"loaded factor set(s): {', '.join(loaded)}")


@app.command("list")
def list_factors(ctx: typer.Context) -> None:
    """List every loaded factor: set, activity, t-CO2 per unit, status."""
    with reading(ctx) as uow:
        factors = services.factors(uow)
    if not factors:
        typer.echo("no factor sets loaded")
    for f in factors:
        typer.echo(f"{f.set_id:<14} {f.activity:<12} {f.t_co2_per_unit} t-CO2/{f.unit}  "
                   f"[{f.status}]")
