"""/v1/agreements/{id}/costs, /subsidies, /timber-sales: the money each party puts in or gets.

A party's office records its own side's money: the urban partner's environment division
(role urban) and the forest party's forestry office (role forestry). A cost split by the
agreement's cost-sharing rule may be recorded by either; a cost borne wholly by one side only
by that side. Subsidies and timber revenue go to the side of the caller.
"""

from __future__ import annotations

from fastapi import APIRouter, Response

from offset.access.model import User
from offset.agreements import services as agreements
from offset.agreements.model import Side
from offset.api.bodies import JsonRoute
from offset.api.deps import (
    AgreementId,
    CostRecorder,
    Idempotent,
    SubsidyRecorder,
    TimberSaleRecorder,
    Work,
)
from offset.api.urban_schemas import (
    CostCreate,
    CostRead,
    SubsidyCreate,
    SubsidyRead,
    TimberSaleCreate,
    TimberSaleRead,
)
from offset.db.uow import UnitOfWork
from offset.errors import Forbidden
from offset.ledger.model import EntryKind
from offset.money import services as money

router = APIRouter(route_class=JsonRoute, prefix="/agreements/{agreement_id}", tags=["money"])


def side_of(user: User) -> Side:
    """Return the side a party user acts for (the money recorders are urban and forestry)."""
    side = user.role.side
    if side is None:  # pragma: no cover - excluded by the dependency
        raise Forbidden(f"role {user.role.value} acts for no party")
    return side


@router.post("/costs", status_code=201, response_model=CostRead)
def record_cost(agreement_id: AgreementId, body: CostCreate, user: CostRecorder, work: Work,
                write: Idempotent) -> Response:
    """Record a cost, split by the agreement's cost-sharing rule unless `bearer` is given.

    403 when `bearer` is the other side; 422 naming the field for bad input.
    """
    if body.bearer is not None:
        user.require_recorder(EntryKind.COST, {body.bearer})

    def act(uow: UnitOfWork) -> CostRead:
        agreement = agreements.visible_agreement(uow, user, agreement_id)
        return CostRead.of(money.record_cost(uow, agreement, body.cost(), user.name))
    return write.once(work, user, body, act)


@router.post("/subsidies", status_code=201, response_model=SubsidyRead)
def record_subsidy(agreement_id: AgreementId, body: SubsidyCreate, user: SubsidyRecorder,
                   work: Work, write: Idempotent) -> Response:
    """Record a subsidy the caller's side received.

    409 on `amount` when the subsidies of the costs it funds would exceed those costs.
    """
    def act(uow: UnitOfWork) -> SubsidyRead:
        agreement = agreements.visible_agreement(uow, user, agreement_id)
        return SubsidyRead.of(money.record_subsidy(uow, agreement, body.subsidy(side_of(user)),
                                                   user.name))
    return write.once(work, user, body, act)


@router.post("/timber-sales", status_code=201, response_model=TimberSaleRead)
def record_timber_sale(agreement_id: AgreementId, body: TimberSaleCreate,
                       user: TimberSaleRecorder,
                       work: Work, write: Idempotent) -> Response:
    """Record timber revenue the caller's side received (間伐材売却収入).

    Give `unit_price` (yen per m3; total = volume × price rounded down to the yen) or `total`.
    """
    def act(uow: UnitOfWork) -> TimberSaleRead:
        agreement = agreements.visible_agreement(uow, user, agreement_id)
        return TimberSaleRead.of(money.record_timber_sale(
            uow, agreement, body.sale(side_of(user)), user.name))
    return write.once(work, user, body, act)
