"""Throw-away databases for the benchmarks: a SQLite file or a PostgreSQL database that is
dropped afterwards, migrated to head with the shipped reference data loaded."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from offset.db.engine import make_engine, normalise_url
from offset.db.migrate import upgrade
from offset.db.uow import unit_of_work_factory
from offset.reference_data import load_shipped

POSTGRES_URL = os.environ.get("OFFSET_BENCH_POSTGRES_URL",
                              "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@contextmanager
def fresh_database(backend: str, workdir: Path) -> Iterator[str]:
    """Yield the URL of a new database migrated to head; a PostgreSQL one is dropped after."""
    name = f"offset_bench_{uuid.uuid4().hex[:12]}"
    if backend == "sqlite":
        url = f"sqlite:///{workdir / (name + '.db')}"
        _migrate(url)
        yield url
        return
    admin = create_engine(normalise_url(POSTGRES_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        url = make_url(normalise_url(POSTGRES_URL)).set(database=name).render_as_string(
            hide_password=False)
        _migrate(url)
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _migrate(url: str) -> None:
    engine = make_engine(url)
    with engine.connect() as connection:
        upgrade(connection)
        connection.commit()
    with unit_of_work_factory(engine)() as uow:
        load_shipped(uow)
        uow.commit()
    engine.dispose()
