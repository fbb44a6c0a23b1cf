"""/v1/parties: the municipalities that take part in agreements."""

from __future__ import annotations

from fastapi import APIRouter, Response

from offset.agreements import services as agreements
from offset.api.bodies import JsonRoute
from offset.api.deps import Admin, CurrentUser, Idempotent, Work
from offset.api.schemas import PartyCreate, PartyRead

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
