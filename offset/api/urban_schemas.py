"""Request and response bodies of the money and emissions endpoints: costs, subsidies, timber
sales, emissions, retirements and the emission factor sets.

Yen travel as whole numbers (a JSON integer or a string of digits, never a float); t-CO2 and
m3 as exact decimal strings with a unit field beside them, like every other body of the API.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, Field, StringConstraints

from offset.agreements.model import Side
from offset.api.deps import MAX_BIG_ID
from offset.api.forestry_schemas import (
    Contractor,
    Label,
    ReferencedId,
)
from offset.api.schemas import MULTI_LINE, Create, EntryRead, Line, Year, text
from offset.emissions.model import Factor
from offset.emissions.services import EmissionInput, Retirement
from offset.errors import InvalidInput
from offset.fiscal import FiscalYear
from offset.ledger.model import MAX_TEXT, JournalEntry
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
from offset.numbers import D
from offset.quantities import CO2, TIMBER_PRICE, VOLUME, YEN

JPY = YEN.label


def whole_yen(value: Any) -> int:
    """Return a JSON integer or a string of ASCII digits as int; refuse floats and decimals."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        return int(value.strip())
    raise ValueError("must be whole yen: an integer or a string of digits, e.g. 1001")


Yen = Annotated[int, BeforeValidator(whole_yen),
                Field(description="whole yen: an integer or a string of digits")]
EntryRef = Annotated[int, Field(ge=1, le=MAX_BIG_ID)]
Description = Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_TEXT),
                       MULTI_LINE]
Ids = Annotated[list[ReferencedId], Field(max_length=1000)]


def _yen(amount: Decimal) -> str:
    return text(amount.quantize(Decimal(1)))


def _entry_fields(stored: JournalEntry) -> dict[str, Any]:
    fy = stored.entry.fiscal_year
    return {"entry": EntryRead.of(stored), "fiscal_year": fy,
            "fiscal_year_label": FiscalYear(fy).era_label}


# Costs, subsidies and timber sales.

class CostCreate(Create):
    fiscal_year: Year
    category: CostCategory
    amount: Yen
    incurred_on: date
    description: Description = ""
    bearer: Side | None = Field(None, description="the side bearing all of it; left out, the "
                                                  "agreement's cost-sharing rule splits it")
    thinning_ids: Ids = Field(default_factory=list)

    def cost(self) -> Cost:
        return Cost(self.fiscal_year, self.category, Decimal(self.amount), self.incurred_on,
                    self.description, self.bearer, tuple(self.thinning_ids))


class CostRead(BaseModel):
    entry: EntryRead
    fiscal_year: int
    fiscal_year_label: str
    category: str
    category_ja: str
    amount: str
    unit: str
    shares: dict[str, str] = Field(description="yen each side bears, adding up to amount")

    @classmethod
    def of(cls, stored: JournalEntry) -> CostRead:
        details = stored.entry.details
        category = CostCategory(details["category"])
        return cls(**_entry_fields(stored), category=category.value,
                   category_ja=category.label_ja, amount=str(details["amount"]), unit=JPY,
                   shares={side: str(share) for side, share in details["shares"].items()})


class SubsidyCreate(Create):
    fiscal_year: Year
    scheme: SubsidyScheme
    name: Label = Field(description="e.g. 造林補助金")
    amount: Yen
    received_on: date
    funds_cost_ids: Annotated[list[EntryRef], Field(max_length=1000)] = Field(
        default_factory=list, description="the cost entries this subsidy funds")

    def subsidy(self, recipient: Side) -> Subsidy:
        return Subsidy(self.fiscal_year, self.scheme, self.name, recipient,
                       Decimal(self.amount), self.received_on, tuple(self.funds_cost_ids))


class SubsidyRead(BaseModel):
    entry: EntryRead
    fiscal_year: int
    fiscal_year_label: str
    scheme: str
    scheme_ja: str
    name: str
    recipient: str
    amount: str
    unit: str
    funds_cost_ids: list[int]

    @classmethod
    def of(cls, stored: JournalEntry) -> SubsidyRead:
        details = stored.entry.details
        scheme = SubsidyScheme(details["scheme"])
        return cls(**_entry_fields(stored), scheme=scheme.value, scheme_ja=scheme.label_ja,
                   name=str(details["name"]), recipient=str(details["recipient"]),
                   amount=str(details["amount"]), unit=JPY,
                   funds_cost_ids=list(details["funds_cost_ids"]))


class TimberSaleCreate(Create):
    fiscal_year: Year
    volume: Line = Field(description="any volume unit: '120 m**3', '400 石'", max_length=100)
    unit_price: Line | None = Field(None, description="yen per m3, e.g. '9000.5'; or give total",
                                   max_length=40)
    total: Yen | None = Field(None, description="yen; or give unit_price")
    buyer: Label
    sold_on: date
    thinning_ids: Ids = Field(default_factory=list)

    def sale(self, recipient: Side) -> TimberSale:
        """Return the domain sale; total = volume × unit price rounded down to the yen.

        Raises InvalidInput naming the field.
        """
        volume = timber_volume(self.volume)
        if (self.unit_price is None) == (self.total is None):
            raise InvalidInput("give exactly one of unit_price and total", field="unit_price")
        if self.total is not None:
            return self._of(volume, Decimal(self.total), None, recipient)
        price = self._price()
        total = timber_total(volume, price)
        if total < 1:
            raise InvalidInput("volume × unit_price comes to less than 1 yen",
                               field="unit_price")
        return self._of(volume, total, price, recipient)

    def _of(self, volume: Decimal, total: Decimal, price: Decimal | None,
            recipient: Side) -> TimberSale:
        return TimberSale(self.fiscal_year, volume, total, self.buyer, recipient,
                          self.sold_on, price, tuple(self.thinning_ids))

    def _price(self) -> Decimal:
        price = timber_price(self.unit_price or "")
        return Decimal(text(price))  # as written, without exponent: "9000.5", "1000"


