"""Fixtures for HTTP tests: the app over the test's rolled-back transaction, and a small world.

The world has two agreements with their users, so every test can ask "who may do this?":

    deal   Shinjuku (urban) – Ina (forest)        users: urban, forestry, auditor
    other  Chiyoda (urban) – Matsumoto (forest)   users: other-urban, other-forestry,
                                                         other-auditor
    and an admin, who belongs to neither; one cost entry of 1,200 yen is posted in deal.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import pytest

from offset.access.model import Role
from offset.access.services import add_user
from offset.agreements.model import Agreement
from offset.api.app import create_app
from offset.db.uow import UnitOfWorkFactory
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


@pytest.fixture
def client(uow: UnitOfWorkFactory) -> TestClient:
    return TestClient(create_app(uow))


@pytest.fixture
def world(uow: UnitOfWorkFactory) -> World:
    with uow() as work:
        deal = agreement(work, SHINJUKU, INA)
        other = agreement(work, CHIYODA, MATSUMOTO)
        users = {
            "admin": (Role.ADMIN, None, frozenset[int]()),
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
