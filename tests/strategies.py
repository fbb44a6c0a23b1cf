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


# The urban side: money and emissions.

# Yen amounts as the ledger holds them (1 yen to 1 trillion yen).
yen_amounts = st.integers(min_value=1, max_value=10**12)
# Cost shares in percent with up to 2 places: 0.00 to 100.00.
percents = st.integers(min_value=0, max_value=10_000).map(lambda bp: Decimal(bp).scaleb(-2))
COST_CATEGORIES = ("thinning", "work-road", "survey", "administration", "other")
SUBSIDY_SCHEMES = ("national", "prefectural", "forest-environment-tax", "other")
SIDES = ("urban", "forest")
cost_categories = st.sampled_from(COST_CATEGORIES)
subsidy_schemes = st.sampled_from(SUBSIDY_SCHEMES)
sides = st.sampled_from(SIDES)
# Timber volumes in m3 with 3 places (0.001 to 1,000 m3) and prices in yen per m3.
timber_volumes = st.integers(min_value=1, max_value=10**6).map(
    lambda litres: Decimal(litres).scaleb(-3))
timber_prices = st.integers(min_value=1, max_value=100_000)

# Activity data in whole units of the factor's unit, and the same written in a bigger unit:
# (activity type, factor set, t-CO2 per base unit as text, base unit, (bigger unit, size)).
ACTIVITIES = (
    ("electricity", "tepco-fy2010", "0.000375", "kWh", ("MWh", 1000)),
    ("electricity", "fepc-fy2013", "0.000570", "kWh", ("MWh", 1000)),
    ("kerosene", "jp-2010", "0.00249", "L", ("kL", 1000)),
    ("gasoline", "jp-2010", "0.00232", "L", ("kL", 1000)),
    ("city_gas", "jp-2023", "0.00205", "m3", ("m**3", 1)),
)
activities = st.sampled_from(ACTIVITIES)
activity_amounts = st.integers(min_value=1, max_value=5_000_000)


# Text a client may send as a quantity: anything at all, crafted near-misses of the grammar
# (expressions Pint would evaluate, huge exponents, unbalanced parentheses) and valid ones.
QUANTITY_PIECES = ("2 ha * 3", "1/0 ha", "9**9**9 ha", "1e999999999 ha", "(1 ha", "1 ha /",
                   "1e13 ha", "1e12 ha", "1,200,000 kWh", "１２ ｈａ", "-3 ha", "0 ha", "ha",
                   "30", "30 m", "6.2 m**3/ha/year", "120 m3", "1000 Nm3", "456.3 t_CO2",
                   "1 町", "2 degC", "1 ha**99", "1 ha^-1", "1e-12 m**3", "nan ha", "inf ha",
                   "1 __class__", "1 ha\x00", "1\u202e ha", "1.5e3 m**2", ",1 ha", "1,2 ha")


def quantity_texts() -> st.SearchStrategy[str]:
    """Return arbitrary text, crafted quantities and crafted pieces joined with text."""
    crafted = st.sampled_from(QUANTITY_PIECES)
    return st.one_of(st.text(max_size=40), crafted,
                     st.builds("{}{}{}".format, st.text(max_size=5), crafted,
                               st.text(max_size=5)))


# Netting: entries of each kind a summary reads, over the first term's years (FY2009–2013).

# (kind, commodity, debit account, credit account) of each fact a summary adds up.
NETTING_FACTS = (
    (EntryKind.EMISSION, Commodity.TCO2E, "Expenses:Emissions:Electricity",
     "Liabilities:Emissions"),
    (EntryKind.EMISSION, Commodity.TCO2E, "Expenses:Emissions:Kerosene",
     "Liabilities:Emissions"),
    (EntryKind.ESTIMATE, Commodity.TCO2E_EST, "Assets:Carbon:Estimated",
     "Income:Carbon:Estimated"),
    (EntryKind.CERTIFICATION, Commodity.TCO2E, "Assets:Carbon:Certified",
     "Income:Carbon:Certified"),
    (EntryKind.RETIREMENT, Commodity.TCO2E, "Expenses:Carbon:Retired",
     "Assets:Carbon:Certified"),
    (EntryKind.COST, Commodity.JPY, "Expenses:Cost:Thinning:Urban", "Equity:Funding:Urban"),
    (EntryKind.COST, Commodity.JPY, "Expenses:Cost:WorkRoad:Forest", "Equity:Funding:Forest"),
    (EntryKind.SUBSIDY, Commodity.JPY, "Equity:Funding:Urban", "Income:Subsidy:National:Urban"),
    (EntryKind.TIMBER_SALE, Commodity.JPY, "Equity:Funding:Forest", "Income:Timber:Forest"),
)


@st.composite
def netting_entries(draw: st.DrawFn, agreement_id: int) -> Entry:
    """A balanced entry of one fact a netting summary reads, in some year of FY2009–2013."""
    kind, commodity, debit, credit = draw(st.sampled_from(NETTING_FACTS))
    amount = draw(yen if commodity is Commodity.JPY else tonnes)
    year = draw(st.integers(min_value=2009, max_value=2013))
    return Entry(agreement_id, year, kind, date(year, 9, 1), f"{kind.value} for a property",
                 (Posting(debit, commodity, amount), Posting(credit, commodity, -amount)))
