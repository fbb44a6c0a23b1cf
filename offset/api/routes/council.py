"""/v1/council/overview and /v1/agreements/{id}/partnership-certifications, /council-grants:
the national council (連携推進協議会).

The council reads every agreement's figures and writes only its own records: certifications
of partnerships and grants to certified ones. Administrators may do what the council does;
parties and auditors read an agreement's certifications when they may see the agreement.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Response

from offset.access.model import Role, User
from offset.agreements import services as agreements
from offset.api.bodies import JsonRoute
from offset.api.council_schemas import (
    CertificationCreate,
    CertificationRead,
    GrantCreate,
    GrantRead,
    OverviewRead,
)
from offset.api.deps import AgreementId, AgreementRole, CurrentUser, Idempotent, Now, Work
from offset.api.files import attachment
from offset.council import services as council
from offset.council.model import Overview
from offset.db.uow import UnitOfWork
from offset.fiscal import MAX_YEAR, MIN_YEAR, today_in_japan
from reports import XLSX_MEDIA_TYPE, national_filename, render_national_pdf, render_national_xlsx

router = APIRouter(route_class=JsonRoute, tags=["council"])

CouncilWriter = Annotated[User, Depends(AgreementRole(Role.COUNCIL, Role.ADMIN))]


def council_reader(user: CurrentUser) -> User:
    """Return the caller if it is the council or an administrator. Raises Forbidden."""
    user.require(Role.COUNCIL, Role.ADMIN)
    return user


CouncilReader = Annotated[User, Depends(council_reader)]
FiscalYearPath = Annotated[int, Path(ge=MIN_YEAR, le=MAX_YEAR, description="e.g. 2013")]


@router.get("/council/overview")
def overview(fiscal_year: Annotated[int, Query(ge=MIN_YEAR, le=MAX_YEAR,
                                               description="e.g. 2013")],
             user: CouncilReader, work: Work, moment: Now, on: OnQuery = None) -> OverviewRead:
    """Every partnership active in the fiscal year: area thinned against its target,
    certified and retired tonnes, gross and net cost, the council's grants, and its
    certification's standing on a day (today, JST, unless `on` names another); totals by
    the forest's prefecture and for the nation."""
    with work(read_only=True) as uow:
        return OverviewRead.of(council.overview(uow, fiscal_year,
                                                on or today_in_japan(moment)))


OnQuery = Annotated[date | None, Query(
    description="read the standings for this day (default: today, JST), e.g. the last day "
                "of the fiscal year")]
NATIONAL: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/pdf": {}, XLSX_MEDIA_TYPE: {}},
          "description": "The national report of the fiscal year"}}


def _national(work: Work, fiscal_year: int, on: date | None, moment: datetime) -> Overview:
    with work(read_only=True) as uow:
        return council.overview(uow, fiscal_year, on or today_in_japan(moment))


@router.get("/council/reports/{fiscal_year}.pdf", response_class=Response, responses=NATIONAL)
def national_pdf(fiscal_year: FiscalYearPath, user: CouncilReader, work: Work, moment: Now,
                 on: OnQuery = None) -> Response:
    """The national report of a fiscal year (全国の連携状況報告書) as an A4 PDF: the
    overview's partnerships, totals by prefecture and for the nation, each partnership's
    chain head."""
    found = _national(work, fiscal_year, on, moment)
    return attachment(render_national_pdf(found, moment), "application/pdf",
                      national_filename(found, "pdf"))


@router.get("/council/reports/{fiscal_year}.xlsx", response_class=Response,
            responses=NATIONAL)
def national_xlsx(fiscal_year: FiscalYearPath, user: CouncilReader, work: Work, moment: Now,
                  on: OnQuery = None) -> Response:
    """The national report's figures as an XLSX workbook, numbers as numbers."""
    found = _national(work, fiscal_year, on, moment)
    return attachment(render_national_xlsx(found, moment), XLSX_MEDIA_TYPE,
                      national_filename(found, "xlsx"))


@router.post("/agreements/{agreement_id}/partnership-certifications", status_code=201,
             response_model=CertificationRead)
def certify(agreement_id: AgreementId, body: CertificationCreate, user: CouncilWriter,
            work: Work, write: Idempotent) -> Response:
    """Record the council's certification of the agreement's partnership: the conditions
    it found met, its number and the days it is valid between; 409 when the number is
    taken."""
    def act(uow: UnitOfWork) -> CertificationRead:
        agreement = agreements.visible_agreement(uow, user, agreement_id)
        return CertificationRead.of(council.certify_partnership(
            uow, agreement, body.certification(agreement.id), user.name))
    return write.once(work, user, body, act)


@router.get("/agreements/{agreement_id}/partnership-certifications")
def list_certifications(agreement_id: AgreementId, user: CurrentUser,
                        work: Work) -> list[CertificationRead]:
    """The council's certifications of the agreement's partnership, oldest first."""
    with work(read_only=True) as uow:
        agreement = agreements.visible_agreement(uow, user, agreement_id)
        return [CertificationRead.of(c) for c in council.certifications(uow, agreement.id)]


@router.post("/agreements/{agreement_id}/council-grants", status_code=201,
             response_model=GrantRead)
def grant(agreement_id: AgreementId, body: GrantCreate, user: CouncilWriter, work: Work,
          write: Idempotent) -> Response:
    """Record a council grant received by one side of a certified partnership, as money of
    the agreement (a subsidy of the council-grant scheme); 409 when no certification is
    valid on `received_on`, or when the recipient's unfunded costs of the year are less."""
    def act(uow: UnitOfWork) -> GrantRead:
        agreement = agreements.visible_agreement(uow, user, agreement_id)
        return GrantRead.of(council.record_grant(uow, agreement, body.grant(), user.name))
    return write.once(work, user, body, act)
