"""An urban party's position for a fiscal year across every agreement it is the urban partner
of: what each agreement contributes (its own fiscal-year summary), and the party's totals.

Emissions are recorded in each agreement for the scope it offsets (Agreement.emission_scope:
ward facilities in one, say, and another scope in the next), so the party's emissions are
the sum over its agreements by scope; two agreements offsetting the same scope would each
hold that scope's emissions, and the party totals add each scope once per agreement. An
inventory recorded once per party, whatever the number of agreements, is issue 13, item 1.

An agreement's part in the party's netting (party_share) is what its own summary and reports
show beside its figures: the party's totals, read with one balance query per other agreement.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from offset.agreements.model import Agreement, Party, Side
from offset.fiscal import FiscalYear
from offset.ledger import services as ledger
from offset.ledger.as_of import AsOf, AtMoment
from offset.netting.model import Carbon, carbon_of, ratio
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


@dataclass(frozen=True)
class ReadAt:
    """Where another agreement's chain was read: its entry count and head."""

    agreement_id: int
    entry_count: int
    head: str


@dataclass(frozen=True)
class PartyShare:
    """An agreement's part in its urban party's netting of a fiscal year: the agreement's own
    emissions (the scope it offsets) and retirements, beside the party's totals over every
    agreement it is the urban partner of that covers the year."""

    party: Party
    fiscal_year: int
    emissions_here: Decimal
    retired_here: Decimal
    emissions: Decimal  # the party's, over the scopes of its agreements
    retired: Decimal  # the party's, over its agreements
    others: tuple[ReadAt, ...]  # the party's other agreements, as their chains stood

    @property
    def agreements(self) -> int:
        return 1 + len(self.others)

    @property
    def share_of_retired(self) -> Decimal | None:
        """This agreement's part of the party's retirements."""
        return ratio(self.retired_here, self.retired)

    @property
    def offset_ratio(self) -> Decimal | None:
        """The party's offset ratio: retired over emissions, all agreements."""
        return ratio(self.retired, self.emissions)

    @property
    def contributed_ratio(self) -> Decimal | None:
        """This agreement's retirements over the party's emissions: what it adds to the
        party's offset ratio."""
        return ratio(self.retired_here, self.emissions)


def party_share(uow: UnitOfWork, agreement: Agreement, fiscal_year: int, here: Carbon,
                as_of: AsOf | None = None) -> PartyShare:
    """Return `agreement`'s part in its urban party's netting of `fiscal_year`, `here` being
    the agreement's own carbon position of the year. The party's other agreements are read
    at `as_of` when it is a moment (a sequence number is one agreement's own), else as their
    chains stand now: one balance read each, and their heads are returned."""
    return party_shares(uow, agreement, {fiscal_year: here}, as_of)[0]


def party_shares(uow: UnitOfWork, agreement: Agreement, positions: Mapping[int, Carbon],
                 as_of: AsOf | None = None) -> tuple[PartyShare, ...]:
    """Return party_share for each fiscal year of `positions` (the agreement's own carbon
    position by year), in that order, reading the party and its agreements once."""
    moment = as_of if isinstance(as_of, AtMoment) else None
    party = uow.agreements.party(agreement.urban_party_id)
    partners = [other for other in uow.agreements.agreements_of_urban_party(party.id)
                if other.id != agreement.id]
    heads = {other.id: ledger.head_as_of(uow, other.id, moment) for other in partners
             if any(other.covers(year) for year in positions)}
    shares = []
    for fiscal_year, here in positions.items():
        others, emissions, retired = [], here.emissions, here.retired
        for other in partners:
            if not other.covers(fiscal_year):
                continue
            head = heads[other.id]
            carbon = carbon_of(ledger.balances(uow, other.id, fiscal_year=fiscal_year,
                                               as_of_seq=head.entry_count))
            emissions += carbon.emissions
            retired += carbon.retired
            others.append(ReadAt(other.id, head.entry_count, head.hash))
        shares.append(PartyShare(party, fiscal_year, here.emissions, here.retired, emissions,
                                 retired, tuple(others)))
    return tuple(shares)
