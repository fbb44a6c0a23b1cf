"""/v1/parties: the municipalities that take part in agreements, and an urban party's
position across its agreements (/v1/parties/{id}/fiscal-years/{fy}/summary, and the party
report of the year as PDF and XLSX)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Response

from offset.access.model import Role, User
from offset.agreements import services as agreements
from offset.api.bodies import JsonRoute
from offset.api.deps import MAX_ID, Admin, CurrentUser, Idempotent, Now, Work
from offset.api.files import attachment
from offset.api.schemas import PartyCreate, PartyRead
from offset.api.summary_schemas import PartySummaryRead
from offset.errors import Forbidden
from offset.fiscal import MAX_YEAR, MIN_YEAR
from offset.netting.party import PartySummary, party_summary
from reports import XLSX_MEDIA_TYPE, party_filename, render_party_pdf, render_party_xlsx

router = APIRouter(route_class=JsonRoute, prefix="/parties", tags=["parties"])


@router.post("", status_code=201, response_model=PartyRead)
def create_party(body: PartyCreate, admin: Admin, work: Work, write: Idempotent) -> Response:
    """Register a municipality (admin). 409 when its code is taken."""
    return write.once(work, admin, body, lambda uow: PartyRead.of(
        agreements.create_party(uow, body.code, body.name_ja, body.name_en,
                                section_ja=body.section_ja, section_en=body.section_en)))


@router.get("")
def list_parties(_user: CurrentUser, work: Work) -> list[PartyRead]:
    """List every party (any role: parties are public master data)."""
    with work(read_only=True) as uow:
        return [PartyRead.of(party) for party in agreements.parties(uow)]


PartyId = Annotated[int, Path(ge=1, le=MAX_ID)]
FiscalYearPath = Annotated[int, Path(ge=MIN_YEAR, le=MAX_YEAR, description="e.g. 2013")]


def _check_reader(user: User, party_id: int) -> None:
    """Let the party's own environment division, the council and admin read a party's
    position; raise Forbidden for anyone else."""
    if user.role not in (Role.ADMIN, Role.COUNCIL) and not (
            user.role is Role.URBAN and user.party_id == party_id):
        raise Forbidden("only the party's own environment division, the council and admin "
                        "read a party's position")


@router.get("/{party_id}/fiscal-years/{fiscal_year}/summary")
def party_fiscal_year_summary(party_id: PartyId, fiscal_year: FiscalYearPath,
                              user: CurrentUser, work: Work) -> PartySummaryRead:
    """The urban party's position in a fiscal year across every agreement it is the urban
    partner of: emissions by scope and activity, credits certified and retired, net and
    offset ratio, and each agreement's contribution (its own summary, money included).
    The party's own environment division, the council and admin read it; 404 for a party
    not there."""
    _check_reader(user, party_id)
    with work(read_only=True) as uow:
        return PartySummaryRead.of(party_summary(uow, party_id, fiscal_year))


PARTY_REPORT: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/pdf": {}, XLSX_MEDIA_TYPE: {}},
          "description": "The party's report of the fiscal year"}}


def _summary(work: Work, user: User, party_id: int, fiscal_year: int) -> PartySummary:
    _check_reader(user, party_id)
    with work(read_only=True) as uow:
        return party_summary(uow, party_id, fiscal_year)


@router.get("/{party_id}/fiscal-years/{fiscal_year}/report.pdf", response_class=Response,
            responses=PARTY_REPORT)
def party_report_pdf(party_id: PartyId, fiscal_year: FiscalYearPath, user: CurrentUser,
                     work: Work, moment: Now) -> Response:
    """The party's report of a fiscal year (都市側の相殺状況報告書) as an A4 PDF: its
    emissions by scope and source, the credits retired through each agreement, net and
    offset ratio, each agreement's money and chain head. Readers as for the summary."""
    found = _summary(work, user, party_id, fiscal_year)
    return attachment(render_party_pdf(found, moment), "application/pdf",
                      party_filename(found, "pdf"))


@router.get("/{party_id}/fiscal-years/{fiscal_year}/report.xlsx", response_class=Response,
            responses=PARTY_REPORT)
def party_report_xlsx(party_id: PartyId, fiscal_year: FiscalYearPath, user: CurrentUser,
                      work: Work, moment: Now) -> Response:
    """The party's report's figures as an XLSX workbook, numbers as numbers."""
    found = _summary(work, user, party_id, fiscal_year)
    return attachment(render_party_xlsx(found, moment), XLSX_MEDIA_TYPE,
                      party_filename(found, "xlsx"))
