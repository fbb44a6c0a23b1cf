"""Throw-away test databases on SQLite and PostgreSQL, migrated by Alembic like production."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from offset.db.engine import make_engine, normalise_url
from offset.db.migrate import upgrade
from offset.db.uow import unit_of_work_factory
from offset.reference_data import load_shipped

POSTGRES_URL = os.environ.get("OFFSET_TEST_POSTGRES_URL",
                              "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REQUIRE_POSTGRES = os.environ.get("OFFSET_REQUIRE_POSTGRES", "") not in ("", "0")


def postgres_problem() -> str | None:
    """Return why PostgreSQL cannot be used, or None when it can."""
    try:
        engine = create_engine(normalise_url(POSTGRES_URL), connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as error:  # any failure means: not reachable from here
        return f"PostgreSQL at {make_url(POSTGRES_URL).render_as_string()} unreachable: " \
               f"{str(error).splitlines()[0]}"
    return None


@contextmanager
def fresh_database(backend: str, directory: Path, *, migrate: bool = True) -> Iterator[str]:
    """Yield the URL of a new, empty database (migrated to head unless told not to)."""
    name = f"offset_t_{uuid.uuid4().hex[:12]}"
    if backend == "sqlite":
        url = f"sqlite:///{directory / (name + '.db')}"
        _migrate(url, migrate)
        yield url
        return
    admin = create_engine(normalise_url(POSTGRES_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(normalise_url(POSTGRES_URL)).set(database=name).render_as_string(
        hide_password=False)
    try:
        _migrate(url, migrate)
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _migrate(url: str, migrate: bool) -> None:
    if not migrate:
        return
    engine = make_engine(url)
    with engine.connect() as connection:
        upgrade(connection)
        connection.commit()
    with unit_of_work_factory(engine)() as uow:
        load_shipped(uow)
        uow.commit()
    engine.dispose()


def engine_for(url: str, **options: object) -> Engine:
    return make_engine(url, **options)  # type: ignore[arg-type]
