"""Bulk inserts straight through the driver's executemany, values bound by the column types.

SQLAlchemy's executemany builds a parameter dictionary per row and runs each value through
its type in a generic loop, which costs as much as the driver's own work when a batch holds
tens of thousands of journal rows. Here the statement and the type processors are prepared
once per dialect and table; only columns whose type converts values touch them per row.
On PostgreSQL the rows go through COPY.
The rows are bound exactly as SQLAlchemy would bind them (the same processors), so what is
stored, and read back, does not depend on which path wrote it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Dialect, Table, func, select, text

Processor = Callable[[Any], Any]

_PLACEHOLDERS = {"qmark": "?", "format": "%s", "pyformat": "%s"}


def insert_rows(db: Connection, table: Table, columns: tuple[str, ...],
                rows: Iterable[Sequence[Any]]) -> None:
    """Insert `rows` (values in the order of `columns`) into `table` in one executemany."""
    sql, converted = _prepared(db.dialect, table, columns)
    if converted:
        rows = [_bound(row, converted) for row in rows]
    else:
        rows = list(rows)
    if not rows:
        return
    if db.dialect.name == "postgresql":
        _copy(db, table, columns, rows)
    else:
        db.exec_driver_sql(sql, rows)


def allocate_ids(db: Connection, table: Table, count: int) -> list[int]:
    """Return `count` new ids of `table`'s integer primary key `id`, for insert_rows.

    PostgreSQL draws them from the column's sequence (increasing; other writers may draw
    between them). SQLite takes the ones after the largest stored: only correct while the
    caller holds the database's write lock, as offset's writing units of work do from their
    first statement (BEGIN IMMEDIATE), and for a table whose rows are never deleted.
    """
    if count <= 0:
        return []
    if db.dialect.name == "postgresql":
        drawn = db.execute(text(
            "SELECT nextval(pg_get_serial_sequence(:table, 'id')) "
            "FROM generate_series(1, :count)"), {"table": table.name, "count": count})
        return [int(value) for value in drawn.scalars()]
    last = db.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one()
    return list(range(int(last) + 1, int(last) + 1 + count))


def _copy(db: Connection, table: Table, columns: tuple[str, ...],
          rows: list[Sequence[Any]]) -> None:
    """Write `rows` with COPY, PostgreSQL's bulk path (several times an executemany's rate),
    on the connection's own transaction."""
    preparer = db.dialect.identifier_preparer
    sql = (f"COPY {preparer.format_table(table)} "
           f"({', '.join(preparer.quote(name) for name in columns)}) FROM STDIN")
    driver = db.connection.driver_connection
    assert driver is not None  # a connection in use always has its driver connection
    with driver.cursor() as cursor, cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def _bound(row: Sequence[Any], converted: tuple[tuple[int, Processor], ...]) -> tuple[Any, ...]:
    values = list(row)
    for index, process in converted:
        values[index] = process(values[index])
    return tuple(values)


@lru_cache(maxsize=64)  # per engine (each has its own dialect) and table
def _prepared(dialect: Dialect, table: Table,
              columns: tuple[str, ...]) -> tuple[str, tuple[tuple[int, Processor], ...]]:
    placeholder = _PLACEHOLDERS[dialect.paramstyle]
    preparer = dialect.identifier_preparer
    sql = (f"INSERT INTO {preparer.format_table(table)} "
           f"({', '.join(preparer.quote(name) for name in columns)}) "
           f"VALUES ({', '.join(placeholder for _ in columns)})")
    converted = tuple((index, process) for index, name in enumerate(columns)
                      if (process := table.c[name].type.bind_processor(dialect)) is not None)
    return sql, converted
