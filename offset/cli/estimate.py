"""`offset estimate --agreement ID --fy 2010 [--parameters NAME@VERSION] [--post]`.

Shows an agreement-year's estimate recomputed row by row for every piece of work credited in
it, against what the ledger holds; `--post` posts the difference as an adjustment entry.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

import typer
from rich import box
from rich.console import Console
from rich.table import Table

from offset.agreements import services as agreements
from offset.cli.context import reading, writing
from offset.cli.stands import AgreementId, RecordedBy, echo_table, who
from offset.fiscal import FiscalYear
from offset.forestry.absorption import Estimate, Row
from offset.forestry.estimates import Explanation, adjust_estimate, explain
from offset.forestry.model import Stand, Thinning
from offset.ledger.model import JournalEntry
from offset.quantities import AREA, CO2


def shown(value: Decimal | int | str) -> str:
    """Return a row's value as text, never in exponent form."""
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def tonnes(value: Decimal) -> str:
    return f"{CO2.text(value)} {CO2.label}"


def rows_table(rows: tuple[Row, ...]) -> Table:
    """Return one estimate's rows: name, value, unit and source (with its status)."""
    table = Table(box=box.SIMPLE_HEAD)
    table.add_column("項目 Item", no_wrap=True)
    table.add_column("値 Value", justify="right", no_wrap=True)
    table.add_column("単位 Unit", no_wrap=True)
    table.add_column("出典 Source / status", overflow="fold")
    for row in rows:
        table.add_row(row.name, shown(row.value), row.unit, row.source)
    return table


def heading(work: Thinning, stand: Stand, estimate: Estimate) -> str:
    method = estimate.method.value
    if estimate.parameter_set:
        method += f", parameters {estimate.parameter_set}, yield table {estimate.yield_table}"
    return (f"thinning {work.id}: {stand.label} (stand {stand.id} v{stand.version}), work of "
            f"{FiscalYear(work.fiscal_year)}, {AREA.text(work.area_ha)} ha — {method}")


def show(found: Explanation) -> None:
    """Print the explanation: every piece of work row by row, then expected, posted, difference."""
    console = Console(highlight=False, soft_wrap=True)
    fy = FiscalYear(found.fiscal_year)
    basis = f", parameter set {found.parameter_set}" if found.parameter_set else ""
    console.print(f"agreement {found.agreement_id}, {fy} ({fy.era_label}){basis}", markup=False)
    for work, stand, estimate in found.lines:
        console.print("")
        console.print(heading(work, stand, estimate), markup=False)
        echo_table(rows_table(estimate.rows))
    if not found.lines:
        console.print(f"no thinning work is credited in {fy}", markup=False)
    console.print("")
    width = max(len(tonnes(v)) for v in (found.expected, found.posted, found.difference))
    for label, value in (("推計 Expected  ", found.expected), ("計上済 Posted  ", found.posted),
                         ("差 Difference  ", found.difference)):
        console.print(f"{label}{tonnes(value):>{width}}", markup=False)
    if found.certified_entry_id is not None:
        console.print(f"{fy} is certified (entry {found.certified_entry_id}): the certificate "
                      "replaced its estimate, so no adjustment can be posted", markup=False)


def estimate(
    ctx: typer.Context,
    agreement: AgreementId,
    fy: Annotated[int, typer.Option("--fy", metavar="YEAR", help="Fiscal year, e.g. 2010.")],
    parameters: Annotated[str | None, typer.Option(
        metavar="NAME@VERSION", help="Parameter set to recompute with (default: the newest "
                                     "loaded).")] = None,
    post: Annotated[bool, typer.Option(
        "--post", help="Post the difference as an estimate adjustment entry.")] = False,
    recorded_by: RecordedBy = None,
) -> None:
    """Explain an agreement-year's estimate row by row; with --post, post the difference."""
    FiscalYear(fy)
    adjustment: JournalEntry | None = None
    if post:  # what is shown is then what the adjustment is made from
        with writing(ctx) as uow:
            found, adjustment = adjust_estimate(uow, agreements.agreement(uow, agreement), fy,
                                                parameters, who(recorded_by))
    else:
        with reading(ctx) as uow:
            found = explain(uow, agreements.agreement(uow, agreement), fy, parameters)
    show(found)
    if adjustment is not None:
        amount = adjustment.entry.postings[0].amount
        typer.echo(f"posted adjustment entry {adjustment.id}: {CO2.fixed(amount):+f} "
                   "t-CO2")
    elif post:
        typer.echo("nothing to post: the ledger holds the expected estimate")
    elif found.difference != 0 and found.certified_entry_id is None:
        typer.echo("run again with --post to post the difference as an adjustment")
