"""The unit of work: one transaction per use case, the only place that commits."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from types import TracebackType

from sqlalchemy import Connection, Engine

from offset import ports
from offset.db.access_store import SqlAccess
from offset.db.agreements_store import SqlAgreements
from offset.db.council_store import SqlCouncil
from offset.db.documents_store import SqlDocuments
from offset.db.emissions_store import SqlEmissions
from offset.db.engine import write_connections
from offset.db.forestry_store import SqlForestry
from offset.db.journal_store import SqlJournal

READ_ONLY = {"sqlite_begin": "BEGIN"}


class UnitOfWork:
    """Opens a transaction on entry; commits only when told, rolls back otherwise.

    `connect` gives the connection to work on: a fresh one from an engine in the service,
    or, in tests, a connection inside an outer transaction (then a savepoint is used).
    """

    def __init__(self, connect: Callable[[], AbstractContextManager[Connection]], *,
                 read_only: bool = False) -> None:
        self._connect = connect
        self._read_only = read_only

    def __enter__(self) -> UnitOfWork:
        self._scope = self._connect()
        connection = self._scope.__enter__()
        if self._read_only and not connection.in_transaction():
            # One snapshot for the whole read: a report's journal figures and its stand and
            # thinning rows then come from the same moment (SQLite's reads already do).
            options = ({"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
                       if connection.dialect.name == "postgresql" else READ_ONLY)
            connection = connection.execution_options(**options)
        self._tx = connection.begin_nested() if connection.in_transaction() else connection.begin()
        self.agreements = SqlAgreements(connection)
        self.journal = SqlJournal(connection)
        self.access = SqlAccess(connection)
        self.forestry = SqlForestry(connection)
        self.emissions = SqlEmissions(connection)
        self.documents = SqlDocuments(connection)
        self.council = SqlCouncil(connection)
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        try:
            if self._tx.is_active:
                self._tx.rollback()
        finally:
            self._scope.__exit__(kind, error, trace)

    def commit(self) -> None:
        self._tx.commit()


# The use cases type against the port; this assignment makes mypy prove that the SQL unit of
# work (every repository method and signature) satisfies it.
_SATISFIES_THE_PORT: type[ports.UnitOfWork] = UnitOfWork

UnitOfWorkFactory = Callable[..., UnitOfWork]


def unit_of_work_factory(engine: Engine) -> UnitOfWorkFactory:
    """Return a factory of units of work, each on its own pooled connection of `engine`.

    Writing ones take their turn for SQLite's write lock (engine.write_connections).
    """
    writing = write_connections(engine)

    def make(*, read_only: bool = False) -> UnitOfWork:
        return UnitOfWork(engine.connect if read_only else writing, read_only=read_only)
    return make
