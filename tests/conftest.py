"""Fixtures: every test that touches the database runs on SQLite and on PostgreSQL.

Integration and e2e tests share one migrated database per backend and run inside an outer
transaction that is rolled back afterwards (units of work use savepoints inside it).
Tests that need real commits (concurrency, migrations) ask for `fresh_url`.
"""

from __future__ import annotations

import functools
import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import nullcontext
from pathlib import Path

import pytest
import typer.testing
from hypothesis import settings
from sqlalchemy import Connection, Engine

from offset.db.uow import UnitOfWork, UnitOfWorkFactory
from tests.databases import REQUIRE_POSTGRES, engine_for, fresh_database, postgres_problem

REQUIRE_BEANCOUNT = os.environ.get("OFFSET_REQUIRE_BEANCOUNT", "") not in ("", "0")

# Hypothesis's per-example deadline measures the machine, not offset: on a shared 2-core
# machine a loaded moment fails a correct example. Speed is the benchmarks' business.
settings.register_profile("offset", deadline=None)
settings.load_profile("offset")

# typer's test runner builds the click command from every command function's signature on
# each invoke: four fifths of an in-process `offset …` run. The tests build it once per app.
typer.testing._get_command = functools.cache(typer.testing._get_command)  # type: ignore[attr-defined]

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--run-slow", action="store_true", help="also run tests marked slow")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--run-slow"):
        return
    skip = pytest.mark.skip(reason="slow: run with --run-slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def postgres_available() -> bool:
    problem = postgres_problem()
    if problem and REQUIRE_POSTGRES:
        pytest.fail(f"{problem} (OFFSET_REQUIRE_POSTGRES is set)", pytrace=False)
    return problem is None


@pytest.fixture(scope="session")
def bean_check() -> Path:
    """Return beancount's checker: beside the running interpreter (the venv), else on PATH."""
    beside = Path(sys.executable).parent / "bean-check"
    found = beside if beside.is_file() else shutil.which("bean-check")
    if found is None:
        problem = f"bean-check is neither beside {sys.executable} nor on PATH"
        if REQUIRE_BEANCOUNT:
            pytest.fail(f"{problem} (OFFSET_REQUIRE_BEANCOUNT is set)", pytrace=False)
        pytest.skip(f"{problem}; set OFFSET_REQUIRE_BEANCOUNT=1 to make this a failure")
    return Path(found)


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest, postgres_available: bool) -> str:
    if request.param == "postgresql" and not postgres_available:
        pytest.skip(f"PostgreSQL not reachable ({postgres_problem()}); "
                    "set OFFSET_REQUIRE_POSTGRES=1 to make this a failure")
    return str(request.param)


@pytest.fixture(scope="session")
def shared_url(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with fresh_database(backend, tmp_path_factory.mktemp(backend)) as url:
        yield url


@pytest.fixture(scope="session")
def shared_engine(shared_url: str) -> Iterator[Engine]:
    engine = engine_for(shared_url)
    yield engine
    engine.dispose()


@pytest.fixture
def connection(shared_engine: Engine) -> Iterator[Connection]:
    """A connection inside a transaction that is rolled back when the test ends."""
    with shared_engine.connect() as connection:
        outer = connection.begin()
        yield connection
        if outer.is_active:
            outer.rollback()


@pytest.fixture
def uow(connection: Connection) -> UnitOfWorkFactory:
    """A unit-of-work factory whose commits stay inside the test's transaction."""
    def make(*, read_only: bool = False) -> UnitOfWork:
        return UnitOfWork(lambda: nullcontext(connection), read_only=read_only)
    return make


@pytest.fixture
def fresh_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """The URL of a new database of the test's own, migrated to head; dropped afterwards."""
    with fresh_database(backend, tmp_path) as url:
        yield url
