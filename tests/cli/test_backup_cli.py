"""`offset db backup` and `offset db restore`: a backup restores to the same chains, on both
databases, and a restore never damages the database it was pointed at."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import text

from offset.db.backup import existing_tables
from offset.db.migrate import alembic_config, upgrade
from offset.db.uow import unit_of_work_factory
from offset.ledger import services as ledger
from tests.builders import cost_entry
from tests.cli.running import assert_one_line_error, offset, ok
from tests.databases import engine_for, fresh_database

SCRIPTS = ScriptDirectory.from_config(alembic_config())
HEAD = SCRIPTS.get_current_head()

SETUP = [
    ["parties", "add", "--code", "131041", "--name-ja", "新宿区", "--name-en", "Shinjuku City"],
    ["parties", "add", "--code", "202096", "--name-ja", "伊那市", "--name-en", "Ina City"],
    ["agreements", "add", "--urban", "131041", "--forest", "202096", "--signed", "2008-02-10",
     "--term", "2009-2013", "--annual-target", "30 ha"],
    ["agreements", "add", "--urban", "131041", "--forest", "202096", "--signed", "2013-02-10",
     "--term", "2014-2018", "--annual-target", "10 ha"],
]


def cost(agreement: int, fy: int, yen: int) -> list[str]:
    return ["costs", "add", "--agreement", str(agreement), "--fy", str(fy),
            "--category", "thinning", "--amount", str(yen), "--date", f"{fy}-12-01"]


def heads(url: str) -> dict[int, tuple[int, str]]:
    """Return each agreement's chain head (entry count = last seq, hash), read with SQL."""
    engine = engine_for(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(text(
                "SELECT agreement_id, entry_count, hash FROM chain_heads"))
            return {row.agreement_id: (row.entry_count, row.hash) for row in rows}
    finally:
        engine.dispose()


def tables(url: str) -> list[str]:
    engine = engine_for(url)
    try:
        return existing_tables(engine)
    finally:
        engine.dispose()


def chains_verify(url: str) -> bool:
    engine = engine_for(url)
    try:
        with unit_of_work_factory(engine)(read_only=True) as uow:
            return ledger.verify(uow).ok
    finally:
        engine.dispose()


@pytest.fixture
def ledger_url(fresh_url: str) -> str:
    """A database holding two agreements, the first with three entries, the second empty."""
    for command in [*SETUP, cost(1, 2009, 1_200_000), cost(1, 2010, 800_000),
                    cost(1, 2011, 650_001)]:
        ok(fresh_url, *command)
    return fresh_url


@pytest.fixture
def empty_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """A database with no tables at all: where a restore goes."""
    with fresh_database(backend, tmp_path / "target", migrate=False) as url:
        yield url


@pytest.fixture(autouse=True)
def _target_directory(tmp_path: Path) -> None:
    (tmp_path / "target").mkdir()


def test_a_restored_database_has_the_original_chains_and_takes_new_writes(
        ledger_url: str, empty_url: str, tmp_path: Path):
    original = heads(ledger_url)
    assert original[1][0] == 3 and original[2][0] == 0
    backup = tmp_path / "offset.backup"

    assert f"to {backup}" in ok(ledger_url, "db", "backup", str(backup))
    assert backup.stat().st_mode & 0o077 == 0  # it holds users and token hashes
    shown = ok(empty_url, "db", "restore", str(backup))

    assert heads(empty_url) == original
    for agreement, (count, digest) in original.items():
        assert f"agreement {agreement}: {count} entries, head {digest}  OK" in shown
    assert shown.rstrip().endswith("OK: 2 chains, 3 entries verified")
    assert f"{HEAD} (head)" in ok(empty_url, "db", "current")

    ok(empty_url, *cost(1, 2012, 90_000))  # a new write through the service
    after = heads(empty_url)
    assert after[1][0] == 4 and after[1][1] != original[1][1]
    assert after[2] == original[2]
    assert chains_verify(empty_url)
    assert "OK: 2 chains, 4 entries verified" in ok(empty_url, "verify")
    assert heads(ledger_url) == original


def test_a_backup_taken_during_an_open_write_holds_only_committed_entries(
        ledger_url: str, empty_url: str, tmp_path: Path):
    original = heads(ledger_url)
    backup = tmp_path / "offset.backup"
    engine = engine_for(ledger_url)
    try:
        with unit_of_work_factory(engine)() as writing:  # the service, mid-write
            ledger.post(writing, [cost_entry(1, 5_000, fiscal_year=2012)])
            ok(ledger_url, "db", "backup", str(backup))
            writing.commit()
    finally:
        engine.dispose()

    ok(empty_url, "db", "restore", str(backup))
    assert heads(empty_url) == original
    assert heads(ledger_url)[1][0] == 4


def test_restore_refuses_a_database_that_holds_tables_unless_told_to_replace(
        ledger_url: str, backend: str, tmp_path: Path):
    backup = tmp_path / "offset.backup"
    ok(ledger_url, "db", "backup", str(backup))
    ok(ledger_url, *cost(1, 2012, 70_000))
    later = heads(ledger_url)

    refused = offset(ledger_url, "db", "restore", str(backup))
    assert_one_line_error(refused, 1, "database: the target database already holds ")
    assert "--replace" in refused.stderr
    assert heads(ledger_url) == later

    ok(ledger_url, "db", "restore", "--replace", str(backup))
    assert heads(ledger_url)[1][0] == 3
    assert chains_verify(ledger_url)


def test_a_database_at_head_with_no_entries_is_not_empty_either(
        ledger_url: str, fresh_url: str, tmp_path: Path):
    # `offset db upgrade` loads reference data: a restore over it would silently drop that.
    backup = tmp_path / "offset.backup"
    ok(ledger_url, "db", "backup", str(backup))
    assert_one_line_error(offset(fresh_url, "db", "restore", str(backup)), 1,
                          "database: the target database already holds ")


def _truncated_by_half(data: bytes) -> bytes:
    return data[: len(data) // 2]


def _last_bytes_missing(data: bytes) -> bytes:
    return data[:-50]


def _not_a_backup(_data: bytes) -> bytes:
    return b"offset backup\n" * 100


@pytest.mark.parametrize("damage", [_truncated_by_half, _last_bytes_missing, _not_a_backup],
                         ids=["half", "tail", "not-a-backup"])
def test_a_damaged_backup_is_one_error_line_and_the_target_is_untouched(
        ledger_url: str, tmp_path: Path, damage):
    backup = tmp_path / "offset.backup"
    ok(ledger_url, "db", "backup", str(backup))
    backup.write_bytes(damage(backup.read_bytes()))
    ok(ledger_url, *cost(1, 2012, 70_000))
    before = heads(ledger_url)

    result = offset(ledger_url, "db", "restore", "--replace", str(backup))

    assert_one_line_error(result, 1, f"file: {backup}")
    assert heads(ledger_url) == before
    assert chains_verify(ledger_url)


def test_restoring_a_file_that_does_not_exist_is_bad_input(empty_url: str, tmp_path: Path):
    assert_one_line_error(offset(empty_url, "db", "restore", str(tmp_path / "none")), 2,
                          "file: no backup file ")


def test_postgresql_needs_pg_dump_and_pg_restore_on_path_and_sqlite_needs_neither(
        ledger_url: str, empty_url: str, backend: str, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch):
    # Made with the tools on PATH; then neither tool can be found.
    made = tmp_path / "made.backup"
    ok(ledger_url, "db", "backup", str(made))
    monkeypatch.setenv("PATH", str(tmp_path / "target"))
    backup = tmp_path / "offset.backup"

    backed_up = offset(ledger_url, "db", "backup", str(backup))
    restored = offset(empty_url, "db", "restore", str(made))

    if backend == "sqlite":
        assert backed_up.exit_code == 0 and restored.exit_code == 0, restored.output
        assert heads(empty_url) == heads(ledger_url)
    else:
        assert_one_line_error(backed_up, 1, "pg_dump: not found on PATH")
        assert_one_line_error(restored, 1, "pg_restore: not found on PATH")
        assert not backup.exists()
        assert tables(empty_url) == []


def test_a_failed_backup_leaves_the_previous_file_and_nothing_else(
        backend: str, tmp_path: Path, fresh_url: str):
    missing = (f"sqlite:///{tmp_path / 'absent.db'}" if backend == "sqlite"
               else fresh_url.rsplit("/", 1)[0] + "/offset_t_absent")
    backup = tmp_path / "target" / "offset.backup"
    backup.write_bytes(b"yesterday's backup")

    result = offset(missing, "db", "backup", str(backup))

    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
    assert backup.read_bytes() == b"yesterday's backup"
    assert [p.name for p in backup.parent.iterdir()] == ["offset.backup"]
    assert not (tmp_path / "absent.db").exists()


def test_a_restored_database_behind_the_schema_head_says_so(
        backend: str, empty_url: str, tmp_path: Path):
    previous = SCRIPTS.get_revision(HEAD).down_revision
    assert isinstance(previous, str)
    with fresh_database(backend, tmp_path, migrate=False) as old:
        upgrade(url=old, revision=previous)
        backup = tmp_path / "old.backup"
        ok(old, "db", "backup", str(backup))

    result = offset(empty_url, "db", "restore", str(backup))

    assert f"restored {backup}" in result.stdout
    assert_one_line_error(result, 1, "database: ")
    assert f"is at revision {previous}, this version of offset needs {HEAD}" in result.stderr
    assert "offset db upgrade" in result.stderr
