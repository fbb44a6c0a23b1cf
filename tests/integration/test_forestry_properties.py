"""Properties of estimates and certification for any stand and area, on both databases.

Each example runs in its own savepoint and is rolled back afterwards.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Connection

from offset.db.uow import UnitOfWork, UnitOfWorkFactory
from offset.forestry.certification import Certificate, certify
from offset.forestry.thinnings import log_thinning
from offset.ledger import services as ledger
from offset.ledger.model import Commodity
from offset.units import quantity
from tests.builders import CHIYODA, agreement, half_even, rate_agreement, stand, thinning
from tests.strategies import (
    areas_ha,
    crediting_windows,
    measured_growths,
    per_area_rates,
    species_codes,
)

PROPERTY = settings(max_examples=25, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])
ESTIMATED = ("Assets:Carbon:Estimated", Commodity.TCO2E_EST)
CERTIFIED = ("Assets:Carbon:Certified", Commodity.TCO2E)
# Sugi older than 20: BEF 1.23 × (1 + R 0.25) × D 0.314 × CF 0.51 × 44/12 t-CO2 per m3.
SUGI_OLD = Fraction("1.23") * Fraction("1.25") * Fraction("0.314") * Fraction("0.51") * 44 / 12


@contextmanager
def example(uow: UnitOfWorkFactory, connection: Connection) -> Iterator[UnitOfWork]:
    """One hypothesis example: a unit of work inside a savepoint that is rolled back."""
    savepoint = connection.begin_nested()
    try:
        with uow() as work:
            yield work
    finally:
        savepoint.rollback()


def estimated(work: UnitOfWork, agreement_id: int, fiscal_year: int) -> Decimal:
    return ledger.balances(work, agreement_id, fiscal_year=fiscal_year).get(
        ESTIMATED, Decimal(0))


@PROPERTY
@given(species=species_codes, age=st.integers(1, 70), area=areas_ha, k=st.integers(2, 50))
def test_the_estimate_is_linear_in_area(uow: UnitOfWorkFactory, connection: Connection,
                                        species: str, age: int, area: Decimal, k: int):
    with example(uow, connection) as work:
        one, many = agreement(work), agreement(work, CHIYODA)
        for deal, number, thinned in ((one, "1", area), (many, "2", k * area)):
            site = stand(work, number, area="10000", species=species,
                         planting_year=2009 - age + 1)
            log_thinning(work, deal, thinning(deal.id, site.id, str(thinned)), "o")
        single, multiple = estimated(work, one.id, 2009), estimated(work, many.id, 2009)
        # Each is rounded to the kilogram, so each is off by at most half a kilogram.
        assert abs(multiple - k * single) <= k * Decimal("0.0005") + Decimal("0.0005")


# 1 町 = 3000 坪 = 3000 × (60/33)^2 m2 = 1,200,000/121 m2.
CHO_M2 = Fraction(1_200_000, 121)


@PROPERTY
@given(cho=st.integers(1, 300), growth=measured_growths)
def test_the_same_area_in_ha_square_metres_or_cho_earns_identical_tonnes(
        uow: UnitOfWorkFactory, connection: Connection, cho: int, growth: Decimal):
    square_metres = cho * CHO_M2
    texts = [f"{cho} 町", f"{half_even(square_metres, 9)} m**2",
             f"{half_even(square_metres / 10_000, 12)} ha"]
    with example(uow, connection) as work:
        deal = agreement(work)
        earned = set()
        for number, text in enumerate(texts):
            area = quantity(text, "ha", 4, field="area")
            assert area == half_even(square_metres / 10_000, 4)
            site = stand(work, str(number), area="400", measured_growth=str(growth))
            logged = log_thinning(work, deal, thinning(deal.id, site.id, str(area)),
                                           "office")
            earned.add(tuple(p.amount for e in logged.estimates for p in e.entry.postings))
        assert len(earned) == 1
        expected = half_even(Fraction(half_even(square_metres / 10_000, 4)) * Fraction(growth)
                             * SUGI_OLD)
        assert estimated(work, deal.id, 2009) == 3 * expected


@PROPERTY
@given(window=crediting_windows, area=areas_ha, growth=measured_growths,
       rate=st.none() | per_area_rates)
def test_a_constant_stand_earns_w_times_its_annual_figure(
        uow: UnitOfWorkFactory, connection: Connection, window: int, area: Decimal,
        growth: Decimal, rate: Decimal | None):
    with example(uow, connection) as work:
        if rate is None:  # measured growth on sugi older than 20 all window long
            deal = agreement(work, terms=((2009, 2020),), window=window)
            annual = half_even(Fraction(area) * Fraction(growth) * SUGI_OLD)
        else:
            deal = rate_agreement(work, str(rate), terms=((2009, 2020),), window=window)
            annual = half_even(Fraction(area) * Fraction(rate))
        site = stand(work, area="100", planting_year=1970, measured_growth=str(growth))
        logged = log_thinning(work, deal, thinning(deal.id, site.id, str(area)), "o")
        posted = [p.amount for e in logged.estimates for p in e.entry.postings
                  if (p.account, p.commodity) == ESTIMATED]
        assert sum(posted, Decimal(0)) == window * annual
        assert posted == ([annual] * window if annual else [])
        assert [e.entry.fiscal_year for e in logged.estimates] == (
            list(range(2009, 2009 + window)) if annual else [])


works = st.lists(st.tuples(st.integers(2009, 2011), areas_ha), min_size=1, max_size=3)
certified_tonnes = st.integers(1, 10**7).map(lambda kg: Decimal(kg).scaleb(-3))


@PROPERTY
@given(done=works, growth=measured_growths, year=st.integers(2009, 2013),
       tonnes=certified_tonnes)
def test_certification_then_reversal_restores_the_estimates(
        uow: UnitOfWorkFactory, connection: Connection, done: list[tuple[int, Decimal]],
        growth: Decimal, year: int, tonnes: Decimal):
    years = range(2009, 2014)
    with example(uow, connection) as work:
        deal = agreement(work)
        for number, (fiscal_year, area) in enumerate(done):
            site = stand(work, str(number), area="100", measured_growth=str(growth))
            log_thinning(work, deal, thinning(deal.id, site.id, str(area),
                                                       fiscal_year), "office")
        before = {y: ledger.balances(work, deal.id, fiscal_year=y) for y in years}

        issued = certify(work, deal, Certificate(
            year, tonnes, "長野県", "N-1", date(year + 1, 6, 1), None), "admin")
        during = ledger.balances(work, deal.id, fiscal_year=year)
        assert during.get(ESTIMATED, Decimal(0)) == 0
        assert during.get(CERTIFIED) == tonnes
        assert Decimal(issued.entry.details["difference"]) == tonnes - before[year].get(
            ESTIMATED, Decimal(0))
        assert all(ledger.balances(work, deal.id, fiscal_year=y) == before[y]
                   for y in years if y != year)

        ledger.reverse(work, issued.id, "certificate withdrawn", "admin")
        after = {y: ledger.balances(work, deal.id, fiscal_year=y) for y in years}
        assert ({y: {k: v for k, v in b.items() if v} for y, b in after.items()}
                == {y: {k: v for k, v in b.items() if v} for y, b in before.items()})
