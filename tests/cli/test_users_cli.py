"""`offset users list | token | revoke`, and `users add --expires`: tokens managed from a shell."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from offset.access import services as access
from offset.access.model import User
from offset.cli.main import app
from offset.db.uow import unit_of_work_factory
from offset.errors import Unauthenticated
from tests.cli.running import assert_one_line_error, offset, ok, runner
from tests.databases import engine_for

SHINJUKU = ["parties", "add", "--code", "131041", "--name-ja", "新宿区",
            "--name-en", "Shinjuku City"]


@pytest.fixture
def shinjuku(fresh_url: str) -> str:
    """A migrated database holding Shinjuku and its environment division's user, kankyo."""
    ok(fresh_url, *SHINJUKU)
    ok(fresh_url, "users", "add", "kankyo", "--role", "urban", "--party", "131041")
    return fresh_url


def shown_token(output: str) -> str:
    return next(line.removeprefix("token: ") for line in output.splitlines()
                if line.startswith("token: "))


def row(output: str, name: str) -> list[str]:
    """Return the cells of the table row of user `name` (cells are split by 2+ spaces)."""
    line = next(line for line in output.splitlines() if line.strip().startswith(name + " "))
    return [cell.strip() for cell in line.strip().split("  ") if cell.strip()]


def authenticates(url: str, token: str, *, record: bool = False) -> User | None:
    """Return the token's user, or None when it is refused; optionally record the use."""
    engine = engine_for(url)
    try:
        with unit_of_work_factory(engine)() as uow:
            user = (access.authenticate_and_record(uow, token, datetime.now(UTC)) if record
                    else access.authenticate(uow, token))
            uow.commit()
            return user
    except Unauthenticated:
        return None
    finally:
        engine.dispose()


def test_users_list_shows_role_party_audits_tokens_last_use_and_state(shinjuku: str):
    ok(shinjuku, "users", "add", "root", "--role", "admin")
    listed = ok(shinjuku, "users", "list")
    assert "名前 name" in listed and "状態 state" in listed
    assert row(listed, "kankyo") == ["kankyo", "urban", "131041 新宿区", "—", "1/1",
                                     "never", "active", "—"]
    assert row(listed, "root") == ["root", "admin", "—", "—", "1/1", "never", "active", "—"]


def test_users_list_shows_the_last_use_of_a_token(shinjuku: str):
    shown = ok(shinjuku, "users", "add", "root", "--role", "admin")
    before = datetime.now(UTC).replace(second=0, microsecond=0)
    assert authenticates(shinjuku, shown_token(shown), record=True)
    last_used = row(ok(shinjuku, "users", "list"), "root")[5]
    shown_time = datetime.strptime(last_used, "%Y-%m-%d %H:%M UTC").replace(tzinfo=UTC)
    assert before <= shown_time <= datetime.now(UTC)


def test_users_list_says_when_there_are_no_users(fresh_url: str):
    assert ok(fresh_url, "users", "list") == "no users yet; add one with `offset users add`\n"


def test_users_token_prints_a_new_token_once_and_it_authenticates(shinjuku: str):
    shown = ok(shinjuku, "users", "token", "kankyo", "--expires", "30")
    expected = (datetime.now(UTC) + timedelta(days=30)).strftime("%Y-%m-%d")
    assert shown.startswith("issued a new token to kankyo\ntoken: off_")
    assert f"it expires {expected}" in shown
    assert "shown only now" in shown
    user = authenticates(shinjuku, shown_token(shown))
    assert user is not None and user.name == "kankyo"
    assert row(ok(shinjuku, "users", "list"), "kankyo")[4] == "2/2"


def test_users_add_takes_an_expiry_and_says_a_token_without_one_never_expires(fresh_url: str):
    expiring = ok(fresh_url, "users", "add", "kansa", "--role", "auditor", "--expires", "7")
    assert f"it expires {(datetime.now(UTC) + timedelta(days=7)):%Y-%m-%d}" in expiring
    assert "it never expires" in ok(fresh_url, "users", "add", "root", "--role", "admin")


