"""Use cases for users and tokens. Callers open the unit of work and commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from offset.access.model import Role, User, check_user_shape, new_token, token_hash
from offset.access.tokens import USE_RECORD_INTERVAL, Account, Token, expiry
from offset.errors import InvalidInput, NotFound, Unauthenticated

if TYPE_CHECKING:
    from offset.ports import UnitOfWork


@dataclass(frozen=True)
class Issued:
    """A token just issued: the secret itself (shown once, never stored) and its record."""

    user: User
    secret: str
    token: Token


def add_user(uow: UnitOfWork, name: str, role: Role, *, party_code: str | None = None,
             agreement_ids: frozenset[int] = frozenset(), expires_in_days: int | None = None,
             now: datetime | None = None) -> tuple[User, str]:
    """Create a user and a first token; return both (the token is not stored, only its hash).

    Raises what add_account raises.
    """
    issued = add_account(uow, name, role, party_code=party_code, agreement_ids=agreement_ids,
                         expires_in_days=expires_in_days, now=now)
    return issued.user, issued.secret


def add_account(uow: UnitOfWork, name: str, role: Role, *, party_code: str | None = None,
                agreement_ids: frozenset[int] = frozenset(),
                expires_in_days: int | None = None, now: datetime | None = None) -> Issued:
    """Create a user and a first token; return the token as issued.

    Raises InvalidInput when the party or agreements do not fit the role or do not exist,
    or the expiry is out of range; AlreadyExists when the name is taken.
    """
    if not name.strip() or len(name) > 100:
        raise InvalidInput("must be 1..100 characters", field="name")
    moment = now or datetime.now(UTC)
    expires_at = expiry(moment, expires_in_days)  # refuse a bad expiry before writing
    try:
        party_id = uow.agreements.party_by_code(party_code).id if party_code else None
        check_user_shape(role, party_id, agreement_ids)
        for agreement_id in agreement_ids:
            uow.agreements.agreement(agreement_id)
    except NotFound as missing:
        raise InvalidInput(missing.detail, field=missing.field) from None
    user = uow.access.add_user(name.strip(), role, party_id, agreement_ids)
    return _issue(uow, user, moment, expires_at)


def issue_token(uow: UnitOfWork, name: str, *, expires_in_days: int | None = None,
                now: datetime | None = None) -> Issued:
    """Return a new token for the user named `name`. Raises NotFound, InvalidInput."""
    moment = now or datetime.now(UTC)
    expires_at = expiry(moment, expires_in_days)
    return _issue(uow, uow.access.user_by_name(name), moment, expires_at)


def _issue(uow: UnitOfWork, user: User, now: datetime,
           expires_at: datetime | None) -> Issued:
    secret = new_token()
    return Issued(user, secret, uow.access.add_token(user.id, token_hash(secret), now,
                                                     expires_at))


def revoke(uow: UnitOfWork, name: str, *, now: datetime | None = None) -> tuple[User, int]:
    """Revoke every token of the user named `name` at once; return the user and how many.

    Revoking a user whose tokens are all revoked already revokes nothing and is no error.
    Raises NotFound.
    """
    user = uow.access.user_by_name(name)
    return user, uow.access.revoke_tokens(user.id, now or datetime.now(UTC))


def accounts(uow: UnitOfWork) -> list[Account]:
    """Return every user with their tokens, by name."""
    return uow.access.accounts()


def check_token(uow: UnitOfWork, token: str | None,
                now: datetime | None = None) -> tuple[User, Token]:
    """Return the user a bearer token belongs to and the token. Raises Unauthenticated."""
    found = uow.access.token(token_hash(token)) if token else None
    if found is None:
        raise Unauthenticated("a valid bearer token is required")
    refusal = found[1].refusal(now or datetime.now(UTC))
    if refusal is not None:
        raise Unauthenticated(refusal)
    return found


def authenticate(uow: UnitOfWork, token: str | None, now: datetime | None = None) -> User:
    """Return the user a live bearer token belongs to, writing nothing. Raises Unauthenticated."""
    return check_token(uow, token, now)[0]


def authenticate_and_record(uow: UnitOfWork, token: str | None, now: datetime) -> User:
    """Return the token's user as authenticate does, and record the use at `now`.

    Needs a writable unit of work; the use is written only if none was in the last interval.
    Raises Unauthenticated.
    """
    user, found = check_token(uow, token, now)
    uow.access.record_use(found.id, now, cutoff=now - USE_RECORD_INTERVAL)
    return user
