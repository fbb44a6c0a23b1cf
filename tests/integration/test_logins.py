"""Web logins in the database: passwords hashed with argon2id, sessions that expire and end,
one-time links, and the throttle on guessing — on both databases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from offset.access import logins
from offset.access import services as access
from offset.access.model import Role
from offset.db.uow import UnitOfWorkFactory
from offset.errors import InvalidInput, Throttled, Unauthenticated

START = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)
PASSWORD = "correct horse battery"
HERE = "192.0.2.10"


def person(uow: UnitOfWorkFactory, name: str = "tanaka") -> None:
    with uow() as work:
        access.add_user(work, name, Role.ADMIN, now=START)
        access.set_password(work, name, PASSWORD, now=START)
        work.commit()


def log_in(uow: UnitOfWorkFactory, password: str = PASSWORD, *, name: str = "tanaka",
           address: str = HERE, at: datetime = START) -> access.Opened | None:
    with uow() as work:
        opened = access.log_in(work, name, password, address, now=at)
        work.commit()
    return opened


def test_the_stored_password_is_an_argon2id_hash_not_the_password(uow: UnitOfWorkFactory):
    person(uow)
    with uow(read_only=True) as work:
        user = work.access.user_by_name("tanaka")
        stored = work.access.password_hash(user.id)
    assert stored is not None and stored.startswith("$argon2id$") and PASSWORD not in stored


def test_the_right_password_opens_a_session_that_finds_its_user(uow: UnitOfWorkFactory):
    person(uow)
    opened = log_in(uow)
    assert opened is not None
    with uow(read_only=True) as work:
        user, session = access.check_session(work, opened.secret, START + timedelta(minutes=5))
    assert user.name == "tanaka" and session.csrf_token == opened.session.csrf_token


@pytest.mark.parametrize("password", ["wrong password!", "", PASSWORD.upper(), PASSWORD + " "])
def test_a_wrong_password_opens_nothing(uow: UnitOfWorkFactory, password: str):
    person(uow)
    assert log_in(uow, password) is None


def test_an_unknown_user_is_refused_as_a_wrong_password_is(uow: UnitOfWorkFactory):
    assert log_in(uow, name="nobody") is None


def test_a_short_password_is_refused_naming_the_field(uow: UnitOfWorkFactory):
    person(uow)
    with uow() as work, pytest.raises(InvalidInput) as refused:
        access.set_password(work, "tanaka", "short")
    assert refused.value.field == "password"


def test_a_session_expires_after_its_idle_time_and_at_the_end_of_its_life(
        uow: UnitOfWorkFactory):
    person(uow)
    opened = log_in(uow)
    assert opened is not None
    with uow(read_only=True) as work:
        with pytest.raises(Unauthenticated, match="expired"):
            access.check_session(work, opened.secret, START + logins.IDLE)
    # Kept busy, it still ends LIFETIME after it began.
    moment = START
    while moment + logins.IDLE / 2 < START + logins.LIFETIME:
        moment += logins.IDLE / 2
        with uow() as work:
            _, session = access.check_session(work, opened.secret, moment)
            access.see_session(work, session, moment)
            work.commit()
    with uow(read_only=True) as work, pytest.raises(Unauthenticated, match="expired"):
        access.check_session(work, opened.secret, START + logins.LIFETIME)


def test_logging_out_ends_only_that_session(uow: UnitOfWorkFactory):
    person(uow)
    first, second = log_in(uow), log_in(uow)
    assert first and second
    with uow() as work:
        access.log_out(work, first.session, now=START)
        work.commit()
    with uow(read_only=True) as work:
        with pytest.raises(Unauthenticated, match="ended"):
            access.check_session(work, first.secret, START)
        assert access.check_session(work, second.secret, START)[0].name == "tanaka"


def test_revoking_a_user_ends_sessions_tokens_and_password(uow: UnitOfWorkFactory):
    person(uow)
    opened = log_in(uow)
    assert opened
    with uow() as work:
        access.revoke(work, "tanaka", now=START)
        work.commit()
    with uow(read_only=True) as work, pytest.raises(Unauthenticated, match="ended"):
        access.check_session(work, opened.secret, START)
    assert log_in(uow, at=START + timedelta(minutes=1)) is None


def test_failed_logins_throttle_the_user_name_then_lift_after_the_window(
        uow: UnitOfWorkFactory):
    person(uow)
    for attempt in range(logins.PER_USER):
        assert log_in(uow, f"guess number {attempt}", address=f"198.51.100.{attempt}") is None
    with pytest.raises(Throttled) as throttled:
        log_in(uow, address="203.0.113.99", at=START + timedelta(minutes=1))
    assert 0 < throttled.value.retry_after <= logins.WINDOW.total_seconds()
    assert log_in(uow, at=START + logins.WINDOW + timedelta(seconds=1)) is not None


def test_failed_logins_from_one_address_throttle_every_name_from_it(uow: UnitOfWorkFactory):
    person(uow)
    for attempt in range(logins.PER_ADDRESS):
        log_in(uow, name=f"user{attempt}")
    with pytest.raises(Throttled):
        log_in(uow)
    assert log_in(uow, address="192.0.2.11") is not None


def test_a_one_time_link_sets_the_password_once(uow: UnitOfWorkFactory):
    with uow() as work:
        access.add_user(work, "sato", Role.AUDITOR, now=START)
        _, secret = access.password_link(work, "sato", now=START)
        work.commit()
    with uow() as work:
        access.set_password_by_link(work, secret, PASSWORD, now=START + timedelta(hours=1))
        work.commit()
    assert log_in(uow, name="sato", at=START + timedelta(hours=1)) is not None
    with uow() as work, pytest.raises(Unauthenticated, match="used"):
        access.set_password_by_link(work, secret, "another password!", now=START)


def test_a_one_time_link_expires(uow: UnitOfWorkFactory):
    with uow() as work:
        access.add_user(work, "sato", Role.AUDITOR, now=START)
        _, secret = access.password_link(work, "sato", now=START)
        work.commit()
    with uow() as work, pytest.raises(Unauthenticated, match="expired"):
        access.set_password_by_link(work, secret, PASSWORD, now=START + logins.LINK_LIFETIME)
