"""Concurrent posting on a real database: 8 writers, one entry per unit of work, no losses.

Each test gets a database of its own with real commits (`fresh_url`), so the writers really
compete for chain-head locks: on PostgreSQL a row lock per agreement, on SQLite the database's
write lock (writers of the process queue for it first come, first served, then BEGIN
IMMEDIATE). The engines have the default pool, as the server has, and the writers come through
the service layer or over HTTP, each with a TestClient of its own (sync routes run on threads).
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import Engine, func, select

from offset.access.model import Role
from offset.access.services import add_user
from offset.api.app import create_app
from offset.db.engine import make_engine
from offset.db.tables import entries
from offset.db.uow import UnitOfWorkFactory, unit_of_work_factory
from offset.ledger import services as ledger
from tests.builders import CHIYODA, INA, MATSUMOTO, SHINJUKU, agreement, cost_entry
from tests.e2e.conftest import TestClient

THREADS = 8
ENTRIES_PER_THREAD = 100  # 800 commits racing for one chain
REQUESTS_PER_THREAD = 25  # over HTTP, where each write costs a request
COST = {"fiscal_year": 2010, "category": "thinning", "amount": 1001,
        "incurred_on": "2010-12-20", "description": "間伐事業 鹿嶺高原"}
# Four distinct urban/forest pairs; further agreements reuse them, as renewals of a
# partnership under a new agreement would.
PAIRS = [(SHINJUKU, INA), (CHIYODA, MATSUMOTO), (SHINJUKU, MATSUMOTO), (CHIYODA, INA)]


@pytest.fixture
def engine(fresh_url: str) -> Iterator[Engine]:
    engine = make_engine(fresh_url)
    yield engine
    engine.dispose()


def _agreements(factory: UnitOfWorkFactory, count: int) -> list[int]:
    with factory() as uow:
        ids = [agreement(uow, *PAIRS[i % len(PAIRS)]).id for i in range(count)]
        uow.commit()
    return ids


def _post_concurrently(factory: UnitOfWorkFactory, agreement_ids: list[int]) -> list[BaseException]:
    """Run one writer thread per `agreement_ids` item; return every exception raised."""
    def write(number: int, agreement_id: int) -> None:
        for i in range(ENTRIES_PER_THREAD):
            with factory() as uow:
                ledger.post(uow, [cost_entry(agreement_id, 1 + number * 10_000 + i)])
                uow.commit()
    return _concurrently(write, agreement_ids)


def _concurrently(write: Callable[[int, int], None],
                  agreement_ids: list[int]) -> list[BaseException]:
    """Run `write(number, agreement_id)` on a thread per `agreement_ids` item, all started
    at once; return every exception raised."""
    errors: list[BaseException] = []
    start = threading.Barrier(len(agreement_ids))

    def writer(number: int, agreement_id: int) -> None:
        try:
            start.wait()
            write(number, agreement_id)
        except BaseException as error:  # collected and asserted on by the test
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(n, a), name=f"writer-{n}")
               for n, a in enumerate(agreement_ids)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def _assert_journal_whole(engine: Engine, agreement_ids: list[int],
                          per_thread: int = ENTRIES_PER_THREAD) -> None:
    expected = {a: agreement_ids.count(a) * per_thread for a in set(agreement_ids)}
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(entries)).scalar_one() \
            == THREADS * per_thread
        for agreement_id, count in expected.items():
            seqs = connection.execute(select(entries.c.seq)
                                      .where(entries.c.agreement_id == agreement_id)
                                      .order_by(entries.c.seq)).scalars().all()
            assert seqs == list(range(1, count + 1))
    with unit_of_work_factory(engine)(read_only=True) as uow:
        verification = ledger.verify(uow)
        assert verification.ok, verification.breaks
        assert {h.agreement_id: h.entry_count for h in verification.heads} == expected
        assert verification.entry_count == THREADS * per_thread


def test_eight_writers_into_one_agreement_lose_nothing_and_keep_the_chain(engine: Engine):
    factory = unit_of_work_factory(engine)
    agreement_ids = _agreements(factory, 1) * THREADS

    errors = _post_concurrently(factory, agreement_ids)

    assert errors == []
    _assert_journal_whole(engine, agreement_ids)


def test_eight_writers_into_eight_agreements_lose_nothing_and_keep_every_chain(engine: Engine):
    factory = unit_of_work_factory(engine)
    agreement_ids = _agreements(factory, THREADS)

    errors = _post_concurrently(factory, agreement_ids)

    assert errors == []
    _assert_journal_whole(engine, agreement_ids)


def test_eight_writers_over_http_all_succeed_and_keep_the_chain(engine: Engine):
    factory = unit_of_work_factory(engine)
    agreement_ids = _agreements(factory, 1) * THREADS
    with factory() as uow:
        _, token = add_user(uow, "urban", Role.URBAN, party_code=SHINJUKU[0])
        uow.commit()
    app = create_app(factory)
    statuses: list[int] = []

    def write(_number: int, agreement_id: int) -> None:
        client = TestClient(app, headers={"Authorization": f"Bearer {token}"})
        for _ in range(REQUESTS_PER_THREAD):
            statuses.append(client.post(f"/v1/agreements/{agreement_id}/costs", json=COST,
                                        headers={"Idempotency-Key": uuid.uuid4().hex})
                            .status_code)

    errors = _concurrently(write, agreement_ids)

    assert errors == []
    assert statuses == [201] * THREADS * REQUESTS_PER_THREAD
    _assert_journal_whole(engine, agreement_ids, REQUESTS_PER_THREAD)
