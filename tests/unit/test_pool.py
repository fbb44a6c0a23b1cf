"""The connection pool: one connection for each thread the server runs sync code on.

FastAPI runs sync routes and dependencies on anyio's worker threads; with fewer pooled
connections than threads, a busy server opens and closes a connection per request.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import anyio
import anyio.to_thread
import pytest
from pydantic import ValidationError

from offset.api.database import LazyDatabase
from offset.cli.context import Database
from offset.db.engine import make_engine
from offset.settings import DEFAULT_POOL_SIZE, Settings, settings

POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/never-connected"


async def _threads_for_sync_code() -> int:
    return int(anyio.to_thread.current_default_thread_limiter().total_tokens)


@pytest.fixture
def pool_size_env(monkeypatch: pytest.MonkeyPatch):
    """Set OFFSET_DATABASE_POOL_SIZE (and a database URL) for the test; settings are re-read."""
    def set_to(size: str, url: str) -> None:
        monkeypatch.setenv("OFFSET_DATABASE_POOL_SIZE", size)
        monkeypatch.setenv("OFFSET_DATABASE_URL", url)
        settings.cache_clear()
    yield set_to
    settings.cache_clear()


def _server_threads() -> int:
    # In a thread of its own: in a worker that ran the browser tests, Playwright's event loop
    # runs in the main thread, and anyio will not start a second one there.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(anyio.run, _threads_for_sync_code).result()


def test_the_default_pool_has_a_connection_for_every_thread_of_the_server():
    assert Settings().database_pool_size == DEFAULT_POOL_SIZE == _server_threads()


@pytest.mark.parametrize("url", ["sqlite:///{tmp}/offset.db", POSTGRES],
                         ids=["sqlite", "postgresql"])
def test_engines_keep_the_pool_size_they_are_given_on_both_databases(url: str, tmp_path: Path):
    default = make_engine(url.format(tmp=tmp_path))
    sized = make_engine(url.format(tmp=tmp_path), pool_size=12)

    assert (default.pool.size(), sized.pool.size()) == (DEFAULT_POOL_SIZE, 12)  # type: ignore[attr-defined]


def test_the_pool_size_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("OFFSET_DATABASE_POOL_SIZE", "16")

    assert Settings().database_pool_size == 16


def test_a_pool_without_connections_is_refused(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("OFFSET_DATABASE_POOL_SIZE", "0")

    with pytest.raises(ValidationError, match="database_pool_size"):
        Settings()


def test_the_server_and_the_command_line_size_their_pools_from_the_setting(
        pool_size_env, tmp_path: Path):
    pool_size_env("9", f"sqlite:///{tmp_path}/offset.db")
    served, command_line = LazyDatabase(), Database()

    served(read_only=True)  # builds the engine; connects only when a unit of work is entered

    assert served._engine is not None
    assert served._engine.pool.size() == 9  # type: ignore[attr-defined]
    assert command_line.engine.pool.size() == 9  # type: ignore[attr-defined]
    served.dispose()
    command_line.close()
