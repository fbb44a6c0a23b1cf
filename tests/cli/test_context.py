"""How every command opens its unit of work: `writing` commits a clean block, and only it."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

import pytest
from sqlalchemy.exc import DBAPIError

from offset.agreements import services as agreements
from offset.cli.context import Database, reading, writing


@dataclass
class Run:
    """Stands in for typer's context: the root of a run, holding its database."""

    obj: Database

    def find_root(self) -> Run:
        return self


@pytest.fixture
def run(fresh_url: str) -> Run:
    found = Run(Database(fresh_url))
    yield found
    found.obj.close()


def codes(run: Run) -> list[str]:
    with reading(run) as uow:
        return [p.code for p in agreements.parties(uow)]


def test_a_writing_block_that_ends_cleanly_is_committed(run: Run):
    with writing(run) as uow:
        agreements.create_party(uow, "131041", "新宿区", "Shinjuku City")
    assert codes(run) == ["131041"]


def test_a_writing_block_that_raises_writes_nothing(run: Run):
    with pytest.raises(RuntimeError), writing(run) as uow:
        agreements.create_party(uow, "131041", "新宿区", "Shinjuku City")
        raise RuntimeError("the command failed after its first write")
    assert codes(run) == []


def test_a_reading_block_never_keeps_a_write(run: Run):
    # PostgreSQL refuses a write in a read-only transaction; SQLite's is rolled back.
    with contextlib.suppress(DBAPIError), reading(run) as uow:
        agreements.create_party(uow, "131041", "新宿区", "Shinjuku City")
    assert codes(run) == []
