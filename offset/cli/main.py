"""Wiring of the `offset` command: the global options and every sub-command."""

from __future__ import annotations

from typing import Annotated

import typer

from offset.cli import (
    agreements,
    balances,
    council,
    db,
    emissions,
    export,
    factors,
    imports,
    journal,
    ledger,
    money,
    parties,
    report,
    reports,
    server,
    summary,
    users,
)
from offset.cli import stands as stands_cli
from offset.cli import thinnings as thinnings_cli
from offset.cli.certify import certify
from offset.cli.close import close, fiscal_year
from offset.cli.context import Database
from offset.cli.demo import demo
from offset.cli.errors import ReportingGroup
from offset.cli.estimate import estimate
from offset.cli.reference import parameters_app, yield_tables_app
from offset.runtime import settle

app = typer.Typer(
    cls=ReportingGroup,
    help="offset: the system of record for municipal carbon-offset agreements.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)


@app.callback()
def main(
    ctx: typer.Context,
    database_url: Annotated[str | None, typer.Option(
        "--database-url", metavar="URL",
        help="Database to use (default: $OFFSET_DATABASE_URL, else sqlite:///offset.db).",
    )] = None,
) -> None:
    """Administer and run offset."""
    ctx.obj = Database(database_url)
    ctx.call_on_close(ctx.obj.close)


app.add_typer(db.app, name="db")
app.add_typer(parties.app, name="parties")
app.add_typer(agreements.app, name="agreements")
app.add_typer(users.app, name="users")
app.add_typer(imports.app, name="import")
app.add_typer(report.app, name="report")
app.add_typer(reports.app, name="reports")
app.add_typer(export.app, name="export")
app.add_typer(factors.app, name="factors")
app.add_typer(stands_cli.app, name="stands")
app.add_typer(thinnings_cli.app, name="thinnings")
app.add_typer(parameters_app, name="parameters")
app.add_typer(yield_tables_app, name="yield-tables")
app.command()(estimate)
app.command()(certify)
app.command()(close)
app.command(name="fiscal-year")(fiscal_year)
app.add_typer(money.costs, name="costs")
app.add_typer(money.subsidies, name="subsidies")
app.add_typer(money.timber, name="timber")
app.add_typer(emissions.app, name="emissions")
app.add_typer(council.app, name="council")
app.command()(ledger.verify)
app.command()(summary.summary)
app.command()(emissions.retire)
app.command()(emissions.credits)
app.command()(journal.journal)
app.command()(journal.reverse)
app.command()(balances.balances)
app.command()(server.serve)
app.command()(demo)


def run() -> None:
    """The `offset` command: settle the loaded code (offset.runtime), then run `app`."""
    settle()
    app()
