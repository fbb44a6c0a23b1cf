"""Explaining an agreement-year's estimate work by work, and posting the adjustment to it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from offset.agreements.model import AbsorptionMethod, Agreement
from offset.fiscal import FiscalYear
from offset.forestry import absorption
from offset.forestry.carbon import carbon_postings
from offset.forestry.certification import live_certification
from offset.forestry.errors import AlreadyCertified
from offset.forestry.model import Stand, Thinning
from offset.forestry.reference import reference
from offset.ledger import services as ledger
from offset.ledger.accounts import ESTIMATED, ESTIMATED_SOURCE
from offset.ledger.model import Commodity, Entry, EntryKind, JournalEntry

if TYPE_CHECKING:
    from offset.ports import UnitOfWork


@dataclass(frozen=True)
class Explanation:
    """An agreement-year's estimate recomputed work by work, against what the ledger holds."""

    agreement_id: int
    fiscal_year: int
    parameter_set: str | None
    lines: list[tuple[Thinning, Stand, absorption.Estimate]]
    posted: Decimal
    certified_entry_id: int | None

    @property
    def expected(self) -> Decimal:
        return sum((e.tonnes for _, _, e in self.lines), Decimal("0.000"))

    @property
    def difference(self) -> Decimal:
        return self.expected - self.posted


def explain(uow: UnitOfWork, agreement: Agreement, fiscal_year: int,
            parameters: str | None = None) -> Explanation:
    """Recompute the estimate of every piece of work credited in `fiscal_year`."""
    parameter_set, table = reference(uow, parameters)
    lines = []
    if agreement.covers(fiscal_year):
        for work in uow.forestry.thinnings_crediting(agreement.id, fiscal_year,
                                                     agreement.crediting_window):
            stand = uow.forestry.stand(work.stand_id, work.stand_version)
            lines.append((work, stand, absorption.estimate(work, stand, agreement, fiscal_year,
                                                           parameter_set, table)))
    posted = ledger.balances(uow, agreement.id, fiscal_year=fiscal_year).get(
        (ESTIMATED, Commodity.TCO2E_EST), Decimal("0.000"))
    certified = live_certification(uow, agreement.id, fiscal_year)
    by_inventory = agreement.absorption_method is AbsorptionMethod.NATIONAL_INVENTORY
    return Explanation(agreement.id, fiscal_year, parameter_set.label if by_inventory else None,
                       lines, posted, certified.id if certified else None)


def post_adjustment(uow: UnitOfWork, agreement: Agreement, fiscal_year: int,
                    parameters: str | None, recorded_by: str) -> JournalEntry | None:
    """Post the difference between the recomputed and the posted estimate, if any.

    Raises AlreadyCertified when the year is certified (its estimate is replaced).
    """
    uow.journal.lock_head(agreement.id)
    found = explain(uow, agreement, fiscal_year, parameters)
    if found.certified_entry_id is not None:
        raise AlreadyCertified(fiscal_year, found.certified_entry_id)
    if found.difference == 0:
        return None
    entry = Entry(
        agreement_id=agreement.id, fiscal_year=fiscal_year,
        kind=EntryKind.ESTIMATE_ADJUSTMENT, effective_date=FiscalYear(fiscal_year).start,
        description=f"Estimate adjustment {FiscalYear(fiscal_year)} "
                    f"({found.parameter_set or agreement.absorption_method.value})",
        postings=carbon_postings(ESTIMATED, ESTIMATED_SOURCE, Commodity.TCO2E_EST,
                                 found.difference),
        details={"parameter_set": found.parameter_set, "expected": str(found.expected),
                 "posted_before": str(found.posted),
                 "thinning_ids": [work.id for work, _, _ in found.lines],
                 # Each work's estimate with the inputs it came from, so that an auditor
                 # reads an adjustment row by row like any estimate (entries posted before
                 # this held only the ids).
                 "lines": [{"thinning_id": work.id, "stand_id": stand.id,
                            "stand_version": work.stand_version, **estimate.as_data()}
                           for work, stand, estimate in found.lines]},
        recorded_by=recorded_by)
    return ledger.post(uow, [entry])[0]


def adjust_estimate(uow: UnitOfWork, agreement: Agreement, fiscal_year: int,
                    parameters: str | None, recorded_by: str
                    ) -> tuple[Explanation, JournalEntry | None]:
    """Explain the agreement-year's estimate and post its adjustment, if any.

    The chain is held first, so the explanation returned is the one the adjustment was made
    from. Raises AlreadyCertified when the year is certified.
    """
    uow.journal.lock_head(agreement.id)
    found = explain(uow, agreement, fiscal_year, parameters)
    return found, post_adjustment(uow, agreement, fiscal_year, parameters, recorded_by)
