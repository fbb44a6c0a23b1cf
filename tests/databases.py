"""Throw-away test databases on SQLite and PostgreSQL, migrated by Alembic like production."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
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
    """Yield the URL of a new, empty database (migrated to head unless told not to).

    A migrated database is a copy of one that Alembic migrated, and the shipped reference
    data loaded, once per test process: migrating every test's database anew cost seconds
    each on PostgreSQL. The copy is byte for byte (a file copy on SQLite, CREATE DATABASE ..
    TEMPLATE on PostgreSQL), so the schema still comes from the migrations alone.
    """
    name = f"offset_t_{uuid.uuid4().hex[:12]}"
    if backend == "sqlite":
        path = directory / (name + ".db")
        if migrate:
            shutil.copyfile(_sqlite_template(), path)
        yield f"sqlite:///{path}"
        return
    admin = create_engine(normalise_url(POSTGRES_URL), isolation_level="AUTOCOMMIT")
    template = f' TEMPLATE "{_postgres_template()}"' if migrate else ""
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"{template}'))
    try:
        yield _postgres_url(name)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _postgres_url(name: str) -> str:
    return make_url(normalise_url(POSTGRES_URL)).set(database=name).render_as_string(
        hide_password=False)


@cache
def _sqlite_template() -> Path:
    """Return a SQLite file migrated to head with the reference data, made once a process."""
    path = Path(tempfile.mkdtemp(prefix="offset_tpl_")) / "template.db"
    _migrate(f"sqlite:///{path}", True)  # its last connection closed: the WAL is merged
    atexit.register(shutil.rmtree, path.parent, ignore_errors=True)
    return path


@cache
def _postgres_template() -> str:
    """Return the name of a PostgreSQL database migrated to head with the reference data,
    made once a process; it is dropped when the process ends."""
    name = f"offset_tpl_{uuid.uuid4().hex[:12]}"
    admin = create_engine(normalise_url(POSTGRES_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    _migrate(_postgres_url(name), True)  # disposes its engine: a template takes no sessions

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    atexit.register(drop)
    return name


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
