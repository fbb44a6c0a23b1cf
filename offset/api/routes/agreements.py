"""/v1/agreements: agreements between an urban and a forest party, and their renewals."""

from __future__ import annotations

from fastapi import APIRouter, Response

from offset.access.model import User
from offset.agreements import services as agreements
from offset.agreements.model import Agreement
from offset.api.bodies import JsonRoute
from offset.api.deps import Admin, AgreementId, CurrentUser, Idempotent, Work
from offset.api.schemas import AgreementCreate, AgreementRead, TermCreate
from offset.db.uow import UnitOfWork

router = APIRouter(route_class=JsonRoute, prefix="/agreements", tags=["agreements"])


@router.post("", status_code=201, response_model=AgreementRead)
def create_agreement(body: AgreementCreate, admin: Admin, work: Work,
                     write: Idempotent) -> Response:
    """Register an agreement and open its journal (admin)."""
    return write.once(work, admin, body, lambda uow: AgreementRead.of(
        agreements.create_agreement(uow, body.draft())))


@router.get("")
def list_agreements(user: CurrentUser, work: Work) -> list[AgreementRead]:
    """List the agreements the caller may see."""
    with work(read_only=True) as uow:
        return [AgreementRead.of(a) for a in agreements.visible_agreements(uow, user)]


@router.get("/{agreement_id}")
def get_agreement(agreement_id: AgreementId, user: CurrentUser, work: Work) -> AgreementRead:
    """Return one agreement; 404 when it does not exist or the caller may not see it."""
    with work(read_only=True) as uow:
        return AgreementRead.of(agreements.visible_agreement(uow, user, agreement_id))


@router.post("/{agreement_id}/terms", status_code=201, response_model=AgreementRead)
def renew_agreement(agreement_id: AgreementId, body: TermCreate, admin: Admin, work: Work,
                    write: Idempotent) -> Response:
    """Add the next term (admin); it must start after the last term ends."""
    return write.once(work, admin, body, lambda uow: AgreementRead.of(
        _renewed(uow, admin, agreement_id, body)))


def _renewed(uow: UnitOfWork, user: User, agreement_id: int, term: TermCreate) -> Agreement:
    agreement = agreements.visible_agreement(uow, user, agreement_id)
    # This request's body is the new term alone: its years are what the caller must change.
    return agreements.renew(uow, agreement, term.first_fy, term.last_fy, field="first_fy")
