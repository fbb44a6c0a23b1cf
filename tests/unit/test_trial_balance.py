"""The trial balance on a small journal written out by hand: opening, debits, credits, closing.

The journal of the agreement, in chain order (yen and estimated t-CO2):

    FY2009  thinning 1,200 yen owed to the contractor; 1.500 t estimated
    FY2010  thinning 300 yen owed to the contractor; 0.250 t estimated
    FY2010  1,000 yen paid to the contractor from the bank
    FY2011  thinning 50 yen owed to the contractor
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from offset.ledger import services as ledger
from offset.ledger.chain import GENESIS, ChainHead, extend
from offset.ledger.errors import JournalUnbalanced
from offset.ledger.model import Commodity, Entry, EntryKind, Posting
from offset.ledger.trial_balance import Line, TrialBalance
from tests.builders import agreement, cost_entry
from tests.fakes import FakeDatabase, FakeUnitOfWork
from tests.strategies import balanced_entries

JPY, EST = Commodity.JPY, Commodity.TCO2E_EST


def payment(agreement_id: int, yen: int, fiscal_year: int) -> Entry:
    return Entry(agreement_id, fiscal_year, EntryKind.COST, date(fiscal_year, 7, 1),
                 "Payment to the contractor",
                 (Posting("Liabilities:Payable:Contractor", JPY, Decimal(yen)),
                  Posting("Assets:Bank", JPY, Decimal(-yen))))


@pytest.fixture
def deal(uow: FakeDatabase) -> int:
    with uow() as work:
        found = agreement(work)
        ledger.post(work, [cost_entry(found.id, 1200, 2009, tonnes="1.500"),
                           cost_entry(found.id, 300, 2010, tonnes="0.250"),
                           payment(found.id, 1000, 2010),
                           cost_entry(found.id, 50, 2011)])
        work.commit()
    return found.id


def figures(balance: TrialBalance) -> list[tuple[str, str, str, str, str, str, str]]:
    """Return each account line as text: account, commodity, opening, debit, credit, net,
    closing."""
    return [(a.account, a.line.commodity.value, *(str(n) for n in _numbers(a.line)))
            for a in balance.accounts]


def totals(balance: TrialBalance) -> list[tuple[str, str, str, str, str, str]]:
    return [(t.commodity.value, *(str(n) for n in _numbers(t))) for t in balance.totals]


def _numbers(line: Line) -> tuple[Decimal, ...]:
    return line.opening, line.debit, line.credit, line.net, line.closing


def test_a_fiscal_year_opens_with_the_years_before_and_moves_by_its_own_entries(
        uow: FakeDatabase, deal: int):
    with uow() as work:
        balance = ledger.trial_balance(work, deal, 2010)

    assert (balance.agreement_id, balance.fiscal_year) == (deal, 2010)
    assert figures(balance) == [
        # account                          commodity    opening   debit  credit  net   closing
        ("Assets:Bank",                    "JPY",       "0",      "0",   "1000", "-1000", "-1000"),
        ("Assets:Credits:Estimated",       "tCO2e-est", "1.500",  "0.250", "0.000", "0.250",
         "1.750"),
        ("Expenses:Thinning",              "JPY",       "1200",   "300", "0",    "300",  "1500"),
        ("Income:Absorption:Estimated",    "tCO2e-est", "-1.500", "0.000", "0.250", "-0.250",
         "-1.750"),
        ("Liabilities:Payable:Contractor", "JPY",       "-1200",  "1000", "300", "700",  "-500"),
    ]
    assert totals(balance) == [
        ("JPY",       "0",     "1300",  "1300",  "0",     "0"),
        ("tCO2e-est", "0.000", "0.250", "0.250", "0.000", "0.000"),
    ]


def test_without_a_fiscal_year_the_whole_journal_moves_from_zero(uow: FakeDatabase,
                                                                  deal: int):
    with uow() as work:
        balance = ledger.trial_balance(work, deal)

    assert balance.fiscal_year is None
    assert figures(balance) == [
        ("Assets:Bank",                    "JPY",       "0",     "0",     "1000",  "-1000",
         "-1000"),
        ("Assets:Credits:Estimated",       "tCO2e-est", "0.000", "1.750", "0.000", "1.750",
         "1.750"),
        ("Expenses:Thinning",              "JPY",       "0",     "1550",  "0",     "1550",
         "1550"),
        ("Income:Absorption:Estimated",    "tCO2e-est", "0.000", "0.000", "1.750", "-1.750",
         "-1.750"),
        ("Liabilities:Payable:Contractor", "JPY",       "0",     "1000",  "1550",  "-550",
         "-550"),
    ]
    assert totals(balance) == [
        ("JPY",       "0",     "2550",  "2550",  "0",     "0"),
        ("tCO2e-est", "0.000", "1.750", "1.750", "0.000", "0.000"),
    ]


def test_an_account_stays_listed_when_its_year_nets_to_zero(uow: FakeDatabase, deal: int):
    with uow() as work:
        [posted] = ledger.post(work, [cost_entry(deal, 70, 2012)])
        ledger.reverse(work, posted.id, "wrong stand", "tester")
        balance = ledger.trial_balance(work, deal, 2012)

    assert figures(balance) == [
        ("Assets:Bank",                    "JPY",       "-1000", "0",  "0",  "0", "-1000"),
        ("Assets:Credits:Estimated",       "tCO2e-est", "1.750", "0.000", "0.000", "0.000",
         "1.750"),
        ("Expenses:Thinning",              "JPY",       "1550",  "70", "70", "0", "1550"),
        ("Income:Absorption:Estimated",    "tCO2e-est", "-1.750", "0.000", "0.000", "0.000",
         "-1.750"),
        ("Liabilities:Payable:Contractor", "JPY",       "-550",  "70", "70", "0", "-550"),
    ]


def test_an_agreement_without_entries_has_an_empty_trial_balance(uow: FakeDatabase):
    with uow() as work:
        empty = agreement(work)
        balance = ledger.trial_balance(work, empty.id, 2010)

    assert balance == TrialBalance(empty.id, 2010, (), (), ChainHead(empty.id, 0, GENESIS))


def test_a_journal_that_does_not_sum_to_zero_is_reported_not_balanced(uow: FakeDatabase,
                                                                        deal: int):
    # Only a store altered behind offset's back holds such an entry: post() refuses it.
    lopsided = Entry(deal, 2010, EntryKind.COST, date(2010, 8, 1), "Altered",
                     (Posting("Expenses:Thinning", JPY, Decimal(5)),
                      Posting("Assets:Bank", JPY, Decimal(-4))))
    with uow() as work:
        work.journal.append_chains([extend(work.journal.lock_head(deal), [lopsided],
                                           datetime.now(UTC))])
        with pytest.raises(JournalUnbalanced) as raised:
            ledger.trial_balance(work, deal, 2011)

    assert raised.value.agreement_id == deal
    assert raised.value.problems == ["JPY opening totals 1, not 0"]


@settings(max_examples=40)
@given(data=st.data(), year=st.integers(2009, 2031))
def test_opening_plus_movements_is_closing_and_every_total_is_zero(data: st.DataObject,
                                                                    year: int):
    database = FakeDatabase()
    with database() as work:
        deal = agreement(work).id
        ledger.post(work, data.draw(st.lists(balanced_entries(deal), max_size=8)))
        balance = ledger.trial_balance(work, deal, year)
        before = ledger.trial_balance(work, deal, year - 1)
        through = _sum_years(work, deal, year)

    for line in [a.line for a in balance.accounts] + list(balance.totals):
        assert line.closing == line.opening + line.debit - line.credit
        assert line.debit >= 0 and line.credit >= 0
    assert all(t.opening == t.net == t.closing == 0 and t.debit == t.credit
               for t in balance.totals)
    # Closing of a year is the sum of its own and every earlier year's balances; and a
    # year opens where the year before closed.
    assert {(a.account, a.line.commodity): a.line.closing for a in balance.accounts} == through
    closed = {(a.account, a.line.commodity): a.line.closing for a in before.accounts}
    assert all(a.line.opening == closed.get((a.account, a.line.commodity), 0)
               for a in balance.accounts)


def _sum_years(work: FakeUnitOfWork, deal: int, year: int) -> dict[tuple[str, Commodity], Decimal]:
    """Add the per-year balances of every year up to `year`, an independent route to the
    closing figures."""
    found: dict[tuple[str, Commodity], Decimal] = {}
    for each in range(2009, year + 1):
        for key, amount in ledger.balances(work, deal, fiscal_year=each).items():
            found[key] = found.get(key, Decimal(0)) + amount
    return found

