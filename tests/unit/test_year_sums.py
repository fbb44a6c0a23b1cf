"""The national view's one-pass sums of an agreement-year are the summaries' own figures:
for any balances over the accounts an agreement posts to, year_sums gives what carbon_of
and money_of give."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from offset.agreements.model import Side
from offset.ledger.model import Commodity
from offset.netting.model import carbon_of, money_of, year_sums

ACCOUNTS = [
    ("Income:Carbon:Certified", Commodity.TCO2E), ("Assets:Carbon:Certified", Commodity.TCO2E),
    ("Expenses:Carbon:Retired", Commodity.TCO2E), ("Expenses:Emissions:CityGas",
                                                  Commodity.TCO2E),
    ("Assets:Carbon:Estimated", Commodity.TCO2E_EST),
    ("Expenses:Cost:Thinning:Urban", Commodity.JPY), ("Expenses:Cost:Survey:Forest",
                                                      Commodity.JPY),
    ("Equity:Funding:Urban", Commodity.JPY), ("Equity:Funding:Forest", Commodity.JPY),
    ("Income:Subsidy:National:Forest", Commodity.JPY),
    ("Income:Subsidy:CouncilGrant:Urban", Commodity.JPY),
    ("Income:Subsidy:CouncilGrant:Forest", Commodity.JPY),
    ("Income:Timber:Forest", Commodity.JPY), ("Liabilities:Payable:Contractor", Commodity.JPY),
]

balances = st.dictionaries(
    st.sampled_from(ACCOUNTS),
    st.integers(-10**12, 10**12).map(lambda n: Decimal(n) / 1000), max_size=len(ACCOUNTS))


@given(balances)
def test_year_sums_are_the_summaries_figures(found: dict[tuple[str, Commodity], Decimal]):
    sums, carbon, money = year_sums(found), carbon_of(found), money_of(found)

    assert sums.certified == carbon.certified
    assert sums.retired == carbon.retired
    assert sums.gross_cost == sum(money.costs.values(), Decimal(0))
    assert sums.net_cost == {side: money.net_cost[side] for side in Side}
    assert sums.grants == sum((v for (scheme, _), v in money.subsidies.items()
                               if scheme == "CouncilGrant"), Decimal(0))
