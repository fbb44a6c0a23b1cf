"""`offset costs add`, `offset subsidies add`, `offset timber add`: the money of an agreement.

Each command records one entry in one unit of work. Yen are whole numbers; a timber sale
priced per m3 totals volume × price rounded down to the yen (offset.money.model).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

import typer

from offset.agreements import services as agreements
from offset.agreements.model import Side
from offset.cli.agreements import parse_date
from offset.cli.context import writing
from offset.cli.inputs import (
    AgreementId,
    FiscalYearOption,
    RecordedBy,
    choice,
    free_text,
    ids,
    label,
    recorder,
    whole_yen,
)
from offset.errors import InvalidInput
from offset.money import services
from offset.money.model import (
    Cost,
    CostCategory,
    Subsidy,
    SubsidyScheme,
    TimberSale,
    timber_price,
    timber_total,
    timber_volume,
)

costs = typer.Typer(help="Record costs of an agreement.", no_args_is_help=True)
subsidies = typer.Typer(help="Record subsidies received.", no_args_is_help=True)
timber = typer.Typer(help="Record timber sales (間伐材売却).", no_args_is_help=True)

SIDES = ", ".join(side.value for side in Side)

Amount = Annotated[str, typer.Option(metavar="YEN", help="Whole yen, e.g. 20000000.")]
When = Annotated[str, typer.Option("--date", metavar="DATE", help="Date, e.g. 2013-12-01.")]
Recipient = Annotated[str, typer.Option(metavar="SIDE", help=f"Side receiving it: {SIDES}.")]
Thinnings = Annotated[list[int] | None, typer.Option(
    "--thinning", metavar="ID", help="A thinning record it belongs to; repeat for more.")]


def yen(value: Decimal) -> str:
    return f"{value.quantize(Decimal(1)):,} JPY"


@costs.command("add")
def add_cost(
    ctx: typer.Context, agreement: AgreementId, fy: FiscalYearOption,
    category: Annotated[str, typer.Option(metavar="CATEGORY", help=", ".join(CostCategory))],
    amount: Amount, when: When,
    description: Annotated[str, typer.Option(help="What the cost was for.")] = "",
    bearer: Annotated[str | None, typer.Option(metavar="SIDE", help=(
        f"Side bearing all of it ({SIDES}); default: the agreement's cost-sharing rule."))] = None,
    thinning: Thinnings = None, recorded_by: RecordedBy = None,
) -> None:
    """Record a cost; print its entry id and the yen each side bears."""
    cost = Cost(fy, choice(CostCategory, category, "category"),
                Decimal(whole_yen(amount, "amount")), parse_date(when, "date"),
                free_text(description, "description"),
                None if bearer is None else choice(Side, bearer, "bearer"),
                ids(thinning, "thinning_ids"))
    with writing(ctx) as uow:
        found = agreements.agreement(uow, agreement)
        stored = services.record_cost(uow, found, cost, recorder(recorded_by))
    shares = stored.entry.details["shares"]
    split = ", ".join(f"{side} {yen(Decimal(shares.get(side.value, 0)))}" for side in Side)
    typer.echo(f"cost entry {stored.id}: FY{fy} {cost.category.value} "
               f"({cost.category.label_ja}) {yen(cost.amount)}; {split}")


@subsidies.command("add")
def add_subsidy(
    ctx: typer.Context, agreement: AgreementId, fy: FiscalYearOption,
    scheme: Annotated[str, typer.Option(metavar="SCHEME", help=", ".join(SubsidyScheme))],
    name: Annotated[str, typer.Option(metavar="NAME", help="e.g. 造林補助金.")],
    amount: Amount, recipient: Recipient, when: When,
    funds: Annotated[list[int] | None, typer.Option(
        "--funds", metavar="COST_ENTRY_ID", help="A cost entry it funds; repeat for more.")
    ] = None,
    recorded_by: RecordedBy = None,
) -> None:
    """Record a subsidy; refused when the subsidies of the costs it funds would exceed them."""
    subsidy = Subsidy(fy, choice(SubsidyScheme, scheme, "scheme"), label(name, "name"),
                      choice(Side, recipient, "recipient"),
                      Decimal(whole_yen(amount, "amount")), parse_date(when, "date"),
                      ids(funds, "funds_cost_ids"))
    with writing(ctx) as uow:
        found = agreements.agreement(uow, agreement)
        stored = services.record_subsidy(uow, found, subsidy, recorder(recorded_by))
    funded = (f", funding cost entr(ies) {', '.join(map(str, subsidy.funds_cost_ids))}"
              if subsidy.funds_cost_ids else "")
    typer.echo(f"subsidy entry {stored.id}: FY{fy} {subsidy.scheme.label_ja} {subsidy.name} "
               f"{yen(subsidy.amount)} to {subsidy.recipient}{funded}")


def volume_m3(text: str) -> Decimal:
    """Return a volume in m3 ("120 m**3", "400 石"), to the litre. Raises InvalidInput."""
    return timber_volume(text)


def unit_price(text: str) -> Decimal:
    """Return yen per m3 as written ("9000.5"), to at most a millionth of a yen."""
    return Decimal(f"{timber_price(text).normalize():f}")


def priced(volume: Decimal, price_text: str | None, total_text: str | None
           ) -> tuple[Decimal, Decimal | None]:
    """Return the sale's total and unit price from exactly one of the two options."""
    if (price_text is None) == (total_text is None):
        raise InvalidInput("give exactly one of --unit-price and --total", field="unit_price")
    if total_text is not None:
        return Decimal(whole_yen(total_text, "total")), None
    price = unit_price(price_text or "")
    total = timber_total(volume, price)
    if total < 1:
        raise InvalidInput("volume × unit price comes to less than 1 yen", field="unit_price")
    return total, price


@timber.command("add")
def add_timber_sale(
    ctx: typer.Context, agreement: AgreementId, fy: FiscalYearOption,
    volume: Annotated[str, typer.Option(metavar="VOLUME", help="e.g. '120 m**3', '400 石'.")],
    buyer: Annotated[str, typer.Option(metavar="NAME", help="Who bought the timber.")],
    recipient: Recipient, when: When,
    unit_price: Annotated[str | None, typer.Option(
        "--unit-price", metavar="YEN", help="Yen per m3; the total is rounded down.")] = None,
    total: Annotated[str | None, typer.Option(metavar="YEN", help="Whole yen.")] = None,
    thinning: Thinnings = None, recorded_by: RecordedBy = None,
) -> None:
    """Record timber revenue; print the total (volume × unit price rounded down to the yen)."""
    m3 = volume_m3(volume)
    amount, price = priced(m3, unit_price, total)
    sale = TimberSale(fy, m3, amount, label(buyer, "buyer"), choice(Side, recipient,
                                                                    "recipient"),
                      parse_date(when, "date"), price, ids(thinning, "thinning_ids"))
    with writing(ctx) as uow:
        found = agreements.agreement(uow, agreement)
        stored = services.record_timber_sale(uow, found, sale, recorder(recorded_by))
    how = "" if price is None else f" = {m3} m3 × {price:,} JPY/m3, rounded down"
    typer.echo(f"timber sale entry {stored.id}: FY{fy} total {yen(amount)}{how}; "
               f"to {sale.recipient} from {sale.buyer}")
