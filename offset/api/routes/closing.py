"""/v1/agreements/{id}/fiscal-years/{fy} and its close: the year's state and what a close meets.

Every role that may see the agreement reads a year's state; the urban party (or admin)
closes it.
"""

from __future__ import annotations

from fastapi import APIRouter, Response

from offset.agreements import services as agreements
from offset.api.bodies import JsonRoute
from offset.api.closing_schemas import CloseCreate, CloseRead, FiscalYearRead
from offset.api.deps import AgreementId, Closer, CurrentUser, Idempotent, Work
from offset.api.routes.summary import FiscalYearPath
from offset.closing import services as closing
from offset.db.uow import UnitOfWork

router = APIRouter(route_class=JsonRoute, prefix="/agreements/{agreement_id}",
                   tags=["fiscal years"])


@router.get("/fiscal-years/{fiscal_year}")
def fiscal_year(agreement_id: AgreementId, fiscal_year: FiscalYearPath, user: CurrentUser,
                work: Work) -> FiscalYearRead:
    """Return a fiscal year's state (open, settling, closed), its dates and the problems a
    close now would meet; for a closed year, who closed it and the adjustments made later."""
    with work(read_only=True) as uow:
        agreement = agreements.visible_agreement(uow, user, agreement_id)
        return FiscalYearRead.of(closing.year_status(uow, agreement, fiscal_year))


@router.post("/fiscal-years/{fiscal_year}/close", status_code=201, response_model=CloseRead)
def close(agreement_id: AgreementId, fiscal_year: FiscalYearPath, user: Closer, work: Work,
          write: Idempotent, body: CloseCreate | None = None) -> Response:
    """Close a fiscal year: a period-close entry in the chain, after which nothing more is
    dated into it. The body may be left out when no consent is given. 409 listing the
    blocking problems, 409 when closed already, 422 without the forest party's consent when
    the agreement's rule asks for it."""
    body = body or CloseCreate()

    def act(uow: UnitOfWork) -> CloseRead:
        agreement = agreements.visible_agreement(uow, user, agreement_id)
        return CloseRead.of(closing.close_year(uow, agreement, fiscal_year, user.name,
                                               consent=body.consent()))
    return write.once(work, user, body, act)