class TimberSaleRead(BaseModel):
    entry: EntryRead
    fiscal_year: int
    fiscal_year_label: str
    volume: str
    volume_unit: str
    unit_price: str | None
    unit_price_unit: str
    total: str
    unit: str
    buyer: str
    recipient: str

    @classmethod
    def of(cls, stored: JournalEntry) -> TimberSaleRead:
        details = stored.entry.details
        price = details.get("unit_price")
        return cls(**_entry_fields(stored),
                   volume=VOLUME.text(D(str(details["volume_m3"]))),
                   volume_unit=VOLUME.label, unit_price=None if price is None else str(price),
                   unit_price_unit=TIMBER_PRICE.label, total=str(details["total"]),
                   unit=JPY, buyer=str(details["buyer"]), recipient=str(details["recipient"]))


# Emissions and retirements.

class EmissionCreate(Create):
    fiscal_year: Year
    activity_type: Label = Field(description="as named in the factor set: electricity, "
                                             "city_gas, kerosene, …")
    activity: Line = Field(description="activity data with its unit: '1200000 kWh', '12 kL'",
                          max_length=100)
    factor_set: Label = Field(description="e.g. tepco-fy2010")
    source: Contractor = Field("", description="facility or meter")
    scope: Label | None = Field(None, description="must be the agreement's (the default)")

    def emission(self) -> EmissionInput:
        return EmissionInput(self.fiscal_year, self.activity_type, self.activity,
                             self.factor_set, self.source, self.scope)


class EmissionRead(BaseModel):
    entry: EntryRead
    fiscal_year: int
    fiscal_year_label: str
    activity_type: str
    activity: str = Field(description="as given")
    activity_in_factor_unit: str
    activity_unit: str = Field(description="the unit the factor is per")
    factor: str
    factor_unit: str
    factor_set: str
    factor_status: str
    scope: str
    source: str
    tonnes: str
    unit: str

    @classmethod
    def of(cls, stored: JournalEntry) -> EmissionRead:
        d = stored.entry.details
        return cls(**_entry_fields(stored), activity_type=str(d["activity_type"]),
                   activity=str(d["activity"]),
                   activity_in_factor_unit=str(d["quantity_in_factor_units"]),
                   activity_unit=str(d["unit"]), factor=str(d["factor"]),
                   factor_unit=f"{CO2.label}/{d['unit']}", factor_set=str(d["factor_set"]),
                   factor_status=str(d["factor_status"]), scope=str(d["scope"]),
                   source=str(d["source"]), tonnes=str(d["tonnes"]), unit=CO2.label)


class RetirementCreate(Create):
    fiscal_year: Year = Field(description="the fiscal year of emissions it offsets")
    quantity: Line = Field(description="certified CO2 to retire, e.g. '100 t_CO2'",
                          max_length=100)
    beneficiary: Label
    purpose: Contractor
    retired_on: date
    vintage: Year | None = Field(None, description="retire only credits certified for this "
                                                   "FY; else oldest eligible first")

    def retirement(self) -> Retirement:
        tonnes = CO2.parse(self.quantity, field="quantity")
        return Retirement(self.fiscal_year, tonnes, self.beneficiary, self.purpose,
                          self.retired_on, self.vintage)


class RetirementRead(BaseModel):
    entry: EntryRead
    fiscal_year: int
    fiscal_year_label: str
    quantity: str
    unit: str
    beneficiary: str
    purpose: str
    vintages: dict[str, str] = Field(description="t-CO2 drawn per certified fiscal year")

    @classmethod
    def of(cls, stored: JournalEntry) -> RetirementRead:
        d = stored.entry.details
        return cls(**_entry_fields(stored), quantity=str(d["tonnes"]), unit=CO2.label,
                   beneficiary=str(d["beneficiary"]), purpose=str(d["purpose"]),
                   vintages=_tonnes(d["vintages"]))


def _tonnes(by_year: Mapping[str, Any]) -> dict[str, str]:
    return {year: CO2.text(D(str(t))) for year, t in by_year.items()}


class FactorRead(BaseModel):
    set: str
    activity: str
    unit: str
    factor: str
    factor_unit: str
    status: str
    source: str

    @classmethod
    def of(cls, factor: Factor) -> FactorRead:
        return cls(set=factor.set_id, activity=factor.activity, unit=factor.unit,
                   factor=text(factor.t_co2_per_unit), factor_unit=f"{CO2.label}/{factor.unit}",
                   status=factor.status, source=factor.source)
