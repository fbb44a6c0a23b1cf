"""`offset summary --agreement ID --fy 2013 | --term 1 [--as-of SEQ|TIME]`: an agreement's
netting as a table, today or as the ledger stood at a point of its chain.

Japanese labels stand beside the English ones; t-CO2 to the kilogram, yen with thousands
separators, the offset ratio as a percentage; the view counting pending estimates is marked
暫定 PROVISIONAL.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

import typer
from rich import box
from rich.table import Table

from offset.agreements import services as agreements
from offset.agreements.model import Side
from offset.cli import inputs
from offset.cli.context import reading
from offset.cli.inputs import AsOfOption
from offset.cli.tables import console_for
from offset.errors import InvalidInput
from offset.fiscal import FiscalYear
from offset.money.model import CostCategory, SubsidyScheme
from offset.netting import services as netting
from offset.netting.model import activity_of
from offset.netting.party import PartyShare, party_share
from offset.netting.services import Summary
from offset.numbers import fixed

Row = tuple[str, str, str]
SIDES = {Side.URBAN: "都市側 urban", Side.FOREST: "森林側 forest"}
CATEGORIES = {c.account: c for c in CostCategory}
SCHEMES = {s.account: s for s in SubsidyScheme}


def tonnes(value: Decimal) -> str:
    return f"{fixed(value, 3):,}"


def yen(value: Decimal) -> str:
    return f"{value.quantize(Decimal(1)):,}"


def percent(ratio: Decimal | None) -> str:
    return "—" if ratio is None else f"{fixed(ratio * 100, 2)} %"


def carbon_rows(summary: Summary) -> list[Row]:
    """Return the carbon lines: emissions by activity, certified, retired, net, ratio."""
    c = summary.carbon
    rows = [("排出量 Emissions", tonnes(c.emissions), "t-CO2")]
    rows += [(f"  {activity_of(account)}", tonnes(t), "t-CO2") for account, t in
             c.emissions_by_activity.items()]
    rows += [("認証 Certified", tonnes(c.certified), "t-CO2"),
             ("無効化 Retired", tonnes(c.retired), "t-CO2"),
             ("正味 Net", tonnes(c.net), "t-CO2"),
             ("相殺率 Offset ratio", percent(c.offset_ratio), "")]
    if summary.provisional:
        rows += [("暫定 PROVISIONAL: 認証前の推計 estimates pending",
                  tonnes(c.estimated_pending), "t-CO2"),
                 ("暫定 PROVISIONAL: 正味 Net", tonnes(c.provisional_net), "t-CO2"),
                 ("暫定 PROVISIONAL: 相殺率 Offset ratio", percent(c.provisional_ratio), "")]
    return rows


def money_rows(summary: Summary) -> list[Row]:
    """Return the money lines: costs by category and side, subsidies, timber, net cost."""
    m = summary.money
    rows = [(f"費用 Cost {CATEGORIES[name].label_ja} {CATEGORIES[name].value} "
             f"({SIDES[side]})", yen(amount), "JPY") for (name, side), amount in m.costs.items()]
    rows += [(f"補助金 Subsidy {SCHEMES[name].label_ja} ({SIDES[side]})", yen(amount), "JPY")
             for (name, side), amount in m.subsidies.items()]
    rows += [(f"間伐材売却収入 Timber revenue ({SIDES[side]})", yen(amount), "JPY")
             for side, amount in sorted(m.timber.items())]
    rows += [(f"正味負担 Net cost ({SIDES[side]})", yen(m.net_cost[side]), "JPY")
             for side in (Side.URBAN, Side.FOREST)]
    per_tonne = summary.cost_per_tonne
    rows.append(("認証1tあたり費用 Cost per certified t", "—" if per_tonne is None
                 else yen(per_tonne), "JPY/t-CO2"))
    return rows


def title(summary: Summary, term: int | None) -> str:
    years = [FiscalYear(y) for y in summary.fiscal_years]
    span = (f"{years[0]} ({years[0].era_label})" if len(years) == 1 else
            f"term {term}: {years[0]}–{years[-1]} ({years[0].era_label}〜{years[-1].era_label})")
    mark = "  暫定 PROVISIONAL" if summary.provisional else ""
    return f"agreement {summary.agreement_id}, {span}{mark}"


def render(summary: Summary) -> Table:
    """Return the summary as a rich table, carbon first, then money."""
    table = Table(box=box.SIMPLE_HEAD)
    table.add_column("項目 Item", no_wrap=True)
    table.add_column("値 Value", justify="right", no_wrap=True)
    table.add_column("単位 Unit", no_wrap=True)
    for row in carbon_rows(summary):
        table.add_row(*row)
    table.add_section()
    for row in money_rows(summary):
        table.add_row(*row)
    return table


def summary(
    ctx: typer.Context,
    agreement: Annotated[int, typer.Option("--agreement", help="The agreement's id.")],
    fy: Annotated[int | None, typer.Option("--fy", help="A fiscal year, e.g. 2013.")] = None,
    term: Annotated[int | None, typer.Option("--term", help="A term number, e.g. 1.")] = None,
    as_of: AsOfOption = None,
) -> None:
    """Show an agreement's emissions, offsets, net and money for a fiscal year or a term."""
    if (fy is None) == (term is None):
        raise InvalidInput("give exactly one of --fy and --term", field="fy")
    point = inputs.as_of(as_of)
    with reading(ctx) as uow:
        found = agreements.agreement(uow, agreement)
        result = (netting.fiscal_year_summary(uow, found, fy, point) if fy is not None
                  else netting.term_summary(uow, found, term or 0, point))
        share = (party_share(uow, found, fy, result.carbon, point) if fy is not None
                 else None)
    table = render(result)
    console = console_for(table)
    console.print(title(result, term), markup=False)
    console.print(table)
    console.print(f"chain: {result.chain_entry_count} entries, head {result.chain_head}",
                  markup=False)
    for adjustment in result.adjusted_later:
        console.print(f"adjusted later (前期修正): entry {adjustment.entry_id} in "
                      f"FY{adjustment.fiscal_year} corrects entry "
                      f"{adjustment.corrects_entry_id}; the figures above are as closed",
                      markup=False)
    if share is not None:
        console.print(party_line(share), markup=False)
    console.print(integrity_line(result), markup=False)


def party_line(share: PartyShare) -> str:
    """Return the agreement's part in its urban party's netting of the year."""
    return (f"都市側の相殺への寄与 part in {share.party.name_en}'s netting: retired here "
            f"{tonnes(share.retired_here)} of {tonnes(share.retired)} t-CO2 "
            f"({percent(share.share_of_retired)}) over {share.agreements} agreement(s); the "
            f"party's emissions {tonnes(share.emissions)} t-CO2, offset ratio "
            f"{percent(share.offset_ratio)}")


def integrity_line(summary: Summary) -> str:
    """Return "integrity: OK", or the break that makes every figure above suspect."""
    found = summary.integrity
    if found.ok:
        return "integrity: OK"
    return (f"integrity: BROKEN at {found.where}: {found.reason} — 台帳の検証に失敗、"
            "数値は信頼できません / the figures above cannot be trusted")
