"""The chart of accounts: every account name the journal posts to, named in this one place.

    Assets:Carbon:Estimated          estimated tonnes the agreement holds      tCO2e-est
    Income:Carbon:Estimated          where the estimated tonnes come from      tCO2e-est
    Assets:Carbon:Certified          certified tonnes the agreement holds      tCO2e
    Income:Carbon:Certified          where the certified tonnes come from      tCO2e
    Expenses:Carbon:Retired          certified tonnes used against emissions   tCO2e
    Expenses:Emissions:<Activity>    the urban party's emissions per activity  tCO2e
    Liabilities:Emissions            what those emissions owe                  tCO2e
    Expenses:Cost:<Category>:<Side>  yen a side bears, per cost category       JPY
    Income:Subsidy:<Scheme>:<Side>   yen a side receives, per scheme           JPY
    Income:Timber:<Side>             timber revenue a side receives            JPY
    Equity:Funding:<Side>            what a side put in, net                   JPY

A name with a <part> is a family: its constant is the prefix and `under` builds a member.
"""

from __future__ import annotations

ESTIMATED = "Assets:Carbon:Estimated"
ESTIMATED_SOURCE = "Income:Carbon:Estimated"
CERTIFIED = "Assets:Carbon:Certified"
CERTIFIED_SOURCE = "Income:Carbon:Certified"
RETIRED = "Expenses:Carbon:Retired"
EMISSIONS_LIABILITY = "Liabilities:Emissions"

EMISSIONS = "Expenses:Emissions"
COSTS = "Expenses:Cost"
SUBSIDIES = "Income:Subsidy"
TIMBER = "Income:Timber"
FUNDING = "Equity:Funding"

# The last part of a money account: which side of the agreement the yen belong to.
URBAN_SIDE = "Urban"
FOREST_SIDE = "Forest"


def under(family: str, *parts: str) -> str:
    """Return the name of the account `parts` below `family`, e.g. Income:Timber:Forest."""
    return ":".join((family, *parts))


def is_under(account: str, family: str) -> bool:
    """True for the family's own account and every account below it."""
    return account == family or account.startswith(family + ":")
