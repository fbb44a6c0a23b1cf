"""An urban party's position for a fiscal year across every agreement it is the urban partner
of: what each agreement contributes (its own fiscal-year summary), and the party's totals.

Emissions are recorded in each agreement for the scope it offsets (Agreement.emission_scope:
ward facilities in one, say, and another scope in the next), so the party's emissions are
the sum over its agreements by scope; two agreements offsetting the same scope would each
hold that scope's emissions, and the party totals add each scope once per agreement. An
inventory recorded once per party, whatever the number of agreements, is issue 13, item 1.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from offset.agreements.model import Agreement, Party, Side
from offset.fiscal import FiscalYear
from offset.netting.model import Carbon, ratio
from offset.netting.services import Summary, fiscal_year_summary

if TYPE_CHECKING:
    from offset.ports import UnitOfWork

ZERO = Decimal("0.000")


@dataclass(frozen=True)
class Contribution:
    """One agreement's part in the party's position: its own fiscal-year summary."""

    agreement: Agreement
    forest: Party
    summary: Summary


@dataclass(frozen=True)
class PartySummary:
    party: Party
    fiscal_year: int
    contributions: tuple[Contribution, ...]

    @property
    def carbon(self) -> Carbon:
        """The party's carbon position: the sum of its agreements'."""
        by_activity: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for c in self.contributions:
            for activity, tonnes in c.summary.carbon.emissions_by_activity.items():
                by_activity[activity] += tonnes

        def total(name: str) -> Decimal:
            return sum((getattr(c.summary.carbon, name) for c in self.contributions), ZERO)
        return Carbon(total("emissions"), dict(sorted(by_activity.items())),
                      total("certified"), total("retired"), total("estimated_pending"))

    @property
    def emissions_by_scope(self) -> dict[str, Decimal]:
        found: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for c in self.contributions:
            found[c.agreement.emission_scope] += c.summary.carbon.emissions
        return dict(sorted(found.items()))

    @property
    def net_cost(self) -> Decimal:
        """The party's net cost over its agreements (it is the urban side of each)."""
        return sum((c.summary.money.net_cost[Side.URBAN] for c in self.contributions),
                   Decimal(0))

    @property
    def offset_ratio(self) -> Decimal | None:
        carbon = self.carbon
        return ratio(carbon.retired, carbon.emissions)


def party_summary(uow: UnitOfWork, party_id: int, fiscal_year: int) -> PartySummary:
    """Return the party's position in `fiscal_year` over the agreements it is the urban
    partner of and a term of which covers the year. Raises NotFound for an unknown party,
    InvalidInput for a year out of range."""
    FiscalYear(fiscal_year)
    party = uow.agreements.party(party_id)
    mine = [a for a in uow.agreements.agreements_of_urban_party(party.id)
            if a.covers(fiscal_year)]
    return PartySummary(party, fiscal_year, tuple(
        Contribution(a, uow.agreements.party(a.forest_party_id),
                     fiscal_year_summary(uow, a, fiscal_year))
        for a in mine))