def test_users_revoke_refuses_every_token_of_the_user_at_once(shinjuku: str):
    second = shown_token(ok(shinjuku, "users", "token", "kankyo"))
    ok(shinjuku, "users", "add", "root", "--role", "admin")

    assert ok(shinjuku, "users", "revoke", "kankyo") == "revoked 2 token(s) of kankyo\n"

    assert authenticates(shinjuku, second) is None
    cells = row(ok(shinjuku, "users", "list"), "kankyo")
    assert (cells[4], cells[6]) == ("0/2", "revoked")
    assert row(ok(shinjuku, "users", "list"), "root")[6] == "active"
    assert ok(shinjuku, "users", "revoke", "kankyo") == (
        "kankyo has no unrevoked token; nothing to revoke\n")
    fresh = shown_token(ok(shinjuku, "users", "token", "kankyo"))
    assert authenticates(shinjuku, fresh) is not None


@pytest.mark.parametrize(("args", "start"), [
    (["users", "token", "nobody"], "name: no user named 'nobody'"),
    (["users", "revoke", "nobody"], "name: no user named 'nobody'"),
    (["users", "token", "kankyo", "--expires", "-1"],
     "expires_in_days: must be a whole number of days from 1 to 3650"),
    (["users", "token", "kankyo", "--expires", "3651"], "expires_in_days: must be"),
    (["users", "add", "root", "--role", "admin", "--expires", "0"], "expires_in_days: must"),
])
def test_bad_token_requests_print_one_error_line_and_exit_2(shinjuku: str, args: list[str],
                                                            start: str):
    assert_one_line_error(offset(shinjuku, *args), 2, start)
    assert "root" not in ok(shinjuku, "users", "list")
    assert row(ok(shinjuku, "users", "list"), "kankyo")[4] == "1/1"


def logs_in(url: str, name: str, password: str) -> bool:
    engine = engine_for(url)
    try:
        with unit_of_work_factory(engine)() as uow:
            opened = access.log_in(uow, name, password, "192.0.2.1")
            uow.commit()
            return opened is not None
    finally:
        engine.dispose()


def with_stdin(url: str, text: str, *args: str):
    return runner.invoke(app, ["--database-url", url, *args], input=text)


def test_users_add_reads_the_web_password_from_stdin(shinjuku: str):
    added = with_stdin(shinjuku, "a long enough secret\n", "users", "add", "root",
                       "--role", "admin", "--password-stdin")
    assert added.exit_code == 0, added.output
    assert "a long enough secret" not in added.stdout
    assert logs_in(shinjuku, "root", "a long enough secret")
    assert row(ok(shinjuku, "users", "list"), "root")[-1] == "password"


def test_users_password_link_prints_a_one_time_link_that_sets_the_password(shinjuku: str):
    shown = ok(shinjuku, "users", "password", "kankyo", "--link")
    link = next(line.strip() for line in shown.splitlines() if "/password/" in line)
    secret = link.rsplit("/", 1)[1]
    engine = engine_for(shinjuku)
    try:
        with unit_of_work_factory(engine)() as uow:
            access.set_password_by_link(uow, secret, "set from the link")
            uow.commit()
    finally:
        engine.dispose()
    assert logs_in(shinjuku, "kankyo", "set from the link")


def test_a_short_password_from_stdin_is_refused_in_one_line(shinjuku: str):
    result = with_stdin(shinjuku, "short\n", "users", "password", "kankyo", "--password-stdin")
    assert_one_line_error(result, 2, "password: must be at least 12")


def test_users_revoke_clears_the_password(shinjuku: str):
    assert with_stdin(shinjuku, "a long enough secret\n", "users", "password", "kankyo",
                      "--password-stdin").exit_code == 0
    ok(shinjuku, "users", "revoke", "kankyo")
    assert not logs_in(shinjuku, "kankyo", "a long enough secret")
