"""`offset balances`, run in-process against real SQLite and PostgreSQL.

The journal: FY2009 a thinning cost of 1,200 yen with 1.500 t-CO2 estimated; FY2010 one of
12,345,678 yen with 0.250 t estimated.
"""

from __future__ import annotations

import pytest

from offset.db.uow import unit_of_work_factory
from offset.ledger import services as ledger
from tests.builders import agreement, cost_entry
from tests.cli.running import assert_one_line_error, offset, ok
from tests.databases import engine_for


@pytest.fixture
def two_years(fresh_url: str) -> str:
    engine = engine_for(fresh_url)
    try:
        with unit_of_work_factory(engine)() as uow:
            deal = agreement(uow)
            ledger.post(uow, [cost_entry(deal.id, 1200, 2009, tonnes="1.500"),
                              cost_entry(deal.id, 12_345_678, 2010, tonnes="0.250")])
            agreement(uow, ("131016", "千代田区", "Chiyoda City"))  # agreement 2, no entries
            uow.commit()
    finally:
        engine.dispose()
    return fresh_url


def head_line(url: str, agreement_id: int) -> str:
    """Return the last line `balances` prints: the chain point it read, today's head."""
    engine = engine_for(url)
    try:
        with unit_of_work_factory(engine)(read_only=True) as uow:
            head = ledger.head_as_of(uow, agreement_id)
    finally:
        engine.dispose()
    return f"as of seq {head.entry_count}, head {head.hash}"


def lines_of(shown: str) -> list[str]:
    """Return the printed lines with runs of spaces made one, rules and blanks left out."""
    return [" ".join(line.split()) for line in shown.splitlines()
            if line.strip() and set(line.strip()) != {"─"}]


def test_a_year_shows_opening_debits_credits_and_closing_with_zero_totals(two_years: str):
    shown = lines_of(ok(two_years, "balances", "--agreement", "1", "--fy", "2010"))

    assert shown[0] == "agreement 1, FY2010 (平成22年度): trial balance 試算表"
    assert shown[1] == ("勘定 Account 単位 Commodity 期首 Opening 借方 Debit 貸方 Credit "
                        "純増減 Net 期末 Closing")
    assert shown[2:] == [
        "Assets:Credits:Estimated tCO2e-est 1.500 0.250 0.000 0.250 1.750",
        "Expenses:Thinning JPY 1,200 12,345,678 0 12,345,678 12,346,878",
        "Income:Absorption:Estimated tCO2e-est -1.500 0.000 0.250 -0.250 -1.750",
        "Liabilities:Payable:Contractor JPY -1,200 0 12,345,678 -12,345,678 -12,346,878",
        "合計 Total JPY 0 12,345,678 12,345,678 0 0",
        "合計 Total tCO2e-est 0.000 0.250 0.250 0.000 0.000",
        head_line(two_years, 1),
    ]


def test_without_a_year_the_whole_journal_moves_from_zero(two_years: str):
    shown = lines_of(ok(two_years, "balances", "--agreement", "1"))

    assert shown[0] == "agreement 1, whole journal: trial balance 試算表"
    assert "Expenses:Thinning JPY 0 12,346,878 0 12,346,878 12,346,878" in shown
    assert "合計 Total tCO2e-est 0.000 1.750 1.750 0.000 0.000" in shown


def test_an_agreement_without_entries_says_so(two_years: str):
    assert lines_of(ok(two_years, "balances", "--agreement", "2", "--fy", "2010")) == [
        "agreement 2, FY2010 (平成22年度): trial balance 試算表", "no postings",
        f"as of seq 0, head {'0' * 64}"]


@pytest.mark.parametrize(("args", "start"), [
    (("--agreement", "9"), "agreement_id: agreement 9 does not exist"),
    (("--agreement", "1", "--fy", "1800"), "fiscal year 1800 is outside"),
])
def test_an_unknown_agreement_or_a_year_out_of_range_is_one_line(two_years: str,
                                                                  args: tuple[str, ...],
                                                                  start: str):
    assert_one_line_error(offset(two_years, "balances", *args), 2, start)
