"""`offset db …`: make, inspect and roll back the schema (Alembic only); back up and restore."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from offset.cli.context import Database, database, writing
from offset.cli.ledger import verify_chains
from offset.db import backup as backups
from offset.db import migrate
from offset.errors import InvalidInput
from offset.reference_data import load_shipped

app = typer.Typer(help="Create, upgrade and inspect the schema; back up and restore the database.",
                  no_args_is_help=True)


def _label(revision: str | None, head: str | None) -> str:
    if revision is None:
        return "(empty)"
    return f"{revision} (head)" if revision == head else revision


def _migrate(db: Database, step: Callable[..., None], revision: str) -> None:
    """Run one Alembic command to `revision` in one transaction. Raises InvalidInput."""
    from alembic.util import CommandError  # loaded only to migrate (offset.db.migrate)

    with db.connection() as connection:
        try:
            step(connection, revision=revision)
        except CommandError as error:  # unknown or unreachable revision
            raise InvalidInput(str(error), field="revision") from None
        # Schema work, not a use case: Alembic runs on a bare connection (DDL, and no unit of
        # work can open on a schema that is not at head yet), so the migration commits here.
        connection.commit()


@app.command()
def upgrade(ctx: typer.Context,
            revision: Annotated[str, typer.Argument(help="Target revision.")] = "head") -> None:
    """Migrate the database up to REVISION (default: the newest), creating it if empty."""
    db = database(ctx)
    before, head = db.revisions()
    _migrate(db, migrate.upgrade, revision)
    after, _ = db.revisions()
    if before == after:
        typer.echo(f"{db.shown_url}: already at {_label(after, head)}")
    else:
        typer.echo(f"{db.shown_url}: upgraded from {_label(before, head)} "
                   f"to {_label(after, head)}")
    if after == head:
        with writing(db) as uow:
            loaded = load_shipped(uow)
        for label in loaded:
            typer.echo(f"loaded reference data {label}")


@app.command()
def downgrade(
    ctx: typer.Context,
    revision: Annotated[str, typer.Argument(help="Target revision; 'base' empties it.")] = "-1",
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Migrate the database down to REVISION (default: one step). This drops data."""
    db = database(ctx)
    before, head = db.revisions()
    if not yes:
        typer.confirm(f"Downgrade {db.shown_url} from {_label(before, head)} to {revision}? "
                      "Tables that the downgrade drops lose their data", abort=True)
    _migrate(db, migrate.downgrade, revision)
    after, _ = db.revisions()
    typer.echo(f"{db.shown_url}: downgraded from {_label(before, head)} to {_label(after, head)}")


@app.command()
def current(ctx: typer.Context) -> None:
    """Show the database's schema revision and the newest one this version knows."""
    db = database(ctx)
    revision, head = db.revisions()
    hint = "" if revision == head else "  (run `offset db upgrade`)"
    typer.echo(f"{db.shown_url}: {_label(revision, head)}; newest is {head}{hint}")


@app.command()
def backup(ctx: typer.Context,
           file: Annotated[Path, typer.Argument(help="Backup file to write (replaced).")]) -> None:
    """Write a consistent backup of the whole database to FILE while the service runs.

    SQLite: the online backup API. PostgreSQL: pg_dump --format=custom (pg_dump on PATH).
    """
    db = database(ctx)
    backups.backup(db.engine, file)
    typer.echo(f"backed up {db.shown_url} to {file} ({file.stat().st_size} bytes)")


@app.command()
def restore(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Backup file made by `offset db backup`.")],
    replace: Annotated[bool, typer.Option(
        "--replace", help="Overwrite a database that already holds tables.")] = False,
) -> None:
    """Load FILE into an empty database, then verify every agreement's chain.

    The backup must come from the same kind of database (SQLite or PostgreSQL).
    """
    db = database(ctx)
    backups.restore(db.engine, file, replace=replace)
    db.engine.dispose()  # pooled connections opened before the restore are not reused
    typer.echo(f"restored {file} into {db.shown_url}")
    verify_chains(db)
