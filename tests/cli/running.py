"""Running `offset` in-process for CLI tests, and what a refusal must look like."""

from __future__ import annotations

from click.testing import Result
from sqlalchemy import text
from typer.testing import CliRunner

from offset.cli.main import app
from tests.databases import engine_for

runner = CliRunner()


def offset(url: str, *args: str) -> Result:
    """Run `offset --database-url URL ARGS…` and return what it printed and its exit code."""
    return runner.invoke(app, ["--database-url", url, *args])


def ok(url: str, *args: str) -> str:
    """Run a command that must succeed; return its stdout."""
    result = offset(url, *args)
    assert result.exit_code == 0, result.output
    return result.stdout


def assert_one_line_error(result: Result, code: int, start: str) -> None:
    """Assert a refusal: exit `code`, one line on stderr starting `error: start`, no traceback."""
    assert result.exit_code == code, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith(f"error: {start}"), result.stderr


def tamper(url: str, backend: str, entry_id: int) -> None:
    """Change an entry's description behind the append-only guard, as an intruder would."""
    engine = engine_for(url)
    try:
        with engine.connect() as connection:
            if backend == "sqlite":
                connection.execute(text("DROP TRIGGER entries_no_update"))
            else:
                connection.execute(text("SET LOCAL session_replication_role = replica"))
            connection.execute(text("UPDATE entries SET description = 'altered' WHERE id = :id"),
                               {"id": entry_id})
            connection.commit()
    finally:
        engine.dispose()
