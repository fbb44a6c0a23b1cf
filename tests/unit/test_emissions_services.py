"""The urban use cases' rules, specified on the in-memory unit of work (tests/fakes.py).

Emissions, retirement and the netting summary; the database keeps one test per rule in
tests/integration/test_emissions.py.

The agreement estimates 3.19 t-CO2/ha/yr over a 5-year window within FY2009–FY2013; every
figure below is worked out by hand, and every refusal leaves the journal as it was.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from offset.agreements.model import Agreement, CostSharing, Side
from offset.corrections import correct
from offset.emissions import services as emissions
from offset.errors import Conflict, InvalidInput, InvalidQuantity, OutsideFiscalYear
from offset.forestry.certification import certify
from offset.forestry.thinnings import log_thinning
from offset.ledger import services as ledger
from offset.ledger.model import Commodity
from offset.money import services as money
from offset.netting.services import fiscal_year_summary, term_summary
from offset.ports import UnitOfWork
from tests.builders import (
    certificate,
    cost,
    emission,
    retirement,
    stand,
    subsidy,
    thinning,
    timber_sale,
    urban_agreement,
)
from tests.fakes import FakeDatabase


def entries(work: UnitOfWork) -> int:
    return ledger.verify(work).entry_count


def tonnes(work: UnitOfWork, agreement_id: int, account: str,
           fiscal_year: int | None = None) -> Decimal:
    return ledger.balances(work, agreement_id, fiscal_year=fiscal_year).get(
        (account, Commodity.TCO2E), Decimal(0))


def credited(work: UnitOfWork, certified: str = "12", fiscal_year: int = 2009) -> Agreement:
    """An agreement with `certified` t certified for FY2009 and FY2010 emissions of 479.880 t."""
    deal = urban_agreement(work)
    certify(work, deal, certificate(certified, fiscal_year), "admin")
    emissions.record_emission(work, deal, emission("1200000 kWh", 2010), "urban")  # 450.000
    emissions.record_emission(work, deal, emission("12 kL", 2010, "kerosene", "jp-2010"),
                              "urban")  # 29.880
    return deal


# Emissions.

def test_an_emission_stores_its_activity_factor_set_and_scope(uow: FakeDatabase):
    with uow() as work:
        deal = urban_agreement(work)
        posted = emissions.record_emission(work, deal, emission("1200000 kWh", 2010), "urban")
        details = posted.entry.details
        assert (details["activity"], details["unit"], details["factor"]) == (
            "1200000 kWh", "kWh", "0.000375")
        assert (details["factor_set"], details["scope"], details["tonnes"]) == (
            "tepco-fy2010", "ward facilities", "450.000")
        assert details["quantity_in_factor_units"] == "1200000"
        assert tonnes(work, deal.id, "Expenses:Emissions:Electricity", 2010) == Decimal("450")
        assert tonnes(work, deal.id, "Liabilities:Emissions", 2010) == Decimal("-450")


def test_the_same_activity_in_any_unit_books_the_same_tonnes(uow: FakeDatabase):
    with uow() as work:
        deal = urban_agreement(work)
        for text in ("1200000 kWh", "1200 MWh"):
            emissions.record_emission(work, deal, emission(text, 2011), "urban")
        for text in ("12 kL", "12000 L"):
            emissions.record_emission(work, deal, emission(text, 2011, "kerosene", "jp-2010"),
                                      "urban")
        assert tonnes(work, deal.id, "Expenses:Emissions:Electricity") == Decimal("900.000")
        assert tonnes(work, deal.id, "Expenses:Emissions:Kerosene") == Decimal("59.760")


def test_city_gas_follows_its_sets_reference_conditions(uow: FakeDatabase):
    with uow() as work:
        deal = urban_agreement(work)
        before = entries(work)
        with pytest.raises(InvalidQuantity) as refused:  # jp-2010 is per 1000 Nm3
            emissions.record_emission(work, deal, emission("35000 m3", 2010, "city_gas",
                                                           "jp-2010"), "urban")
        assert refused.value.field == "activity"
        assert entries(work) == before
        for text in ("35000 m3", "35000 m**3"):  # jp-2023 is per 1000 m3: 35 × 2.05
            posted = emissions.record_emission(
                work, deal, emission(text, 2012, "city_gas", "jp-2023"), "urban")
            assert posted.entry.details["tonnes"] == "71.750"
        posted = emissions.record_emission(
            work, deal, emission("35000 Nm3", 2010, "city_gas", "jp-2010"), "urban")
        assert posted.entry.details["tonnes"] == "78.050"  # 35 × 2.23


@pytest.mark.parametrize(("given", "field"), [
    (emission("1200000 kWh", 2010, scope="all ward emissions"), "scope"),
    (emission("1200000 kWh", 2014), "fiscal_year"),
    (emission("1200000 kWh", 2010, factor_set="tepco-fy1999"), "factor_set"),
    (emission("1200 kL", 2010, "whale_oil", "jp-2010"), "activity_type"),
    (emission("30 m", 2010), "activity"),
    (emission("1 kWh", 2010), "activity"),  # 0.375 kg: not a kilogram
])
def test_a_bad_emission_is_refused_and_writes_nothing(uow: FakeDatabase, given, field):
    with uow() as work:
        deal = urban_agreement(work)
        before = entries(work)
        with pytest.raises(InvalidInput) as refused:
            emissions.record_emission(work, deal, given, "urban")
        assert refused.value.field == field
        assert entries(work) == before


# Retirement.

def test_retirement_moves_certified_credits_to_retired(uow: FakeDatabase):
    with uow() as work:
        deal = credited(work)
        done = emissions.retire(work, deal, retirement("10", 2010), "urban")
        assert done.entry.details["vintages"] == {"2009": "10.000"}
        assert tonnes(work, deal.id, "Assets:Carbon:Certified") == Decimal("2.000")
        assert tonnes(work, deal.id, "Expenses:Carbon:Retired") == Decimal("10.000")
        assert emissions.available_by_vintage(work, deal.id) == {2009: Decimal("2.000")}


def test_a_retirement_is_planned_as_it_would_be_stored_and_the_plan_stores_nothing(
        uow: FakeDatabase):
    with uow() as work:
        deal = credited(work)  # 12 t certified for FY2009
        before = entries(work)
        plan = emissions.plan_retirement(work, deal, retirement("10", 2010))
        assert entries(work) == before
        assert (plan.drawn, plan.left) == ({2009: Decimal("10.000")}, {2009: Decimal("2.000")})
        with pytest.raises(Conflict):  # refused as the retirement itself would be
            emissions.plan_retirement(work, deal, retirement("12.001", 2010))
        done = emissions.retire(work, deal, retirement("10", 2010), "urban")
        assert done.entry.details["vintages"] == {"2009": "10.000"}
        [credits] = emissions.credits_by_vintage(work, deal.id)
        assert (credits.vintage, credits.certified, credits.retired, credits.available) == (
            2009, Decimal("12.000"), Decimal("10.000"), Decimal("2.000"))


def refused(work: UnitOfWork, deal: Agreement, given: emissions.Retirement,
            kind: type[Exception] = Conflict) -> Exception:
    before = entries(work)
    with pytest.raises(kind) as caught:
        emissions.retire(work, deal, given, "urban")
    assert entries(work) == before
    return caught.value


def test_never_more_than_the_certified_balance(uow: FakeDatabase):
    with uow() as work:
        deal = credited(work)
        error = refused(work, deal, retirement("12.001", 2010))
        assert "12.000" in str(error) and error.field == "quantity"
        emissions.retire(work, deal, retirement("12", 2010), "urban")


def test_never_the_same_credit_twice(uow: FakeDatabase):
    with uow() as work:
        deal = credited(work)
        emissions.retire(work, deal, retirement("8", 2010), "urban")
        refused(work, deal, retirement("5", 2010))  # 8 + 5 > 12
        emissions.retire(work, deal, retirement("4", 2010), "urban")
        refused(work, deal, retirement("0.001", 2010))
        assert tonnes(work, deal.id, "Expenses:Carbon:Retired") == Decimal("12.000")


def test_estimates_never_retire(uow: FakeDatabase):
    with uow() as work:
        deal = urban_agreement(work)
        forest = stand(work, area="10")
        log_thinning(work, deal, thinning(deal.id, forest.id, "5", 2009), "forestry")
        emissions.record_emission(work, deal, emission("1200000 kWh", 2010), "urban")
        error = refused(work, deal, retirement("1", 2010))
        assert "only 0 t" in str(error)


def test_credits_retire_against_their_own_or_a_later_year_never_an_earlier_one(
        uow: FakeDatabase):
    with uow() as work:
        deal = credited(work, "12", fiscal_year=2011)  # credits of FY2011, emissions FY2010
        refused(work, deal, retirement("1", 2010))
        error = refused(work, deal, retirement("1", 2010, vintage=2011), InvalidInput)
        assert error.field == "vintage"
        emissions.record_emission(work, deal, emission("100000 kWh", 2012), "urban")  # 37.5 t
        done = emissions.retire(work, deal, retirement("1", 2012), "urban")
        assert done.entry.details["vintages"] == {"2011": "1.000"}


def test_never_more_than_the_years_emissions_not_yet_offset(uow: FakeDatabase):
    with uow() as work:
        deal = urban_agreement(work)
        certify(work, deal, certificate("12", 2009), "admin")
        emissions.record_emission(work, deal, emission("1200 kWh", 2010), "urban")  # 0.450
        error = refused(work, deal, retirement("0.451", 2010))
        assert "not yet offset" in str(error)
        emissions.retire(work, deal, retirement("0.3", 2010), "urban")
        refused(work, deal, retirement("0.151", 2010))
        emissions.retire(work, deal, retirement("0.15", 2010), "urban")


@pytest.mark.parametrize(("given", "field"), [
    (retirement("0", 2010), "quantity"), (retirement("1.0001", 2010), "quantity"),
    (retirement("1", 2014), "fiscal_year"),
])
def test_a_bad_retirement_is_refused(uow: FakeDatabase, given, field):
    with uow() as work:
        deal = credited(work)
        assert refused(work, deal, given, InvalidInput).field == field


@pytest.mark.parametrize(("day", "accepted"), [
    (date(2010, 4, 1), True), (date(2011, 5, 31), True),  # FY2010 and its settlement period
    (date(2010, 3, 31), False), (date(2011, 6, 1), False), (date(2016, 9, 1), False),
])
def test_a_retirement_is_dated_in_its_year_or_its_settlement_period(
        uow: FakeDatabase, day: date, accepted: bool):
    with uow() as work:
        deal = credited(work)
        given = replace(retirement("1", 2010), retired_on=day)
        if accepted:
            assert emissions.retire(work, deal, given, "urban").entry.effective_date == day
            return
        error = refused(work, deal, given, OutsideFiscalYear)
        assert (error.field, error.earliest, error.latest) == (
            "retired_on", date(2010, 4, 1), date(2011, 5, 31))


def test_retired_credits_and_offset_emissions_cannot_be_reversed_away(uow: FakeDatabase):
    with uow() as work:
        deal = urban_agreement(work)
        issued = certify(work, deal, certificate("12", 2009), "admin")
        used = emissions.record_emission(work, deal, emission("1200 kWh", 2010), "urban")
        done = emissions.retire(work, deal, retirement("0.4", 2010), "urban")
        before = entries(work)
        for entry_id in (issued.id, used.id):
            with pytest.raises(Conflict) as caught:
                correct(work, entry_id, "mistake", "admin")
            assert caught.value.field == "entry_id" and "retire" in str(caught.value)
        assert entries(work) == before
        correct(work, done.id, "retired against the wrong year", "urban")
        correct(work, used.id, "wrong meter", "urban")
        correct(work, issued.id, "wrong certificate", "admin")
        assert emissions.available_by_vintage(work, deal.id) == {}


# Netting.

def hand_case(work: UnitOfWork) -> Agreement:
    """FY2009: 5 ha thinned (15.950 t-est a year), 12 t certified, 2,400,000 yen of thinning.
    FY2010: 479.880 t emitted, 10 t retired; 4,500,000 yen of thinning (urban), a survey of
    1,001 yen split 50 % (urban 500, forest 501), a national subsidy of 1,000,000 yen to the
    urban partner, timber of 12.345 m3 × 9,999 yen = 123,437 yen to the forest party."""
    deal = urban_agreement(work, sharing=CostSharing(Decimal(100), {"survey": Decimal(50)}))
    forest = stand(work, area="10")
    log_thinning(work, deal, thinning(deal.id, forest.id, "5", 2009), "forestry")
    certify(work, deal, certificate("12", 2009), "admin")
    money.record_cost(work, deal, cost(2_400_000, 2009), "urban")
    emissions.record_emission(work, deal, emission("1200000 kWh", 2010), "urban")
    emissions.record_emission(work, deal, emission("12 kL", 2010, "kerosene", "jp-2010"),
                              "urban")
    emissions.retire(work, deal, retirement("10", 2010), "urban")
    thinned = money.record_cost(work, deal, cost(4_500_000, 2010), "urban")
    money.record_cost(work, deal, cost(1_001, 2010, "survey"), "urban")
    money.record_subsidy(work, deal, subsidy(1_000_000, 2010, funds=(thinned.id,)), "urban")
    money.record_timber_sale(work, deal, timber_sale("12.345", 9_999, 2010), "forestry")
    return deal


def test_the_fiscal_year_summary_by_hand(uow: FakeDatabase):
    with uow() as work:
        deal = hand_case(work)
        fy2010 = fiscal_year_summary(work, deal, 2010)
        fy2009 = fiscal_year_summary(work, deal, 2009)
    carbon, cash = fy2010.carbon, fy2010.money
    assert (carbon.emissions, carbon.retired, carbon.certified) == (
        Decimal("479.880"), Decimal("10.000"), Decimal(0))
    assert carbon.emissions_by_activity == {"Electricity": Decimal("450.000"),
                                            "Kerosene": Decimal("29.880")}
    assert carbon.net == Decimal("469.880")
    assert carbon.offset_ratio == Decimal("0.020839")  # 10 / 479.88 = 0.0208385…
    assert fy2010.provisional and carbon.estimated_pending == Decimal("15.950")  # 5 × 3.19
    assert carbon.provisional_offset == Decimal("25.950")
    assert carbon.provisional_net == Decimal("453.930")
    assert carbon.provisional_ratio == Decimal("0.054076")  # 25.95 / 479.88 = 0.0540760…
    assert cash.costs == {("Thinning", Side.URBAN): 4_500_000, ("Survey", Side.URBAN): 500,
                          ("Survey", Side.FOREST): 501}
    assert cash.subsidies == {("National", Side.URBAN): 1_000_000}
    assert cash.timber == {Side.FOREST: 123_437}
    assert cash.net_cost == {Side.URBAN: 3_500_500, Side.FOREST: -122_936}
    assert fy2010.cost_per_tonne is None  # nothing certified for FY2010

    assert (fy2009.carbon.emissions, fy2009.carbon.certified, fy2009.carbon.retired) == (
        0, Decimal("12.000"), 0)
    assert fy2009.carbon.offset_ratio is None and not fy2009.provisional
    assert fy2009.money.net_cost == {Side.URBAN: 2_400_000, Side.FOREST: 0}
    assert fy2009.cost_per_tonne == 200_000  # 2,400,000 / 12


def test_the_term_summary_adds_up_the_years(uow: FakeDatabase):
    with uow() as work:
        deal = hand_case(work)
        term = term_summary(work, deal, 1)
        count = entries(work)
    assert term.fiscal_years == [2009, 2010, 2011, 2012, 2013]
    assert (term.carbon.emissions, term.carbon.certified, term.carbon.retired) == (
        Decimal("479.880"), Decimal("12.000"), Decimal("10.000"))
    assert term.carbon.estimated_pending == Decimal("63.800")  # FY2010–2013: 4 × 15.950
    assert term.carbon.offset_ratio == Decimal("0.020839")
    assert term.money.net_cost == {Side.URBAN: 5_900_500, Side.FOREST: -122_936}
    assert term.cost_per_tonne == 491_708  # 5,900,500 / 12 = 491,708.33…
    assert term.chain_entry_count == count


def test_an_unknown_term_is_not_found(uow: FakeDatabase):
    from offset.errors import NotFound
    with uow() as work:
        deal = urban_agreement(work)
        with pytest.raises(NotFound):
            term_summary(work, deal, 2)
