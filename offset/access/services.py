"""Use cases for users, their tokens, passwords and browser sessions.

Callers open the unit of work and commit."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from math import ceil
from typing import TYPE_CHECKING

from offset.access import logins, passwords
from offset.access.logins import WebSession
from offset.access.model import Role, User, check_user_shape, new_token, token_hash
from offset.access.tokens import USE_RECORD_INTERVAL, Account, Token, expiry
from offset.errors import InvalidInput, NotFound, Throttled, Unauthenticated

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
    """Revoke every token of the user named `name` at once, end their browser sessions and
    clear their password; return the user and how many tokens were revoked.

    The user can log in again only once an administrator sets a password (or a link does).
    Revoking a user whose tokens are all revoked already revokes nothing and is no error.
    Raises NotFound.
    """
    user = uow.access.user_by_name(name)
    moment = now or datetime.now(UTC)
    uow.access.end_sessions(moment, user_id=user.id)
    uow.access.set_password_hash(user.id, None, moment)
    return user, uow.access.revoke_tokens(user.id, moment)


@dataclass(frozen=True)
class Opened:
    """A session just opened: the cookie's secret (never stored) and its record."""

    user: User
    secret: str
    session: WebSession


def set_password(uow: UnitOfWork, name: str, password: str, *,
                 now: datetime | None = None) -> User:
    """Give the user named `name` a new password, ending their sessions (a reset logs out
    whoever had it). Raises NotFound, InvalidInput (field password)."""
    user = uow.access.user_by_name(name)
    _set_password(uow, user, password, now or datetime.now(UTC))
    return user


def _set_password(uow: UnitOfWork, user: User, password: str, now: datetime) -> None:
    uow.access.set_password_hash(user.id, passwords.hash_password(password), now)
    uow.access.end_sessions(now, user_id=user.id)


def password_link(uow: UnitOfWork, name: str, *,
                  now: datetime | None = None) -> tuple[User, str]:
    """Return the user and the secret of a one-time link that lets the user set a password (valid
    logins.LINK_LIFETIME, and ending any earlier link). Raises NotFound."""
    user = uow.access.user_by_name(name)
    moment = now or datetime.now(UTC)
    secret = secrets.token_urlsafe(32)
    uow.access.add_password_link(user.id, token_hash(secret), moment,
                                 moment + logins.LINK_LIFETIME)
    return user, secret


def link_user(uow: UnitOfWork, secret: str, now: datetime | None = None) -> User:
    """Return the user a live one-time link belongs to. Raises Unauthenticated."""
    found = uow.access.password_link(token_hash(secret)) if secret else None
    if found is None:
        raise Unauthenticated("this link is not known; ask for a new one")
    refusal = found[1].refusal(now or datetime.now(UTC))
    if refusal is not None:
        raise Unauthenticated(refusal)
    return found[0]


def set_password_by_link(uow: UnitOfWork, secret: str, password: str, *,
                         now: datetime | None = None) -> User:
    """Set the password of the link's user and use the link up. Raises Unauthenticated,
    InvalidInput (field password)."""
    moment = now or datetime.now(UTC)
    user = link_user(uow, secret, moment)
    link = uow.access.password_link(token_hash(secret))
    assert link is not None
    _set_password(uow, user, password, moment)
    uow.access.use_password_link(link[1].id, moment)
    return user


def log_in(uow: UnitOfWork, name: str, password: str, address: str, *,
           now: datetime | None = None) -> Opened | None:
    """Open a session when the password is the user's; None when it is not (the failure is
    recorded then, so the caller commits either way).

    Raises Throttled, before checking anything, while the name or the address has too many
    recent failures (logins.PER_USER, logins.PER_ADDRESS over logins.WINDOW).
    """
    moment = now or datetime.now(UTC)
    since = moment - logins.WINDOW
    if uow.access.login_failures(name, address, since).throttled:
        oldest = uow.access.oldest_failure(name, address, since) or moment
        raise Throttled(max(1, ceil((oldest + logins.WINDOW - moment).total_seconds())))
    try:
        user: User | None = uow.access.user_by_name(name)
    except NotFound:
        user = None
    stored = uow.access.password_hash(user.id) if user is not None else None
    if user is None or not passwords.matches(stored, password):
        uow.access.record_login_failure(name, address, moment)
        return None
    assert stored is not None
    if passwords.needs_rehash(stored):
        uow.access.set_password_hash(user.id, passwords.hash_password(password), moment)
    secret = secrets.token_urlsafe(32)
    session = uow.access.add_session(user.id, token_hash(secret), secrets.token_urlsafe(32),
                                     moment, logins.session_expiry(moment))
    return Opened(user, secret, session)


def check_session(uow: UnitOfWork, secret: str | None,
                  now: datetime | None = None) -> tuple[User, WebSession]:
    """Return the user a live session cookie belongs to, and the session. Raises
    Unauthenticated."""
    found = uow.access.session(token_hash(secret)) if secret else None
    if found is None:
        raise Unauthenticated("log in to continue")
    refusal = found[1].refusal(now or datetime.now(UTC))
    if refusal is not None:
        raise Unauthenticated(refusal)
    return found


def see_session(uow: UnitOfWork, session: WebSession, now: datetime) -> None:
    """Record a request of the session (its idle time starts again)."""
    uow.access.see_session(session.id, now)


def log_out(uow: UnitOfWork, session: WebSession, *, now: datetime | None = None) -> None:
    """End the session."""
    uow.access.end_sessions(now or datetime.now(UTC), session_id=session.id)


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
