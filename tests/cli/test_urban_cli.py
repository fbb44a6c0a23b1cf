"""The urban partner's commands — costs, subsidies, timber, emissions, retire, credits, journal,
reverse — run in-process against real SQLite and PostgreSQL databases.

The agreement: Shinjuku–Ina, FY2009–FY2013, per-area rate 3.19 t-CO2/ha/yr, costs shared
50 %; 5 ha thinned in FY2010 (estimates for FY2010–FY2013) and FY2010 certified at 20 t.
That is 5 entries before any command runs. Every figure below is worked by hand.
"""

from __future__ import annotations

import getpass
import re
from decimal import Decimal

import pytest

from offset.agreements.model import CostSharing
from offset.db.uow import unit_of_work_factory
from offset.forestry.certification import certify
from offset.forestry.thinnings import log_thinning
from offset.ledger.model import Entry
from tests.builders import certificate, stand, thinning, urban_agreement
from tests.cli.running import assert_one_line_error, offset, ok
from tests.databases import engine_for

SET_UP_ENTRIES = 5  # 4 estimates (FY2010–FY2013) and the FY2010 certification
A = ["--agreement", "1"]
FY = ["--fy", "2010"]


@pytest.fixture
def shared_half(fresh_url: str) -> str:
    """A database holding agreement 1 (costs shared 50 %), thinning 1 and 20 t certified."""
    engine = engine_for(fresh_url)
    try:
        with unit_of_work_factory(engine)() as uow:
            deal = urban_agreement(uow, sharing=CostSharing(Decimal(50)))
            logged = log_thinning(uow, deal, thinning(deal.id, stand(uow).id, "5", 2010),
                                           "forestry")
            certify(uow, deal, certificate("20"), "forestry")
            uow.commit()
    finally:
        engine.dispose()
    assert logged.thinning.id == 1
    return fresh_url


def entry_count(url: str) -> int:
    """Return how many entries `offset journal` lists for agreement 1."""
    shown = ok(url, "journal", *A, "--limit", "500")
    found = re.search(r"agreement 1: (\d+) entries shown", shown)
    assert found, shown
    return int(found[1])


def stored(url: str, entry_id: int) -> Entry:
    engine = engine_for(url)
    try:
        with unit_of_work_factory(engine)(read_only=True) as uow:
            return uow.journal.get(entry_id).entry
    finally:
        engine.dispose()


def entry_id(output: str) -> int:
    found = re.search(r"entry (\d+):", output)
    assert found, output
    return int(found[1])


def cost(url: str, amount: str, *extra: str) -> str:
    return ok(url, "costs", "add", *A, *FY, "--category", "thinning", "--amount", amount,
              "--date", "2010-12-01", *extra)


def emit(url: str, activity: str = "1200000 kWh") -> str:
    return ok(url, "emissions", "add", *A, *FY, "--type", "electricity", "--activity",
              activity, "--factor-set", "tepco-fy2010", "--source", "区役所本庁舎")


def retire(url: str, tonnes: str, *extra: str) -> str:
    return ok(url, "retire", *A, *FY, "--quantity", f"{tonnes} t_CO2", "--beneficiary",
              "新宿区", "--purpose", "区の施設の排出量のオフセット", "--date", "2011-03-01",
              *extra)


def lines_of(shown: str) -> list[str]:
    return [" ".join(line.split()) for line in shown.splitlines()]


def test_a_cost_is_split_by_the_agreement_share_exactly_in_yen(shared_half: str):
    # 1,001 × 50 % = 500.5 → urban 500 (half to even), forest the rest: 501
    shown = cost(shared_half, "1001", "--thinning", "1", "--description", "除伐・間伐")
    assert "FY2010 thinning (間伐事業費) 1,001 JPY; urban 500 JPY, forest 501 JPY" in shown
    first = stored(shared_half, entry_id(shown))
    assert first.recorded_by == f"cli:{getpass.getuser()}"
    assert (first.description, first.details["thinning_ids"]) == ("除伐・間伐", [1])

    borne = ok(shared_half, "costs", "add", *A, *FY, "--category", "work-road", "--amount",
               "1001", "--date", "2010-12-02", "--bearer", "forest", "--recorded-by", "kankyo")
    assert "work-road (作業道) 1,001 JPY; urban 0 JPY, forest 1,001 JPY" in borne
    assert stored(shared_half, entry_id(borne)).recorded_by == "kankyo"


