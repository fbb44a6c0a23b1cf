"""Use cases for users and tokens. Callers open the unit of work and commit."""

from __future__ import annotations

from typing import TYPE_CHECKING

from offset.access.model import Role, User, check_user_shape, new_token, token_hash
from offset.errors import InvalidInput, NotFound, Unauthenticated

if TYPE_CHECKING:
    from offset.db.uow import UnitOfWork


def add_user(uow: UnitOfWork, name: str, role: Role, *, party_code: str | None = None,
             agreement_ids: frozenset[int] = frozenset()) -> tuple[User, str]:
    """Create a user and a first token; return both (the token is not stored, only its hash).

    Raises InvalidInput when the party or agreements do not fit the role or do not exist,
    AlreadyExists when the name is taken.
    """
    if not name.strip() or len(name) > 100:
        raise InvalidInput("must be 1..100 characters", field="name")
    try:
        party_id = uow.agreements.party_by_code(party_code).id if party_code else None
        check_user_shape(role, party_id, agreement_ids)
        for agreement_id in agreement_ids:
            uow.agreements.agreement(agreement_id)
    except NotFound as missing:
        raise InvalidInput(missing.detail, field=missing.field) from None
    user = uow.access.add_user(name.strip(), role, party_id, agreement_ids)
    return user, issue_token(uow, user)


def issue_token(uow: UnitOfWork, user: User) -> str:
    """Return a new token for `user`, storing only its hash."""
    token = new_token()
    uow.access.add_token(user.id, token_hash(token))
    return token


def authenticate(uow: UnitOfWork, token: str | None) -> User:
    """Return the user a bearer token belongs to. Raises Unauthenticated."""
    user = uow.access.user_by_token(token_hash(token)) if token else None
    if user is None:
        raise Unauthenticated("a valid bearer token is required")
    return user
