"""The service's own unit-of-work factory: it connects to the configured database on first use."""

from __future__ import annotations

from threading import Lock

from sqlalchemy import Engine

from offset.db.engine import make_engine
from offset.db.uow import UnitOfWork, UnitOfWorkFactory, unit_of_work_factory
from offset.settings import settings


class LazyDatabase:
    """A unit-of-work factory that builds its engine from the settings when first called.

    Creating the app therefore reads no settings and opens no connection.
    """

    def __init__(self) -> None:
        self._lock = Lock()
        self._engine: Engine | None = None
        self._factory: UnitOfWorkFactory | None = None

    def __call__(self, *, read_only: bool = False) -> UnitOfWork:
        return self._ready()(read_only=read_only)

    def _ready(self) -> UnitOfWorkFactory:
        with self._lock:  # two first requests at once must not build two engines
            if self._factory is None:
                config = settings()
                self._engine = make_engine(config.database_url,
                                           busy_timeout_ms=config.sqlite_busy_timeout_ms,
                                           pool_size=config.database_pool_size)
                self._factory = unit_of_work_factory(self._engine)
            return self._factory

    def dispose(self) -> None:
        """Close the pooled connections, if any were opened."""
        with self._lock:
            if self._engine is not None:
                self._engine.dispose()
            self._engine = self._factory = None