def test_a_subsidy_is_recorded_for_its_recipient_and_the_costs_it_funds(shared_half: str):
    funded = entry_id(cost(shared_half, "20000000"))
    shown = ok(shared_half, "subsidies", "add", *A, *FY, "--scheme", "national", "--name",
               "造林補助金", "--amount", "8000000", "--recipient", "urban", "--date",
               "2010-12-15", "--funds", str(funded))
    assert (f"FY2010 国庫補助（造林補助金） 造林補助金 8,000,000 JPY to urban, funding cost "
            f"entr(ies) {funded}") in shown
    assert stored(shared_half, entry_id(shown)).details["funds_cost_ids"] == [funded]


def test_a_timber_sale_from_a_unit_price_is_rounded_down_to_the_yen(shared_half: str):
    # 12.345 m3 × 9,999 yen = 123,437.655 → 123,437 (端数切捨て)
    shown = ok(shared_half, "timber", "add", *A, *FY, "--volume", "12.345 m**3",
               "--unit-price", "9999", "--buyer", "上伊那木材協同組合", "--recipient", "forest",
               "--date", "2011-01-20", "--thinning", "1")
    assert "total 123,437 JPY = 12.345 m3 × 9,999 JPY/m3, rounded down" in shown
    assert "to forest from 上伊那木材協同組合" in shown

    given = ok(shared_half, "timber", "add", *A, *FY, "--volume", "120 m3", "--total",
               "960000", "--buyer", "上伊那木材協同組合", "--recipient", "urban",
               "--date", "2011-01-21")
    assert "total 960,000 JPY; to urban" in given


def test_an_emission_is_activity_times_the_factor_of_its_set(shared_half: str):
    # 1,200,000 kWh × 0.000375 t/kWh = 450.000 t; 1,200 MWh is the same activity
    shown = emit(shared_half)
    assert ("FY2010 electricity 1200000 kWh × 0.000375 t-CO2/kWh (set tepco-fy2010, sourced)"
            " = 450.000 t-CO2") in shown
    assert emit(shared_half, "1200 MWh").endswith("= 450.000 t-CO2\n")
    assert stored(shared_half, entry_id(shown)).details["source"] == "区役所本庁舎"


def test_retiring_draws_certified_vintages_and_credits_show_what_is_left(shared_half: str):
    emit(shared_half)
    shown = retire(shared_half, "5", "--vintage", "2010")
    assert "5.000 t-CO2 against FY2010 for 新宿区; drawn from FY2010 5.000 t-CO2" in shown

    left = lines_of(ok(shared_half, "credits", *A))
    assert "FY2010 (平成22年度) 15.000" in left  # 20 − 5
    assert "合計 Total 15.000" in left

    retire(shared_half, "15")
    assert "no certified credits available" in ok(shared_half, "credits", *A)


def test_the_journal_lists_entries_and_reverse_cancels_one(shared_half: str):
    cancelled = entry_id(cost(shared_half, "1001"))
    shown = ok(shared_half, "reverse", str(cancelled), "--reason", "二重計上")
    reversal = entry_id(shown)
    assert f"reverses entry {cancelled} (cost): 二重計上" in shown
    assert stored(shared_half, reversal).reason == "二重計上"

    listed = lines_of(ok(shared_half, "journal", *A, "--fy", "2010"))
    assert any(line.startswith(f"{cancelled} {cancelled} FY2010 cost 2010-12-01")
               and line.endswith(f"1,001 JPY (4 postings) {reversal}") for line in listed), listed
    assert any(line.startswith(f"{reversal} {reversal} FY2010 reversal") for line in listed)
    assert "agreement 1: 4 entries shown" in listed  # FY2010: estimate, certificate, 2 here
    assert entry_count(shared_half) == SET_UP_ENTRIES + 2


def test_the_journal_pages_by_sequence(shared_half: str):
    first = ok(shared_half, "journal", *A, "--limit", "2")
    assert "agreement 1: 2 entries shown; next page: --after-seq 2" in first
    rest = ok(shared_half, "journal", *A, "--after-seq", "2")
    assert f"agreement 1: {SET_UP_ENTRIES - 2} entries shown" in rest
    assert "next page" not in rest


