"""Closing fiscal years, on SQLite and PostgreSQL: states, what blocks a close, the close in
the chain, refusals dated into closed years and prior-period adjustments.

Dates are given explicitly (`today`), so the calendar rules are checked on fixed days.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from offset.agreements import services as agreements
from offset.closing import services as closing
from offset.closing.errors import (
    AlreadyClosed,
    CloseRefused,
    ConsentRequired,
    NoOpenYear,
    PeriodSettling,
)
from offset.closing.model import Consent, YearState
from offset.corrections import correct
from offset.db.uow import UnitOfWorkFactory
from offset.emissions import services as emissions
from offset.forestry import thinnings
from offset.forestry.carbon import ESTIMATED, ESTIMATED_SOURCE, carbon_postings
from offset.ledger import services as ledger
from offset.ledger.as_of import AtSeq
from offset.ledger.errors import PeriodClosed
from offset.ledger.model import Commodity, Entry, EntryKind
from offset.money import services as money
from offset.netting.services import fiscal_year_summary
from tests.builders import cost, emission, stand, subsidy, thinning, urban_agreement

LATER = date(2026, 12, 1)  # long after every year of the agreement (FY2009–FY2013)


def jpy(balances: dict[tuple[str, Commodity], Decimal]) -> dict[str, Decimal]:
    return {name: a for (name, c), a in balances.items() if c is Commodity.JPY and a}


def test_a_year_is_open_while_it_runs_settling_until_31_may_and_open_again_after(
        uow: UnitOfWorkFactory):
    with uow() as work:
        deal = urban_agreement(work)
        states = {day: closing.year_status(work, deal, 2010, today=day).state
                  for day in (date(2011, 3, 31), date(2011, 4, 1), date(2011, 5, 31),
                              date(2011, 6, 1))}
    assert states == {date(2011, 3, 31): YearState.OPEN, date(2011, 4, 1): YearState.SETTLING,
                      date(2011, 5, 31): YearState.SETTLING, date(2011, 6, 1): YearState.OPEN}


def test_the_settlement_period_ends_on_the_agreements_own_date(uow: UnitOfWorkFactory):
    with uow() as work:
        deal = urban_agreement(work)
        later = replace(deal, closing=replace(deal.closing, settlement_ends=(6, 30)))
        assert closing.year_status(work, later, 2010, today=date(2011, 6, 15)).state \
            is YearState.SETTLING
        assert closing.year_status(work, later, 2010, today=date(2011, 6, 15)) \
            .settlement_ends_on == date(2011, 6, 30)


def test_in_the_settlement_period_payments_are_recorded_but_work_and_emissions_are_not(
        uow: UnitOfWorkFactory):
    with uow() as work:
        deal = urban_agreement(work)
        with pytest.raises(PeriodSettling) as refused:
            closing.check_open_for_work(deal, 2010, "fiscal_year", today=date(2011, 5, 1))
        assert (refused.value.fiscal_year, refused.value.settlement_ends_on) == (
            2010, date(2011, 5, 31))
        closing.check_open_for_work(deal, 2010, "fiscal_year", today=date(2011, 6, 1))
        # A cost dated in the settlement period is a payment of the year: recorded.
        money.record_cost(work, deal, replace(cost(1_000, 2010), incurred_on=date(2011, 5, 20)),
                          "urban")


def test_work_and_emissions_of_a_year_closed_in_its_settlement_period_are_refused_as_closed(
        uow: UnitOfWorkFactory):
    with uow() as work:
        deal = urban_agreement(work)
        stand_id = stand(work, "1", area="10").id
        closing.close_year(work, deal, 2009, "ward", today=date(2010, 5, 1))
        day = date(2010, 5, 10)  # still in FY2009's settlement period, but FY2009 is closed
        with pytest.raises(PeriodClosed) as emission_refused:
            emissions.record_emission(work, deal, emission("1000 kWh", 2009), "urban", today=day)
        with pytest.raises(PeriodClosed) as work_refused:
            thinnings.log_thinning(work, deal, thinning(deal.id, stand_id, "1", 2009), "forestry",
                                   today=day)
        for refused in (emission_refused, work_refused):
            assert (refused.value.fiscal_year, refused.value.closed_through) == (2009, 2009)


def test_closing_posts_a_memorandum_entry_and_fixes_the_year(uow: UnitOfWorkFactory):
    with uow() as work:
        deal = urban_agreement(work)
        money.record_cost(work, deal, cost(1_000, 2009), "urban")
        closed = closing.close_year(work, deal, 2009, "ward", today=LATER)
        assert closed.entry.entry.kind is EntryKind.PERIOD_CLOSE
        assert closed.entry.entry.postings == ()
        assert closed.entry.entry.details["figures"]["urban_net_cost_jpy"] == "1000"
        assert closed.status.state is YearState.CLOSED
        assert (closed.status.closed_on, closed.status.closed_by) == (LATER, "ward")
        with pytest.raises(PeriodClosed) as refused:
            money.record_cost(work, deal, cost(500, 2009), "urban")
        assert (refused.value.fiscal_year, refused.value.closed_through) == (2009, 2009)
        money.record_cost(work, deal, cost(500, 2010), "urban")  # the next year stays open
        assert ledger.verify(work).ok


def test_years_close_in_order_and_a_running_year_cannot_close(uow: UnitOfWorkFactory):
    with uow() as work:
        deal = urban_agreement(work)
        with pytest.raises(CloseRefused) as refused:
            closing.close_year(work, deal, 2010, "ward", today=date(2011, 2, 1))
        assert [p["code"] for p in refused.value.problems] == ["year-running",
                                                               "earlier-year-open"]
        assert ledger.verify(work).entry_count == 0  # nothing was posted
        closing.close_year(work, deal, 2009, "ward", today=LATER)
        with pytest.raises(AlreadyClosed):
            closing.close_year(work, deal, 2009, "ward", today=LATER)
        closing.close_year(work, deal, 2010, "ward", today=LATER)
        assert ledger.verify(work).heads[0].closed_through == 2010


def test_estimates_awaiting_certification_are_shown_but_do_not_block(uow: UnitOfWorkFactory):
    with uow() as work:
        deal = urban_agreement(work)
        ledger.post(work, [_estimate(deal.id, 2009)])
        status = closing.year_status(work, deal, 2009, today=LATER)
        assert [(p.code, p.blocking) for p in status.problems] == [
            ("awaiting-certification", False)]
        closed = closing.close_year(work, deal, 2009, "ward", today=LATER)
        assert closed.entry.entry.details["notes"] == [status.problems[0].message]


def test_the_forest_partys_consent_is_required_when_the_rule_asks(uow: UnitOfWorkFactory):
    with uow() as work:
        deal = urban_agreement(work)
        strict = replace(deal, closing=replace(deal.closing, forest_consent=True))
        with pytest.raises(ConsentRequired):
            closing.close_year(work, strict, 2009, "ward", today=LATER)
        closed = closing.close_year(work, strict, 2009, "ward", today=LATER,
                                    consent=Consent("伊那市 耕地林務課", date(2026, 11, 30)))
        assert closed.entry.entry.details["forest_consent"] == {
            "given_by": "伊那市 耕地林務課", "given_on": "2026-11-30"}


def test_a_correction_of_a_closed_year_is_an_adjustment_in_the_next_open_year(
        uow: UnitOfWorkFactory):
    with uow() as work:
        deal = urban_agreement(work)
        posted = money.record_cost(work, deal, cost(1_000, 2009), "urban")
        closing.close_year(work, deal, 2009, "ward", today=LATER)
        closed_figures = jpy(ledger.balances(work, deal.id, fiscal_year=2009))
        adjustment = correct(work, posted.id, "invoice paid twice", "ward")
        assert adjustment.entry.kind is EntryKind.PRIOR_PERIOD_ADJUSTMENT
        assert adjustment.entry.fiscal_year == 2010
        assert adjustment.entry.details["adjusts_fiscal_year"] == 2009
        assert adjustment.entry.reverses is not None
        assert adjustment.entry.reverses.entry_id == posted.id
        # The closed year's figures never change; the next year carries the correction.
        assert jpy(ledger.balances(work, deal.id, fiscal_year=2009)) == closed_figures
        assert jpy(ledger.balances(work, deal.id, fiscal_year=2010)) == {
            "Expenses:Cost:Thinning:Urban": -1000, "Equity:Funding:Urban": 1000}
        status = closing.year_status(work, deal, 2009, today=LATER)
        assert [(a.entry_id, a.fiscal_year, a.corrects_entry_id)
                for a in status.adjusted_later] == [(adjustment.id, 2010, posted.id)]
        # The closed year's summary says it was adjusted later, and where; read before the
        # adjustment, it says nothing of it.
        summary = fiscal_year_summary(work, deal, 2009)
        assert [(a.entry_id, a.fiscal_year, a.corrects_entry_id)
                for a in summary.adjusted_later] == [(adjustment.id, 2010, posted.id)]
        before = fiscal_year_summary(work, deal, 2009, AtSeq(adjustment.seq - 1))
        assert before.adjusted_later == ()
        assert fiscal_year_summary(work, deal, 2010).adjusted_later == ()
        assert ledger.verify(work).ok


def test_a_correction_of_a_closed_year_needs_an_open_year_within_the_terms(
        uow: UnitOfWorkFactory):
    with uow() as work:
        deal = urban_agreement(work)  # one term, FY2009–FY2013
        posted = money.record_cost(work, deal, cost(1_000, 2013), "urban")
        for year in range(2009, 2014):
            closing.close_year(work, deal, year, "ward", today=LATER)
        entries = ledger.verify(work).entry_count
        # The adjustment would go to FY2014, which no term covers: no summary, status or
        # report would ever show it.
        with pytest.raises(NoOpenYear) as refused:
            correct(work, posted.id, "invoice paid twice", "ward")
        assert (refused.value.entry_id, refused.value.fiscal_year, refused.value.open_year) == (
            posted.id, 2013, 2014)
        assert ledger.verify(work).entry_count == entries  # nothing was posted
        # Once the agreement is renewed, FY2014 is open to take it.
        agreements.renew(work, deal, 2014, 2018)
        adjustment = correct(work, posted.id, "invoice paid twice", "ward")
        assert (adjustment.entry.kind, adjustment.entry.fiscal_year) == (
            EntryKind.PRIOR_PERIOD_ADJUSTMENT, 2014)


def test_subsidies_above_the_years_costs_block_the_close(uow: UnitOfWorkFactory):
    with uow() as work:
        deal = urban_agreement(work)
        funded = money.record_cost(work, deal, cost(1_000, 2009), "urban")
        money.record_subsidy(work, deal, subsidy(1_000, 2009), "urban")  # names no cost
        # Undo the cost behind the subsidy's back, as only a hand edit could: post its
        # reversal straight through the ledger, past the money rule's guard.
        ledger.reverse(work, funded.id, "hand edit", "test")
        with pytest.raises(CloseRefused) as refused:
            closing.close_year(work, deal, 2009, "ward", today=LATER)
        assert [p["code"] for p in refused.value.problems] == ["subsidies-exceed-costs"]


def test_a_subsidy_funding_a_cost_of_another_year_does_not_block_the_close(
        uow: UnitOfWorkFactory):
    with uow() as work:
        deal = urban_agreement(work)
        later = money.record_cost(work, deal, cost(5_000, 2012), "urban")
        money.record_subsidy(work, deal, subsidy(88, 2009, funds=(later.id,)), "urban")
        assert closing.year_status(work, deal, 2009, today=LATER).problems == ()


def _estimate(agreement_id: int, fiscal_year: int) -> Entry:
    return Entry(agreement_id, fiscal_year, EntryKind.ESTIMATE, date(fiscal_year, 11, 30),
                 "estimate", carbon_postings(ESTIMATED, ESTIMATED_SOURCE, Commodity.TCO2E_EST,
                                             Decimal("1.500")))


def test_a_close_issues_the_annual_report_and_the_terms_last_year_the_term_report(
        uow: UnitOfWorkFactory):
    with uow() as work:
        deal = urban_agreement(work)
        issued = [closing.close_year(work, deal, year, "ward", today=LATER).reports
                  for year in range(2009, 2014)]
        kinds = [[(r.kind.value, r.fiscal_year) for r in reports] for reports in issued]
        assert kinds == [[("annual", 2009)], [("annual", 2010)], [("annual", 2011)],
                         [("annual", 2012)], [("annual", 2013), ("term", 2013)]]
        numbers = [r.number for reports in issued for r in reports]
        assert len(set(numbers)) == 6
        assert ledger.verify(work).ok
