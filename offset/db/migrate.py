"""Running the Alembic migrations from code (CLI, tests, benchmarks).

Alembic is imported when a migration runs, not with this module: every CLI command loads
it, and most never migrate (offset.db.schema reads the revision without it).
"""

from __future__ import annotations

from importlib.resources import files
from typing import TYPE_CHECKING

from sqlalchemy import Connection

if TYPE_CHECKING:
    from alembic.config import Config


def alembic_config(connection: Connection | None = None, url: str | None = None) -> Config:
    """Return an Alembic config for the shipped migrations, bound to `connection` or `url`."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(files("migrations")))
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade(connection: Connection | None = None, url: str | None = None,
            revision: str = "head") -> None:
    """Migrate the database up to `revision` (default: the newest)."""
    from alembic import command

    command.upgrade(alembic_config(connection, url), revision)


def downgrade(connection: Connection | None = None, url: str | None = None,
              revision: str = "base") -> None:
    """Migrate the database down to `revision` (default: empty)."""
    from alembic import command

    command.downgrade(alembic_config(connection, url), revision)
