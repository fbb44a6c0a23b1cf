"""A token's life as plain values: when it expires, when it is refused, when a use is written."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from offset.access.model import Role, User
from offset.access.tokens import Account, AccountState, Token, expiry
from offset.errors import InvalidInput

ISSUED = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)
ROOT = User(1, "root", Role.ADMIN, None)


def token(**life: datetime | None) -> Token:
    return Token(id=1, user_id=ROOT.id, created_at=ISSUED, **life)  # type: ignore[arg-type]


def test_a_token_for_thirty_days_expires_thirty_times_24_hours_after_issue():
    assert expiry(ISSUED, 30) == datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
    assert expiry(ISSUED, None) is None


@pytest.mark.parametrize("days", [0, -1, 3651, True])
def test_an_expiry_outside_1_to_3650_days_is_invalid(days: int):
    with pytest.raises(InvalidInput) as refused:
        expiry(ISSUED, days)
    assert refused.value.field == "expires_in_days"


def test_a_token_without_expiry_or_revocation_is_accepted_forever():
    assert token().refusal(ISSUED + timedelta(days=365 * 50)) is None


def test_an_expiring_token_is_accepted_until_its_expiry_and_refused_from_it():
    expiring = token(expires_at=ISSUED + timedelta(days=1))
    assert expiring.refusal(ISSUED + timedelta(hours=23, minutes=59)) is None
    assert expiring.refusal(ISSUED + timedelta(days=1)) == "the bearer token has expired"


def test_a_revoked_token_is_refused_from_the_moment_of_revocation():
    revoked = token(revoked_at=ISSUED + timedelta(hours=1))
    assert revoked.live(ISSUED + timedelta(minutes=59))
    assert revoked.refusal(ISSUED + timedelta(hours=1)) == "the bearer token has been revoked"


def test_a_use_is_written_first_and_then_at_most_once_a_minute():
    assert token().use_due(ISSUED)
    used = token(last_used_at=ISSUED)
    assert not used.use_due(ISSUED + timedelta(seconds=59))
    assert used.use_due(ISSUED + timedelta(seconds=60))


def test_an_account_counts_live_tokens_and_names_its_latest_use():
    later = ISSUED + timedelta(days=2)
    account = Account(ROOT, (
        token(last_used_at=ISSUED + timedelta(days=1)),
        token(revoked_at=ISSUED, last_used_at=ISSUED),
        token(expires_at=ISSUED + timedelta(days=1), last_used_at=later)))
    assert account.live_tokens(later) == 1
    assert account.last_used_at == later
    assert account.state(later) is AccountState.ACTIVE


@pytest.mark.parametrize(("tokens", "state"), [
    ((), AccountState.NO_TOKEN),
    ((token(revoked_at=ISSUED),), AccountState.REVOKED),
    ((token(revoked_at=ISSUED), token(expires_at=ISSUED)), AccountState.EXPIRED),
])
def test_an_account_without_live_tokens_says_why(tokens: tuple[Token, ...],
                                                 state: AccountState):
    assert Account(ROOT, tokens).state(ISSUED + timedelta(days=1)) is state
    assert Account(ROOT, tokens).live_tokens(ISSUED + timedelta(days=1)) == 0
