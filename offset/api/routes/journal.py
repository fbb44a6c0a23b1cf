"""An agreement's journal, page by page, its trial balance, and reversals of its entries."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from offset.access.model import User
from offset.agreements import services as agreements
from offset.api.bodies import JsonRoute
from offset.api.deps import (
    MAX_BIG_ID,
    AgreementId,
    AsOfQuery,
    CurrentUser,
    EntryId,
    FiscalYearFilter,
    Idempotent,
    Recorder,
    Work,
)
from offset.api.ledger_schemas import TrialBalanceRead
from offset.api.schemas import EntryRead, JournalPageRead, ReversalCreate
from offset.corrections import correct_as
from offset.db.uow import UnitOfWork
from offset.errors import NotFound
from offset.ledger import services as ledger
from offset.ledger.model import JournalEntry

router = APIRouter(route_class=JsonRoute, tags=["journal"])

AfterSeq = Annotated[int, Query(ge=0, le=MAX_BIG_ID,
                                description="the page's previous next_after_seq")]
Limit = Annotated[int, Query(ge=1, le=500)]


@router.get("/agreements/{agreement_id}/journal")
def journal_page(agreement_id: AgreementId, user: CurrentUser, work: Work, as_of: AsOfQuery,
                 fiscal_year: FiscalYearFilter = None, after_seq: AfterSeq = 0,
                 limit: Limit = 100) -> JournalPageRead:
    """Return entries of one agreement in chain order after `after_seq` (keyset pagination),
    up to now or to `as_of`, with the reversals made by then."""
    with work(read_only=True) as uow:
        agreement = agreements.visible_agreement(uow, user, agreement_id)
        return JournalPageRead.of(ledger.journal_page(
            uow, agreement.id, fiscal_year=fiscal_year, after_seq=after_seq, limit=limit,
            as_of=as_of))


@router.get("/agreements/{agreement_id}/balances")
def trial_balance(agreement_id: AgreementId, user: CurrentUser, work: Work, as_of: AsOfQuery,
                  fiscal_year: FiscalYearFilter = None) -> TrialBalanceRead:
    """Return the trial balance: per account and commodity the opening, the debits and
    credits of `fiscal_year` and the closing (without it: the whole journal from zero), as
    of now or `as_of`."""
    with work(read_only=True) as uow:
        agreement = agreements.visible_agreement(uow, user, agreement_id)
        return TrialBalanceRead.of(ledger.trial_balance(uow, agreement.id, fiscal_year,
                                                        as_of=as_of))


@router.post("/entries/{entry_id}/reversal", status_code=201, response_model=EntryRead)
def reverse_entry(entry_id: EntryId, body: ReversalCreate, user: Recorder, work: Work,
                  write: Idempotent) -> Response:
    """Post the reversal of an entry. 409 when repeated.

    404 unless the caller sees the entry's agreement; 403 unless it is admin or may record
    that kind of entry for that side (a retirement by the urban partner, a certification by
    the forestry office or admin, money by the side whose money it is).
    """
    def act(uow: UnitOfWork) -> EntryRead:
        original = _visible_entry(uow, user, entry_id)
        return EntryRead.of(correct_as(uow, user, original.id, body.reason))
    return write.once(work, user, body, act)


@router.get("/entries/{entry_id}")
def entry(entry_id: EntryId, user: CurrentUser, work: Work) -> EntryRead:
    """Return one entry: a link target (a closed year's later adjustments, a close)."""
    with work(read_only=True) as uow:
        return EntryRead.of(_visible_entry(uow, user, entry_id))


def _visible_entry(uow: UnitOfWork, user: User, entry_id: int) -> JournalEntry:
    """Return the entry if `user` may see its agreement; otherwise NotFound, as if missing."""
    entry = ledger.journal_entry(uow, entry_id)
    if not user.can_see(agreements.agreement(uow, entry.agreement_id)):
        raise NotFound(f"entry {entry_id} does not exist", field="entry_id")
    return entry
