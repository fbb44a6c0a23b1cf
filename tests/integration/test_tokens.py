"""Tokens in the database: issued with an expiry, refused once expired or revoked, use kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from offset.access import services as access
from offset.access.model import Role
from offset.access.tokens import AccountState
from offset.db.uow import UnitOfWorkFactory
from offset.errors import InvalidInput, NotFound, Unauthenticated

START = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)


def admin_with_token(uow: UnitOfWorkFactory, **options: object) -> str:
    with uow() as work:
        _, token = access.add_user(work, "root", Role.ADMIN, **options)  # type: ignore[arg-type]
        work.commit()
    return token


def test_a_token_issued_without_expiry_keeps_authenticating(uow: UnitOfWorkFactory):
    token = admin_with_token(uow, now=START)
    with uow(read_only=True) as work:
        assert access.authenticate(work, token, START + timedelta(days=10_000)).name == "root"


def test_a_token_is_refused_once_its_days_have_run_out(uow: UnitOfWorkFactory):
    token = admin_with_token(uow, expires_in_days=7, now=START)
    with uow(read_only=True) as work:
        assert access.authenticate(work, token, START + timedelta(days=7, seconds=-1))
        with pytest.raises(Unauthenticated, match="expired"):
            access.authenticate(work, token, START + timedelta(days=7))


def test_revoking_a_user_refuses_every_one_of_its_tokens(uow: UnitOfWorkFactory):
    first = admin_with_token(uow, now=START)
    with uow() as work:
        second = access.issue_token(work, "root", now=START).secret
        user, count = access.revoke(work, "root", now=START + timedelta(hours=1))
        work.commit()
    assert (user.name, count) == ("root", 2)
    with uow(read_only=True) as work:
        for token in (first, second):
            with pytest.raises(Unauthenticated, match="revoked"):
                access.authenticate(work, token, START + timedelta(hours=1))


def test_a_token_issued_after_revocation_works_and_revoking_again_revokes_only_it(
        uow: UnitOfWorkFactory):
    old = admin_with_token(uow, now=START)
    with uow() as work:
        access.revoke(work, "root", now=START)
        new = access.issue_token(work, "root", expires_in_days=30, now=START).secret
        work.commit()
    with uow() as work:
        assert access.authenticate(work, new, START).name == "root"
        with pytest.raises(Unauthenticated):
            access.authenticate(work, old, START)
        assert access.revoke(work, "root", now=START)[1] == 1
        assert access.revoke(work, "root", now=START)[1] == 0


def test_a_use_is_recorded_once_a_minute_at_most(uow: UnitOfWorkFactory):
    token = admin_with_token(uow, now=START)

    def use(at: datetime) -> datetime | None:
        with uow() as work:
            access.authenticate_and_record(work, token, at)
            work.commit()
        with uow(read_only=True) as work:
            return access.accounts(work)[0].last_used_at

    assert use(START) == START
    assert use(START + timedelta(seconds=59)) == START
    assert use(START + timedelta(seconds=60)) == START + timedelta(seconds=60)


def test_accounts_list_every_user_with_its_tokens(uow: UnitOfWorkFactory):
    with uow() as work:
        access.add_user(work, "root", Role.ADMIN, now=START)
        access.add_user(work, "kansa", Role.AUDITOR, expires_in_days=1, now=START)
        access.revoke(work, "root", now=START)
        work.commit()
    with uow(read_only=True) as work:
        accounts = access.accounts(work)
    later = START + timedelta(days=2)
    assert [(a.user.name, len(a.tokens), a.live_tokens(later), a.state(later))
            for a in accounts] == [("kansa", 1, 0, AccountState.EXPIRED),
                                   ("root", 1, 0, AccountState.REVOKED)]


def test_an_unknown_user_gets_no_token_and_no_revocation(uow: UnitOfWorkFactory):
    with uow() as work:
        with pytest.raises(NotFound):
            access.issue_token(work, "nobody")
        with pytest.raises(NotFound):
            access.revoke(work, "nobody")


def test_a_bad_expiry_creates_no_user(uow: UnitOfWorkFactory):
    with uow() as work:
        with pytest.raises(InvalidInput, match="from 1 to 3650"):
            access.add_user(work, "root", Role.ADMIN, expires_in_days=-1)
        assert access.accounts(work) == []
