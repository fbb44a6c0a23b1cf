"""The life of a browser login: a session, the one-time link that sets a password, and the
throttle on guessing.

A session's cookie carries a random secret; only its SHA-256 is stored, as for tokens. A
session ends at logout, at revocation of its user, after IDLE without a request, and at the
latest LIFETIME after it began, whatever the use.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

IDLE = timedelta(minutes=30)
LIFETIME = timedelta(hours=10)  # one working day: a login does not outlive it
# A session's last request is written at most this often (every request is a read).
SEEN_INTERVAL = timedelta(minutes=1)
LINK_LIFETIME = timedelta(hours=24)

# Failed logins counted over WINDOW: beyond PER_USER for one user name, or PER_ADDRESS from
# one client address, logins are refused until the oldest failure leaves the window.
WINDOW = timedelta(minutes=15)
PER_USER = 5
PER_ADDRESS = 20


@dataclass(frozen=True)
class WebSession:
    """A stored login, without its secret."""

    id: int
    user_id: int
    csrf_token: str
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime
    ended_at: datetime | None = None

    def refusal(self, now: datetime) -> str | None:
        """Return why the session no longer logs its user in at `now`, or None."""
        if self.ended_at is not None and self.ended_at <= now:
            return "the session has ended; log in again"
        if now >= self.expires_at or now - self.last_seen_at >= IDLE:
            return "the session has expired; log in again"
        return None

    def seen_due(self, now: datetime) -> bool:
        """Return whether a request at `now` should be written as the session's last."""
        return now - self.last_seen_at >= SEEN_INTERVAL


def session_expiry(started: datetime) -> datetime:
    return started + LIFETIME


@dataclass(frozen=True)
class PasswordLink:
    """A one-time link that lets its user set a password, without its secret."""

    id: int
    user_id: int
    expires_at: datetime
    used_at: datetime | None = None

    def refusal(self, now: datetime) -> str | None:
        if self.used_at is not None:
            return "this link has been used already; ask for a new one"
        if now >= self.expires_at:
            return "this link has expired; ask for a new one"
        return None


@dataclass(frozen=True)
class Failures:
    """The failed logins in the window before now: for the user name, and from the address."""

    for_user: int
    from_address: int

    @property
    def throttled(self) -> bool:
        return self.for_user >= PER_USER or self.from_address >= PER_ADDRESS
