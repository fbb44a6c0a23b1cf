"""The life of a bearer token: issued, perhaps expiring, used, revoked; and a user's tokens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from offset.access.model import User
from offset.errors import InvalidInput

MAX_EXPIRY_DAYS = 3650  # ten years: longer than that is "never", which is said by no expiry
# A token's last use is written at most this often: a busy client would otherwise make every
# request a write, and on SQLite every write takes the one database-wide write lock.
USE_RECORD_INTERVAL = timedelta(minutes=1)


def expiry(now: datetime, days: int | None) -> datetime | None:
    """Return when a token issued at `now` for `days` days expires (None: never).

    Raises InvalidInput unless `days` is a whole number from 1 to MAX_EXPIRY_DAYS.
    """
    if days is None:
        return None
    if isinstance(days, bool) or not 1 <= days <= MAX_EXPIRY_DAYS:
        raise InvalidInput(f"must be a whole number of days from 1 to {MAX_EXPIRY_DAYS}",
                           field="expires_in_days")
    return now + timedelta(days=days)


@dataclass(frozen=True)
class Token:
    """A stored token, without its secret: only its hash is kept, and not here."""

    id: int
    user_id: int
    created_at: datetime
    expires_at: datetime | None = None
    revoked_at: datetime | None = None
    last_used_at: datetime | None = None

    def refusal(self, now: datetime) -> str | None:
        """Return why the token may not authenticate at `now`, or None when it may."""
        if self.revoked_at is not None and self.revoked_at <= now:
            return "the bearer token has been revoked"
        if self.expires_at is not None and self.expires_at <= now:
            return "the bearer token has expired"
        return None

    def live(self, now: datetime) -> bool:
        return self.refusal(now) is None

    def use_due(self, now: datetime) -> bool:
        """Return whether a use at `now` should be written (at most once per interval)."""
        return self.last_used_at is None or now - self.last_used_at >= USE_RECORD_INTERVAL


class AccountState(StrEnum):
    """What a user's tokens allow, in one word."""

    ACTIVE = "active"  # at least one token authenticates
    EXPIRED = "expired"  # none does, and some were not revoked but ran out
    REVOKED = "revoked"  # every token was revoked
    NO_TOKEN = "no-token"


@dataclass(frozen=True)
class Account:
    """A user with every token ever issued to them."""

    user: User
    tokens: tuple[Token, ...] = ()
    password_set_at: datetime | None = None  # None: the user cannot log in to the web

    def live_tokens(self, now: datetime) -> int:
        return sum(token.live(now) for token in self.tokens)

    @property
    def last_used_at(self) -> datetime | None:
        """Return the latest recorded use of any of the user's tokens."""
        return max((t.last_used_at for t in self.tokens if t.last_used_at), default=None)

    def state(self, now: datetime) -> AccountState:
        if self.live_tokens(now):
            return AccountState.ACTIVE
        if any(token.revoked_at is None for token in self.tokens):
            return AccountState.EXPIRED
        return AccountState.REVOKED if self.tokens else AccountState.NO_TOKEN
