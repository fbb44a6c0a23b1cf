"""Summaries of an agreement's carbon and money, computed purely from account balances."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

from offset.agreements.model import Side
from offset.ledger.accounts import (
    CERTIFIED_SOURCE,
    COSTS,
    EMISSIONS,
    ESTIMATED,
    FOREST_SIDE,
    FUNDING,
    RETIRED,
    SUBSIDIES,
    TIMBER,
    URBAN_SIDE,
    is_under,
    under,
)
from offset.ledger.model import Commodity
from offset.numbers import ZERO

Balances = Mapping[tuple[str, Commodity], Decimal]
SIDES = {URBAN_SIDE: Side.URBAN, FOREST_SIDE: Side.FOREST}


def _sum(balances: Balances, commodity: Commodity, prefix: str) -> Decimal:
    return sum((amount for (account, c), amount in balances.items()
                if c is commodity and is_under(account, prefix)),
               ZERO)


def _by_last(balances: Balances, commodity: Commodity, prefix: str,
             sign: int = 1) -> dict[str, Decimal]:
    """Return balances under `prefix`, keyed by the rest of the account name."""
    found: dict[str, Decimal] = {}
    for (account, c), amount in balances.items():
        if c is commodity and account.startswith(prefix + ":") and amount:
            key = account[len(prefix) + 1:]
            found[key] = found.get(key, ZERO) + sign * amount
    return dict(sorted(found.items()))


@dataclass(frozen=True)
class Carbon:
    """t-CO2 for one or more fiscal years. O = retired credits; net = E − O."""

    emissions: Decimal
    emissions_by_activity: dict[str, Decimal]  # by account name part, e.g. "CityGas"
    certified: Decimal
    retired: Decimal
    estimated_pending: Decimal  # estimates of years whose certification is still pending

    @property
    def net(self) -> Decimal:
        return self.emissions - self.retired

    @property
    def offset_ratio(self) -> Decimal | None:
        """O / E as a fraction with 6 places (None without emissions)."""
        return ratio(self.retired, self.emissions)

    @property
    def provisional_offset(self) -> Decimal:
        """Retired credits plus pending estimates: PROVISIONAL, not certified."""
        return self.retired + self.estimated_pending

    @property
    def provisional_net(self) -> Decimal:
        return self.emissions - self.provisional_offset

    @property
    def provisional_ratio(self) -> Decimal | None:
        return ratio(self.provisional_offset, self.emissions)


@dataclass(frozen=True)
class Money:
    """Yen for one or more fiscal years, per side (urban / forest)."""

    costs: dict[tuple[str, Side], Decimal]  # (category account name, bearer)
    subsidies: dict[tuple[str, Side], Decimal]  # (scheme account name, recipient)
    timber: dict[Side, Decimal]
    net_cost: dict[Side, Decimal]

    def cost_per_tonne(self, certified: Decimal) -> Decimal | None:
        """The urban partner's net cost per certified t-CO2, to the yen (None if none)."""
        if certified <= 0:
            return None
        return (self.net_cost[Side.URBAN] / certified).quantize(Decimal(1), ROUND_HALF_EVEN)


def ratio(part: Decimal, whole: Decimal) -> Decimal | None:
    if whole <= 0:
        return None
    return (part / whole).quantize(Decimal("0.000001"), ROUND_HALF_EVEN)


def carbon_of(balances: Balances) -> Carbon:
    """Return the carbon position shown by the balances of one or more fiscal years."""
    return Carbon(
        emissions=_sum(balances, Commodity.TCO2E, EMISSIONS),
        emissions_by_activity=_by_last(balances, Commodity.TCO2E, EMISSIONS),
        certified=-_sum(balances, Commodity.TCO2E, CERTIFIED_SOURCE),
        retired=_sum(balances, Commodity.TCO2E, RETIRED),
        estimated_pending=_sum(balances, Commodity.TCO2E_EST, ESTIMATED),
    )


def money_of(balances: Balances) -> Money:
    """Return the money position shown by the balances of one or more fiscal years."""
    def split(prefix: str, sign: int) -> dict[tuple[str, Side], Decimal]:
        found = {}
        for key, amount in _by_last(balances, Commodity.JPY, prefix, sign).items():
            name, _, side = key.rpartition(":")
            found[(name, SIDES[side])] = amount
        return found

    return Money(
        costs=split(COSTS, 1),
        subsidies=split(SUBSIDIES, -1),
        timber={SIDES[k]: v for k, v in _by_last(balances, Commodity.JPY, TIMBER,
                                                 -1).items()},
        net_cost={side: -_sum(balances, Commodity.JPY, under(FUNDING, name))
                  for name, side in SIDES.items()},
    )


def activity_of(account_part: str) -> str:
    """Return the activity type an emissions account names: "CityGas" → "city_gas"."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", account_part).lower()


@dataclass(frozen=True)
class YearSums:
    """The few sums a national view needs of an agreement-year, taken in one pass over its
    balances: the same figures carbon_of and money_of give (a test holds them equal), at a
    fraction of the cost when read for hundreds of agreements at once."""

    certified: Decimal
    retired: Decimal
    gross_cost: Decimal  # every cost, whoever bears it
    net_cost: dict[Side, Decimal]
    grants: Decimal  # subsidies of the council-grant scheme, to either side


_CERTIFIED = (CERTIFIED_SOURCE, CERTIFIED_SOURCE + ":")
_RETIRED = (RETIRED, RETIRED + ":")
_COSTS = COSTS + ":"
_FUNDING = {under(FUNDING, name): side for name, side in SIDES.items()}
_GRANTS = SUBSIDIES + ":CouncilGrant:"


def year_sums(balances: Balances) -> YearSums:
    """Return the certified and retired tonnes, gross and net cost and council grants."""
    certified = retired = gross = grants = ZERO
    net = {Side.URBAN: ZERO, Side.FOREST: ZERO}
    for (account, commodity), amount in balances.items():
        if commodity is Commodity.TCO2E:
            if account == _CERTIFIED[0] or account.startswith(_CERTIFIED[1]):
                certified -= amount
            elif account == _RETIRED[0] or account.startswith(_RETIRED[1]):
                retired += amount
        elif commodity is Commodity.JPY:
            if account.startswith(_COSTS):
                gross += amount
            elif account.startswith(FUNDING):
                side = next((s for f, s in _FUNDING.items() if is_under(account, f)), None)
                if side is not None:
                    net[side] -= amount
            elif account.startswith(_GRANTS):
                grants -= amount
    return YearSums(certified, retired, gross, net, grants)
