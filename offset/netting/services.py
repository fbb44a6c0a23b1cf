"""Netting summaries for a fiscal year and for a term, read from the journal."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from offset.agreements.model import Agreement
from offset.errors import InvalidInput, NotFound
from offset.fiscal import FiscalYear
from offset.integrity import Integrity, integrity_of
from offset.ledger import services as ledger
from offset.ledger.as_of import AsOf
from offset.ledger.model import Adjustment, Commodity
from offset.netting.model import Carbon, Money, carbon_of, money_of

if TYPE_CHECKING:
    from offset.ports import UnitOfWork


@dataclass(frozen=True)
class Summary:
    agreement_id: int
    fiscal_years: list[int]
    carbon: Carbon
    money: Money
    chain_entry_count: int  # the point of the chain it was read at: a sequence number
    chain_head: str  # and the hash of that entry
    integrity: Integrity  # of the whole agreement, not only of the years summed
    # Corrections of these (closed) years posted later as prior-period adjustments: the
    # years' figures stay as closed, and say where they were corrected.
    adjusted_later: tuple[Adjustment, ...] = ()

    @property
    def provisional(self) -> bool:
        """True when some year's absorption is still an estimate, not certified."""
        return self.carbon.estimated_pending != 0

    @property
    def cost_per_tonne(self) -> Decimal | None:
        return self.money.cost_per_tonne(self.carbon.certified)


def fiscal_year_summary(uow: UnitOfWork, agreement: Agreement, fiscal_year: int,
                        as_of: AsOf | None = None) -> Summary:
    """Return the netting and money position of one fiscal year, as the ledger stood at
    `as_of` (today when None). Raises what ledger.head_as_of raises."""
    FiscalYear(fiscal_year)
    return _summary(uow, agreement, [fiscal_year], as_of)


def term_summary(uow: UnitOfWork, agreement: Agreement, number: int,
                 as_of: AsOf | None = None) -> Summary:
    """Return the position over all fiscal years of term `number`, as the ledger stood at
    `as_of` (today when None). Raises NotFound, and what ledger.head_as_of raises."""
    term = next((t for t in agreement.terms if t.number == number), None)
    if term is None:
        raise NotFound(f"the agreement has no term {number}", field="term")
    return _summary(uow, agreement, list(range(term.first_fy, term.last_fy + 1)), as_of)


def _summary(uow: UnitOfWork, agreement: Agreement, years: list[int],
             as_of: AsOf | None) -> Summary:
    if not years:
        raise InvalidInput("no fiscal years", field="fiscal_year")
    head = ledger.head_as_of(uow, agreement.id, as_of)
    total: dict[tuple[str, Commodity], Decimal] = defaultdict(Decimal)
    by_year = ledger.balances_by_year(uow, agreement.id, min(years), max(years),
                                      as_of_seq=head.entry_count)
    for year in years:
        for key, amount in by_year[year].items():
            total[key] += amount
    return Summary(agreement.id, years, carbon_of(total), money_of(total), head.entry_count,
                   head.hash, integrity_of(uow, agreement.id),
                   ledger.adjustments_of(uow, agreement.id, years, upto_seq=head.entry_count))
