"""Bulk inserts straight through the driver's executemany, values bound by the column types.

SQLAlchemy's executemany builds a parameter dictionary per row and runs each value through
its type in a generic loop, which costs as much as the driver's own work when a batch holds
tens of thousands of journal rows. Here the statement and the type processors are prepared
once per dialect and table; only columns whose type converts values touch them per row.
On PostgreSQL the rows go through COPY, and the client does not wait for the statement's
end (see _copy): the server checks the rows' foreign keys while the caller goes on.
The rows are bound exactly as SQLAlchemy would bind them (the same processors), so what is
stored, and read back, does not depend on which path wrote it.
"""

from __future__ import annotations

import selectors
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Dialect, Engine, Table, event, func, select, text
from sqlalchemy.exc import DBAPIError

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
    on the connection's own transaction, without waiting for the statement to end.

    The server checks a COPY's foreign keys when its data has ended, one row at a time
    (about 1 s for the 100,000 postings of a 10,000-row import), and a client that waits
    for that sits idle. Here the data and its end are sent, and the result is collected
    just before the connection's next statement, commit or rollback (_collect, on the
    engine's events): the server checks while the client prepares what comes next. An
    error of the COPY is raised then, as SQLAlchemy would have raised it.
    """
    _collect(db.connection.info)
    _watch(db.engine)
    preparer = db.dialect.identifier_preparer
    sql = (f"COPY {preparer.format_table(table)} "
           f"({', '.join(preparer.quote(name) for name in columns)}) FROM STDIN")
    driver: Any = db.connection.driver_connection  # a psycopg connection
    with driver.cursor() as cursor, cursor.copy(sql, writer=_unawaited()(cursor)) as copy:
        for row in rows:
            copy.write_row(row)
    db.connection.info[_PENDING] = (driver, sql)


_PENDING = "offset.bulk.pending"  # key of the COPY whose result is still to be read


@lru_cache(maxsize=1)
def _unawaited() -> type:
    """psycopg's COPY writer, except that a successful end is sent and not waited for.
    (Made on first use: the driver is imported only where PostgreSQL is used.)"""
    from psycopg.copy import LibpqWriter

    class Unawaited(LibpqWriter):
        def finish(self, exc: BaseException | None = None) -> None:
            if exc is not None:
                super().finish(exc)
                return
            pgconn = self.connection.pgconn
            while not pgconn.put_copy_end():
                _wait(pgconn.socket, writing=True)
            while pgconn.flush():
                _wait(pgconn.socket, writing=True)
    return Unawaited


def _collect(info: dict[Any, Any], *, quietly: bool = False) -> None:
    """Read the result of the connection's unawaited COPY, if any; raise its error as
    SQLAlchemy's DBAPIError (unless `quietly`, before a rollback that discards it)."""
    pending = info.pop(_PENDING, None)
    if pending is None:
        return
    import psycopg
    driver, sql = pending
    pgconn = driver.pgconn
    failed = None
    while True:
        pgconn.consume_input()
        while pgconn.is_busy():
            _wait(pgconn.socket, writing=False)
            pgconn.consume_input()
        result = pgconn.get_result()
        if result is None:
            break
        if result.status != psycopg.pq.ExecStatus.COMMAND_OK and failed is None:
            failed = result
    if failed is not None and not quietly:
        state = (failed.error_field(psycopg.pq.DiagnosticField.SQLSTATE) or b"").decode()
        message = (failed.error_message or b"").decode("utf-8", "replace").strip()
        error = psycopg.errors.lookup(state) if state else psycopg.DatabaseError
        raise DBAPIError.instance(sql, None, error(message), psycopg.Error)


def _wait(socket: int, *, writing: bool) -> None:
    """Block until the driver's socket can be written (or read)."""
    with selectors.DefaultSelector() as waiting:
        waiting.register(socket, selectors.EVENT_WRITE if writing else selectors.EVENT_READ)
        waiting.select()


def _watch(engine: Engine) -> None:
    """Collect an unawaited COPY's result before anything else uses the connection."""
    if event.contains(engine, "before_cursor_execute", _before_statement):
        return
    event.listen(engine, "before_cursor_execute", _before_statement)
    event.listen(engine, "commit", _before_commit)
    event.listen(engine, "rollback", _before_rollback)
    event.listen(engine, "rollback_savepoint", _before_savepoint_rollback)
    event.listen(engine, "reset", _before_reset)


def _before_statement(connection: Connection, *_: Any) -> None:
    _collect(connection.info)


def _before_commit(connection: Connection) -> None:
    try:
        _collect(connection.info)
    except DBAPIError:
        # SQLAlchemy counts the transaction as ended once its commit has raised: end it on
        # the server too, so that the connection's next statement starts afresh.
        driver: Any = connection.connection.driver_connection
        driver.rollback()
        raise


def _before_rollback(connection: Connection) -> None:
    _collect(connection.info, quietly=True)


def _before_savepoint_rollback(connection: Connection, *_: Any) -> None:
    _collect(connection.info, quietly=True)


def _before_reset(_dbapi: Any, record: Any, _reset_state: Any) -> None:
    _collect(record.info, quietly=True)


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
