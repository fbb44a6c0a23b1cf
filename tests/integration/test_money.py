"""Costs, subsidies and timber sales in the journal, on SQLite and PostgreSQL.

One test per rule proves it holds through the SQL repositories; every rule is specified in
full on the in-memory unit of work in tests/unit/test_money_services.py.

Every figure is worked out by hand; every refusal leaves the journal as it was.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from offset.agreements.model import CostSharing
from offset.corrections import correct
from offset.db.uow import UnitOfWork, UnitOfWorkFactory
from offset.errors import Conflict, InvalidInput, OutsideFiscalYear
from offset.ledger import services as ledger
from offset.ledger.model import Commodity
from offset.money import services as money
from offset.money.errors import CostFunded, SubsidyExceedsCosts
from tests.builders import cost, subsidy, timber_sale, urban_agreement


def jpy(work: UnitOfWork, agreement_id: int, fiscal_year: int | None = None
        ) -> dict[str, Decimal]:
    return {name: amount for (name, c), amount in ledger.balances(
        work, agreement_id, fiscal_year=fiscal_year).items() if c is Commodity.JPY and amount}


def entries(work: UnitOfWork) -> int:
    return ledger.verify(work).entry_count




def test_a_fixed_percentage_splits_exactly_and_the_forest_bears_the_odd_yen(
        uow: UnitOfWorkFactory):
    with uow() as work:
        deal = urban_agreement(work, sharing=CostSharing(Decimal("50")))
        money.record_cost(work, deal, cost(1_001, 2010), "urban")  # 500.5 → 500 (even)
        assert jpy(work, deal.id) == {
            "Expenses:Cost:Thinning:Urban": 500, "Equity:Funding:Urban": -500,
            "Expenses:Cost:Thinning:Forest": 501, "Equity:Funding:Forest": -501}






@pytest.mark.parametrize(("given", "field"), [
    (cost(1_000, thinning_ids=(999_999,)), "thinning_ids"),  # asks the forestry repository
])
def test_a_bad_cost_is_refused_and_writes_nothing(uow: UnitOfWorkFactory, given, field):
    with uow() as work:
        deal = urban_agreement(work)
        before = entries(work)
        with pytest.raises(InvalidInput) as refused:
            money.record_cost(work, deal, given, "urban")
        assert refused.value.field == field
        assert entries(work) == before


def test_subsidies_are_booked_by_scheme_to_their_recipient(uow: UnitOfWorkFactory):
    with uow() as work:
        deal = urban_agreement(work)
        money.record_cost(work, deal, cost(600_000, 2010, bearer="forest"), "forestry")
        money.record_cost(work, deal, cost(150_000, 2010), "urban")
        money.record_subsidy(work, deal, subsidy(600_000, 2010, "national",
                                                 recipient="forest"), "forestry")
        money.record_subsidy(work, deal, subsidy(150_000, 2010, "forest-environment-tax"),
                             "urban")
        assert jpy(work, deal.id) == {
            "Expenses:Cost:Thinning:Forest": 600_000, "Expenses:Cost:Thinning:Urban": 150_000,
            "Income:Subsidy:National:Forest": -600_000,
            "Income:Subsidy:ForestEnvironmentTax:Urban": -150_000}


def test_a_subsidy_naming_no_costs_is_capped_by_the_recipients_unfunded_costs_of_its_year(
        uow: UnitOfWorkFactory):
    with uow() as work:
        deal = urban_agreement(work)
        thinning = money.record_cost(work, deal, cost(1_000_000, 2013), "urban")
        money.record_cost(work, deal, cost(200_000, 2013, bearer="forest"), "forestry")
        money.record_cost(work, deal, cost(9_000_000, 2012), "urban")  # another year
        named = money.record_subsidy(work, deal, subsidy(300_000, 2013, funds=(thinning.id,)),
                                     "urban")
        before = entries(work)
        # Urban FY2013: costs 1,000,000 − subsidies 300,000 = 700,000 not yet funded.
        with pytest.raises(SubsidyExceedsCosts) as refused:
            money.record_subsidy(work, deal, subsidy(999_000_000, 2013), "urban")
        assert (refused.value.cap, refused.value.requested, refused.value.cost_ids) == (
            700_000, 999_000_000, [thinning.id])
        assert entries(work) == before
        grant = money.record_subsidy(work, deal, subsidy(700_000, 2013), "urban")
        assert "Equity:Funding:Urban" not in jpy(work, deal.id, 2013)  # net cost 0, not < 0
        correct(work, named.id, "wrong scheme", "urban")
        with pytest.raises(CostFunded) as refused:  # nor by taking the cost away
            correct(work, thinning.id, "wrong amount", "urban")
        assert refused.value.subsidy_ids == [grant.id]


def test_money_dated_outside_its_year_and_settlement_period_is_refused(
        uow: UnitOfWorkFactory):
    with uow() as work:
        deal = urban_agreement(work)
        money.record_cost(work, deal, replace(cost(1_000, 2013), incurred_on=date(2014, 5, 31)),
                          "urban")  # the last day of FY2013's settlement period
        before = entries(work)
        with pytest.raises(OutsideFiscalYear) as refused:
            money.record_cost(work, deal, replace(cost(1_000, 2013),
                                                  incurred_on=date(2016, 9, 1)), "urban")
        assert (refused.value.field, refused.value.earliest, refused.value.latest) == (
            "incurred_on", date(2013, 4, 1), date(2014, 5, 31))
        assert entries(work) == before


def test_subsidies_funding_a_cost_may_reach_it_but_never_exceed_it(uow: UnitOfWorkFactory):
    with uow() as work:
        deal = urban_agreement(work)
        funded = money.record_cost(work, deal, cost(1_000_000, 2010), "urban")
        money.record_subsidy(work, deal, subsidy(700_000, funds=(funded.id,)), "urban")
        money.record_subsidy(work, deal, subsidy(300_000, 2010, "prefectural",
                                                 funds=(funded.id,)), "urban")
        before = entries(work)
        with pytest.raises(Conflict) as refused:
            money.record_subsidy(work, deal, subsidy(1, funds=(funded.id,)), "urban")
        assert refused.value.field == "amount"
        assert "1000001" in str(refused.value) and "1000000" in str(refused.value)
        assert entries(work) == before






def test_a_funded_cost_is_reversed_only_after_its_subsidies(uow: UnitOfWorkFactory):
    with uow() as work:
        deal = urban_agreement(work)
        funded = money.record_cost(work, deal, cost(1_000, 2010), "urban")
        grant = money.record_subsidy(work, deal, subsidy(800, funds=(funded.id,)), "urban")
        before = entries(work)
        with pytest.raises(Conflict) as refused:
            correct(work, funded.id, "wrong amount", "urban")
        assert "subsid" in str(refused.value)
        assert entries(work) == before
        correct(work, grant.id, "wrong amount", "urban")
        correct(work, funded.id, "wrong amount", "urban")
        assert jpy(work, deal.id) == {}


def test_a_timber_sale_totals_volume_times_price_rounded_down(uow: UnitOfWorkFactory):
    with uow() as work:
        deal = urban_agreement(work)
        sale = money.record_timber_sale(work, deal, timber_sale("12.345", 9_999, 2010),
                                        "forestry")
        assert sale.entry.details["total"] == "123437"  # 123,437.655 rounded down
        assert (sale.entry.details["volume_m3"], sale.entry.details["unit_price"]) == (
            "12.345", "9999")
        assert jpy(work, deal.id) == {"Income:Timber:Forest": -123_437,
                                      "Equity:Funding:Forest": 123_437}




@pytest.mark.parametrize(("given", "field"), [
    (timber_sale("0.5", 1), "total"),  # 0.5 yen rounds down to nothing
])
def test_a_bad_timber_sale_is_refused_and_writes_nothing(uow: UnitOfWorkFactory, given,
                                                         field):
    with uow() as work:
        deal = urban_agreement(work)
        before = entries(work)
        with pytest.raises(InvalidInput) as refused:
            money.record_timber_sale(work, deal, given, "forestry")
        assert refused.value.field == field
        assert entries(work) == before




