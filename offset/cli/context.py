"""The database a command works on: its URL, one engine, units of work and schema checks.

`writing` and `reading` are how every command opens its unit of work; `writing` is the one
place in the CLI that commits.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property

import typer
from pydantic import ValidationError
from sqlalchemy import Connection, Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from offset.cli.errors import DatabaseUnavailable, SchemaNotReady
from offset.db.engine import make_engine, normalise_url
from offset.db.schema import SCHEMA_HEAD, current_revision
from offset.db.uow import READ_ONLY, UnitOfWork, UnitOfWorkFactory, unit_of_work_factory
from offset.errors import InvalidInput
from offset.settings import Settings, settings

UPGRADE_HINT = "run `offset db upgrade`"


class Database:
    """The database of one CLI run: from --database-url, else OFFSET_DATABASE_URL."""

    def __init__(self, url: str | None = None) -> None:
        self._given = url

    @cached_property
    def settings(self) -> Settings:
        """Return the settings with the command line's URL over the environment's."""
        try:
            return Settings(database_url=self._given) if self._given else settings()
        except ValidationError as invalid:
            detail = invalid.errors()[0]["msg"].removeprefix("Value error, ")
            raise InvalidInput(detail, field="database_url") from None

    @property
    def url(self) -> str:
        return normalise_url(self.settings.database_url)

    @property
    def shown_url(self) -> str:
        """Return the URL with any password masked, for messages."""
        return make_url(self.url).render_as_string(hide_password=True)

    @cached_property
    def engine(self) -> Engine:
        return make_engine(self.url, busy_timeout_ms=self.settings.sqlite_busy_timeout_ms,
                           pool_size=self.settings.database_pool_size)

    @contextmanager
    def connection(self, *, read_only: bool = False) -> Iterator[Connection]:
        """Yield a connection; an unreachable database raises DatabaseUnavailable."""
        try:
            connection = self.engine.connect()
        except OperationalError as error:
            reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
            raise DatabaseUnavailable(f"cannot open {self.shown_url}: {reason}",
                                      field="database") from None
        with connection:
            yield connection.execution_options(**READ_ONLY) if read_only else connection

    def revisions(self) -> tuple[str | None, str | None]:
        """Return the schema revision of the database (None when empty) and the code's head."""
        with self.connection(read_only=True) as connection:
            current = current_revision(connection)
        return current, SCHEMA_HEAD

    def units_of_work(self) -> UnitOfWorkFactory:
        """Return a unit-of-work factory, after checking that the schema is at head.

        Raises DatabaseUnavailable or SchemaNotReady.
        """
        current, head = self.revisions()
        if current is None:
            raise SchemaNotReady(f"{self.shown_url} has no offset schema; {UPGRADE_HINT}",
                                 field="database")
        if current != head:
            raise SchemaNotReady(f"{self.shown_url} is at revision {current}, this version "
                                 f"of offset needs {head}; {UPGRADE_HINT}", field="database")
        return unit_of_work_factory(self.engine)

    @cached_property
    def work(self) -> UnitOfWorkFactory:
        """Return units_of_work(), checking the schema once per run however many are opened."""
        return self.units_of_work()

    def close(self) -> None:
        if "engine" in self.__dict__:
            self.engine.dispose()


def database(ctx: typer.Context) -> Database:
    """Return the database chosen for this run (set up by the top-level callback)."""
    found = ctx.find_root().obj
    if not isinstance(found, Database):
        found = ctx.find_root().obj = Database()
    return found


def _database(where: typer.Context | Database) -> Database:
    return where if isinstance(where, Database) else database(where)


@contextmanager
def writing(where: typer.Context | Database) -> Iterator[UnitOfWork]:
    """Yield a unit of work on the run's database and commit it when the block ends cleanly.

    An exception (typer.Exit included) leaves the block uncommitted, so it is rolled back
    and nothing of the command is written. Raises DatabaseUnavailable or SchemaNotReady.
    """
    with _database(where).work() as uow:
        yield uow
        uow.commit()


@contextmanager
def reading(where: typer.Context | Database) -> Iterator[UnitOfWork]:
    """Yield a read-only unit of work (one snapshot) that never commits.

    Raises DatabaseUnavailable or SchemaNotReady.
    """
    with _database(where).work(read_only=True) as uow:
        yield uow
