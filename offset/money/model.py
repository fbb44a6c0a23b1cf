"""Costs, subsidies and timber sales as values, with the exact yen rules they follow.

Rounding rules (documented in docs/money.md):
- A cost split by percentage gives the urban partner its share rounded half-to-even to the
  yen; the forest party bears the rest, so the parts always add up to the cost exactly.
- A timber sale priced per m3 totals volume × unit price rounded DOWN to the yen
  (端数切捨て, the usual practice for sales between public bodies and buyers).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, Decimal
from enum import StrEnum

from offset.agreements.model import HUNDRED, CostSharing, Side
from offset.errors import InvalidInput
from offset.numbers import D, exactly
from offset.quantities import TIMBER_PRICE, VOLUME

MAX_PRICE = Decimal(10) ** 10  # yen per m3
MAX_VOLUME = Decimal(10) ** 9  # m3: with MAX_PRICE, a total stays within exact arithmetic


class CostCategory(StrEnum):
    THINNING = "thinning"
    WORK_ROAD = "work-road"
    SURVEY = "survey"
    ADMINISTRATION = "administration"
    OTHER = "other"

    @property
    def account(self) -> str:
        return "".join(part.capitalize() for part in self.value.split("-"))

    @property
    def label_ja(self) -> str:
        return {"thinning": "間伐事業費", "work-road": "作業道", "survey": "調査・認証費",
                "administration": "事務費", "other": "その他"}[self.value]


class SubsidyScheme(StrEnum):
    NATIONAL = "national"
    PREFECTURAL = "prefectural"
    FOREST_ENVIRONMENT_TAX = "forest-environment-tax"
    # A grant of the national council (連携推進協議会) to a partnership it certified: recorded
    # by the council only (offset.council), never by a party as its own subsidy.
    COUNCIL_GRANT = "council-grant"
    OTHER = "other"

    @property
    def account(self) -> str:
        return "".join(part.capitalize() for part in self.value.split("-"))

    @property
    def label_ja(self) -> str:
        return {"national": "国庫補助（造林補助金）", "prefectural": "県補助",
                "forest-environment-tax": "森林環境譲与税",
                "council-grant": "連携推進協議会交付金", "other": "その他"}[self.value]

    @property
    def by_council(self) -> bool:
        """Whether only the national council records subsidies of this scheme."""
        return self is SubsidyScheme.COUNCIL_GRANT


def yen(value: Decimal, *, field: str) -> Decimal:
    """Return `value` as whole, positive yen. Raises InvalidInput naming `field`."""
    if value != value.to_integral_value() or value <= 0:
        raise InvalidInput("must be a positive whole number of yen", field=field)
    if value >= Decimal(10) ** 13:
        raise InvalidInput("is out of range", field=field)
    return value.quantize(Decimal(1))


def split_cost(amount: Decimal, category: CostCategory,
               sharing: CostSharing) -> dict[Side, Decimal]:
    """Return the yen each side bears of `amount`, adding up to `amount` exactly."""
    percent = sharing.by_category.get(category.value, sharing.urban_percent)
    urban = (amount * percent / HUNDRED).quantize(Decimal(1), rounding=ROUND_HALF_EVEN)
    return {Side.URBAN: urban, Side.FOREST: amount - urban}


def timber_volume(text: str) -> Decimal:
    """Return a sale's volume in m3 ("120 m**3", "400 石"), to the litre.

    Raises InvalidInput naming the volume when it is not a volume or out of range.
    """
    volume = VOLUME.parse(text, field="volume")
    if not 0 < volume < MAX_VOLUME:
        raise InvalidInput("must be more than 0 m3 and less than 1,000,000,000 m3",
                           field="volume")
    return volume


def timber_price(text: str) -> Decimal:
    """Return yen per m3 as written ("9000.5"), of at most a millionth of a yen.

    Raises InvalidInput naming the unit price when it is not a price or out of range.
    """
    price = D(text, field="unit_price")
    if not 0 < price < MAX_PRICE:
        raise InvalidInput("must be more than 0 and less than 10,000,000,000 yen per m3",
                           field="unit_price")
    exactly(price, TIMBER_PRICE.places, field="unit_price")
    return price


def timber_total(volume_m3: Decimal, unit_price: Decimal) -> Decimal:
    """Return volume × price per m3, rounded down to the yen."""
    return (volume_m3 * unit_price).quantize(Decimal(1), rounding=ROUND_DOWN)


@dataclass(frozen=True)
class Cost:
    fiscal_year: int
    category: CostCategory
    amount: Decimal
    incurred_on: date
    description: str
    bearer: Side | None = None  # None: split by the agreement's cost-sharing rule
    thinning_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class Subsidy:
    fiscal_year: int
    scheme: SubsidyScheme
    name: str
    recipient: Side
    amount: Decimal
    received_on: date
    funds_cost_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class TimberSale:
    fiscal_year: int
    volume_m3: Decimal
    total: Decimal
    buyer: str
    recipient: Side
    sold_on: date
    unit_price: Decimal | None = None
    thinning_ids: tuple[int, ...] = ()
