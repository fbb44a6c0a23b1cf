"""Whole-database backups and their restore: SQLite's online backup API, pg_dump/pg_restore.

    OffsetError (offset.errors)
    ├── BackupFailed          a backup or restore could not be made (nothing was written)
    │   ├── ToolMissing       pg_dump or pg_restore is not on PATH
    │   └── UnreadableBackup  the file is not a complete backup of an offset database
    └── Conflict
        └── TargetNotEmpty    restore would overwrite a database that holds tables

A backup is written to a temporary file beside its target and renamed into place, so a failed
backup leaves no file behind. A restore either lands whole or leaves the target as it was.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from pathlib import Path

from sqlalchemy import Engine, inspect
from sqlalchemy.engine import URL

from offset.db.uow import READ_ONLY
from offset.errors import Conflict, NotFound, OffsetError

# Every offset database has it (Alembic's revision table); a file without it is not ours.
SCHEMA_MARK = "alembic_version"


class BackupFailed(OffsetError):
    title = "Backup failed"
    code = "backup-failed"


class ToolMissing(BackupFailed):
    title = "Tool missing"
    code = "tool-missing"


class UnreadableBackup(BackupFailed):
    title = "Unreadable backup"
    code = "unreadable-backup"


class TargetNotEmpty(Conflict):
    title = "Target not empty"
    code = "target-not-empty"


def backup(engine: Engine, target: Path) -> None:
    """Write a consistent copy of the database of `engine` to `target` (replacing it).

    Raises BackupFailed (ToolMissing when pg_dump is needed and absent); `target` is then
    unchanged.
    """
    with _written_atomically(target) as partial:
        if engine.dialect.name == "sqlite":
            _sqlite_backup(engine, partial)
        else:
            _run("pg_dump", ["--format=custom", f"--file={partial}"], engine.url)


def restore(engine: Engine, source: Path, *, replace: bool = False) -> None:
    """Load the backup `source` into the database of `engine`.

    Refuses a target that holds tables unless `replace`. The backup is checked before the
    target is touched, and loaded in one transaction.
    Raises NotFound, TargetNotEmpty, UnreadableBackup, BackupFailed (ToolMissing).
    """
    if not source.is_file():
        raise NotFound(f"no backup file {source}", field="file")
    if not replace and (tables := existing_tables(engine)):
        raise TargetNotEmpty(
            f"the target database already holds {len(tables)} tables (e.g. {tables[0]}); "
            "restore into an empty database, or pass --replace to overwrite it",
            field="database")
    if engine.dialect.name == "sqlite":
        _sqlite_restore(engine, source)
    else:
        _pg_restore(engine, source, replace=replace)


def existing_tables(engine: Engine) -> list[str]:
    """Return the names of the tables in the database of `engine`, sorted."""
    path = _sqlite_path(engine)
    if path is not None and not path.exists():
        return []  # connecting would create the file; it is empty by definition
    with engine.connect() as connection:
        return sorted(inspect(connection.execution_options(**READ_ONLY)).get_table_names())


@contextmanager
def _written_atomically(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside `target`; rename it onto `target` if the block succeeds."""
    if not target.parent.is_dir():
        raise BackupFailed(f"cannot write {target}: no directory {target.parent}", field="file")
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.",
                                    suffix=".partial")
    os.close(handle)
    partial = Path(name)
    try:
        yield partial
        with partial.open("rb") as written:  # on disk before the name points at it
            os.fsync(written.fileno())
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)


def _sqlite_path(engine: Engine) -> Path | None:
    """Return the file of a SQLite engine, None for PostgreSQL. Raises BackupFailed."""
    if engine.dialect.name != "sqlite":
        return None
    if engine.url.database in (None, "", ":memory:"):
        raise BackupFailed("an in-memory SQLite database cannot be backed up or restored",
                           field="database")
    return Path(engine.url.database)


