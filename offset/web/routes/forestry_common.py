"""What the forestry office's pages share: who may open them, the fiscal year they show, a
form's fields made into the API's schema, and the estimates the journal holds per thinning."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated

from fastapi import Depends, Query

from offset.access.model import Role
from offset.agreements.model import Agreement
from offset.api.deps import MAX_BIG_ID
from offset.api.forestry_schemas import EstimateRead
from offset.db.uow import UnitOfWork
from offset.fiscal import MAX_YEAR, MIN_YEAR, FiscalYear, today_in_japan
from offset.ledger import services as ledger
from offset.ledger.model import EntryKind, JournalEntry
from offset.web.pages import AgreementPage, AgreementVisit

# Reading is open to the forestry office and to an administrator (the API's reads admit
# anyone who sees the agreement); writing follows the API route's own recorders.
Reader = Annotated[AgreementVisit, Depends(AgreementPage(Role.FORESTRY, Role.ADMIN))]
Office = Annotated[AgreementVisit, Depends(AgreementPage(Role.FORESTRY))]
FiscalYearQuery = Annotated[int | None, Query(ge=MIN_YEAR, le=MAX_YEAR)]
StoredQuery = Annotated[int | None, Query(ge=1, le=MAX_BIG_ID)]

PAGE = 500


def term_years(agreement: Agreement) -> list[int]:
    """Return every fiscal year the agreement's terms cover, in order."""
    return [year for term in agreement.terms for year in range(term.first_fy, term.last_fy + 1)]


def this_year(uow: UnitOfWork, agreement: Agreement) -> int:
    """Return the fiscal year a page opens on: the latest year of the terms that is still
    open and has begun (the first open one when none has begun; the last when all are
    closed)."""
    head = ledger.head_as_of(uow, agreement.id)
    today = FiscalYear.of(today_in_japan()).year
    years = term_years(agreement)
    still_open = [year for year in years if not head.closed(year)]
    if not still_open:
        return years[-1]
    begun = [year for year in still_open if year <= today]
    return begun[-1] if begun else still_open[0]


def chosen_year(uow: UnitOfWork, agreement: Agreement, asked: int | None) -> int:
    """Return the year asked for (within the terms) or this_year. Raises OutsideTerms."""
    if asked is None:
        return this_year(uow, agreement)
    return agreement.within_terms(asked).year


def asked_year(values: Mapping[str, str], agreement: Agreement) -> int | None:
    """Return the fiscal year a refused form named, if it is one of the agreement's."""
    asked = values.get("fiscal_year", "").strip()
    if not (asked.isascii() and asked.isdigit() and len(asked) == 4):
        return None
    return int(asked) if agreement.covers(int(asked)) else None


def entries_of(uow: UnitOfWork, agreement_id: int, fiscal_year: int,
               kind: EntryKind) -> list[JournalEntry]:
    """Return the live entries of `kind` in the agreement's journal of `fiscal_year`."""
    found: list[JournalEntry] = []
    after = 0
    while True:
        page = ledger.journal_page(uow, agreement_id, fiscal_year=fiscal_year, after_seq=after,
                                   limit=PAGE)
        found += [e for e in page.entries if e.entry.kind is kind and e.id not in page.reversed_by]
        if page.next_after_seq is None:
            return found
        after = page.next_after_seq


def estimates_by_thinning(entries: list[JournalEntry]) -> dict[int, list[EstimateRead]]:
    """Return the estimate entries given, read as the API reads them, by thinning id."""
    found: dict[int, list[EstimateRead]] = {}
    for entry in entries:
        thinning = entry.entry.details.get("thinning_id")
        if isinstance(thinning, int):
            found.setdefault(thinning, []).append(EstimateRead.of(entry))
    return found
