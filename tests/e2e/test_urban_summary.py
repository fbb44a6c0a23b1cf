"""The netting summary after an agreement's year, every figure computed by hand.

The shared agreement (FY2009–FY2013) splits costs 50/50 and survey fees 100 % urban. Its
FY2010, in order:

  forestry  logs 29 ha of red pine: ANNUAL t estimated for each of FY2010–FY2013
  forestry  receives the prefecture's certification of FY2010: 456.3 t
  urban     thinning work 3,000,001 yen, split: urban 1,500,000 (half-to-even), forest 1,500,001
  urban     survey fee 200,000 yen: urban 200,000
  forestry  work road 500,000 yen borne by the forest: forest 500,000
  urban     森林環境譲与税 300,000 yen funding the thinning work
  forestry  造林補助金 1,000,000 yen funding the thinning work
  forestry  400 石 = 111.306 m³ sold at 9,000.5 yen/m³ = 1,001,809.653 → 1,001,809 yen
  urban     electricity 1,200,000 kWh × 0.000375 = 450.000 t; kerosene 12 kL × 2.49 = 29.880 t
  urban     retires 400 t against FY2010
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

import pytest

from tests.e2e.conftest import TestClient, World
from tests.e2e.forestry import add_stand, thinning
from tests.e2e.test_certifications import NAGANO
from tests.e2e.test_thinnings import ANNUAL
from tests.e2e.urban import COST, EMISSION, RETIREMENT, SUBSIDY, TIMBER, post, shared_agreement

SIX = Decimal("0.000001")
EMITTED = Decimal("450.000") + Decimal("29.880")
RETIRED = Decimal("400.000")
PENDING = 3 * ANNUAL  # FY2011–FY2013 are still estimates
URBAN_NET = 1_500_000 + 200_000 - 300_000
FOREST_NET = 1_500_001 + 500_000 - 1_000_000 - 1_001_809

MONEY = {
    "unit": "JPY",
    "costs": [{"category": "survey", "category_ja": "調査・認証費", "bearer": "urban",
               "amount": "200000"},
              {"category": "thinning", "category_ja": "間伐事業費", "bearer": "forest",
               "amount": "1500001"},
              {"category": "thinning", "category_ja": "間伐事業費", "bearer": "urban",
               "amount": "1500000"},
              {"category": "work-road", "category_ja": "作業道", "bearer": "forest",
               "amount": "500000"}],
    "subsidies": [{"scheme": "forest-environment-tax", "scheme_ja": "森林環境譲与税",
                   "recipient": "urban", "amount": "300000"},
                  {"scheme": "national", "scheme_ja": "国庫補助（造林補助金）",
                   "recipient": "forest", "amount": "1000000"}],
    "timber": [{"recipient": "forest", "amount": "1001809"}],
    "net_cost": {"urban": str(URBAN_NET), "forest": str(FOREST_NET)},
    # 1,400,000 yen / 456.3 t = 3,068.16… → 3,068 yen per t-CO2
    "cost_per_certified_tonne": "3068",
    "cost_per_certified_tonne_unit": "JPY/t-CO2",
}
LABEL = "provisional — includes estimates pending certification / 暫定値（認証前の推計を含む）"


def a_year(client: TestClient, world: World) -> int:
    """Record the year above through the API; return the agreement's id."""
    shared = shared_agreement(client, world)
    stand = add_stand(client, world, agreement_id=shared)
    steps: list[tuple[str, str, dict[str, Any]]] = [
        ("thinnings", "forestry", thinning(stand["id"])),
        ("certifications", "forestry", NAGANO),
        ("costs", "urban", {**COST, "amount": "3000001"}),
        ("costs", "urban", {**COST, "category": "survey", "amount": 200000}),
        ("costs", "forestry", {**COST, "category": "work-road", "amount": 500000,
                               "bearer": "forest"}),
    ]
    for path, caller, body in steps:
        assert post(client, world, path, caller, body, shared).status_code == 201
    thinning_cost = post(client, world, "costs", "urban", COST, shared)  # a second, small one
    assert thinning_cost.status_code == 201
    funded = _first_cost_id(client, world, shared)
    for path, caller, body in [
        ("subsidies", "urban", {**SUBSIDY, "scheme": "forest-environment-tax",
                                "name": "森林環境譲与税", "amount": 300000,
                                "funds_cost_ids": [funded]}),
        ("subsidies", "forestry", {**SUBSIDY, "amount": 1000000, "funds_cost_ids": [funded]}),
        ("timber-sales", "forestry", {**TIMBER, "volume": "400 石", "unit_price": "9000.5"}),
        ("emissions", "urban", EMISSION),
        ("emissions", "urban", {**EMISSION, "activity_type": "kerosene", "activity": "12 kL",
                                "factor_set": "jp-2010"}),
        ("retirements", "urban", {**RETIREMENT, "quantity": "400 t_CO2"}),
    ]:
        response = post(client, world, path, caller, body, shared)
        assert response.status_code == 201, response.text
    _reverse(client, world, thinning_cost.json()["entry"]["id"])
    return shared


def _first_cost_id(client: TestClient, world: World, agreement_id: int) -> int:
    journal = client.get(f"/v1/agreements/{agreement_id}/journal",
                         headers=world.auth("urban")).json()["items"]
    return int(next(e["id"] for e in journal if e["kind"] == "cost"))


