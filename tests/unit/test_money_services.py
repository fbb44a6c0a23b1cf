"""The money use cases' rules, specified on the in-memory unit of work (tests/fakes.py).

Costs, subsidies and timber sales in the journal; the database keeps one test per rule in
tests/integration/test_money.py.

Every figure is worked out by hand; every refusal leaves the journal as it was.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from offset.agreements.model import CostSharing, Side
from offset.corrections import correct
from offset.errors import Conflict, InvalidInput, OutsideFiscalYear
from offset.ledger import services as ledger
from offset.ledger.model import Commodity
from offset.money import services as money
from offset.money.errors import CostFunded, SubsidyExceedsCosts
from offset.money.model import Cost, Subsidy, TimberSale
from offset.ports import UnitOfWork
from tests.builders import cost, subsidy, timber_sale, urban_agreement
from tests.fakes import FakeDatabase


def jpy(work: UnitOfWork, agreement_id: int, fiscal_year: int | None = None
        ) -> dict[str, Decimal]:
    return {name: amount for (name, c), amount in ledger.balances(
        work, agreement_id, fiscal_year=fiscal_year).items() if c is Commodity.JPY and amount}


def entries(work: UnitOfWork) -> int:
    return ledger.verify(work).entry_count


def test_by_default_the_urban_partner_bears_the_whole_cost(uow: FakeDatabase):
    with uow() as work:
        deal = urban_agreement(work)
        posted = money.record_cost(work, deal, cost(4_500_000, 2010), "urban")
        assert jpy(work, deal.id, 2010) == {"Expenses:Cost:Thinning:Urban": 4_500_000,
                                            "Equity:Funding:Urban": -4_500_000}
        assert posted.entry.details["shares"] == {"urban": "4500000", "forest": "0"}
        assert posted.entry.fiscal_year == 2010


def test_a_fixed_percentage_splits_exactly_and_the_forest_bears_the_odd_yen(
        uow: FakeDatabase):
    with uow() as work:
        deal = urban_agreement(work, sharing=CostSharing(Decimal("50")))
        money.record_cost(work, deal, cost(1_001, 2010), "urban")  # 500.5 → 500 (even)
        assert jpy(work, deal.id) == {
            "Expenses:Cost:Thinning:Urban": 500, "Equity:Funding:Urban": -500,
            "Expenses:Cost:Thinning:Forest": 501, "Equity:Funding:Forest": -501}


def test_a_category_share_overrides_the_default_share(uow: FakeDatabase):
    sharing = CostSharing(Decimal("100"), {"work-road": Decimal("40")})
    with uow() as work:
        deal = urban_agreement(work, sharing=sharing)
        money.record_cost(work, deal, cost(2_000_000, 2011, "work-road"), "urban")
        money.record_cost(work, deal, cost(300_000, 2011, "survey"), "urban")
        assert jpy(work, deal.id) == {
            "Expenses:Cost:WorkRoad:Urban": 800_000, "Expenses:Cost:WorkRoad:Forest": 1_200_000,
            "Expenses:Cost:Survey:Urban": 300_000,
            "Equity:Funding:Urban": -1_100_000, "Equity:Funding:Forest": -1_200_000}


def test_an_explicit_bearer_takes_the_whole_cost_whatever_the_rule(uow: FakeDatabase):
    with uow() as work:
        deal = urban_agreement(work, sharing=CostSharing(Decimal("50")))
        money.record_cost(work, deal, cost(90_000, 2010, "administration", bearer="forest"),
                          "forestry")
        assert jpy(work, deal.id) == {"Expenses:Cost:Administration:Forest": 90_000,
                                      "Equity:Funding:Forest": -90_000}


@pytest.mark.parametrize(("given", "field"), [
    (cost(0), "amount"), (cost(-5), "amount"), (cost(1_000, 2008), "fiscal_year"),
    (cost(1_000, 2014), "fiscal_year"), (cost(1_000, thinning_ids=(999_999,)), "thinning_ids"),
])
def test_a_bad_cost_is_refused_and_writes_nothing(uow: FakeDatabase, given, field):
    with uow() as work:
        deal = urban_agreement(work)
        before = entries(work)
        with pytest.raises(InvalidInput) as refused:
            money.record_cost(work, deal, given, "urban")
        assert refused.value.field == field
        assert entries(work) == before


def test_subsidies_are_booked_by_scheme_to_their_recipient(uow: FakeDatabase):
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
        uow: FakeDatabase):
    with uow() as work:
        deal = urban_agreement(work)
        thinning = money.record_cost(work, deal, cost(1_000_000, 2013), "urban")
        road = money.record_cost(work, deal, cost(500_000, 2013, "work-road"), "urban")
        money.record_cost(work, deal, cost(200_000, 2013, bearer="forest"), "forestry")
        money.record_cost(work, deal, cost(9_000_000, 2012), "urban")  # another year
        money.record_subsidy(work, deal, subsidy(300_000, 2013, funds=(thinning.id,)), "urban")
        money.record_subsidy(work, deal, subsidy(400_000, 2013), "urban")
        before = entries(work)
        # Urban FY2013: costs 1,000,000 + 500,000 − subsidies 300,000 + 400,000 = 800,000.
        with pytest.raises(SubsidyExceedsCosts) as refused:
            money.record_subsidy(work, deal, subsidy(999_000_000, 2013), "urban")
        assert (refused.value.cap, refused.value.requested) == (800_000, 999_000_000)
        assert (refused.value.cost_ids, refused.value.fiscal_year) == (
            [thinning.id, road.id], 2013)
        assert refused.value.field == "amount"
        assert "800000" in str(refused.value) and "999000000" in str(refused.value)
        assert entries(work) == before
        money.record_subsidy(work, deal, subsidy(800_000, 2013), "urban")  # reaches the cap
        with pytest.raises(SubsidyExceedsCosts) as refused:
            money.record_subsidy(work, deal, subsidy(1, 2013), "urban")
        assert (refused.value.cap, refused.value.requested) == (0, 1)
        money.record_subsidy(work, deal, subsidy(200_000, 2013, recipient="forest"),
                             "forestry")  # the forest's own cost
        # Both sides' net cost of FY2013 is now nil, never below: what they put in balances out.
        assert not {"Equity:Funding:Urban", "Equity:Funding:Forest"} & set(jpy(work, deal.id, 2013))


def test_a_reversed_subsidy_gives_its_room_back_and_a_reversed_cost_takes_its_room_away(
        uow: FakeDatabase):
    with uow() as work:
        deal = urban_agreement(work)
        kept = money.record_cost(work, deal, cost(1_000, 2011), "urban")
        gone = money.record_cost(work, deal, cost(5_000, 2011), "urban")
        correct(work, gone.id, "entered twice", "urban")
        grant = money.record_subsidy(work, deal, subsidy(1_000, 2011), "urban")
        with pytest.raises(SubsidyExceedsCosts) as refused:
            money.record_subsidy(work, deal, subsidy(1, 2011), "urban")
        assert (refused.value.cap, refused.value.cost_ids) == (0, [kept.id])
        correct(work, grant.id, "wrong scheme", "urban")
        money.record_subsidy(work, deal, subsidy(1_000, 2011, "prefectural"), "urban")


def test_once_a_subsidy_naming_no_costs_draws_on_a_year_a_named_one_must_fit_what_is_left(
        uow: FakeDatabase):
    with uow() as work:
        deal = urban_agreement(work)
        thinning = money.record_cost(work, deal, cost(1_000_000, 2013), "urban")
        money.record_subsidy(work, deal, subsidy(900_000, 2013), "urban")
        before = entries(work)
        # Naming the cost would fund it twice: 900,000 + 1,000,000 > 1,000,000.
        with pytest.raises(SubsidyExceedsCosts) as refused:
            money.record_subsidy(work, deal, subsidy(1_000_000, 2013, funds=(thinning.id,)),
                                 "urban")
        assert (refused.value.cap, refused.value.requested) == (100_000, 1_000_000)
        assert entries(work) == before
        money.record_subsidy(work, deal, subsidy(100_000, 2013, funds=(thinning.id,)), "urban")


def test_a_cost_is_not_reversed_from_under_the_subsidies_naming_no_costs_it_makes_room_for(
        uow: FakeDatabase):
    with uow() as work:
        deal = urban_agreement(work)
        money.record_cost(work, deal, cost(1_000, 2012), "urban")
        spare = money.record_cost(work, deal, cost(300, 2012, "survey"), "urban")
        needed = money.record_cost(work, deal, cost(500, 2012, "work-road"), "urban")
        grant = money.record_subsidy(work, deal, subsidy(1_200, 2012), "urban")
        correct(work, spare.id, "entered twice", "urban")  # 1,000 + 500 still cover 1,200
        before = entries(work)
        with pytest.raises(CostFunded) as refused:  # 1,000 would not
            correct(work, needed.id, "wrong amount", "urban")
        assert (refused.value.entry_id, refused.value.subsidy_ids) == (needed.id, [grant.id])
        assert entries(work) == before
        correct(work, grant.id, "wrong amount", "urban")
        correct(work, needed.id, "wrong amount", "urban")


def test_a_subsidy_naming_no_costs_in_a_year_without_costs_is_refused(uow: FakeDatabase):
    with uow() as work:
        deal = urban_agreement(work)
        with pytest.raises(SubsidyExceedsCosts) as refused:
            money.record_subsidy(work, deal, subsidy(1, 2010), "urban")
        assert (refused.value.cap, refused.value.requested, refused.value.cost_ids) == (
            0, 1, [])


# FY2013 runs 2013-04-01..2014-03-31; its payments may be made until 2014-05-31 (出納整理期間).
IN_FY2013 = [date(2013, 4, 1), date(2014, 3, 31), date(2014, 5, 31)]
NOT_IN_FY2013 = [date(2013, 3, 1), date(2014, 6, 1), date(2016, 9, 1)]


def dated_cost(day: date) -> Cost:
    return replace(cost(1_000, 2013), incurred_on=day)


def dated_subsidy(day: date) -> Subsidy:
    return replace(subsidy(1_000, 2013), received_on=day)


def dated_sale(day: date) -> TimberSale:
    return replace(timber_sale("10", 1_000, 2013), sold_on=day)


@pytest.mark.parametrize("day", IN_FY2013)
def test_money_is_dated_in_its_year_or_its_settlement_period(uow: FakeDatabase, day: date):
    with uow() as work:
        deal = urban_agreement(work)
        assert money.record_cost(work, deal, dated_cost(day), "urban").entry.fiscal_year == 2013
        money.record_subsidy(work, deal, dated_subsidy(day), "urban")
        money.record_timber_sale(work, deal, dated_sale(day), "forestry")


@pytest.mark.parametrize("day", NOT_IN_FY2013)
@pytest.mark.parametrize(("record", "dated", "field"), [
    (money.record_cost, dated_cost, "incurred_on"),
    (money.record_subsidy, dated_subsidy, "received_on"),
    (money.record_timber_sale, dated_sale, "sold_on"),
])
def test_money_dated_outside_its_year_and_settlement_period_is_refused(
        uow: FakeDatabase, day: date, record, dated, field):
    with uow() as work:
        deal = urban_agreement(work)
        money.record_cost(work, deal, cost(1_000, 2013), "urban")  # room for the subsidy
        before = entries(work)
        with pytest.raises(OutsideFiscalYear) as refused:
            record(work, deal, dated(day), "urban")
        assert refused.value.field == field
        assert (refused.value.fiscal_year, refused.value.date) == (2013, day)
        assert (refused.value.earliest, refused.value.latest) == (
            date(2013, 4, 1), date(2014, 5, 31))
        assert entries(work) == before


def test_subsidies_funding_a_cost_may_reach_it_but_never_exceed_it(uow: FakeDatabase):
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


def test_a_subsidy_spread_over_costs_is_checked_against_all_of_them(uow: FakeDatabase):
    with uow() as work:
        deal = urban_agreement(work)
        a = money.record_cost(work, deal, cost(400_000, 2010), "urban")
        b = money.record_cost(work, deal, cost(100_000, 2010, "survey"), "urban")
        money.record_subsidy(work, deal, subsidy(450_000, funds=(a.id, b.id)), "urban")
        before = entries(work)
        with pytest.raises(Conflict):  # 450,000 + 60,000 > 500,000
            money.record_subsidy(work, deal, subsidy(60_000, funds=(b.id,)), "urban")
        assert entries(work) == before
        money.record_subsidy(work, deal, subsidy(50_000, funds=(b.id,)), "urban")  # = 500,000


def test_a_subsidy_of_a_reversed_cost_is_refused(uow: FakeDatabase):
    with uow() as work:
        deal = urban_agreement(work)
        gone = money.record_cost(work, deal, cost(1_000, 2010), "urban")
        correct(work, gone.id, "entered twice", "urban")
        before = entries(work)
        with pytest.raises(InvalidInput) as refused:
            money.record_subsidy(work, deal, subsidy(500, funds=(gone.id,)), "urban")
        assert refused.value.field == "funds_cost_ids"
        assert entries(work) == before


def test_a_funded_cost_is_reversed_only_after_its_subsidies(uow: FakeDatabase):
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


def test_a_timber_sale_totals_volume_times_price_rounded_down(uow: FakeDatabase):
    with uow() as work:
        deal = urban_agreement(work)
        sale = money.record_timber_sale(work, deal, timber_sale("12.345", 9_999, 2010),
                                        "forestry")
        assert sale.entry.details["total"] == "123437"  # 123,437.655 rounded down
        assert (sale.entry.details["volume_m3"], sale.entry.details["unit_price"]) == (
            "12.345", "9999")
        assert jpy(work, deal.id) == {"Income:Timber:Forest": -123_437,
                                      "Equity:Funding:Forest": 123_437}


def test_a_timber_sale_may_be_given_as_a_total(uow: FakeDatabase):
    with uow() as work:
        deal = urban_agreement(work)
        money.record_timber_sale(work, deal, timber_sale("20", 0, 2011, recipient="urban",
                                                         total=250_000), "urban")
        assert jpy(work, deal.id, 2011) == {"Income:Timber:Urban": -250_000,
                                            "Equity:Funding:Urban": 250_000}


@pytest.mark.parametrize(("given", "field"), [
    (timber_sale("0.5", 1), "total"),  # 0.5 yen rounds down to nothing
    (timber_sale("0", 1, total=100), "volume"),
    (timber_sale("10", 1000, 2020), "fiscal_year"),
])
def test_a_bad_timber_sale_is_refused_and_writes_nothing(uow: FakeDatabase, given,
                                                         field):
    with uow() as work:
        deal = urban_agreement(work)
        before = entries(work)
        with pytest.raises(InvalidInput) as refused:
            money.record_timber_sale(work, deal, given, "forestry")
        assert refused.value.field == field
        assert entries(work) == before


def test_sides_are_the_two_parties(uow: FakeDatabase):
    with uow() as work:
        deal = urban_agreement(work)
        assert deal.side_of(deal.urban_party_id) is Side.URBAN
        assert deal.side_of(deal.forest_party_id) is Side.FOREST


def test_a_subsidy_may_fund_a_cost_whose_entry_carries_no_details(uow):
    """The funded amount is read from the cost's postings, not from its free-form details."""
    from datetime import date as day
    from decimal import Decimal as Dec

    from offset.agreements.model import Side
    from offset.ledger import services as journal
    from offset.ledger.model import Commodity, Entry, EntryKind, Posting
    from offset.money import services as money
    from offset.money.model import Subsidy, SubsidyScheme
    from tests.builders import agreement as make_agreement

    with uow() as work:
        deal = make_agreement(work)
        bare = journal.post(work, [Entry(
            deal.id, 2009, EntryKind.COST, day(2009, 6, 1), "Thinning work",
            (Posting("Expenses:Cost:Thinning:Urban", Commodity.JPY, Dec(1000)),
             Posting("Equity:Funding:Urban", Commodity.JPY, Dec(-1000))))])[0]
        funded = money.record_subsidy(work, deal, Subsidy(
            2009, SubsidyScheme.NATIONAL, "造林補助金", Side.URBAN, Dec(1000),
            day(2010, 2, 1), (bare.id,)), "urban")
        assert funded.entry.details["funds_cost_ids"] == [bare.id]
