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
from offset.ledger.model import Commodity
from offset.netting.model import Carbon, Money, carbon_of, money_of

if TYPE_CHECKING:
    from offset.ports import UnitOfWork


@dataclass(frozen=True)
class Summary:
    agreement_id: int
    fiscal_years: list[int]
    carbon: Carbon
    money: Money
    chain_entry_count: int
    chain_head: str
    integrity: Integrity  # of the whole agreement, not only of the years summed

    @property
    def provisional(self) -> bool:
        """True when some year's absorption is still an estimate, not certified."""
        return self.carbon.estimated_pending != 0

    @property
    def cost_per_tonne(self) -> Decimal | None:
        return self.money.cost_per_tonne(self.carbon.certified)


def fiscal_year_summary(uow: UnitOfWork, agreement: Agreement, fiscal_year: int) -> Summary:
    """Return the netting and money position of one fiscal year."""
    FiscalYear(fiscal_year)
    return _summary(uow, agreement, [fiscal_year])


def term_summary(uow: UnitOfWork, agreement: Agreement, number: int) -> Summary:
    """Return the position over all fiscal years of term `number`. Raises NotFound."""
    term = next((t for t in agreement.terms if t.number == number), None)
    if term is None:
        raise NotFound(f"the agreement has no term {number}", field="term")
    return _summary(uow, agreement, list(range(term.first_fy, term.last_fy + 1)))


def _summary(uow: UnitOfWork, agreement: Agreement, years: list[int]) -> Summary:
    if not years:
        raise InvalidInput("no fiscal years", field="fiscal_year")
    head = uow.journal.heads([agreement.id])[0]
    total: dict[tuple[str, Commodity], Decimal] = defaultdict(Decimal)
    for year in years:
        for key, amount in ledger.balances(uow, agreement.id, fiscal_year=year,
                                           as_of_seq=head.entry_count).items():
            total[key] += amount
    return Summary(agreement.id, years, carbon_of(total), money_of(total), head.entry_count,
                   head.hash, integrity_of(uow, agreement.id))
