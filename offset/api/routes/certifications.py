"""/v1/agreements/{id}/certifications: certified t-CO2 that replaces a year's estimate."""

from __future__ import annotations

from fastapi import APIRouter, Response

from offset.agreements import services as agreements
from offset.api.bodies import JsonRoute
from offset.api.deps import (
    AgreementId,
    Certifier,
    CurrentUser,
    FiscalYearFilter,
    Idempotent,
    Work,
)
from offset.api.forestry_schemas import CertificationCreate, CertificationRead
from offset.db.uow import UnitOfWork
from offset.forestry import certification

router = APIRouter(prefix="/agreements/{agreement_id}/certifications", tags=["forestry"],
                   route_class=JsonRoute)


@router.post("", status_code=201, response_model=CertificationRead)
def certify(agreement_id: AgreementId, body: CertificationCreate, user: Certifier,
            work: Work, write: Idempotent) -> Response:
    """Record a certification received (forestry office or admin).

    It issues tCO2e and reverses the year's estimate in one entry. 409 when the fiscal year
    already has one; reverse that entry first to correct it.
    """
    def act(uow: UnitOfWork) -> CertificationRead:
        agreement = agreements.visible_agreement(uow, user, agreement_id)
        return CertificationRead.of(
            certification.certify(uow, agreement, body.certificate(), user.name))
    return write.once(work, user, body, act)


@router.get("")
def list_certifications(agreement_id: AgreementId, user: CurrentUser, work: Work,
                        fiscal_year: FiscalYearFilter = None) -> list[CertificationRead]:
    """List the agreement's certifications that stand (not reversed), in chain order."""
    with work(read_only=True) as uow:
        agreement = agreements.visible_agreement(uow, user, agreement_id)
        return [CertificationRead.of(entry)
                for entry in certification.certifications(uow, agreement.id, fiscal_year)]
