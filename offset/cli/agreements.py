"""`offset agreements …`: register, renew and list agreements between two municipalities."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Annotated

import typer

from offset.agreements import services
from offset.agreements.model import AbsorptionMethod, Agreement, CostSharing, Party, Term
from offset.cli.context import reading, writing
from offset.db.uow import UnitOfWork
from offset.errors import InvalidInput, NotFound
from offset.numbers import D
from offset.quantities import AREA, PER_AREA_RATE

app = typer.Typer(help="Register, renew and list agreements.", no_args_is_help=True)

TERM = re.compile(r"^\s*(?:FY)?(\d{4})\s*[-–]\s*(?:FY)?(\d{4})\s*$", re.IGNORECASE)
METHODS = ", ".join(method.value for method in AbsorptionMethod)


def parse_term(text: str, number: int) -> Term:
    """Return term `number` from text such as '2009-2013'. Raises InvalidInput."""
    found = TERM.match(text)
    if found is None:
        raise InvalidInput(f"{text!r} is not a range of fiscal years like 2009-2013",
                           field="term")
    return Term(number, int(found[1]), int(found[2]))


def parse_date(text: str, field: str) -> date:
    """Return an ISO date. Raises InvalidInput naming `field`."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(f"{text!r} is not a date like 2008-02-10", field=field) from None


def parse_method(text: str) -> AbsorptionMethod:
    try:
        return AbsorptionMethod(text.strip())
    except ValueError:
        raise InvalidInput(f"{text!r} is not one of {METHODS}", field="method") from None


def parse_rate(text: str) -> Decimal:
    """Return a per-area rate in t-CO2/ha/yr from '3.19' or '3.19 t_CO2/ha/yr'."""
    try:
        Decimal(text.strip())
    except ArithmeticError:
        return PER_AREA_RATE.parse(text, field="per_area_rate")
    return PER_AREA_RATE.parse_number(text, field="per_area_rate")


def party(uow: UnitOfWork, code: str, side: str) -> Party:
    """Return the party with `code`; an unknown code is bad input naming `side`."""
    try:
        return services.party_by_code(uow, code.strip())
    except NotFound as missing:
        raise InvalidInput(f"{missing.detail}; add it with `offset parties add`",
                           field=side) from None


def number(value: Decimal) -> str:
    """Return a Decimal without trailing zeros (30.0000 -> 30)."""
    return f"{value.normalize():f}"


def describe(agreement: Agreement, parties: dict[int, Party]) -> list[str]:
    """Return the lines that show an agreement to a user."""
    urban, forest = parties[agreement.urban_party_id], parties[agreement.forest_party_id]
    method = agreement.absorption_method.value
    if agreement.per_area_rate is not None:
        method += f" ({number(agreement.per_area_rate)} t-CO2/ha/yr)"
    lines = [f"agreement {agreement.id}: {agreement.title_ja} / {agreement.title_en}",
             f"  urban {urban.name_ja} ({urban.code}), forest {forest.name_ja} ({forest.code}),"
             f" signed {agreement.signed_on.isoformat()}",
             f"  target {number(agreement.annual_target_ha)} ha/yr, {method}, crediting window "
             f"{agreement.crediting_window} FY, urban share "
             f"{number(agreement.cost_sharing.urban_percent)}%"]
    lines += [f"  term {term.number}: {term.label}" for term in agreement.terms]
    return lines


Urban = Annotated[str, typer.Option(metavar="CODE", help="Urban party's 6-digit code.")]
Forest = Annotated[str, typer.Option(metavar="CODE", help="Forest party's 6-digit code.")]
Signed = Annotated[str, typer.Option(metavar="DATE", help="Date signed, e.g. 2008-02-10.")]
Terms = Annotated[list[str], typer.Option(
    "--term", metavar="FY-FY", help="Fiscal years, e.g. 2009-2013; repeat for further terms.")]
Target = Annotated[str, typer.Option(
    metavar="AREA", help="Annual thinning target with unit, e.g. '30 ha'.")]
Window = Annotated[int, typer.Option(
    metavar="YEARS", help="Fiscal years a thinning is credited for.")]
Method = Annotated[str, typer.Option(metavar="METHOD", help=f"Absorption method: {METHODS}.")]
Rate = Annotated[str | None, typer.Option(
    metavar="RATE", help="With per-area-rate: t-CO2/ha/yr, e.g. 3.19.")]
Share = Annotated[str, typer.Option(
    metavar="PERCENT", help="Percent of costs the urban party bears.")]
Title = Annotated[str | None, typer.Option(
    metavar="TEXT", help="Title (default: from the party names).")]
AgreementId = Annotated[int, typer.Option("--agreement", metavar="ID", help="Agreement id.")]
NextTerm = Annotated[str, typer.Option(
    "--term", metavar="FY-FY", help="Fiscal years, e.g. 2014-2018.")]


@app.command()
def add(ctx: typer.Context, urban: Urban, forest: Forest, signed: Signed, term: Terms,
        annual_target: Target, crediting_window: Window = 5,
        method: Method = AbsorptionMethod.NATIONAL_INVENTORY.value, per_area_rate: Rate = None,
        urban_share: Share = "100", title_ja: Title = None, title_en: Title = None) -> None:
    """Register an agreement between an urban and a forest municipality."""
    with writing(ctx) as uow:
        urban_party, forest_party = party(uow, urban, "urban"), party(uow, forest, "forest")
        draft = Agreement(
            id=0,
            title_ja=title_ja or f"{urban_party.name_ja}・{forest_party.name_ja} 連携協定",
            title_en=title_en or f"{urban_party.name_en} – {forest_party.name_en} agreement",
            urban_party_id=urban_party.id, forest_party_id=forest_party.id,
            signed_on=parse_date(signed, "signed"),
            annual_target_ha=AREA.parse(annual_target, field="annual_target"),
            crediting_window=crediting_window, absorption_method=parse_method(method),
            per_area_rate=None if per_area_rate is None else parse_rate(per_area_rate),
            cost_sharing=CostSharing(D(urban_share, field="urban_share")),
            terms=tuple(parse_term(text, n) for n, text in enumerate(term, start=1)),
        )
        agreement = services.create_agreement(uow, draft)
    for line in describe(agreement, {p.id: p for p in (urban_party, forest_party)}):
        typer.echo(line)


@app.command()
def renew(ctx: typer.Context, agreement: AgreementId, term: NextTerm) -> None:
    """Add the next term to an agreement."""
    with writing(ctx) as uow:
        current = services.agreement(uow, agreement)
        added = parse_term(term, len(current.terms) + 1)
        renewed = services.renew(uow, current, added.first_fy, added.last_fy)
    typer.echo(f"agreement {renewed.id} renewed: term {added.number}: {renewed.terms[-1].label}")


@app.command("list")
def list_agreements(ctx: typer.Context) -> None:
    """List every agreement with its parties and terms."""
    with reading(ctx) as uow:
        agreements = services.all_agreements(uow)
        parties = {p.id: p for p in services.parties(uow)}
    for agreement in agreements:
        for line in describe(agreement, parties):
            typer.echo(line)
    if not agreements:
        typer.echo("no agreements yet; add one with `offset agreements add`")
