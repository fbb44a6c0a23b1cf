"""`offset demo`: build the Shinjuku–Ina reference case in the configured database."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Annotated

import typer

from offset.agreements.model import Side
from offset.cli.context import database, reading, writing
from offset.demo.builder import Built, build, present
from offset.errors import OffsetError
from offset.fiscal import FiscalYear
from offset.netting.services import fiscal_year_summary
from offset.settings import settings

if TYPE_CHECKING:
    from offset.db.uow import UnitOfWork

SHOWN_YEAR = 2013  # the year of the published certification and ward-facility emissions


def demo(
    ctx: typer.Context,
    if_missing: Annotated[bool, typer.Option(
        "--if-missing", help="Do nothing, successfully, when the demo is already there.")] = False,
) -> None:
    """Build the Shinjuku–Ina case FY2009–FY2022 and print one login and token per role.

    Published figures are used where they exist; every invented one is marked illustrative
    (説明用). The whole case lands in one transaction, or nothing does.
    """
    db = database(ctx)
    with reading(ctx) as uow:
        there = present(uow)
    if there and if_missing:
        typer.echo(f"{db.shown_url}: the Shinjuku–Ina demo is already there; nothing to do "
                   "(a new web login: `offset users password NAME --link`)")
        return
    started = time.perf_counter()
    with writing(ctx) as uow:
        built = build(uow)
        if not built.verified:
            raise OffsetError("the demo's chain does not verify; nothing was saved")
        lines = summary(uow, built)
    typer.echo(f"built the Shinjuku–Ina demo in {db.shown_url} "
               f"in {time.perf_counter() - started:.1f} s")
    for line in lines + tokens(built):
        typer.echo(line)


def summary(uow: UnitOfWork, built: Built) -> list[str]:
    """Return the lines that show what was built and its FY2013 figures."""
    agreement = built.agreement
    year = fiscal_year_summary(uow, agreement, SHOWN_YEAR)
    carbon, money = year.carbon, year.money
    terms = ", ".join(f"{t.number}: FY{t.first_fy}–FY{t.last_fy}" for t in agreement.terms)
    return [
        f"agreement {agreement.id}: {agreement.title_ja}",
        f"  terms {terms}",
        f"  {built.entry_count} journal entries, chain head {built.chain_head}",
        f"  {FiscalYear(SHOWN_YEAR)}: emissions {carbon.emissions} t-CO2, certified "
        f"{carbon.certified} t-CO2, retired {carbon.retired} t-CO2, ward net cost "
        f"{money.net_cost[Side.URBAN]:,} yen",
        *([f"  closed FY{agreement.terms[0].first_fy}–FY{built.closed_through}; issued "
           f"{len(built.reports)} reports, {built.reports[0]} to {built.reports[-1]} "
           "(`offset reports list --agreement "
           f"{agreement.id}`)"] if built.closed_through and built.reports else []),
        *(f"agreement {p.id}: {p.title_ja}, FY{p.terms[0].first_fy}–FY{p.terms[-1].last_fy} "
          "(the ward's second partner forest, every figure illustrative 説明用)"
          for p in built.partners),
        "OK: the agreements' chains verify (run `offset verify` to check them again)",
    ]


def tokens(built: Built) -> list[str]:
    """Return the users' web logins and tokens, shown only now (offset keeps only their
    hashes)."""
    url = settings().public_url.rstrip("/")
    return ["", f"web logins (ログイン), shown only now; open {url}/ in a browser:",
            *(f"  {name:<10} password {password}" for name, password in built.passwords.items()),
            "", "tokens, shown only now (offset keeps only their hashes); paste into your shell:",
            *(f"  export {name.upper()}_TOKEN={token}" for name, token in built.tokens.items())]

