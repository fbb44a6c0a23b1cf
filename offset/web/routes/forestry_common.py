"""What the forestry office's pages share: who may open them, the fiscal year they show, a
form's fields made into the API's schema, and the estimates the journal holds per thinning."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Annotated, TypeVar

from fastapi import Depends, Query, Request
from pydantic import BaseModel, ValidationError

from offset.access.model import Role
from offset.agreements.model import Agreement
from offset.api.deps import MAX_BIG_ID
from offset.api.forestry_schemas import EstimateRead
from offset.api.problems import status_of
from offset.db.uow import UnitOfWork, UnitOfWorkFactory
from offset.errors import OffsetError
from offset.fiscal import MAX_YEAR, MIN_YEAR, FiscalYear, today_in_japan
from offset.ledger import services as ledger
from offset.ledger.model import EntryKind, JournalEntry
from offset.web.pages import AgreementPage, AgreementVisit, Form, store

# Reading is open to the forestry office and to an administrator (the API's reads admit
# anyone who sees the agreement); writing follows the API route's own recorders.
Reader = Annotated[AgreementVisit, Depends(AgreementPage(Role.FORESTRY, Role.ADMIN))]
Office = Annotated[AgreementVisit, Depends(AgreementPage(Role.FORESTRY))]
FiscalYearQuery = Annotated[int | None, Query(ge=MIN_YEAR, le=MAX_YEAR)]
StoredQuery = Annotated[int | None, Query(ge=1, le=MAX_BIG_ID)]

Body = TypeVar("Body", bound=BaseModel)
Answer = TypeVar("Answer", bound=BaseModel)
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


def body_of(schema: type[Body], values: Mapping[str, str]) -> Body:
    """Return the form's fields as the API's body: a field left blank is left out, so the
    schema's default (or its "required") applies. Raises ValidationError."""
    given = {name: text.strip() for name in schema.model_fields
             if (text := values.get(name, "")).strip()}
    return schema.model_validate(given)


def submit(request: Request, work: UnitOfWorkFactory, visit: AgreementVisit,
           values: Mapping[str, str], schema: type[Body],
           act: Callable[[UnitOfWork, Body], Answer],
           answer: type[Answer]) -> tuple[Answer | None, Form | None, int]:
    """Validate a posted form with the API's schema and store it once.

    Returns (what was stored, None, 201) or (None, the form refused, its status).
    """
    try:
        body = body_of(schema, values)
        stored = store(request, work, visit.visitor, values, body,
                       lambda uow: act(uow, body), answer)
    except ValidationError as error:
        return None, Form.refused(values, error), 422
    except OffsetError as error:
        return None, Form.refused(values, error), status_of(error)
    return stored, None, 201
