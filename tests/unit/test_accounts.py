"""The chart of accounts: every name is a valid account, and families build their members."""

from __future__ import annotations

import pytest

from offset.ledger import accounts
from offset.ledger.model import ACCOUNT_NAME

NAMED = sorted(value for name, value in vars(accounts).items()
               if name.isupper() and isinstance(value, str) and ":" in value)


@pytest.mark.parametrize("name", NAMED)
def test_every_named_account_follows_the_account_grammar(name: str):
    assert ACCOUNT_NAME.match(name)


def test_the_carbon_accounts_are_those_the_journal_has_always_used():
    # Stored, hash-chained entries post to these names: they can never change.
    assert (accounts.ESTIMATED, accounts.ESTIMATED_SOURCE, accounts.CERTIFIED,
            accounts.CERTIFIED_SOURCE, accounts.RETIRED, accounts.EMISSIONS_LIABILITY) == (
        "Assets:Carbon:Estimated", "Income:Carbon:Estimated", "Assets:Carbon:Certified",
        "Income:Carbon:Certified", "Expenses:Carbon:Retired", "Liabilities:Emissions")


def test_a_family_builds_its_members_and_recognises_them():
    cost = accounts.under(accounts.COSTS, "Thinning", accounts.URBAN_SIDE)
    assert cost == "Expenses:Cost:Thinning:Urban"
    assert accounts.is_under(cost, accounts.COSTS)
    assert not accounts.is_under("Expenses:CostOverrun", accounts.COSTS)
    assert accounts.under(accounts.FUNDING, accounts.FOREST_SIDE) == "Equity:Funding:Forest"
