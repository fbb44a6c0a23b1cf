"""Hypothesis strategies for ledger and forestry data, in one place."""

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


# Forestry.

SPECIES = ("sugi", "hinoki", "karamatsu", "akamatsu", "broadleaf")

species_codes = st.sampled_from(SPECIES)
# Areas as stored: hectares with 4 places (1 m2), from 1 m2 to 100 ha.
areas_ha = st.integers(min_value=1, max_value=10**6).map(lambda m2: Decimal(m2).scaleb(-4))
# Measured stem growth as stored: m3/ha/yr with 3 places, 0.1 to 30.
measured_growths = st.integers(min_value=100, max_value=30_000).map(
    lambda litres: Decimal(litres).scaleb(-3))
# Per-area rates as an agreement holds them: t-CO2/ha/yr with 3 places, 0.001 to 20.
per_area_rates = st.integers(min_value=1, max_value=20_000).map(
    lambda kg: Decimal(kg).scaleb(-3))
crediting_windows = st.integers(min_value=1, max_value=8)
# Ages at which the yield table answers for age class and the next (classes 1..15).
stand_ages = st.integers(min_value=1, max_value=75)
