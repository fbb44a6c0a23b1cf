"""/v1/agreements/{id}/fiscal-years/{fy}/summary and /terms/{n}/summary: the netting position.

Every role that may see the agreement may read it.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from offset.agreements import services as agreements
from offset.api.bodies import JsonRoute
from offset.api.deps import AgreementId, AsOfQuery, CurrentUser, Work
from offset.api.summary_schemas import FiscalYearSummaryRead, PartyShareRead, SummaryRead
from offset.fiscal import MAX_YEAR, MIN_YEAR
from offset.netting import services as netting
from offset.netting.party import party_share

router = APIRouter(route_class=JsonRoute, prefix="/agreements/{agreement_id}", tags=["netting"])

FiscalYearPath = Annotated[int, Path(ge=MIN_YEAR, le=MAX_YEAR, description="e.g. 2013")]
TermNumber = Annotated[int, Path(ge=1, le=1000, description="1 for the first term")]


@router.get("/fiscal-years/{fiscal_year}/summary")
def fiscal_year_summary(agreement_id: AgreementId, fiscal_year: FiscalYearPath,
                        user: CurrentUser, work: Work,
                        as_of: AsOfQuery) -> FiscalYearSummaryRead:
    """Return emissions, offsets, net and money of one fiscal year, as of now or `as_of`,
    and the agreement's part in its urban party's netting of the year; 422 for an `as_of`
    past the chain's head."""
    with work(read_only=True) as uow:
        agreement = agreements.visible_agreement(uow, user, agreement_id)
        summary = netting.fiscal_year_summary(uow, agreement, fiscal_year, as_of)
        return FiscalYearSummaryRead(
            **dict(SummaryRead.of(summary)),
            party_netting=PartyShareRead.of(
                party_share(uow, agreement, fiscal_year, summary.carbon, as_of)))


@router.get("/terms/{term}/summary")
def term_summary(agreement_id: AgreementId, term: TermNumber, user: CurrentUser,
                 work: Work, as_of: AsOfQuery) -> SummaryRead:
    """Return the position over every fiscal year of a term, as of now or `as_of`; 404 for a
    term not there, 422 for an `as_of` past the chain's head."""
    with work(read_only=True) as uow:
        agreement = agreements.visible_agreement(uow, user, agreement_id)
        return SummaryRead.of(netting.term_summary(uow, agreement, term, as_of), term)
