"""What the access use cases and the idempotency of writes need from persistence."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Protocol

from offset.access.idempotency import StoredResponse
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

    def stored_response(self, user_id: int, key: str) -> StoredResponse | None:
        """Return the response stored for the user's idempotency key, or None."""

    def store_response(self, user_id: int, key: str, response: StoredResponse) -> None:
        """Keep the first response to a keyed write."""
