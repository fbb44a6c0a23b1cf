"""`offset balances --agreement ID [--fy YEAR] [--as-of SEQ|TIME]`: an agreement's trial
balance as a table, today or as the journal stood at a point of its chain.

Per account and commodity the opening, the debits and credits of the year, the net and the
closing; then a total per commodity, which double entry keeps at zero. Yen with thousands
separators, t-CO2 to the kilogram.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

import typer
from rich import box
from rich.table import Table

from offset.agreements import services as agreements
from offset.cli import inputs
from offset.cli.context import reading
from offset.cli.inputs import AgreementId, AsOfOption
from offset.cli.tables import console_for
from offset.fiscal import FiscalYear
from offset.ledger import services
from offset.ledger.model import Commodity
from offset.ledger.trial_balance import Line, TrialBalance
from offset.numbers import fixed

FIGURES = ("期首 Opening", "借方 Debit", "貸方 Credit", "純増減 Net", "期末 Closing")
TOTAL = "合計 Total"


def figure(value: Decimal, commodity: Commodity) -> str:
    """Return an amount in its commodity's places with thousands separators: 1,200 / 1.500."""
    return f"{fixed(value, commodity.places):,}"


def _cells(line: Line) -> list[str]:
    c = line.commodity
    return [c.value, *(figure(n, c) for n in (line.opening, line.debit, line.credit,
                                              line.net, line.closing))]


def render(balance: TrialBalance) -> Table:
    """Return the trial balance as a rich table: account lines, then the totals."""
    table = Table(box=box.SIMPLE_HEAD)
    table.add_column("勘定 Account", no_wrap=True)
    table.add_column("単位 Commodity", no_wrap=True)
    for name in FIGURES:
        table.add_column(name, justify="right", no_wrap=True)
    for each in balance.accounts:
        table.add_row(each.account, *_cells(each.line))
    table.add_section()
    for total in balance.totals:
        table.add_row(TOTAL, *_cells(total))
    return table


def balances(
    ctx: typer.Context, agreement: AgreementId,
    fy: Annotated[int | None, typer.Option(
        "--fy", metavar="YEAR",
        help="Opening before this fiscal year, movements in it (default: the whole journal, "
             "opening at zero).")] = None,
    as_of: AsOfOption = None,
) -> None:
    """Show an agreement's trial balance: opening, debits, credits and closing per account."""
    year = None if fy is None else FiscalYear(fy)
    point = inputs.as_of(as_of)
    with reading(ctx) as uow:
        found = agreements.agreement(uow, agreement)
        balance = services.trial_balance(uow, found.id, None if year is None else year.year,
                                         as_of=point)
    period = "whole journal" if year is None else f"FY{year.year} ({year.era_label})"
    table = render(balance)
    console = console_for(table)
    console.print(f"agreement {found.id}, {period}: trial balance 試算表", markup=False)
    if balance.accounts:
        console.print(table)
    else:
        console.print("no postings", markup=False)
    console.print(f"as of seq {balance.head.entry_count}, head {balance.head.hash}",
                  markup=False)
