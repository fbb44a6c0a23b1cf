"""Fixtures for HTTP tests: the app over the test's rolled-back transaction, and a small world.

Building the app costs about as much as an HTTP test itself (FastAPI analyses every route's
models), so each worker builds it once; its unit-of-work factory hands each request to the
running test's factory, which works inside that test's transaction.

The world has two agreements with their users, so every test can ask "who may do this?":

    deal   Shinjuku (urban) – Ina (forest)        users: urban, forestry, auditor
    other  Chiyoda (urban) – Matsumoto (forest)   users: other-urban, other-forestry,
                                                         other-auditor
    and an admin and the national council, who belong to neither; one cost entry of 1,200
    yen is posted in deal.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi import FastAPI

from offset.access.model import Role
from offset.access.services import add_user
from offset.agreements.model import Agreement
from offset.api.app import create_app
from offset.api.routes import open_data
from offset.db.uow import UnitOfWork, UnitOfWorkFactory
from offset.ledger import services as ledger
from tests.builders import CHIYODA, INA, MATSUMOTO, SHINJUKU, agreement, cost_entry

with warnings.catch_warnings():
    # Starlette 1.x asks for the `httpx2` package and warns when it falls back to httpx;
    # the warning concerns the test client only, not the app.
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

BAD_TOKEN = "off_" + "x" * 43


@dataclass(frozen=True)
class World:
    deal: Agreement
    other: Agreement
    entry_id: int
    tokens: dict[str, str]

    def auth(self, caller: str) -> dict[str, str]:
        """Return the headers `caller` sends: its bearer token, a bad one, or none."""
        if caller == "anonymous":
            return {}
        token = BAD_TOKEN if caller == "bad-token" else self.tokens[caller]
        return {"Authorization": f"Bearer {token}"}


class RunningTestsWork:
    """A unit-of-work factory that forwards to the running test's; none outside a test."""

    def __init__(self) -> None:
        self.factory: UnitOfWorkFactory | None = None

    def __call__(self, *, read_only: bool = False) -> UnitOfWork:
        assert self.factory is not None, "the app was called outside a test's `client`"
        return self.factory(read_only=read_only)


@pytest.fixture(scope="session")
def running_tests_work() -> RunningTestsWork:
    return RunningTestsWork()


@pytest.fixture(scope="session")
def app(running_tests_work: RunningTestsWork) -> FastAPI:
    return create_app(running_tests_work)


@pytest.fixture
def client(app: FastAPI, running_tests_work: RunningTestsWork,
           uow: UnitOfWorkFactory) -> Iterator[TestClient]:
    running_tests_work.factory = uow
    open_data.install(app)  # each test its own budget per address and its own cached rows
    yield TestClient(app)
    running_tests_work.factory = None
    # The app is shared by the worker's tests: what one test overrides must not reach the next.
    app.dependency_overrides.clear()


@pytest.fixture
def world(uow: UnitOfWorkFactory) -> World:
    with uow() as work:
        deal = agreement(work, SHINJUKU, INA)
        other = agreement(work, CHIYODA, MATSUMOTO)
        users = {
            "admin": (Role.ADMIN, None, frozenset[int]()),
            "council": (Role.COUNCIL, None, frozenset()),
            "urban": (Role.URBAN, SHINJUKU[0], frozenset()),
            "forestry": (Role.FORESTRY, INA[0], frozenset()),
            "auditor": (Role.AUDITOR, None, frozenset({deal.id})),
            "other-urban": (Role.URBAN, CHIYODA[0], frozenset()),
            "other-forestry": (Role.FORESTRY, MATSUMOTO[0], frozenset()),
            "other-auditor": (Role.AUDITOR, None, frozenset({other.id})),
        }
        tokens = {name: add_user(work, name, role, party_code=party, agreement_ids=audits)[1]
                  for name, (role, party, audits) in users.items()}
        entry = ledger.post(work, [cost_entry(deal.id, 1200)])[0]
        work.commit()
    return World(deal, other, entry.id, tokens)
