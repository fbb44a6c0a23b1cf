"""Alembic is the only way the schema is made: upgrade, no drift, downgrade and back."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from offset.db.migrate import downgrade, upgrade
from offset.db.tables import metadata
from tests.databases import engine_for, fresh_database

EXPECTED_TABLES = {t.name for t in metadata.sorted_tables}


def _tables(url: str) -> set[str]:
    engine = engine_for(url)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def _drift(url: str) -> list[object]:
    engine = engine_for(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return list(compare_metadata(context, metadata))
    finally:
        engine.dispose()


def test_upgrade_from_empty_to_head_creates_every_table(backend: str, tmp_path: Path):
    with fresh_database(backend, tmp_path, migrate=False) as url:
        assert _tables(url) == set()
        upgrade(url=url)
        assert _tables(url) == EXPECTED_TABLES


def test_autogenerate_finds_no_drift_between_models_and_migrations(fresh_url: str):
    assert _drift(fresh_url) == []


def test_downgrade_to_base_and_upgrade_again_round_trips(fresh_url: str):
    downgrade(url=fresh_url)
    assert _tables(fresh_url) == set()
    upgrade(url=fresh_url)
    assert _tables(fresh_url) == EXPECTED_TABLES
    assert _drift(fresh_url) == []


def test_the_schema_head_the_code_needs_is_the_newest_migration():
    from alembic.script import ScriptDirectory

    from offset.db.migrate import alembic_config
    from offset.db.schema import SCHEMA_HEAD

    assert SCHEMA_HEAD == ScriptDirectory.from_config(alembic_config()).get_current_head()


def test_the_revision_is_read_from_an_empty_and_a_migrated_database(backend: str,
                                                                     tmp_path: Path):
    from offset.db.schema import SCHEMA_HEAD, current_revision

    with fresh_database(backend, tmp_path, migrate=False) as url:
        engine = engine_for(url)
        try:
            with engine.connect() as connection:
                assert current_revision(connection) is None
            upgrade(url=url, revision="0007")
            with engine.connect() as connection:
                assert current_revision(connection) == "0007"
            upgrade(url=url)
            with engine.connect() as connection:
                assert current_revision(connection) == SCHEMA_HEAD
        finally:
            engine.dispose()
