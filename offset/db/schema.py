"""Which schema revision a database holds, and which one this code needs, read without
loading Alembic (whose import alone took a third of a second of every CLI command)."""

from __future__ import annotations

from sqlalchemy import Connection, inspect, text

# The newest migration under migrations/versions. A test checks it against Alembic's own
# script directory, so a new migration cannot land without moving it.
SCHEMA_HEAD = "0012"


def current_revision(connection: Connection) -> str | None:
    """Return the revision the database's alembic_version table records, None when it has
    none (an empty database)."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
