"""`offset parties …`: register and list municipalities, and an urban party's position."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer
from rich.table import Table

from offset.agreements import services
from offset.agreements.model import Party, Side
from offset.cli.context import reading, writing
from offset.cli.report import Format, FormatOption, Output
from offset.cli.tables import console_for
from offset.errors import InvalidInput
from offset.fiscal import FiscalYear
from offset.netting.party import party_summary
from reports import render_party_pdf, render_party_xlsx

app = typer.Typer(help="Register and list municipalities (parties).", no_args_is_help=True)


def describe(party: Party) -> str:
    """Return one line naming a party the way users know it."""
    prefecture = party.prefecture
    section = f" — 所管課 {party.section_ja or party.section_en}" if (
        party.section_ja or party.section_en) else ""
    return f"{party.code}  {party.name_ja} ({party.name_en}), {prefecture.name_ja}{section}"


@app.command()
def add(
    ctx: typer.Context,
    code: Annotated[str, typer.Option(
        metavar="CODE", help="6-digit local-government code, e.g. 131041.")],
    name_ja: Annotated[str, typer.Option(metavar="NAME", help="Japanese name, e.g. 新宿区.")],
    name_en: Annotated[str, typer.Option(
        metavar="NAME", help="English name, e.g. 'Shinjuku City'.")],
    section_ja: Annotated[str, typer.Option(
        metavar="NAME", help="Section responsible for its agreements (所管課), e.g. 環境対策課.")
    ] = "",
    section_en: Annotated[str, typer.Option(
        metavar="NAME", help="The section in English, e.g. 'Environmental Measures Section'.")
    ] = "",
) -> None:
    """Register a municipality."""
    with writing(ctx) as uow:
        party = services.create_party(uow, code, name_ja, name_en, section_ja=section_ja,
                                      section_en=section_en)
    typer.echo(f"added party {describe(party)}")


@app.command("list")
def list_parties(ctx: typer.Context) -> None:
    """List every municipality."""
    with reading(ctx) as uow:
        parties = services.parties(uow)
    for party in parties:
        typer.echo(describe(party))
    if not parties:
        typer.echo("no parties yet; add one with `offset parties add`")


@app.command()
def summary(ctx: typer.Context,
            party_id: Annotated[int, typer.Argument(metavar="PARTY_ID", help="Party id.")],
            fy: Annotated[int, typer.Option("--fy", metavar="YEAR",
                                            help="Fiscal year, e.g. 2013.")]) -> None:
    """Show an urban party's position in a fiscal year across its agreements: each
    agreement's contribution and the party's totals."""
    with reading(ctx) as uow:
        found = party_summary(uow, party_id, fy)
    table = Table("協定 agreement", "森林 forest", "対象 scope", "排出 emissions t-CO2",
                  "認証 certified", "無効化 retired", "正味 net t-CO2", "正味費用 net yen",
                  title=f"{found.party.name_ja} ({found.party.name_en}) "
                        f"{FiscalYear(fy)}: position across its agreements")
    for c in found.contributions:
        carbon = c.summary.carbon
        table.add_row(str(c.agreement.id), c.forest.name_ja, c.agreement.emission_scope,
                      f"{carbon.emissions:,.3f}", f"{carbon.certified:,.3f}",
                      f"{carbon.retired:,.3f}", f"{carbon.net:,.3f}",
                      f"{c.summary.money.net_cost[Side.URBAN]:,.0f}")
    carbon = found.carbon
    table.add_section()
    table.add_row("計 total", "", "", f"{carbon.emissions:,.3f}", f"{carbon.certified:,.3f}",
                  f"{carbon.retired:,.3f}", f"{carbon.net:,.3f}", f"{found.net_cost:,.0f}")
    console = console_for(table)
    console.print(table)
    ratio = found.offset_ratio
    console.print("offset ratio (相殺率) O/E: " + ("—" if ratio is None
                                                  else f"{ratio * 100:.2f} %"), markup=False)


@app.command()
def report(ctx: typer.Context,
           party_id: Annotated[int, typer.Argument(metavar="PARTY_ID", help="Party id.")],
           fy: Annotated[int, typer.Option("--fy", metavar="YEAR",
                                           help="Fiscal year, e.g. 2013.")],
           output: Output, form: FormatOption = Format.PDF) -> None:
    """Write an urban party's report of a fiscal year (都市側の相殺状況報告書), PDF or XLSX."""
    with reading(ctx) as uow:
        found = party_summary(uow, party_id, fy)
    render = render_party_pdf if form is Format.PDF else render_party_xlsx
    try:
        output.write_bytes(render(found, datetime.now(UTC)))
    except OSError as error:
        raise InvalidInput(f"cannot write {output}: {error.strerror}", field="output") from None
    typer.echo(f"wrote {output} ({found.party.name_en}, FY{fy}, "
               f"{len(found.contributions)} agreement(s))")