def _reverse(client: TestClient, world: World, entry_id: int) -> None:
    response = client.post(f"/v1/entries/{entry_id}/reversal", headers=world.auth("urban"),
                           json={"reason": "recorded twice"})
    assert response.status_code == 201, response.text


def _chain(client: TestClient, world: World, agreement_id: int) -> dict[str, Any]:
    chains = client.get("/v1/ledger/verify", headers=world.auth("admin")).json()["chains"]
    found = next(c for c in chains if c["agreement_id"] == agreement_id)
    return {"entry_count": found["entry_count"], "head_hash": found["head_hash"]}


def test_the_hand_figures_are_what_the_module_states():
    assert (EMITTED, URBAN_NET, FOREST_NET) == (Decimal("479.880"), 1_400_000, -1_808)
    assert (Decimal(400 * 10000) / 35937).quantize(Decimal("0.001")) == Decimal("111.306")
    assert Decimal("111.306") * Decimal("9000.5") == Decimal("1001809.6530")
    assert (Decimal(URBAN_NET) / Decimal("456.3")).quantize(Decimal(1)) == 3068


@pytest.mark.parametrize("caller", ["urban", "forestry", "admin"])
def test_the_fiscal_year_summary_equals_the_hand_figures(client: TestClient, world: World,
                                                         caller: str):
    shared = a_year(client, world)

    response = client.get(f"/v1/agreements/{shared}/fiscal-years/2010/summary",
                          headers=world.auth(caller))

    assert response.status_code == 200, response.text
    ratio = str((RETIRED / EMITTED).quantize(SIX, ROUND_HALF_EVEN))
    chain = _chain(client, world, shared)
    found = response.json()
    share = found.pop("party_netting")
    assert found == {
        "agreement_id": shared, "fiscal_years": [2010], "fiscal_year_labels": ["平成22年度"],
        "term": None, "provisional": False, "chain": chain,
        "as_of": {"seq": chain["entry_count"], "head": chain["head_hash"]},
        "integrity": {"ok": True},
        "carbon": {
            "unit": "t-CO2", "emissions": "479.880",
            "emissions_by_activity": {"electricity": "450.000", "kerosene": "29.880"},
            "certified": "456.300", "retired": "400.000", "net": "79.880",
            "offset_ratio": ratio,
            "provisional": {"label": LABEL, "estimated_pending": "0.000",
                            "offset": "400.000", "net": "79.880", "offset_ratio": ratio}},
        "money": MONEY, "adjusted_later": []}  # FY2010 is open: nothing adjusted later
    assert ratio == "0.833542"
    # Its part in the ward's netting: its own figures beside the ward's, which the party's
    # summary (every agreement's own summary added up) gives.
    party = client.get(f"/v1/parties/{world.deal.urban_party_id}/fiscal-years/2010/summary",
                       headers=world.auth("admin")).json()
    assert (share["emissions_here"], share["retired_here"]) == ("479.880", "400.000")
    assert (share["emissions"], share["retired"]) == (party["carbon"]["emissions"],
                                                      party["carbon"]["retired"])
    assert share["agreements"] == len(party["contributions"])
    assert share["share_of_retired"] == str(
        (RETIRED / Decimal(party["carbon"]["retired"])).quantize(SIX, ROUND_HALF_EVEN))


def test_the_term_summary_adds_the_years_and_is_provisional_while_estimates_are_pending(
        client: TestClient, world: World):
    shared = a_year(client, world)

    summary = client.get(f"/v1/agreements/{shared}/terms/1/summary",
                         headers=world.auth("forestry")).json()

    offset = RETIRED + PENDING
    assert (summary["fiscal_years"], summary["term"], summary["provisional"]) == (
        [2009, 2010, 2011, 2012, 2013], 1, True)
    assert summary["carbon"]["net"] == "79.880"
    assert summary["carbon"]["provisional"] == {
        "label": LABEL, "estimated_pending": str(PENDING), "offset": str(offset),
        "net": str(EMITTED - offset),
        "offset_ratio": str((offset / EMITTED).quantize(SIX, ROUND_HALF_EVEN))}
    assert summary["money"] == MONEY


def test_a_year_with_nothing_recorded_has_no_ratio_and_no_cost_per_tonne(client: TestClient,
                                                                        world: World):
    summary = client.get(f"/v1/agreements/{world.deal.id}/fiscal-years/2012/summary",
                         headers=world.auth("urban")).json()

    assert (summary["carbon"]["emissions"], summary["carbon"]["offset_ratio"],
            summary["money"]["cost_per_certified_tonne"], summary["provisional"]) == (
        "0.000", None, None, False)


@pytest.mark.parametrize(("path", "status", "field"), [
    ("terms/2/summary", 404, None),
    ("terms/0/summary", 422, "path.term"),
    ("fiscal-years/1800/summary", 422, "path.fiscal_year"),
    ("fiscal-years/year/summary", 422, "path.fiscal_year"),
])
def test_a_summary_of_what_is_not_there_is_refused(client: TestClient, world: World,
                                                   path: str, status: int, field: str | None):
    response = client.get(f"/v1/agreements/{world.deal.id}/{path}",
                          headers=world.auth("urban"))

    assert response.status_code == status, response.text
    assert [e["field"] for e in response.json().get("errors", [])] == (
        [field] if field else [])
