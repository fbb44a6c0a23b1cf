"""Fixtures for tests in a real browser: Debian's Chromium driven by Playwright, against
`offset serve`'s app on a loopback port, over the Shinjuku–Ina demo on SQLite and PostgreSQL.

The demo is built once per backend and worker; each test gets a copy of its own (a file copy
on SQLite, CREATE DATABASE … TEMPLATE on PostgreSQL), so what one test records never reaches
the next. The server runs for the whole session in a thread and hands each request to the
running test's database. On PostgreSQL the browser tests count as slow: `make test` runs them
on SQLite, `make test-slow` (and so CI) on PostgreSQL.

Without /usr/bin/chromium (or axe-core for the accessibility checks) the tests are skipped
with the command that installs it (`make browser-tools`); with OFFSET_REQUIRE_BROWSER=1, as
in CI, they fail instead.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from playwright.sync_api import Page, expect
from sqlalchemy import Engine, create_engine, text

from offset.api.app import create_app
from offset.db.engine import make_engine, normalise_url
from offset.db.uow import UnitOfWork, UnitOfWorkFactory, unit_of_work_factory
from offset.demo.builder import Built, build
from tests.databases import POSTGRES_URL, fresh_database

CHROMIUM = Path(os.environ.get("OFFSET_CHROMIUM", "/usr/bin/chromium"))
ROOT = Path(__file__).resolve().parents[2]
AXE = Path(os.environ.get("OFFSET_AXE_JS",
                          ROOT / ".venv/npm/node_modules/axe-core/axe.min.js"))
REQUIRE_BROWSER = os.environ.get("OFFSET_REQUIRE_BROWSER", "") not in ("", "0")
# `make screenshots` sets this to docs/ui; otherwise the tests take no pictures.
SCREENSHOTS = os.environ.get("OFFSET_SCREENSHOTS", "")
# Chromium's flags for a closed network: without the background-networking ones it keeps
# trying to reach Google's hosts at every start.
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage"]


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the browser tests on PostgreSQL with the slow ones (`make test-slow`, CI): the
    pages are the same over both databases, and `make test` stays within its minutes."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        if (callspec is not None and callspec.params.get("backend") == "postgresql"
                and item.path.is_relative_to(Path(__file__).parent)):
            item.add_marker(pytest.mark.slow)


def missing(what: str) -> None:
    message = f"{what}; `make browser-tools` installs it (apt-get and npm, as root)"
    if REQUIRE_BROWSER:
        pytest.fail(f"{message} (OFFSET_REQUIRE_BROWSER is set)", pytrace=False)
    pytest.skip(f"{message}; set OFFSET_REQUIRE_BROWSER=1 to make this a failure")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Launch Debian's Chromium: Playwright's own browser download cannot work here."""
    if not CHROMIUM.exists():
        missing(f"no browser at {CHROMIUM}")
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": FLAGS,
            "headless": True}


class RunningTestWork:
    """A unit-of-work factory that forwards to the running test's database."""

    def __init__(self) -> None:
        self.factory: UnitOfWorkFactory | None = None

    def __call__(self, *, read_only: bool = False) -> UnitOfWork:
        assert self.factory is not None, "the server was called outside a browser test"
        return self.factory(read_only=read_only)


@pytest.fixture(scope="session")
def running_work() -> RunningTestWork:
    return RunningTestWork()


@pytest.fixture(scope="session")
def server(running_work: RunningTestWork) -> Iterator[str]:
    """Serve the app (API and pages, as `offset serve`) on a free loopback port."""
    listening = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listening.bind(("127.0.0.1", 0))
    port = listening.getsockname()[1]
    config = uvicorn.Config(create_app(running_work), log_level="warning", lifespan="off")
    served = uvicorn.Server(config)
    thread = threading.Thread(target=served.run, kwargs={"sockets": [listening]}, daemon=True)
    thread.start()
    for _ in range(200):
        if served.started:
            break
        time.sleep(0.025)
    yield f"http://127.0.0.1:{port}"
    served.should_exit = True
    thread.join(timeout=10)
    listening.close()


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    """A browser set up as the people's are: Japanese, in Japan's time zone (date fields then
    follow the page's language where the browser does)."""
    return {**browser_context_args, "locale": "ja-JP", "timezone_id": "Asia/Tokyo"}


