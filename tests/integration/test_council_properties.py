"""Properties of the council's national view, for any money and tonnes recorded across
several partnerships, on both databases: each partnership's line is its own fiscal-year
summary (the kept year totals and the one-pass sums agree with the journal's summary), the
prefectures' totals add up their lines and the nation's add up the prefectures; a grant is
refused to a partnership no certification covers, and only a grant counts as one.

Each example runs in its own savepoint and is rolled back afterwards.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Connection

from offset.agreements.model import Side
from offset.council import services as council
from offset.council.errors import NotCertified
from offset.council.model import PartnershipCertification, Totals
from offset.db.uow import UnitOfWorkFactory
from offset.errors import Conflict
from offset.forestry.certification import certify
from offset.money import services as money
from offset.money.model import Subsidy, SubsidyScheme
from offset.netting.services import fiscal_year_summary
from tests.builders import CHIYODA, INA, MATSUMOTO, SHINJUKU, agreement, certificate, cost, subsidy

PROPERTY = settings(max_examples=10, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])
YEARS = range(2009, 2014)
# Forests in Nagano (Ina, Matsumoto) and Tokyo (Chiyoda, as a forest party here); the third
# partnership is never certified.
PAIRS = ((SHINJUKU, INA), (CHIYODA, MATSUMOTO), (MATSUMOTO, CHIYODA))
CERTIFIED = (0, 1)

steps = st.lists(st.tuples(
    st.sampled_from(["cost", "subsidy", "grant", "certify"]), st.integers(0, 2),
    st.sampled_from(list(YEARS)), st.sampled_from(["urban", "forest"]),
    st.integers(1, 5_000_000)), max_size=12)


def _apply(work, deals, step) -> None:  # type: ignore[no-untyped-def]
    kind, which, fy, side, amount = step
    deal = deals[which]
    try:
        if kind == "cost":
            money.record_cost(work, deal, cost(amount, fy, bearer=side), "test")
        elif kind == "subsidy":
            money.record_subsidy(work, deal, subsidy(amount, fy, recipient=side), "test")
        elif kind == "grant":
            council.record_grant(work, deal, Subsidy(
                fy, SubsidyScheme.COUNCIL_GRANT, "連携推進交付金", Side(side), Decimal(amount),
                date(fy + 1, 3, 1)), "council")
        else:
            certify(work, deal, certificate(str(Decimal(amount) / 1000), fy), "test")
    except NotCertified:
        assert which not in CERTIFIED
    except Conflict:
        pass  # a cap or a second certification of the year: refused, nothing stored


@PROPERTY
@given(steps=steps)
def test_each_line_is_its_partnerships_summary_and_the_totals_add_up(
        uow: UnitOfWorkFactory, connection: Connection, steps):
    example = connection.begin_nested()
    try:
        with uow() as work:
            deals = [agreement(work, urban, forest) for urban, forest in PAIRS]
            for index in CERTIFIED:
                council.certify_partnership(work, deals[index], PartnershipCertification(
                    deals[index].id, f"第{index}号", date(2009, 4, 1), date(2014, 3, 31),
                    ("条件",)), "council")
            for step in steps:
                _apply(work, deals, step)
            work.commit()
        with uow(read_only=True) as work:
            for fy in YEARS:
                found = council.overview(work, fy, date(2026, 12, 3))
                assert [p.agreement.id for p in found.partnerships] == [d.id for d in deals]
                for line in found.partnerships:
                    summary = fiscal_year_summary(work, line.agreement, fy)
                    cash = summary.money
                    assert line.certified_t == summary.carbon.certified
                    assert line.retired_t == summary.carbon.retired
                    assert line.gross_cost == sum(cash.costs.values(), Decimal(0))
                    assert line.net_cost == cash.net_cost[Side.URBAN] + cash.net_cost[
                        Side.FOREST]
                    assert line.urban_net_cost == cash.net_cost[Side.URBAN]
                    assert line.grants == sum((v for (scheme, _), v in cash.subsidies.items()
                                               if scheme == "CouncilGrant"), Decimal(0))
                    assert line.certified_in_year == (deals.index(line.agreement)
                                                      in CERTIFIED)
                by_code = {p.code: p.totals for p in found.prefectures}
                assert set(by_code) == {"13", "20"}
                for code, totals in by_code.items():
                    assert totals == Totals.of([p for p in found.partnerships
                                                if p.prefecture_code == code])
                assert found.totals.gross_cost == sum(t.gross_cost for t in by_code.values())
                assert found.totals.grants == sum(t.grants for t in by_code.values())
                assert found.totals.partnerships == 3
    finally:
        example.rollback()
