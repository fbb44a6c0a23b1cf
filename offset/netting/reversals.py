"""What a reversal may not undo: retired credits, offset emissions, funded costs.

The journal can cancel any entry, but some cancellations would break the netting and money
invariants (design §3.4): a certification whose credits were retired, emissions already
offset by retirements, a cost a live subsidy funds (by name, or naming no costs), or an
estimate its year's certification already cleared. Each is refused with its own
ReversalRefused (offset.netting.errors, offset.money.errors) that says what to reverse first.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING

from offset.agreements.model import Side
from offset.ledger.accounts import EMISSIONS, RETIRED, is_under
from offset.ledger.model import Commodity, EntryKind, JournalEntry
from offset.money.errors import CostFunded
from offset.money.services import sides_of, unnamed_subsidies, year_funding
from offset.netting.errors import CreditsRetired, EmissionsOffset, EstimateCertified
from offset.numbers import ZERO

if TYPE_CHECKING:
    from offset.ledger.ports import JournalUnit



def check_reversal(uow: JournalUnit, original: JournalEntry) -> None:
    """Raise a ReversalRefused (field `entry_id`) when reversing `original` would break an
    invariant: CreditsRetired, EmissionsOffset, CostFunded (a subsidy naming it, or one naming
    no costs that its side's other costs of the year would not cover) or EstimateCertified."""
    check = _CHECKS.get(original.entry.kind)
    if check is not None:
        check(uow, original)


def _certification(uow: JournalUnit, original: JournalEntry) -> None:
    year = str(original.entry.fiscal_year)
    drawing = sorted(r.id for r in uow.journal.live_of_kind(original.agreement_id,
                                                            [EntryKind.RETIREMENT])
                     if Decimal(r.entry.details["vintages"].get(year, "0")) > 0)
    if drawing:
        raise CreditsRetired(original.id, original.entry.fiscal_year, drawing)


def _emission(uow: JournalUnit, original: JournalEntry) -> None:
    year = original.entry.fiscal_year
    balances = uow.journal.balances(original.agreement_id, fiscal_year=year)
    emitted = sum((a for (name, c), a in balances.items()
                   if c is Commodity.TCO2E and is_under(name, EMISSIONS)), ZERO)
    retired = balances.get((RETIRED, Commodity.TCO2E), ZERO)
    left = emitted - sum((p.amount for p in original.entry.postings
                          if p.commodity is Commodity.TCO2E
                          and is_under(p.account, EMISSIONS)), ZERO)
    if retired > left:
        raise EmissionsOffset(original.id, year, retired, left)


def _cost(uow: JournalUnit, original: JournalEntry) -> None:
    funding = sorted(s.id for s in uow.journal.live_of_kind(original.agreement_id,
                                                            [EntryKind.SUBSIDY])
                     if original.id in (s.entry.details.get("funds_cost_ids") or []))
    if funding:
        raise CostFunded(original.id, funding)
    for side in sides_of(original.entry):
        _cost_of_the_year(uow, original, side)


def _cost_of_the_year(uow: JournalUnit, original: JournalEntry, side: Side) -> None:
    # Subsidies naming no costs fund the side's costs of their year: without this cost those
    # left must still cover every subsidy the side received for the year.
    year = original.entry.fiscal_year
    unnamed = unnamed_subsidies(uow, original.agreement_id, year, side)
    if not unnamed:
        return
    borne, received = year_funding(uow, original.agreement_id, year, side)
    if sum(borne.values(), ZERO) - borne.get(original.id, ZERO) < received:
        raise CostFunded(original.id, unnamed)


def _estimate(uow: JournalUnit, original: JournalEntry) -> None:
    certified = uow.journal.live(original.agreement_id, original.entry.fiscal_year,
                                 [EntryKind.CERTIFICATION])
    if certified:
        raise EstimateCertified(original.id, original.entry.fiscal_year, certified[0].id)


_CHECKS: dict[EntryKind, Callable[[JournalUnit, JournalEntry], None]] = {
    EntryKind.CERTIFICATION: _certification,
    EntryKind.EMISSION: _emission,
    EntryKind.COST: _cost,
    EntryKind.ESTIMATE: _estimate,
    EntryKind.ESTIMATE_ADJUSTMENT: _estimate,
}
