"""The trial balance on SQLite and PostgreSQL agrees with an independent SQL sum of postings."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Connection, event, text

from offset.db.uow import UnitOfWorkFactory
from offset.ledger import services as ledger
from offset.ledger.model import Commodity
from offset.ledger.trial_balance import TrialBalance
from tests.builders import CHIYODA, MATSUMOTO, agreement, cost_entry
from tests.strategies import balanced_entries

# Amounts are stored as integer thousandths (offset.db.types.Fixed): the independent sum
# reads the raw column and scales it here.
INDEPENDENT = text("""
    SELECT a.name, p.commodity,
           SUM(CASE WHEN e.fiscal_year < :fy THEN p.amount ELSE 0 END),
           SUM(CASE WHEN e.fiscal_year = :fy AND p.amount > 0 THEN p.amount ELSE 0 END),
           SUM(CASE WHEN e.fiscal_year = :fy AND p.amount < 0 THEN -p.amount ELSE 0 END)
    FROM postings p JOIN entries e ON e.id = p.entry_id JOIN accounts a ON a.id = p.account_id
    WHERE e.agreement_id = :deal AND e.fiscal_year <= :fy
    GROUP BY a.name, p.commodity
""")


def independent(connection: Connection, deal: int, fy: int,
                ) -> dict[tuple[str, str], tuple[Decimal, Decimal, Decimal]]:
    return {(name, commodity): tuple(Decimal(n).scaleb(-3) for n in sums)  # type: ignore[misc]
            for name, commodity, *sums in connection.execute(INDEPENDENT,
                                                             {"deal": deal, "fy": fy})}


def figures(balance: TrialBalance) -> dict[tuple[str, str], tuple[Decimal, Decimal, Decimal]]:
    return {(a.account, a.line.commodity.value): (a.line.opening, a.line.debit, a.line.credit)
            for a in balance.accounts}


@settings(max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), fy=st.integers(2009, 2031))
def test_the_trial_balance_is_the_sum_of_the_stored_postings(uow: UnitOfWorkFactory,
                                                             connection: Connection,
                                                             data: st.DataObject, fy: int):
    savepoint = connection.begin_nested()
    with uow() as work:
        deal, other = agreement(work), agreement(work, CHIYODA, MATSUMOTO)
        ledger.post(work, data.draw(st.lists(balanced_entries(deal.id), max_size=8))
                    + data.draw(st.lists(balanced_entries(other.id), max_size=3)))
        balance = ledger.trial_balance(work, deal.id, fy)
        expected = independent(connection, deal.id, fy)
    savepoint.rollback()

    assert figures(balance) == expected
    assert all(t.opening == t.net == 0 for t in balance.totals)


def test_the_whole_journal_sums_every_year_from_zero(uow: UnitOfWorkFactory,
                                                      connection: Connection):
    with uow() as work:
        deal = agreement(work)
        ledger.post(work, [cost_entry(deal.id, 1200, 2009, tonnes="1.500"),
                           cost_entry(deal.id, 300, 2013)])
        balance = ledger.trial_balance(work, deal.id)

    assert figures(balance) == {
        ("Assets:Credits:Estimated", "tCO2e-est"):
            (Decimal("0.000"), Decimal("1.500"), Decimal("0.000")),
        ("Expenses:Thinning", "JPY"): (Decimal(0), Decimal(1500), Decimal(0)),
        ("Income:Absorption:Estimated", "tCO2e-est"):
            (Decimal("0.000"), Decimal("0.000"), Decimal("1.500")),
        ("Liabilities:Payable:Contractor", "JPY"): (Decimal(0), Decimal(0), Decimal(1500)),
    }
    assert [(t.commodity, t.debit, t.credit) for t in balance.totals] == [
        (Commodity.JPY, Decimal(1500), Decimal(1500)),
        (Commodity.TCO2E_EST, Decimal("1.500"), Decimal("1.500")),
    ]


def test_the_sums_bound_by_an_entry_read_only_the_chain_up_to_it(uow: UnitOfWorkFactory):
    with uow() as work:
        deal = agreement(work)
        first, _ = ledger.post(work, [cost_entry(deal.id, 100, 2010),
                                      cost_entry(deal.id, 30, 2010)])
        bounded = work.journal.turnovers(deal.id, first_year=2010, last_year=2010,
                                         as_of_seq=first.seq)

    assert {key: (t.debit, t.credit) for key, t in bounded.items()} == {
        ("Expenses:Thinning", Commodity.JPY): (Decimal(100), Decimal(0)),
        ("Liabilities:Payable:Contractor", Commodity.JPY): (Decimal(0), Decimal(100)),
    }


def test_on_sqlite_the_sums_search_the_agreement_year_index(uow: UnitOfWorkFactory,
                                                             connection: Connection):
    if connection.dialect.name != "sqlite":
        pytest.skip("the plan checked is SQLite's; PostgreSQL plans by table statistics")
    statements: list[tuple[str, object]] = []

    def capture(_conn: object, _cursor: object, statement: str, parameters: object,
                *_: object) -> None:
        statements.append((statement, parameters))

    with uow() as work:
        deal = agreement(work)
        event.listen(connection, "before_cursor_execute", capture)
        try:
            ledger.trial_balance(work, deal.id, 2010)
        finally:
            event.remove(connection, "before_cursor_execute", capture)
    sums = [(s, p) for s, p in statements if "sum(" in s.lower()]
    assert len(sums) == 2  # one for the opening, one for the year's movements
    for statement, parameters in sums:
        plan = " / ".join(row[3] for row in connection.exec_driver_sql(
            "EXPLAIN QUERY PLAN " + statement, parameters))  # type: ignore[arg-type]
        # Only the agreement's years are read, through the (agreement, year, seq) index, and
        # only their postings, through the (entry_id, line) key: never a scan of a table.
        assert re.search(r"SEARCH entries USING (COVERING )?INDEX "
                         r"ix_entries_agreement_id_fiscal_year_seq \(agreement_id=\? AND "
                         r"fiscal_year", plan), plan
        assert "SEARCH postings USING INDEX sqlite_autoindex_postings_1 (entry_id=?)" in plan
        assert "SCAN" not in plan, plan
