"""An entry balances per commodity, has exact amounts in its commodity's precision."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from offset.ledger.model import (
    Commodity,
    Entry,
    EntryKind,
    Posting,
    Reference,
    problems,
)

JPY, EST = Commodity.JPY, Commodity.TCO2E_EST


def entry(*postings: Posting, **changes: object) -> Entry:
    base = Entry(1, 2009, EntryKind.COST, date(2009, 6, 1), "Thinning work", postings)
    return replace(base, **changes)


def p(account: str, commodity: Commodity, amount: str) -> Posting:
    return Posting(account, commodity, Decimal(amount))


def test_a_balanced_two_commodity_entry_is_valid():
    assert problems(entry(p("Expenses:Thinning", JPY, "1000"),
                          p("Liabilities:Payable", JPY, "-1000"),
                          p("Assets:Credits:Estimated", EST, "1.234"),
                          p("Income:Absorption", EST, "-1.234"))) == []


def test_each_commodity_must_balance_on_its_own():
    found = problems(entry(p("Expenses:Thinning", JPY, "1000"),
                           p("Assets:Credits:Estimated", EST, "-1000")))
    assert "JPY postings sum to 1000, not 0" in found
    assert "tCO2e-est postings sum to -1000, not 0" in found


def test_yen_are_whole_and_tonnes_have_three_places():
    found = problems(entry(p("Expenses:Thinning", JPY, "0.5"),
                           p("Liabilities:Payable", JPY, "-0.5"),
                           p("Assets:Credits", EST, "0.0005"),
                           p("Income:Absorption", EST, "-0.0005")))
    assert sum("allows 0 decimal places" in f for f in found) == 2
    assert sum("allows 3 decimal places" in f for f in found) == 2


@pytest.mark.parametrize("account", ["expenses:thinning", "Expenses", "Cash:Box", "Assets:box"])
def test_account_names_follow_beancount_grammar(account: str):
    found = problems(entry(p(account, JPY, "1"), p("Liabilities:Payable", JPY, "-1")))
    assert any("not a valid account name" in f for f in found)


def test_one_posting_is_not_an_entry():
    assert "an entry needs at least two postings" in problems(
        entry(p("Expenses:Thinning", JPY, "0")))


def test_a_reversal_must_say_why():
    reversal = entry(p("Expenses:Thinning", JPY, "-1"), p("Liabilities:Payable", JPY, "1"),
                     kind=EntryKind.REVERSAL, reverses=Reference(7, "0" * 64), reason=" ")
    assert problems(reversal) == ["a reversal needs a reason"]


def test_only_corrections_reference_another_entry():
    found = problems(entry(p("Expenses:Thinning", JPY, "1"), p("Liabilities:Payable", JPY, "-1"),
                           reverses=Reference(7, "0" * 64)))
    assert found == ["a correction (reversal or prior-period adjustment), and only it, "
                     "references the entry it corrects"]


def test_a_memorandum_moves_nothing():
    close = replace(entry(), kind=EntryKind.PERIOD_CLOSE)
    assert problems(close) == []
    assert problems(replace(close, postings=(p("Expenses:Thinning", JPY, "1"),
                                             p("Liabilities:Payable", JPY, "-1")))) == [
        "a period-close entry has no postings"]


def test_details_are_normalised_to_their_stored_form():
    stored = entry(p("Expenses:Thinning", JPY, "1"), p("Liabilities:Payable", JPY, "-1"),
                   details={"area_ha": Decimal("1.50"), "day": date(2009, 6, 1)})
    assert stored.details == {"area_ha": "1.50", "day": "2009-06-01"}


def test_control_characters_are_refused_in_text():
    found = problems(entry(p("Expenses:Thinning", JPY, "1"), p("Liabilities:Payable", JPY, "-1"),
                           description="bad\x00text"))
    assert found == ["description contains control characters"]


def test_an_entry_read_back_from_its_stored_details_equals_the_entry_made():
    made = entry(p("Expenses:Thinning", JPY, "1"), p("Liabilities:Payable", JPY, "-1"),
                 details={"b": Decimal("2.50"), "a": [1, "x"]})
    stored = replace(made, details_json='{"a":[1,"x"],"b":"2.50"}')
    assert stored == made
    assert stored.details == {"a": [1, "x"], "b": "2.50"}


def test_replacing_the_details_of_an_entry_replaces_its_stored_text():
    made = entry(p("Expenses:Thinning", JPY, "1"), p("Liabilities:Payable", JPY, "-1"),
                 details={"a": 1})
    changed = replace(made, details={"a": 2})
    assert (changed.details_json, changed.details) == ('{"a":2}', {"a": 2})
