"""What the environment division's pages share: the fiscal years they offer, the entry a
success message names, and a form's body validated with the API's schema and stored once.

Every reading is a use case's answer (offset.netting, offset.ledger); nothing here sums.
"""

from __future__ import annotations

from collections.abc import Mapping

from offset.agreements.model import Agreement
from offset.db.uow import UnitOfWork
from offset.errors import NotFound, OffsetError
from offset.fiscal import FiscalYear, today_in_japan
from offset.ledger import services as ledger
from offset.ledger.model import EntryKind, JournalEntry
from offset.netting import services as netting
from offset.netting.services import Summary

BASE = "/agreements/{id}/{page}"


def years_of(agreement: Agreement) -> list[int]:
    """Return every fiscal year of the agreement's terms, oldest first."""
    return [y for term in agreement.terms for y in range(term.first_fy, term.last_fy + 1)]


def chosen_year(agreement: Agreement, fy: int | None) -> int:
    """Return the year asked for (OutsideTerms for one no term covers), else this fiscal
    year, or the terms' last when they ended before it."""
    if fy is not None:
        return agreement.within_terms(fy).year
    this_year = FiscalYear.of(today_in_japan()).year
    years = years_of(agreement)
    return max((y for y in years if y <= this_year), default=years[0])


def page_of(agreement: Agreement, page: str, **query: object) -> str:
    tail = "&".join(f"{k}={v}" for k, v in query.items() if v is not None)
    return BASE.format(id=agreement.id, page=page) + (f"?{tail}" if tail else "")


def year_summaries(uow: UnitOfWork, agreement: Agreement, years: list[int]) -> list[Summary]:
    return [netting.fiscal_year_summary(uow, agreement, y) for y in years]


def stored_entry(uow: UnitOfWork, agreement: Agreement, entry_id: int | None,
                 kind: EntryKind) -> JournalEntry | None:
    """Return the entry a success message names, when it is this agreement's and of `kind`."""
    if entry_id is None:
        return None
    try:
        found = ledger.journal_entry(uow, entry_id)
    except NotFound:
        return None
    return found if found.agreement_id == agreement.id and found.entry.kind is kind else None


def form_year(values: Mapping[str, str], agreement: Agreement) -> int:
    """Return the fiscal year a refused form is shown for: the one typed when it is one."""
    try:
        return chosen_year(agreement, int(values.get("fiscal_year", "")))
    except (ValueError, OffsetError):
        return chosen_year(agreement, None)
