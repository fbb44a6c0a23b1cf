"""/v1/users: administrators list users, issue tokens and revoke a user's every token."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from offset.access import services as access
from offset.api.access_schemas import RevocationRead, TokenCreate, TokenIssuedRead, UserRead
from offset.api.bodies import JsonRoute
from offset.api.deps import Admin, Now, Work
from offset.api.idempotency import writing
from offset.api.schemas import Line

router = APIRouter(route_class=JsonRoute, prefix="/users", tags=["users"])

UserName = Annotated[Line, Path(min_length=1, max_length=100)]


@router.get("")
def list_users(_admin: Admin, work: Work, now: Now) -> list[UserRead]:
    """List every user with the state of their tokens (admin), by name."""
    with work(read_only=True) as uow:
        return [UserRead.of(account, now) for account in access.accounts(uow)]


@router.post("/{name}/tokens", status_code=201)
def issue_token(name: UserName, _admin: Admin, work: Work, now: Now,
                body: TokenCreate | None = None) -> TokenIssuedRead:
    """Issue a new token to a user (admin); the answer is the only place it is ever shown.

    An Idempotency-Key is not honoured here: replaying the answer would mean storing the
    token itself, and only its hash may be stored. A retry issues another token.
    """
    with writing(work) as uow:
        issued = access.issue_token(uow, name, now=now,
                                    expires_in_days=body.expires_in_days if body else None)
    return TokenIssuedRead.of(issued)


@router.post("/{name}/revocation")
def revoke(name: UserName, _admin: Admin, work: Work, now: Now) -> RevocationRead:
    """Revoke every token of a user at once (admin); a retry revokes nothing more."""
    with writing(work) as uow:
        user, count = access.revoke(uow, name, now=now)
    return RevocationRead(user=user.name, revoked_tokens=count, revoked_at=now)
