"""The journal on a real database: posting, reversing, balances, verification, guards."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from offset.db.uow import UnitOfWorkFactory
from offset.ledger import services as ledger
from offset.ledger.errors import AlreadyReversed, InvalidEntry, NotReversible
from offset.ledger.model import Commodity
from tests.builders import agreement, cost_entry


def test_a_posted_entry_is_read_back_exactly_and_its_chain_verifies(uow: UnitOfWorkFactory):
    with uow() as work:
        deal = agreement(work)
        posted = ledger.post(work, [cost_entry(deal.id, 1_234_567, tonnes="12.345")])[0]
        work.commit()
    with uow(read_only=True) as work:
        stored = work.journal.get(posted.id)
        assert stored == posted
        assert ledger.verify(work).ok


def test_balances_follow_fiscal_year_and_as_of_entry(uow: UnitOfWorkFactory):
    with uow() as work:
        deal = agreement(work)
        first, _second = ledger.post(work, [cost_entry(deal.id, 100, 2009),
                                            cost_entry(deal.id, 30, 2010)])
        total = ledger.balances(work, deal.id)
        fy2010 = ledger.balances(work, deal.id, fiscal_year=2010)
        as_of_first = ledger.balances(work, deal.id, as_of_seq=first.seq)
    assert total[("Expenses:Thinning", Commodity.JPY)] == Decimal(130)
    assert fy2010[("Expenses:Thinning", Commodity.JPY)] == Decimal(30)
    assert as_of_first[("Expenses:Thinning", Commodity.JPY)] == Decimal(100)


def test_a_reversal_nets_the_original_to_zero_and_happens_once(uow: UnitOfWorkFactory):
    with uow() as work:
        deal = agreement(work)
        original = ledger.post(work, [cost_entry(deal.id, 500, tonnes="1.5")])[0]
        reversal = ledger.reverse(work, original.id, "typed the wrong amount", "tester")
        with pytest.raises(AlreadyReversed):
            ledger.reverse(work, original.id, "again", "tester")
        with pytest.raises(NotReversible):
            ledger.reverse(work, reversal.id, "undo", "tester")
        assert all(amount == 0 for amount in ledger.balances(work, deal.id).values())
        assert reversal.entry.reverses is not None
        assert reversal.entry.reverses.entry_id == original.id
        assert ledger.verify(work).ok


def test_an_unbalanced_entry_is_refused_and_nothing_is_written(uow: UnitOfWorkFactory):
    with uow() as work:
        deal = agreement(work)
        good = cost_entry(deal.id, 100)
        bad = cost_entry(deal.id, 100)
        bad = type(bad)(**{**bad.__dict__, "postings": bad.postings[:1] * 2})
        with pytest.raises(InvalidEntry, match="JPY postings sum to 200"):
            ledger.post(work, [good, bad])
        assert ledger.verify(work).entry_count == 0


@pytest.mark.parametrize("statement", [
    "UPDATE entries SET description = 'rewritten'",
    "DELETE FROM entries",
    "UPDATE postings SET amount = amount + 1",
    "DELETE FROM postings",
])
def test_the_database_refuses_to_rewrite_the_journal(uow: UnitOfWorkFactory, connection,
                                                      statement: str):
    with uow() as work:
        deal = agreement(work)
        ledger.post(work, [cost_entry(deal.id, 100)])
        work.commit()
    savepoint = connection.begin_nested()
    with pytest.raises(DBAPIError, match="append-only"):
        connection.execute(text(statement))
    savepoint.rollback()
    with uow(read_only=True) as work:
        assert ledger.verify(work).entry_count == 1
