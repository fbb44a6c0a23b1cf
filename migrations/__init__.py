"""Alembic migrations: the only way offset's schema is made or changed."""
