"""Hypothesis strategies for ledger data, in one place."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import strategies as st

from offset.ledger.model import Commodity, Entry, EntryKind, Posting

DEBIT_ACCOUNTS = ("Expenses:Thinning", "Expenses:WorkRoad", "Assets:Credits:Estimated",
                  "Assets:Credits:Certified")
CREDIT_ACCOUNTS = ("Liabilities:Payable:Contractor", "Income:Subsidy:National",
                   "Income:Absorption:Estimated", "Equity:Issued")

yen = st.integers(min_value=1, max_value=10**10).map(Decimal)
tonnes = st.integers(min_value=1, max_value=10**9).map(lambda kg: Decimal(kg).scaleb(-3))
fiscal_years = st.integers(min_value=2009, max_value=2030)


@st.composite
def commodity_legs(draw: st.DrawFn, commodity: Commodity) -> list[Posting]:
    """Postings of one commodity that balance: some debits, one credit for their sum."""
    amounts = draw(st.lists(yen if commodity is Commodity.JPY else tonnes, min_size=1,
                            max_size=3))
    debits = [Posting(draw(st.sampled_from(DEBIT_ACCOUNTS)), commodity, a) for a in amounts]
    credit = Posting(draw(st.sampled_from(CREDIT_ACCOUNTS)), commodity, -sum(amounts))
    return [*debits, credit]


@st.composite
def balanced_entries(draw: st.DrawFn, agreement_id: int) -> Entry:
    """A valid entry over one to three commodities."""
    commodities = draw(st.lists(st.sampled_from(list(Commodity)), min_size=1, max_size=3,
                                unique=True))
    postings = [p for c in commodities for p in draw(commodity_legs(c))]
    year = draw(fiscal_years)
    return Entry(agreement_id, year, draw(st.sampled_from([EntryKind.COST, EntryKind.ESTIMATE,
                                                           EntryKind.EMISSION])),
                 date(year, draw(st.integers(4, 12)), 1),
                 draw(st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1,
                              max_size=40).filter(str.strip)), tuple(postings),
                 details={"note": draw(st.text(max_size=20))})


# A life of a journal: post entries, or reverse the n-th entry posted so far.
operations = st.lists(
    st.one_of(st.tuples(st.just("post"), st.integers(1, 4)),
              st.tuples(st.just("reverse"), st.integers(0, 50))),
    min_size=1, max_size=12)
