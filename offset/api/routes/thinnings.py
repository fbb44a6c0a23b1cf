"""/v1/agreements/{id}/thinnings: thinning work (間伐) and the estimates it posts."""

from __future__ import annotations

from fastapi import APIRouter, Response

from offset.access.model import User
from offset.agreements import services as agreements
from offset.api.bodies import JsonRoute
from offset.api.deps import (
    AgreementId,
    CurrentUser,
    EstimateRecorder,
    FiscalYearFilter,
    Idempotent,
    Work,
)
from offset.api.forestry_schemas import LoggedThinningRead, ThinningCreate, ThinningRead
from offset.db.uow import UnitOfWork
from offset.forestry import thinnings

router = APIRouter(prefix="/agreements/{agreement_id}/thinnings", tags=["forestry"],
                   route_class=JsonRoute)


@router.post("", status_code=201, response_model=LoggedThinningRead)
def log_thinning(agreement_id: AgreementId, body: ThinningCreate, user: EstimateRecorder,
                 work: Work, write: Idempotent) -> Response:
    """Log thinning work (the forest party's forestry office) and post its estimates.

    422 naming the field for bad work, 409 when the stand is already credited elsewhere.
    """
    return write.once(work, user, body, lambda uow: _logged(uow, user, agreement_id, body))


def _logged(uow: UnitOfWork, user: User, agreement_id: int,
            body: ThinningCreate) -> LoggedThinningRead:
    agreement = agreements.visible_agreement(uow, user, agreement_id)
    logged = thinnings.log_thinning(uow, agreement, body.input(), user.name)
    return LoggedThinningRead.of(logged)


@router.get("")
def list_thinnings(agreement_id: AgreementId, user: CurrentUser, work: Work,
                   fiscal_year: FiscalYearFilter = None) -> list[ThinningRead]:
    """List the agreement's thinning work in the order it was logged."""
    with work(read_only=True) as uow:
        agreement = agreements.visible_agreement(uow, user, agreement_id)
        return [ThinningRead.of(t) for t in
                thinnings.agreement_thinnings(uow, agreement.id, fiscal_year)]
