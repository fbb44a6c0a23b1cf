"""/v1/agreements/{id}/emissions and /retirements (the urban partner's environment division
only), and /v1/emission-factors, the factor sets loaded."""

from __future__ import annotations

from fastapi import APIRouter, Response

from offset.agreements import services as agreements
from offset.api.bodies import JsonRoute
from offset.api.deps import (
    AgreementId,
    CurrentUser,
    EmissionRecorder,
    Idempotent,
    RetirementRecorder,
    Work,
)
from offset.api.urban_schemas import (
    EmissionCreate,
    EmissionRead,
    FactorRead,
    RetirementCreate,
    RetirementRead,
)
from offset.db.uow import UnitOfWork
from offset.emissions import services as emissions

router = APIRouter(route_class=JsonRoute, tags=["emissions"])


@router.post("/agreements/{agreement_id}/emissions", status_code=201,
             response_model=EmissionRead)
def record_emission(agreement_id: AgreementId, body: EmissionCreate, user: EmissionRecorder,
                    work: Work, write: Idempotent) -> Response:
    """Record the urban partner's emissions: activity data × a factor of a loaded set.

    422 naming the field for an unknown set or activity, a unit of the wrong dimension, or a
    scope other than the agreement's.
    """
    def act(uow: UnitOfWork) -> EmissionRead:
        agreement = agreements.visible_agreement(uow, user, agreement_id)
        stored = emissions.record_emission(uow, agreement, body.emission(), user.name)
        return EmissionRead.of(stored)
    return write.once(work, user, body, act)


@router.post("/agreements/{agreement_id}/retirements", status_code=201,
             response_model=RetirementRead)
def retire(agreement_id: AgreementId, body: RetirementCreate, user: RetirementRecorder,
           work: Work, write: Idempotent) -> Response:
    """Retire certified credits against a fiscal year's emissions (無効化), oldest vintage
    first.

    409 on `quantity` when fewer eligible certified credits, or unoffset emissions, remain.
    """
    def act(uow: UnitOfWork) -> RetirementRead:
        agreement = agreements.visible_agreement(uow, user, agreement_id)
        return RetirementRead.of(emissions.retire(uow, agreement, body.retirement(),
                                                  user.name))
    return write.once(work, user, body, act)


@router.get("/emission-factors")
def list_factors(user: CurrentUser, work: Work) -> list[FactorRead]:
    """List every loaded emission factor, by set and activity (any authenticated caller)."""
    with work(read_only=True) as uow:
        return [FactorRead.of(f) for f in emissions.factors(uow)]
