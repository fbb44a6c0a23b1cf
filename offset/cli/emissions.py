"""`offset emissions add`, `offset retire`, `offset credits`: the urban partner's carbon."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

import typer
from rich import box
from rich.table import Table

from offset.agreements import services as agreements
from offset.cli.agreements import parse_date
from offset.cli.context import reading, writing
from offset.cli.inputs import (
    AgreementId,
    FiscalYearOption,
    RecordedBy,
    label,
    line,
    recorder,
)
from offset.cli.tables import console_for
from offset.emissions import services
from offset.emissions.services import EmissionInput, Retirement
from offset.fiscal import FiscalYear
from offset.quantities import CO2

app = typer.Typer(help="Record the urban partner's emissions.", no_args_is_help=True)

ACTIVITY_LENGTH = 100


def tonnes(value: Decimal) -> str:
    return f"{CO2.fixed(value):,} {CO2.label}"


@app.command("add")
def add(
    ctx: typer.Context, agreement: AgreementId, fy: FiscalYearOption,
    activity_type: Annotated[str, typer.Option(
        "--type", metavar="TYPE", help="As in the factor set: electricity, city_gas, …")],
    activity: Annotated[str, typer.Option(
        metavar="QUANTITY", help="Activity data with its unit: '1200000 kWh', '12 kL'.")],
    factor_set: Annotated[str, typer.Option(metavar="SET", help="e.g. tepco-fy2010.")],
    source: Annotated[str, typer.Option(help="Facility or meter.")] = "",
    scope: Annotated[str | None, typer.Option(
        help="Must be the agreement's (the default).")] = None,
    recorded_by: RecordedBy = None,
) -> None:
    """Record emissions as activity × factor; print the tonnes, the factor and its set."""
    given = EmissionInput(fy, label(activity_type, "activity_type"),
                          line(activity, "activity", ACTIVITY_LENGTH),
                          label(factor_set, "factor_set"), line(source, "source"),
                          None if scope is None else label(scope, "scope"))
    with writing(ctx) as uow:
        found = agreements.agreement(uow, agreement)
        stored = services.record_emission(uow, found, given, recorder(recorded_by))
    d = stored.entry.details
    typer.echo(f"emission entry {stored.id}: FY{fy} {d['activity_type']} {d['activity']} × "
               f"{d['factor']} t-CO2/{d['unit']} (set {d['factor_set']}, {d['factor_status']})"
               f" = {tonnes(Decimal(d['tonnes']))}")


def retire(
    ctx: typer.Context, agreement: AgreementId, fy: FiscalYearOption,
    quantity_text: Annotated[str, typer.Option(
        "--quantity", metavar="QUANTITY", help="Certified CO2 to retire, e.g. '100 t_CO2'.")],
    beneficiary: Annotated[str, typer.Option(metavar="NAME", help="e.g. 新宿区.")],
    purpose: Annotated[str, typer.Option(metavar="TEXT", help="What the retirement is for.")],
    when: Annotated[str, typer.Option("--date", metavar="DATE", help="e.g. 2014-03-01.")],
    vintage: Annotated[int | None, typer.Option(
        metavar="YEAR", help="Retire only credits certified for this FY.")] = None,
    recorded_by: RecordedBy = None,
) -> None:
    """Retire certified credits against a fiscal year's emissions (無効化), oldest first."""
    asked = Retirement(fy, CO2.parse(quantity_text, field="quantity"),
                       label(beneficiary, "beneficiary"), line(purpose, "purpose"),
                       parse_date(when, "date"),
                       None if vintage is None else FiscalYear(vintage).year)
    with writing(ctx) as uow:
        found = agreements.agreement(uow, agreement)
        stored = services.retire(uow, found, asked, recorder(recorded_by))
    drawn = ", ".join(f"FY{year} {tonnes(Decimal(t))}"
                      for year, t in stored.entry.details["vintages"].items())
    typer.echo(f"retirement entry {stored.id}: {tonnes(asked.tonnes)} against FY{fy} for "
               f"{asked.beneficiary}; drawn from {drawn}")


def credits(ctx: typer.Context, agreement: AgreementId) -> None:
    """Show the certified credits still available to retire, by vintage (certified FY)."""
    with reading(ctx) as uow:
        found = agreements.agreement(uow, agreement)
        available = services.available_by_vintage(uow, found.id)
    if not available:
        typer.echo(f"agreement {found.id}: no certified credits available")
        return
    table = Table(box=box.SIMPLE_HEAD, title=f"agreement {found.id}: 利用可能な認証量 "
                                             "certified credits available")
    table.add_column("年度 Vintage", no_wrap=True)
    table.add_column("t-CO2", justify="right", no_wrap=True)
    for year, amount in available.items():
        table.add_row(f"FY{year} ({FiscalYear(year).era_label})", f"{CO2.fixed(amount):,}")
    table.add_section()
    table.add_row("合計 Total", f"{CO2.fixed(sum(available.values(), Decimal(0))):,}")
    console_for(table).print(table)
