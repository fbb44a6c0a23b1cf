"""Bulk writes (offset.db.bulk): on PostgreSQL a COPY's end is not waited for, yet its
errors are raised before the transaction can commit, and a rollback leaves the connection
usable; SQLite raises at once. The same behaviour is asked of both."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import Connection, func, select
from sqlalchemy.exc import IntegrityError

from offset.db.bulk import insert_rows
from offset.db.tables import parties
from tests.databases import engine_for


@pytest.fixture
def db(fresh_url: str) -> Iterator[Connection]:
    engine = engine_for(fresh_url)
    with engine.connect() as connection:
        yield connection
    engine.dispose()


COLUMNS = ("code", "name_ja", "name_en", "prefecture_code", "created_at")
AT = datetime(2026, 12, 2, tzinfo=UTC)


def count(db: Connection) -> int:
    return db.execute(select(func.count()).select_from(parties)).scalar_one()


def test_rows_written_in_bulk_are_there_for_the_next_statement(db: Connection):
    with db.begin():
        insert_rows(db, parties, COLUMNS,
                    [(f"{n:06}", f"町{n}", f"Town {n}", "13", AT) for n in range(50)])
        assert count(db) == 50
    assert count(db) == 50


def test_a_bulk_write_that_breaks_a_constraint_fails_before_its_commit(db: Connection):
    with pytest.raises(IntegrityError), db.begin():
        insert_rows(db, parties, COLUMNS, [("131041", "新宿区", "Shinjuku", "13", AT),
                                           ("131041", "新宿区", "Shinjuku", "13", AT)])
    assert count(db) == 0  # nothing stored, and the connection answers again


def test_a_bulk_write_that_breaks_a_constraint_fails_at_the_next_statement(db: Connection):
    db.begin()
    with pytest.raises(IntegrityError):
        insert_rows(db, parties, COLUMNS, [("131041", "新宿区", "Shinjuku", "13", AT),
                                           ("131041", "新宿区", "Shinjuku", "13", AT)])
        count(db)
    db.rollback()
    assert count(db) == 0


def test_a_rolled_back_bulk_write_leaves_nothing_and_the_connection_usable(db: Connection):
    db.begin()
    insert_rows(db, parties, COLUMNS, [("131041", "新宿区", "Shinjuku", "13", AT)])
    db.rollback()
    with db.begin():
        insert_rows(db, parties, COLUMNS, [("202096", "伊那市", "Ina", "20", AT)])
    assert db.execute(select(parties.c.code)).scalars().all() == ["202096"]