@pytest.fixture(scope="session")
def base_url(server: str) -> str:
    """Where page.goto("/…") goes (replaces pytest-base-url's own fixture)."""
    return server


@dataclass(frozen=True)
class DemoTemplate:
    backend: str
    url: str  # the built demo, copied for each test
    built: Built


@pytest.fixture(scope="session")
def demo_template(backend: str, tmp_path_factory: pytest.TempPathFactory
                  ) -> Iterator[DemoTemplate]:
    with fresh_database(backend, tmp_path_factory.mktemp("demo")) as url:
        engine = make_engine(url)
        with unit_of_work_factory(engine)() as uow:
            built = build(uow)
            uow.commit()
        engine.dispose()  # a PostgreSQL template takes no other session
        yield DemoTemplate(backend, url, built)


@contextmanager
def copy_of(template: DemoTemplate, directory: Path) -> Iterator[str]:
    """Yield the URL of a copy of the demo database, dropped afterwards."""
    if template.backend == "sqlite":
        path = directory / f"demo_{uuid.uuid4().hex[:8]}.db"
        shutil.copyfile(template.url.removeprefix("sqlite:///"), path)
        yield f"sqlite:///{path}"
        return
    name = f"offset_b_{uuid.uuid4().hex[:12]}"
    source = template.url.rsplit("/", 1)[1]
    admin = create_engine(normalise_url(POSTGRES_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{source}"'))
    try:
        yield template.url.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@dataclass(frozen=True)
class Site:
    """The running service over this test's own copy of the demo."""

    base_url: str
    engine: Engine
    built: Built

    @property
    def work(self) -> UnitOfWorkFactory:
        return unit_of_work_factory(self.engine)

    def password(self, name: str) -> str:
        return self.built.passwords[name]


@pytest.fixture
def site(server: str, demo_template: DemoTemplate, running_work: RunningTestWork,
         tmp_path: Path) -> Iterator[Site]:
    with copy_of(demo_template, tmp_path) as url:
        engine = make_engine(url)
        running_work.factory = unit_of_work_factory(engine)
        yield Site(server, engine, demo_template.built)
        running_work.factory = None
        engine.dispose()


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.is_file():
        missing(f"no axe-core at {AXE}")
    return AXE.read_text(encoding="utf-8")


def log_in(page: Page, site: Site, name: str, password: str | None = None) -> None:
    """Log in as `name` with the keyboard, as a person would, and land on the home page."""
    page.goto(site.base_url + "/login")
    page.get_by_label(re.compile("ユーザー名")).fill(name)
    page.get_by_label(re.compile("パスワード")).fill(password or site.password(name))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).not_to_have_text(re.compile("ログイン"))


def assert_accessible(page: Page, axe_source: str) -> None:
    """Assert that axe-core finds no critical or serious violation on the page shown."""
    page.add_script_tag(content=axe_source)
    found = page.evaluate("async () => (await axe.run(document)).violations")
    grave = [item for item in found if item["impact"] in ("critical", "serious")]
    assert not grave, json.dumps([{"id": v["id"], "help": v["help"],
                                   "nodes": [n["html"][:160] for n in v["nodes"][:3]]}
                                  for v in grave], ensure_ascii=False, indent=1)


def screenshot(page: Page, name: str) -> None:
    """Keep a picture of a main page in docs/ui/ (the README links them)."""
    if not SCREENSHOTS:
        return
    folder = Path(SCREENSHOTS)
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
