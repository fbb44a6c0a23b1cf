"""An import never blocks other users: their writes wait at most for its final commit.

Real commits on a database of the test's own (`fresh_url`), two threads: a long import and
another user's cost entry written while the import is checking its rows, into the same
agreement. The import waits for that write before it goes on checking: had it held SQLite's
write lock (or, on PostgreSQL, a stand or chain-head lock) while checking, the writer would
give up after the busy timeout with "database is locked", or wait for ever.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import Engine

from offset.agreements.model import Agreement
from offset.db.engine import make_engine
from offset.db.uow import UnitOfWorkFactory, unit_of_work_factory
from offset.forestry.imports import read_table
from offset.forestry.model import StandInput, StandVersion
from offset.forestry.sheets import FileFormat
from offset.forestry.stands import register_stand
from offset.forestry.thinnings import import_thinnings, prepare_import
from offset.ledger import services as ledger
from tests.builders import INA, agreement, cost_entry, party

ROWS = 400
STANDS = 20
WAIT = 60  # seconds a thread may take before the test gives up on it


@pytest.fixture
def engine(fresh_url: str) -> Iterator[Engine]:
    engine = make_engine(fresh_url, busy_timeout_ms=10_000)
    yield engine
    engine.dispose()


def season(work: UnitOfWorkFactory) -> Agreement:
    with work() as uow:
        deal = agreement(uow)
        for number in range(1, STANDS + 1):
            register_stand(uow, party(uow, INA).id, StandInput(
                "伊那富士", "7", str(number),
                StandVersion(Decimal(100), "akamatsu", 1970, site_class=2)), "test")
        uow.commit()
    return deal


def log(rows: int) -> bytes:
    lines = [f"伊那富士,7,{n % STANDS + 1},{date(2009, 4, 1) + timedelta(days=n % 365)},1 ha"
             for n in range(rows)]
    return ("団地,林班,小班,実施日,面積\n" + "\n".join(lines) + "\n").encode()


def test_a_write_during_an_import_completes_and_the_import_commits_too(engine: Engine):
    work = unit_of_work_factory(engine)
    deal = season(work)
    table = read_table(log(ROWS), FileFormat.CSV)
    checking, written = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def progress(done: int, total: int) -> None:
        if done == total // 2:  # halfway through checking: let the other user write
            checking.set()
            assert written.wait(WAIT), "the other user's write did not complete"

    def importer() -> None:
        try:
            with work(read_only=True) as uow:
                prepared = prepare_import(uow, deal, table, progress)
            with work() as uow:
                import_thinnings(uow, deal, prepared, "import")
                uow.commit()
        except BaseException as error:  # collected and asserted on by the test
            errors.append(error)

    def other_user() -> None:
        try:
            assert checking.wait(WAIT), "the import never started checking"
            with work() as uow:
                ledger.post(uow, [cost_entry(deal.id, 1200)])
                uow.commit()
            written.set()
        except BaseException as error:  # collected and asserted on by the test
            errors.append(error)
            written.set()

    threads = [threading.Thread(target=importer), threading.Thread(target=other_user)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT * 2)

    assert errors == []
    with work(read_only=True) as uow:
        assert len(uow.forestry.thinnings(deal.id)) == ROWS
        verification = ledger.verify(uow, [deal.id])
    assert verification.ok, verification.breaks
    assert verification.entry_count == 1 + ROWS * 5  # the cost entry and every estimate


def test_a_write_during_the_imports_commit_waits_for_it_and_completes(engine: Engine):
    work = unit_of_work_factory(engine)
    deal = season(work)
    with work(read_only=True) as uow:
        prepared = prepare_import(uow, deal, read_table(log(ROWS), FileFormat.CSV))
    storing = threading.Event()
    errors: list[BaseException] = []

    def other_user() -> None:
        try:
            assert storing.wait(WAIT)
            with work() as uow:  # waits for the import's write transaction to end
                ledger.post(uow, [cost_entry(deal.id, 1200)])
                uow.commit()
        except BaseException as error:  # collected and asserted on by the test
            errors.append(error)

    writer = threading.Thread(target=other_user)
    writer.start()
    with work() as uow:
        storing.set()
        import_thinnings(uow, deal, prepared, "import")
        uow.commit()
    writer.join(WAIT)

    assert errors == []
    with work(read_only=True) as uow:
        verification = ledger.verify(uow, [deal.id])
    assert verification.ok, verification.breaks
    assert verification.entry_count == 1 + ROWS * 5
