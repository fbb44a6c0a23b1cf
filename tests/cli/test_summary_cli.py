"""`offset summary` and `offset factors`, run in-process against real SQLite and PostgreSQL.

The year: a per-area-rate agreement (3.19 t-CO2/ha/yr); 5 ha thinned in FY2010, estimated
at 5 × 3.19 = 15.950 t for each of FY2010–FY2013; FY2010 certified at 20 t; a thinning cost
of 1,234,567 yen borne by the urban partner; 1,200,000 kWh × 0.000375 = 450.000 t emitted;
20 t retired against FY2010.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from offset.db.uow import unit_of_work_factory
from offset.emissions import services as emissions
from offset.forestry.certification import certify
from offset.forestry.thinnings import log_thinning
from offset.money import services as money
from tests.builders import (
    certificate,
    cost,
    emission,
    retirement,
    stand,
    thinning,
    urban_agreement,
)
from tests.cli.running import assert_one_line_error, offset, ok
from tests.databases import engine_for


@pytest.fixture
def a_year(fresh_url: str) -> str:
    engine = engine_for(fresh_url)
    try:
        with unit_of_work_factory(engine)() as uow:
            deal = urban_agreement(uow)
            log_thinning(uow, deal, thinning(deal.id, stand(uow).id, "5", 2010),
                                  "forestry")
            certify(uow, deal, certificate("20"), "forestry")
            money.record_cost(uow, deal, cost(1_234_567), "urban")
            emissions.record_emission(uow, deal, emission("1200000 kWh"), "urban")
            emissions.retire(uow, deal, retirement("20"), "urban")
            uow.commit()
    finally:
        engine.dispose()
    return fresh_url


def test_the_fiscal_year_summary_shows_the_hand_figures(a_year: str):
    shown = ok(a_year, "summary", "--agreement", "1", "--fy", "2010")

    lines = [" ".join(line.split()) for line in shown.splitlines()]
    assert "agreement 1, FY2010 (平成22年度)" in shown
    assert "PROVISIONAL" not in shown
    for expected in ["排出量 Emissions 450.000 t-CO2", "electricity 450.000 t-CO2",
                     "認証 Certified 20.000 t-CO2", "無効化 Retired 20.000 t-CO2",
                     "正味 Net 430.000 t-CO2",
                     "相殺率 Offset ratio 4.44 %",  # 20 / 450 = 0.044444
                     "費用 Cost 間伐事業費 thinning (都市側 urban) 1,234,567 JPY",
                     "正味負担 Net cost (都市側 urban) 1,234,567 JPY",
                     "正味負担 Net cost (森林側 forest) 0 JPY",
                     # 1,234,567 / 20 = 61,728.35 → 61,728
                     "認証1tあたり費用 Cost per certified t 61,728 JPY/t-CO2"]:
        assert any(expected in line for line in lines), (expected, shown)
    assert "chain: 8 entries" in shown  # 4 estimates, certification, cost, emission, retire


def test_the_term_summary_marks_the_view_with_pending_estimates_provisional(a_year: str):
    shown = ok(a_year, "summary", "--agreement", "1", "--term", "1")

    lines = [" ".join(line.split()) for line in shown.splitlines()]
    assert "term 1: FY2009–FY2013 (平成21年度〜平成25年度) 暫定 PROVISIONAL" in lines[0]
    # pending 3 × 15.950 = 47.850; provisional offset 67.850; net 382.150; 67.85/450 = 15.08 %
    for expected in ["暫定 PROVISIONAL: 認証前の推計 estimates pending 47.850 t-CO2",
                     "暫定 PROVISIONAL: 正味 Net 382.150 t-CO2",
                     "暫定 PROVISIONAL: 相殺率 Offset ratio 15.08 %",
                     "正味 Net 430.000 t-CO2"]:
        assert any(expected in line for line in lines), (expected, shown)


@pytest.mark.parametrize(("args", "code", "start"), [
    (["--agreement", "1"], 2, "fy: give exactly one of --fy and --term"),
    (["--agreement", "1", "--fy", "2010", "--term", "1"], 2, "fy: give exactly one"),
    (["--agreement", "7", "--fy", "2010"], 2, "agreement"),
    (["--agreement", "1", "--term", "3"], 2, "term: the agreement has no term 3"),
    (["--agreement", "1", "--fy", "1700"], 2, ""),
])
def test_a_summary_of_what_is_not_there_is_one_line_error(a_year: str, args: list[str],
                                                           code: int, start: str):
    assert_one_line_error(offset(a_year, "summary", *args), code, start)


def test_factor_sets_load_from_a_file_and_list(fresh_url: str, tmp_path: Path):
    csv = tmp_path / "factors.csv"
    csv.write_text("set,activity,unit,t_co2_per_unit,status,source\n"
                   "kepco-fy2012,electricity,kWh,0.000514,sourced,KEPCO FY2012 0.514\n",
                   encoding="utf-8")

    assert "loaded factor set(s): kepco-fy2012" in ok(fresh_url, "factors", "load", str(csv))

    listed = ok(fresh_url, "factors", "list")
    assert "kepco-fy2012   electricity  0.000514 t-CO2/kWh  [sourced]" in listed
    assert "tepco-fy2010" in listed
    assert_one_line_error(offset(fresh_url, "factors", "load", str(csv)), 1,
                          "set: factor set(s) ['kepco-fy2012'] already loaded")
    assert_one_line_error(offset(fresh_url, "factors", "load", str(tmp_path / "none.csv")),
                          2, "file: cannot read")
