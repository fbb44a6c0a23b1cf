"""The totals the write path keeps per agreement, fiscal year and account (year_totals) are
the sums of the journal's postings: on the demo, on both databases, for every year; and
migration 0012 fills them from a journal written before it, equal to what the write path
keeps. (The agreement-life state machine checks the same after every step.)"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from offset.db.migrate import downgrade, upgrade
from offset.db.uow import unit_of_work_factory
from offset.demo.builder import build
from tests.databases import engine_for, fresh_database

YEARS = range(2009, 2023)
# The journal's own sums, written out in SQL: what year_totals must hold.
RECOMPUTED = """
SELECT e.agreement_id, e.fiscal_year, p.account_id, p.commodity, SUM(p.amount)
FROM postings p JOIN entries e ON e.id = p.entry_id
GROUP BY e.agreement_id, e.fiscal_year, p.account_id, p.commodity
"""


def kept(engine: Engine) -> set[tuple[object, ...]]:
    """The rows as stored (amounts in the column's integer thousandths, as the postings')."""
    with engine.connect() as connection:
        return {tuple(row) for row in connection.execute(text(
            "SELECT agreement_id, fiscal_year, account_id, commodity, amount "
            "FROM year_totals"))}


def recomputed(engine: Engine) -> set[tuple[object, ...]]:
    with engine.connect() as connection:
        return {(a, y, account, c, total) for a, y, account, c, total
                in connection.execute(text(RECOMPUTED))}


@pytest.fixture(scope="module")
def demo(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    with fresh_database(backend, tmp_path_factory.mktemp(f"totals-{backend}")) as url:
        engine = engine_for(url)
        with unit_of_work_factory(engine)() as uow:
            agreement_id = build(uow).agreement.id
            uow.commit()
        engine.dispose()
        yield url, agreement_id


def test_the_kept_totals_are_the_postings_sums(demo: tuple[str, int]):
    url, agreement_id = demo
    engine = engine_for(url)
    try:
        assert kept(engine) == recomputed(engine)
        with unit_of_work_factory(engine)(read_only=True) as uow:
            for fy in YEARS:
                assert uow.journal.year_balances([agreement_id], fy)[agreement_id] == \
                    uow.journal.balances(agreement_id, fiscal_year=fy), fy
    finally:
        engine.dispose()


def test_migration_0012_fills_them_from_the_journal_as_the_write_path_would(
        backend: str, tmp_path: Path):
    with fresh_database(backend, tmp_path, migrate=False) as url:
        upgrade(url=url)
        engine = engine_for(url)
        try:
            with unit_of_work_factory(engine)() as uow:
                build(uow)
                uow.commit()
            written = kept(engine)
            engine.dispose()
            downgrade(url=url, revision="0011")
            upgrade(url=url)
            assert kept(engine) == written == recomputed(engine)
            assert len(written) > 100
        finally:
            engine.dispose()