def test_after_a_year_recorded_through_the_cli_the_summary_shows_the_hand_figures(
        shared_half: str):
    thinning_cost = entry_id(cost(shared_half, "20000000", "--thinning", "1"))
    ok(shared_half, "costs", "add", *A, *FY, "--category", "work-road", "--amount", "1001",
       "--date", "2010-10-01")
    ok(shared_half, "subsidies", "add", *A, *FY, "--scheme", "national", "--name", "造林補助金",
       "--amount", "8000000", "--recipient", "urban", "--date", "2010-12-15",
       "--funds", str(thinning_cost))
    ok(shared_half, "timber", "add", *A, *FY, "--volume", "12.345 m**3", "--unit-price",
       "9999", "--buyer", "上伊那木材協同組合", "--recipient", "forest", "--date", "2011-01-20")
    emit(shared_half)
    retire(shared_half, "20")

    shown = lines_of(ok(shared_half, "summary", *A, *FY))
    for expected in [
        "排出量 Emissions 450.000 t-CO2", "認証 Certified 20.000 t-CO2",
        "無効化 Retired 20.000 t-CO2", "正味 Net 430.000 t-CO2",
        "相殺率 Offset ratio 4.44 %",  # 20 / 450
        "費用 Cost 間伐事業費 thinning (都市側 urban) 10,000,000 JPY",
        "費用 Cost 間伐事業費 thinning (森林側 forest) 10,000,000 JPY",
        "費用 Cost 作業道 work-road (都市側 urban) 500 JPY",  # 1,001 × 50 % = 500.5 → 500
        "費用 Cost 作業道 work-road (森林側 forest) 501 JPY",
        "補助金 Subsidy 国庫補助（造林補助金） (都市側 urban) 8,000,000 JPY",
        "間伐材売却収入 Timber revenue (森林側 forest) 123,437 JPY",
        # urban 10,000,000 + 500 − 8,000,000; forest 10,000,000 + 501 − 123,437
        "正味負担 Net cost (都市側 urban) 2,000,500 JPY",
        "正味負担 Net cost (森林側 forest) 9,877,064 JPY",
        "認証1tあたり費用 Cost per certified t 100,025 JPY/t-CO2",  # 2,000,500 / 20
    ]:
        assert any(expected in line for line in shown), (expected, shown)
    assert "OK: 1 chains, 11 entries verified" in ok(shared_half, "verify")


@pytest.fixture
def recorded(shared_half: str) -> dict[str, int]:
    """Agreement 1 with a 1,001-yen cost wholly funded, 450 t emitted, 5 t retired, and a
    reversed cost; returns the entry ids."""
    funded = entry_id(cost(shared_half, "1001"))
    ok(shared_half, "subsidies", "add", *A, *FY, "--scheme", "prefectural", "--name", "県補助",
       "--amount", "1001", "--recipient", "urban", "--date", "2010-12-15",
       "--funds", str(funded))
    emit(shared_half)
    retired = entry_id(retire(shared_half, "5"))
    reversed_ = entry_id(cost(shared_half, "7"))
    ok(shared_half, "reverse", str(reversed_), "--reason", "誤入力")
    return {"funded": funded, "retired": retired, "reversed": reversed_,
            "certification": SET_UP_ENTRIES}