def _sqlite_backup(engine: Engine, partial: Path) -> None:
    path = _sqlite_path(engine)
    if path is None or not path.is_file():
        raise BackupFailed(f"there is no SQLite database at {path}", field="database")
    # The backup API copies every page in one step under a read snapshot: in WAL mode the
    # service keeps writing meanwhile, and the copy is the database as of one moment.
    pooled = engine.raw_connection()
    try:
        with closing(sqlite3.connect(partial)) as copy:
            pooled.driver_connection.backup(copy)  # type: ignore[union-attr]
            # The copy inherits WAL mode from its source; one self-contained file is what
            # a backup should be.
            copy.execute("PRAGMA journal_mode = DELETE")
    except sqlite3.Error as error:
        raise BackupFailed(f"SQLite backup failed: {error}", field="database") from None
    finally:
        pooled.close()


def _sqlite_restore(engine: Engine, source: Path) -> None:
    with closing(_open_sqlite_backup(source)) as backup_db:
        pooled = engine.raw_connection()
        try:
            # Replaces every page of the target in one write transaction.
            backup_db.backup(pooled.driver_connection)  # type: ignore[arg-type]
        except sqlite3.Error as error:
            raise BackupFailed(f"SQLite restore failed: {error}", field="database") from None
        finally:
            pooled.close()


def _open_sqlite_backup(source: Path) -> sqlite3.Connection:
    """Open a SQLite backup read-only after checking it whole. Raises UnreadableBackup."""
    opened = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    try:
        _check_sqlite_backup(opened, source)
    except BaseException:
        opened.close()
        raise
    return opened


def _check_sqlite_backup(opened: sqlite3.Connection, source: Path) -> None:
    try:
        # The backup API copies raw pages without reading them: a damaged file must be
        # caught here, before it replaces a good database.
        problems = [row[0] for row in opened.execute("PRAGMA quick_check")]
        marked = opened.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                                (SCHEMA_MARK,)).fetchone()
    except sqlite3.DatabaseError as error:
        raise UnreadableBackup(f"{source} is not a readable SQLite backup: {error}",
                               field="file") from None
    if problems != ["ok"]:
        # The first problem line; SQLite heads the list with the schema's name.
        first = problems[0].replace("*** in database main ***", "").strip().splitlines()
        raise UnreadableBackup(f"{source} is damaged: {(first or ['failed its check'])[0]}",
                               field="file")
    if marked is None:
        raise UnreadableBackup(f"{source} holds no offset schema", field="file")


def _pg_restore(engine: Engine, source: Path, *, replace: bool) -> None:
    try:
        listed = _run("pg_restore", ["--list", str(source)])
    except ToolMissing:
        raise
    except BackupFailed as failed:  # the archive's table of contents cannot be read
        raise UnreadableBackup(f"{source} is not a readable pg_dump archive: {failed.detail}",
                               field="file") from None
    if f" {SCHEMA_MARK} " not in listed:
        raise UnreadableBackup(f"{source} holds no offset schema", field="file")
    # One transaction: a truncated archive fails part-way and the target keeps what it had.
    # --clean drops (inside that transaction) the objects the archive is about to recreate.
    clean = ["--clean", "--if-exists"] if replace else []
    try:
        _run("pg_restore", ["--single-transaction", "--exit-on-error", "--no-owner",
                            "--no-privileges", *clean, str(source)], engine.url)
    except BackupFailed as failed:
        raise UnreadableBackup(f"{source} could not be restored ({failed.detail}); the "
                               "target was left as it was", field="file") from None


def _run(tool: str, args: Sequence[str], url: URL | None = None) -> str:
    """Run a PostgreSQL client tool, against `url` when given; return its stdout.

    Raises ToolMissing, or BackupFailed with the tool's first error line.
    """
    found = shutil.which(tool)
    if found is None:
        raise ToolMissing("not found on PATH; install the PostgreSQL client tools "
                          "(postgresql-client) to back up or restore PostgreSQL", field=tool)
    command, env = [found, *args], dict(os.environ)
    if url is not None:
        # The password goes through the environment, never onto a command line others see.
        if url.password is not None:
            env["PGPASSWORD"] = str(url.password)
        command.append("--dbname=" + url.set(drivername="postgresql", password=None)
                       .render_as_string(hide_password=False))
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        raise BackupFailed(_first_error(tool, done.stderr), field=tool)
    return done.stdout


def _first_error(tool: str, stderr: str) -> str:
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    errors = [line for line in lines if "error:" in line]
    first = (errors or lines or ["failed without a message"])[0]
    return first.removeprefix(f"{tool}: ").removeprefix("error: ")
