"""Engines for SQLite (the embedded default) and PostgreSQL, configured on one code path."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url

from offset.db.writers import FifoLock
from offset.settings import DEFAULT_POOL_SIZE

# SQLite transactions take the write lock up front: a deferred transaction that reads and then
# writes cannot wait for the lock (SQLITE_BUSY at once), so concurrent writers would fail.
WRITE_LOCK = "BEGIN IMMEDIATE"

# The writers' queue of each SQLite file engine, with its wait in seconds (offset.db.writers).
_write_queues: WeakKeyDictionary[Engine, tuple[FifoLock, float]] = WeakKeyDictionary()


def normalise_url(url: str) -> str:
    """Return `url` with the psycopg 3 driver named for PostgreSQL."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def make_engine(url: str, *, busy_timeout_ms: int = 30_000,
                pool_size: int = DEFAULT_POOL_SIZE, **options: Any) -> Engine:
    """Return an engine for `url` keeping up to `pool_size` connections open.

    Nothing connects until the engine is first used.
    """
    url = normalise_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False},
                               pool_size=pool_size, **options)
        _configure_sqlite(engine, busy_timeout_ms)
        if engine.url.database not in (None, "", ":memory:"):
            _write_queues[engine] = (FifoLock(), busy_timeout_ms / 1000)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=pool_size, **options)


def write_connections(engine: Engine) -> Callable[[], AbstractContextManager[Connection]]:
    """Return how a writing unit of work connects to `engine`.

    On a SQLite file made by make_engine, writers queue first come, first served for the
    file's one write lock (offset.db.writers); elsewhere this is `engine.connect`.
    """
    queue = _write_queues.get(engine)
    if queue is None:
        return engine.connect
    lock, timeout = queue

    @contextmanager
    def connect() -> Iterator[Connection]:
        with lock.held(timeout), engine.connect() as connection:
            yield connection
    return connect


def _configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide where transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        mode = connection.get_execution_options().get("sqlite_begin", WRITE_LOCK)
        connection.exec_driver_sql(mode)
