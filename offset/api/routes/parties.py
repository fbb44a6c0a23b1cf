"""/v1/parties: the municipalities that take part in agreements, and an urban party's
position across its agreements (/v1/parties/{id}/fiscal-years/{fy}/summary)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response

from offset.access.model import Role
from offset.agreements import services as agreements
from offset.api.bodies import JsonRoute
from offset.api.deps import MAX_ID, Admin, CurrentUser, Idempotent, Work
from offset.api.schemas import PartyCreate, PartyRead
from offset.api.summary_schemas import PartySummaryRead
from offset.errors import Forbidden
from offset.fiscal import MAX_YEAR, MIN_YEAR
from offset.netting.party import party_summary

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


@router.get("/{party_id}/fiscal-years/{fiscal_year}/summary")
def party_fiscal_year_summary(party_id: PartyId, fiscal_year: FiscalYearPath,
                              user: CurrentUser, work: Work) -> PartySummaryRead:
    """The urban party's position in a fiscal year across every agreement it is the urban
    partner of: emissions by scope and activity, credits certified and retired, net and
    offset ratio, and each agreement's contribution (its own summary, money included).
    The party's own environment division, the council and admin read it; 404 for a party
    not there."""
    if user.role not in (Role.ADMIN, Role.COUNCIL) and not (
            user.role is Role.URBAN and user.party_id == party_id):
        raise Forbidden("only the party's own environment division, the council and admin "
                        "read a party's position")
    with work(read_only=True) as uow:
        return PartySummaryRead.of(party_summary(uow, party_id, fiscal_year))
