"""/v1/ledger: integrity of the hash chains the caller may see."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from offset import integrity
from offset.access.model import Role
from offset.agreements import services as agreements
from offset.api.bodies import JsonRoute
from offset.api.deps import MAX_ID, CurrentUser, Work
from offset.api.schemas import VerificationRead
from offset.errors import InvalidInput
from offset.ledger import services as ledger
from offset.ledger.as_of import parse_as_of

router = APIRouter(route_class=JsonRoute, prefix="/ledger", tags=["ledger"])

AgreementQuery = Annotated[int | None, Query(
    ge=1, le=MAX_ID, description="only this agreement's chain (404 for one the caller may "
                                 "not see)")]
AtQuery = Annotated[str | None, Query(
    max_length=64, examples=["120", "2014-03-31T23:59:59+09:00"],
    description="with agreement: also answer its chain's head at this sequence number (the "
                "entry count a report printed), or at this ISO 8601 time with its UTC offset")]


@router.get("/verify")
def verify(user: CurrentUser, work: Work, agreement: AgreementQuery = None,
           at: AtQuery = None) -> VerificationRead:
    """Recompute the chains of the caller's agreements (all for admin), the forestry rows and
    anchors they cover, and name any break; with `agreement` only that chain, and with `at`
    too its head at that point (`offset verify --agreement ID --at SEQ`). 422 naming
    query.at for `at` without `agreement`, one naming no point or one past the head."""
    if at is not None and agreement is None:
        raise InvalidInput("give agreement with at", field="at")
    point = None if at is None else parse_as_of(at, "at")
    with work(read_only=True) as uow:
        if agreement is not None:
            # Visibility first: a head past the chain's end would tell its length.
            scope: list[int] | None = [agreements.visible_agreement(uow, user, agreement).id]
        elif user.role is Role.ADMIN:
            scope = None
        else:
            scope = [a.id for a in agreements.visible_agreements(uow, user)]
        head = (None if point is None or agreement is None
                else ledger.head_as_of(uow, agreement, point, field="at"))
        return VerificationRead.of(integrity.verify(uow, scope), head)