REFUSALS = [
    (["subsidies", "add", *A, *FY, "--scheme", "national", "--name", "造林補助金", "--amount",
      "1", "--recipient", "urban", "--date", "2010-12-20", "--funds", "{funded}"], 1,
     "amount: subsidies of 1002 yen would exceed"),
    (["subsidies", "add", *A, *FY, "--scheme", "national", "--name", "造林補助金", "--amount",
      "999000000", "--recipient", "urban", "--date", "2010-12-20"], 1,
     "amount: a subsidy of 999000000 yen exceeds the "),
    (["costs", "add", *A, *FY, "--category", "thinning", "--amount", "1000", "--date",
      "2016-09-01"], 2, "incurred_on: 2016-09-01 is not in FY2010: the date must fall from "
     "2010-04-01 to 2011-05-31"),
    (["retire", *A, *FY, "--quantity", "15.001 t_CO2", "--beneficiary", "新宿区",
      "--purpose", "offset", "--date", "2011-03-01"], 1,
     "quantity: only 15.000 t of certified credits are available for FY2010"),
    (["retire", *A, *FY, "--quantity", "1 t_CO2", "--beneficiary", "新宿区", "--purpose",
      "offset", "--date", "2011-03-01", "--vintage", "2011"], 2,
     "vintage: credits of FY2011 cannot offset FY2010"),
    (["retire", *A, *FY, "--quantity", "1 t", "--beneficiary", "新宿区", "--purpose", "offset",
      "--date", "2011-03-01"], 2, "quantity: '1 t' is not convertible to t_CO2"),
    (["emissions", "add", *A, *FY, "--type", "city_gas", "--activity", "35000 m3",
      "--factor-set", "jp-2010"], 2, "activity: '35000 m3' does not convert to 1000 Nm3"),
    (["emissions", "add", *A, *FY, "--type", "electricity", "--activity", "1200000 kWh",
      "--factor-set", "tepco-fy2099"], 2, "factor_set: "),
    (["costs", "add", *A, *FY, "--category", "thinning", "--amount", "1000.5", "--date",
      "2010-12-01"], 2, "amount: '1000.5' is not whole yen"),
    (["costs", "add", *A, *FY, "--category", "lunch", "--amount", "1000", "--date",
      "2010-12-01"], 2, "category: 'lunch' is not one of thinning, work-road"),
    (["costs", "add", *A, "--fy", "2015", "--category", "thinning", "--amount", "1000",
      "--date", "2015-12-01"], 2, "fiscal_year: FY2015 is outside the agreement's terms"),
    (["costs", "add", *A, *FY, "--category", "thinning", "--amount", "1000", "--date",
      "2010-12-01", "--thinning", "9"], 2, "thinning_ids: thinning(s) [9]"),
    (["timber", "add", *A, *FY, "--volume", "12 m3", "--unit-price", "9999", "--total", "5",
      "--buyer", "x", "--recipient", "forest", "--date", "2011-01-20"], 2,
     "unit_price: give exactly one of --unit-price and --total"),
    (["timber", "add", *A, *FY, "--volume", "12 ha", "--total", "5", "--buyer", "x",
      "--recipient", "city", "--date", "2011-01-20"], 2, "volume: '12 ha' is not convertible"),
    (["subsidies", "add", "--agreement", "7", *FY, "--scheme", "national", "--name", "x",
      "--amount", "1", "--recipient", "urban", "--date", "2010-12-20"], 2,
     "agreement_id: agreement 7 does not exist"),
    (["reverse", "{reversed}", "--reason", "again"], 1,
     "entry {reversed} was already reversed by entry"),
    (["reverse", "{funded}", "--reason", "wrong"], 1, "entry_id: "),
    (["reverse", "{certification}", "--reason", "wrong"], 1, "entry_id: credits of FY2010"),
    (["reverse", "{retired}", "--reason", " "], 2, "reason: must not be blank"),
    (["reverse", "999", "--reason", "wrong"], 2, "entry_id: entry 999 does not exist"),
    (["reverse", str(2**63), "--reason", "wrong"], 2, "entry_id: 9223372036854775808 is not"),
    (["journal", *A, "--limit", "501"], 2, "limit: must be 1..500"),
]


@pytest.mark.parametrize(("args", "code", "start"), REFUSALS, ids=[
    "subsidy-beyond-cost", "subsidy-naming-no-costs-beyond-them", "cost-dated-outside-fy",
    "retire-beyond-available", "vintage-after-year", "retire-mass",
    "city-gas-in-m3", "unknown-factor-set", "float-yen", "unknown-category", "fy-outside-terms",
    "unknown-thinning", "price-and-total", "volume-as-area", "unknown-agreement",
    "reverse-twice", "reverse-funded-cost", "reverse-retired-certification", "blank-reason",
    "reverse-unknown", "reverse-beyond-64-bit", "page-too-long"])
def test_a_refusal_is_one_error_line_and_writes_nothing(shared_half: str,
                                                        recorded: dict[str, int],
                                                        args: list[str], code: int, start: str):
    before = entry_count(shared_half)
    result = offset(shared_half, *(arg.format(**recorded) for arg in args))
    assert_one_line_error(result, code, start.format(**recorded))
    assert entry_count(shared_half) == before
