"""`offset council overview | certify | grant | certifications`: the national council's view
of every partnership and its own records (連携推進協議会)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated

import typer
from rich.table import Table

from offset.agreements import services as agreements
from offset.agreements.model import Side
from offset.cli.agreements import parse_date
from offset.cli.context import reading, writing
from offset.cli.inputs import (
    AgreementId,
    FiscalYearOption,
    RecordedBy,
    choice,
    label,
    line,
    whole_yen,
)
from offset.cli.inputs import recorder as who
from offset.cli.report import Format, FormatOption, Output
from offset.cli.tables import console_for
from offset.council import services as council
from offset.council.model import Overview, PartnershipCertification, Totals
from offset.errors import InvalidInput
from offset.fiscal import FiscalYear, today_in_japan
from offset.money.model import Subsidy, SubsidyScheme
from reports import render_national_pdf, render_national_xlsx

app = typer.Typer(help="The national council (連携推進協議会): the partnerships of the nation, "
                       "their certifications and grants.", no_args_is_help=True)

HA, T = Decimal("0.01"), Decimal("0.001")
SIDES = ", ".join(side.value for side in Side)


def _ha(value: Decimal) -> str:
    return f"{value.quantize(HA):,}"


def _t(value: Decimal) -> str:
    return f"{value.quantize(T):,}"


def _yen(value: Decimal) -> str:
    return f"{value.quantize(Decimal(1)):,}"


def _totals_row(name: str, totals: Totals) -> list[str]:
    return [name, f"{totals.partnerships} ({totals.certified_partnerships} 認定中 certified)",
            f"{_ha(totals.area_thinned_ha)} / {_ha(totals.target_ha)}",
            _t(totals.certified_t), _t(totals.retired_t), _yen(totals.gross_cost),
            _yen(totals.net_cost), _yen(totals.grants)]


def render(found: Overview) -> tuple[Table, Table]:
    """Return the table of partnerships and the table of totals by prefecture."""
    heads = ["協定 agreement", "都市 – 森林 pair", "間伐 ha / 目標 target",
             "認証 certified t-CO2", "無効化 retired t-CO2", "総事業費 gross yen",
             "正味 net yen", "交付金 grants yen", "年度中の認定 certified in FY",
             "認定 standing"]
    lines = Table(*heads, title=f"{FiscalYear(found.fiscal_year)}: partnerships (協定)")
    for p in found.partnerships:
        until = "" if p.certification is None else (
            f" {p.certification.number}, until {p.certification.valid_until}")
        lines.add_row(f"{p.agreement.id} {p.forest.prefecture.name_ja}",
                      f"{p.urban.name_ja} – {p.forest.name_ja}",
                      f"{_ha(p.area_thinned_ha)} / {_ha(p.target_ha)}", _t(p.certified_t),
                      _t(p.retired_t), _yen(p.gross_cost), _yen(p.net_cost), _yen(p.grants),
                      "有 yes" if p.certified_in_year else "無 no",
                      f"{p.standing.label_ja} {p.standing.value}{until}")
    by_prefecture = Table("都道府県 prefecture", "協定 partnerships", heads[2], *heads[3:8],
                          title="by the forest's prefecture (森林の所在都道府県別)")
    for prefecture in found.prefectures:
        by_prefecture.add_row(*_totals_row(f"{prefecture.name_ja} {prefecture.name_en}",
                                           prefecture.totals))
    by_prefecture.add_section()
    by_prefecture.add_row(*_totals_row("全国 nation", found.totals))
    return lines, by_prefecture


@app.command()
def overview(ctx: typer.Context, fy: FiscalYearOption,
             on: Annotated[str | None, typer.Option(
                 metavar="DATE", help="Read the standings for this day (default: today, "
                                      "JST).")] = None) -> None:
    """Every partnership active in a fiscal year: area against target, certified and
    retired tonnes, gross and net cost, grants, and its standing with the council."""
    day = today_in_japan() if on is None else parse_date(on, "on")
    with reading(ctx) as uow:
        found = council.overview(uow, fy, day)
    lines, totals = render(found)
    console = console_for(lines)
    console.print(lines)
    console.print(totals)
    console.print(f"standings as of {found.on}", markup=False)


@app.command()
def report(ctx: typer.Context, fy: FiscalYearOption, output: Output,
           on: Annotated[str | None, typer.Option(
               metavar="DATE", help="Read the standings for this day (default: today, "
                                    "JST).")] = None,
           form: FormatOption = Format.PDF) -> None:
    """Write the national report of a fiscal year (全国の連携状況報告書), PDF or XLSX."""
    day = today_in_japan() if on is None else parse_date(on, "on")
    with reading(ctx) as uow:
        found = council.overview(uow, fy, day)
    render = render_national_pdf if form is Format.PDF else render_national_xlsx
    try:
        output.write_bytes(render(found, datetime.now(UTC)))
    except OSError as error:
        raise InvalidInput(f"cannot write {output}: {error.strerror}", field="output") from None
    typer.echo(f"wrote {output} ({len(found.partnerships)} partnerships of FY{fy}, "
               f"standings as of {found.on})")


@app.command()
def certify(ctx: typer.Context, agreement: AgreementId,
            number: Annotated[str, typer.Option(metavar="NUMBER",
                                                help="e.g. 協議会認定第1号.")],
            certified_on: Annotated[str, typer.Option("--on", metavar="DATE",
                                                      help="Day of certification.")],
            valid_until: Annotated[str, typer.Option("--until", metavar="DATE",
                                                     help="Last day it is valid.")],
            conditions: Annotated[list[str], typer.Option(
                "--condition", metavar="TEXT", help="A condition found met; repeat for more.")],
            recorded_by: RecordedBy = None) -> None:
    """Record the council's certification of an agreement's partnership."""
    certification = PartnershipCertification(
        agreement, line(number, "number", 60), parse_date(certified_on, "certified_on"),
        parse_date(valid_until, "valid_until"),
        tuple(line(c, f"conditions.{i}") for i, c in enumerate(conditions)))
    with writing(ctx) as uow:
        found = agreements.agreement(uow, agreement)
        stored = council.certify_partnership(uow, found, certification, who(recorded_by))
    typer.echo(f"certification {stored.id}: agreement {agreement} {stored.number}, "
               f"{stored.certified_on}..{stored.valid_until}, "
               f"{len(stored.conditions)} condition(s) met")


@app.command()
def grant(ctx: typer.Context, agreement: AgreementId, fy: FiscalYearOption,
          recipient: Annotated[str, typer.Option(metavar="SIDE",
                                                 help=f"Side receiving it: {SIDES}.")],
          name: Annotated[str, typer.Option(metavar="NAME", help="e.g. 連携推進交付金.")],
          amount: Annotated[str, typer.Option(metavar="YEN", help="Whole yen.")],
          when: Annotated[str, typer.Option("--date", metavar="DATE",
                                            help="Day received.")],
          recorded_by: RecordedBy = None) -> None:
    """Record a council grant to one side of a certified partnership (money of the
    agreement); refused when no certification is valid on the day."""
    given = Subsidy(fy, SubsidyScheme.COUNCIL_GRANT, label(name, "name"),
                    choice(Side, recipient, "recipient"), Decimal(whole_yen(amount, "amount")),
                    parse_date(when, "received_on"))
    with writing(ctx) as uow:
        found = agreements.agreement(uow, agreement)
        stored = council.record_grant(uow, found, given, who(recorded_by))
    typer.echo(f"grant entry {stored.id}: FY{fy} {_yen(given.amount)} JPY to the "
               f"{given.recipient.value} side of agreement {agreement}")


@app.command()
def certifications(ctx: typer.Context, agreement: AgreementId) -> None:
    """List the council's certifications of an agreement's partnership."""
    with reading(ctx) as uow:
        found = agreements.agreement(uow, agreement)
        listed = council.certifications(uow, found.id)
    if not listed:
        typer.echo(f"agreement {agreement}: no council certification")
    for c in listed:
        typer.echo(f"{c.number}: {c.certified_on}..{c.valid_until}; met: "
                   + "; ".join(c.conditions))
