"""What the access use cases and the idempotency of writes need from persistence."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Protocol

from offset.access.idempotency import StoredResponse
from offset.access.logins import Failures, PasswordLink, WebSession
from offset.access.model import Role, User
from offset.access.tokens import Account, Token


class AccessRepository(Protocol):
    """Users, the hashes of their tokens, and the first responses of keyed writes."""

    def add_user(self, name: str, role: Role, party_id: int | None,
                 agreement_ids: Iterable[int]) -> User:
        """Store a user. Raises AlreadyExists when the name is taken."""

    def add_token(self, user_id: int, token_hash: str, created_at: datetime,
                  expires_at: datetime | None = None) -> Token:
        """Store the hash of a new token of `user_id`; return the token."""

    def token(self, token_hash: str) -> tuple[User, Token] | None:
        """Return the token with this hash and its user, revoked or not, or None."""

    def record_use(self, token_id: int, now: datetime, cutoff: datetime) -> None:
        """Set the token's last use to `now` unless one after `cutoff` is recorded already."""

    def revoke_tokens(self, user_id: int, now: datetime) -> int:
        """Revoke every unrevoked token of the user; return how many were revoked."""

    def accounts(self) -> list[Account]:
        """Return every user with their tokens, by name."""

    def user_by_name(self, name: str) -> User:
        """Return one user. Raises NotFound."""

    def password_hash(self, user_id: int) -> str | None:
        """Return the user's password hash, or None when no password is set."""

    def set_password_hash(self, user_id: int, password_hash: str | None,
                          now: datetime) -> None:
        """Store (or, with None, clear) the user's password hash."""

    def add_session(self, user_id: int, secret_hash: str, csrf_token: str, now: datetime,
                    expires_at: datetime) -> WebSession:
        """Store a new login session."""

    def session(self, secret_hash: str) -> tuple[User, WebSession] | None:
        """Return the session with this hash and its user, ended or not, or None."""

    def see_session(self, session_id: int, now: datetime) -> None:
        """Record a request of the session at `now`."""

    def end_sessions(self, now: datetime, *, user_id: int | None = None,
                     session_id: int | None = None) -> int:
        """End the one session, or every live session of the user; return how many."""

    def add_password_link(self, user_id: int, secret_hash: str, now: datetime,
                          expires_at: datetime) -> PasswordLink:
        """Store a one-time password link, ending the user's earlier unused links."""

    def password_link(self, secret_hash: str) -> tuple[User, PasswordLink] | None:
        """Return the link with this hash and its user, used or not, or None."""

    def use_password_link(self, link_id: int, now: datetime) -> None:
        """Mark the link used."""

    def login_failures(self, user_name: str, address: str, since: datetime) -> Failures:
        """Return how many logins failed after `since` for the name and from the address."""

    def oldest_failure(self, user_name: str, address: str, since: datetime) -> datetime | None:
        """Return the oldest failure after `since` for the name or from the address."""

    def record_login_failure(self, user_name: str, address: str, now: datetime) -> None:
        """Keep a failed login (and forget those older than a day)."""

    def stored_response(self, user_id: int, key: str) -> StoredResponse | None:
        """Return the response stored for the user's idempotency key, or None."""

    def store_response(self, user_id: int, key: str, response: StoredResponse) -> None:
        """Keep the first response to a keyed write."""
