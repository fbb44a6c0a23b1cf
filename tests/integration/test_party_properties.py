"""Properties of an urban party's netting across its agreements, for any certifications,
emissions and retirements recorded in any order, on both databases: no tonne is retired
twice, within an agreement or across them. Each retirement draws only on its own
agreement's certified credits; what one agreement retires never changes what another has
left; every vintage's retired tonnes stay within its certificate; and the party's position
and each agreement's part in it add up exactly the retirements accepted, no more.

Each example runs in its own savepoint and is rolled back afterwards.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Connection

from offset.db.uow import UnitOfWorkFactory
from offset.emissions import services as emissions
from offset.emissions.services import EmissionInput, Retirement
from offset.errors import Conflict
from offset.forestry.certification import certify
from offset.ledger.model import EntryKind
from offset.netting.party import party_share, party_summary
from offset.netting.services import fiscal_year_summary
from tests.builders import INA, MATSUMOTO, SHINJUKU, agreement, certificate

PROPERTY = settings(max_examples=20, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])
YEARS = range(2009, 2014)
FORESTS = (INA, MATSUMOTO)  # the ward's two partner forests
KG = Decimal("0.001")

# Kilograms certified and emitted per (agreement, fiscal year), then retirements asked for
# as (agreement, fiscal year, kilograms): certificates and emissions first, so that most
# retirements find something to draw on and some find too little.
year_of = st.tuples(st.integers(0, 1), st.sampled_from(list(YEARS)))


@st.composite
def cases(draw: st.DrawFn) -> tuple[dict, dict, list]:  # type: ignore[type-arg]
    certified_kg = draw(st.dictionaries(year_of, st.integers(1, 400_000), min_size=1,
                                        max_size=6))
    # Emissions in most certified years (and some others), so that retirements mostly find
    # emissions to offset; each asks for up to about what a year holds.
    emitted_kg = draw(st.dictionaries(year_of, st.integers(1, 600_000), max_size=4))
    emitted_kg |= {key: draw(st.integers(1, 600_000)) for key in certified_kg
                   if draw(st.integers(0, 3))}
    keys = sorted(emitted_kg or certified_kg)
    asked = draw(st.lists(st.tuples(st.sampled_from(keys), st.integers(1, 300_000)),
                          min_size=1, max_size=10))
    return certified_kg, emitted_kg, [(which, fy, kg) for (which, fy), kg in asked]


@PROPERTY
@given(case=cases())
def test_no_tonne_is_retired_twice_across_the_partys_agreements(
        uow: UnitOfWorkFactory, connection: Connection, case):
    certified_kg, emitted_kg, asked = case
    example = connection.begin_nested()
    try:
        accepted: dict[int, Decimal] = defaultdict(Decimal)  # tonnes retired, by agreement
        with uow() as work:
            deals = [agreement(work, SHINJUKU, forest) for forest in FORESTS]
            certified = {(deals[which].id, fy): Decimal(kg) * KG
                         for (which, fy), kg in certified_kg.items()}
            for (which, fy), kg in sorted(certified_kg.items()):
                certify(work, deals[which], certificate(str(Decimal(kg) * KG), fy), "test")
            for (which, fy), kg in sorted(emitted_kg.items()):
                emissions.record_emission(work, deals[which], EmissionInput(
                    fy, "electricity", f"{kg * 1000} kWh", "fepc-fy2013"), "test")
            for which, fy, kg in asked:
                deal, tonnes = deals[which], Decimal(kg) * KG
                others_before = {d.id: emissions.available_by_vintage(work, d.id)
                                 for d in deals if d.id != deal.id}
                try:
                    emissions.retire(work, deal, Retirement(
                        fy, tonnes, "新宿区", "offset", date(fy + 1, 3, 31)), "test")
                    accepted[deal.id] += tonnes
                except Conflict:
                    pass  # too few credits or too few emissions left: refused, nothing stored
                # Whatever the retirement did, it did to its own agreement only.
                assert {d.id: emissions.available_by_vintage(work, d.id)
                        for d in deals if d.id != deal.id} == others_before

            for deal in deals:
                retired_by_vintage: dict[int, Decimal] = defaultdict(Decimal)
                for entry in work.journal.chain(deal.id):
                    if entry.entry.kind is EntryKind.RETIREMENT:
                        for vintage, drawn in entry.entry.details["vintages"].items():
                            retired_by_vintage[int(vintage)] += Decimal(drawn)
                for vintage, drawn in retired_by_vintage.items():
                    assert drawn <= certified[(deal.id, vintage)]  # its own certificate
                left = emissions.available_by_vintage(work, deal.id)
                assert {v: t - retired_by_vintage[v] for (d, v), t in certified.items()
                        if d == deal.id and t != retired_by_vintage[v]} == left
                assert sum(retired_by_vintage.values(), Decimal(0)) == accepted[deal.id]

            party = deals[0].urban_party_id
            retired_over_years = Decimal(0)
            for fy in YEARS:
                position = party_summary(work, party, fy)
                own = [fiscal_year_summary(work, d, fy).carbon for d in deals]
                assert position.carbon.retired == sum((c.retired for c in own), Decimal(0))
                assert position.carbon.emissions == sum((c.emissions for c in own), Decimal(0))
                for deal, carbon in zip(deals, own, strict=True):
                    share = party_share(work, deal, fy, carbon)
                    assert (share.retired, share.emissions) == (position.carbon.retired,
                                                                position.carbon.emissions)
                    assert share.retired_here == carbon.retired <= carbon.emissions
                retired_over_years += position.carbon.retired
            assert retired_over_years == sum(accepted.values(), Decimal(0))
    finally:
        example.rollback()
