"""/v1/ledger: integrity of the hash chains the caller may see."""

from __future__ import annotations

from fastapi import APIRouter

from offset import integrity
from offset.access.model import Role
from offset.agreements import services as agreements
from offset.api.bodies import JsonRoute
from offset.api.deps import CurrentUser, Work
from offset.api.schemas import VerificationRead

router = APIRouter(route_class=JsonRoute, prefix="/ledger", tags=["ledger"])


@router.get("/verify")
def verify(user: CurrentUser, work: Work) -> VerificationRead:
    """Recompute the chains of the caller's agreements (all for admin), the forestry rows and
    anchors they cover, and name any break."""
    with work(read_only=True) as uow:
        scope = (None if user.role is Role.ADMIN
                 else [a.id for a in agreements.visible_agreements(uow, user)])
        return VerificationRead.of(integrity.verify(uow, scope))
