"""Unit tests run the use cases on the in-memory unit of work (tests/fakes.py), no database.

The fixture is named `uow` like the integration suite's, so a rule reads the same in both:
`with uow() as work: ...`; here it starts from the shipped reference data, loaded by the
same use case that loads it into a real database.
"""

from __future__ import annotations

import copy

import pytest

from offset.reference_data import load_shipped
from tests.fakes import FakeDatabase


@pytest.fixture(scope="session")
def shipped() -> FakeDatabase:
    """The shipped reference data, parsed and loaded once for the whole session."""
    database = FakeDatabase()
    with database() as work:
        load_shipped(work)
        work.commit()
    return database


@pytest.fixture
def uow(shipped: FakeDatabase) -> FakeDatabase:
    """A fresh in-memory database holding the shipped parameter set, yield table and factors."""
    return copy.deepcopy(shipped)
