"""/v1/agreements/{id}/stands: the forest party's stands (林班・小班), versioned on every edit."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from offset.agreements import services as agreements
from offset.agreements.model import Agreement
from offset.api.bodies import JsonRoute
from offset.api.deps import (
    MAX_ID,
    AgreementId,
    CurrentUser,
    ForestryWriter,
    Idempotent,
    StandId,
    Work,
)
from offset.api.forestry_schemas import (
    EnrollmentCreate,
    EnrollmentRead,
    StandCreate,
    StandRead,
    StandVersionCreate,
)
from offset.db.uow import UnitOfWork
from offset.errors import NotFound
from offset.forestry import reference, stands
from offset.forestry.model import Stand

router = APIRouter(prefix="/agreements/{agreement_id}/stands", tags=["forestry"],
                   route_class=JsonRoute)

Version = Annotated[int | None, Query(ge=1, le=MAX_ID,
                                      description="the stand as recorded at this version; "
                                                  "the latest when left out")]


@router.post("", status_code=201, response_model=StandRead)
def register_stand(agreement_id: AgreementId, body: StandCreate, user: ForestryWriter,
                   work: Work, write: Idempotent) -> Response:
    """Register a stand of the agreement's forest party (its forestry office)."""
    def act(uow: UnitOfWork) -> StandRead:
        agreement = agreements.visible_agreement(uow, user, agreement_id)
        stand = stands.register_stand(uow, agreement.forest_party_id, body.input(), user.name)
        return StandRead.of(stand, reference.current_parameter_set(uow))
    return write.once(work, user, body, act)


@router.get("")
def list_stands(agreement_id: AgreementId, user: CurrentUser, work: Work) -> list[StandRead]:
    """List the forest party's stands, each at its latest version."""
    with work(read_only=True) as uow:
        agreement = agreements.visible_agreement(uow, user, agreement_id)
        parameters = reference.current_parameter_set(uow)
        return [StandRead.of(s, parameters)
                for s in stands.party_stands(uow, agreement.forest_party_id)]


@router.get("/{stand_id}")
def get_stand(agreement_id: AgreementId, stand_id: StandId, user: CurrentUser, work: Work,
              version: Version = None) -> StandRead:
    """Return a stand at a version (the latest by default); 404 for another party's stand."""
    with work(read_only=True) as uow:
        agreement = agreements.visible_agreement(uow, user, agreement_id)
        return StandRead.of(_stand_of(uow, agreement, stand_id, version),
                            reference.current_parameter_set(uow))


@router.post("/{stand_id}/versions", status_code=201, response_model=StandRead)
def revise_stand(agreement_id: AgreementId, stand_id: StandId, body: StandVersionCreate,
                 user: ForestryWriter, work: Work, write: Idempotent) -> Response:
    """Record an edit as the stand's next version; work logged on earlier versions keeps
    them."""
    def act(uow: UnitOfWork) -> StandRead:
        agreement = agreements.visible_agreement(uow, user, agreement_id)
        stand = _stand_of(uow, agreement, stand_id)
        revised = stands.revise_stand(uow, stand, body.version(), user.name)
        return StandRead.of(revised, reference.current_parameter_set(uow))
    return write.once(work, user, body, act)


@router.post("/{stand_id}/enrollments", status_code=201, response_model=EnrollmentRead)
def enroll_stand(agreement_id: AgreementId, stand_id: StandId, body: EnrollmentCreate,
                 user: ForestryWriter, work: Work, write: Idempotent) -> Response:
    """Record the stand's enrollment in another scheme's project (a J-Credit FO-001 project)
    for fiscal years; no agreement credits it for those years from then on.

    409 when an agreement already credits the stand in one of the years, or another
    enrollment covers one of them.
    """
    def act(uow: UnitOfWork) -> EnrollmentRead:
        agreement = agreements.visible_agreement(uow, user, agreement_id)
        stand = _stand_of(uow, agreement, stand_id)
        return EnrollmentRead.of(stands.enroll_stand(uow, stand, body.enrollment(stand.id),
                                                     user.name))
    return write.once(work, user, body, act)


@router.get("/{stand_id}/enrollments")
def list_enrollments(agreement_id: AgreementId, stand_id: StandId, user: CurrentUser,
                     work: Work) -> list[EnrollmentRead]:
    """The stand's enrollments in other schemes' projects."""
    with work(read_only=True) as uow:
        agreement = agreements.visible_agreement(uow, user, agreement_id)
        stand = _stand_of(uow, agreement, stand_id)
        return [EnrollmentRead.of(e) for e in stands.stand_enrollments(uow, stand.id)]


def _stand_of(uow: UnitOfWork, agreement: Agreement, stand_id: int,
              version: int | None = None) -> Stand:
    """Return the stand if it is the agreement's forest party's; otherwise NotFound."""
    stand = stands.stand(uow, stand_id, version)
    if stand.forest_party_id != agreement.forest_party_id:
        raise NotFound(f"stand {stand_id} does not exist", field="stand_id")
    return stand
