"""Costs, subsidies and timber sales over HTTP: exact yen by hand, and every refusal.

A refusal is a 4xx naming the field and leaves the journal as it was.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import TestClient, World
from tests.e2e.urban import COST, SUBSIDY, TIMBER, entry_count, post, shared_agreement


def test_a_cost_is_split_by_the_sharing_rule_with_the_odd_yen_to_the_forest(
        client: TestClient, world: World):
    shared = shared_agreement(client, world)

    response = post(client, world, "costs", "urban", COST, shared)

    # 1,001 × 50 % = 500.5 → the urban share rounds half-to-even to 500; the forest bears 501.
    assert response.status_code == 201, response.text
    cost = response.json()
    assert {k: cost[k] for k in ("fiscal_year", "category", "category_ja", "amount", "unit",
                                 "shares")} == {
        "fiscal_year": 2010, "category": "thinning", "category_ja": "間伐事業費",
        "amount": "1001", "unit": "JPY", "shares": {"urban": "500", "forest": "501"}}
    assert cost["entry"]["kind"] == "cost"
    assert sorted((p["account"], p["amount"]) for p in cost["entry"]["postings"]) == sorted([
        ("Expenses:Cost:Thinning:Urban", "500"), ("Equity:Funding:Urban", "-500"),
        ("Expenses:Cost:Thinning:Forest", "501"), ("Equity:Funding:Forest", "-501")])


@pytest.mark.parametrize(("caller", "fields", "shares"), [
    ("urban", {"category": "survey"}, {"urban": "1001", "forest": "0"}),  # survey: 100 %
    ("urban", {"bearer": "urban", "amount": "2500"}, {"urban": "2500"}),
    ("forestry", {"bearer": "forest", "category": "work-road"}, {"forest": "1001"}),
    ("forestry", {}, {"urban": "500", "forest": "501"}),
])
def test_a_bearer_or_a_category_share_decides_who_bears_a_cost(
        client: TestClient, world: World, caller: str, fields: dict[str, Any],
        shares: dict[str, str]):
    shared = shared_agreement(client, world)

    response = post(client, world, "costs", caller, {**COST, **fields}, shared)

    assert (response.status_code, response.json()["shares"]) == (201, shares)


def test_the_default_rule_puts_the_whole_cost_on_the_urban_partner(client: TestClient,
                                                                   world: World):
    response = post(client, world, "costs", "forestry", COST)

    assert response.json()["shares"] == {"urban": "1001", "forest": "0"}


def test_a_subsidy_goes_to_the_callers_side_and_may_fund_costs_up_to_their_amount(
        client: TestClient, world: World):
    shared = shared_agreement(client, world)
    cost = post(client, world, "costs", "urban", COST, shared).json()["entry"]["id"]

    first = post(client, world, "subsidies", "forestry", {**SUBSIDY, "amount": "600",
                                                          "funds_cost_ids": [cost]}, shared)
    second = post(client, world, "subsidies", "urban", {
        **SUBSIDY, "scheme": "forest-environment-tax", "name": "森林環境譲与税",
        "amount": 401, "funds_cost_ids": [cost]}, shared)
    before = entry_count(client, world)
    third = post(client, world, "subsidies", "urban", {**SUBSIDY, "amount": 1,
                                                       "funds_cost_ids": [cost]}, shared)

    assert (first.status_code, second.status_code) == (201, 201), second.text
    assert {k: first.json()[k] for k in ("scheme", "scheme_ja", "name", "recipient", "amount",
                                         "unit", "funds_cost_ids")} == {
        "scheme": "national", "scheme_ja": "国庫補助（造林補助金）", "name": "造林補助金",
        "recipient": "forest", "amount": "600", "unit": "JPY", "funds_cost_ids": [cost]}
    assert second.json()["recipient"] == "urban"
    # 600 + 401 = 1,001 funds the cost exactly; one more yen would exceed it.
    assert third.status_code == 409, third.text
    assert [e["field"] for e in third.json()["errors"]] == ["body.amount"]
    assert entry_count(client, world) == before


def test_a_subsidy_naming_no_costs_is_refused_beyond_the_recipients_unfunded_costs(
        client: TestClient, world: World):
    shared = shared_agreement(client, world)
    cost = post(client, world, "costs", "urban", COST, shared).json()["entry"]["id"]
    before = entry_count(client, world)

    response = post(client, world, "subsidies", "urban",
                    {**SUBSIDY, "amount": 999_000_000}, shared)

    # The urban side bears 500 of the 1,001 yen cost (50 %), none of it funded yet.
    assert response.status_code == 409, response.text
    problem = response.json()
    assert problem["type"].endswith("/subsidy-exceeds-costs")
    assert {k: problem[k] for k in ("cap", "requested", "cost_ids", "fiscal_year",
                                    "recipient")} == {
        "cap": 500, "requested": 999_000_000, "cost_ids": [cost], "fiscal_year": 2010,
        "recipient": "urban"}
    assert [e["field"] for e in problem["errors"]] == ["body.amount"]
    assert entry_count(client, world) == before
    assert post(client, world, "subsidies", "urban", {**SUBSIDY, "amount": 500},
                shared).status_code == 201


@pytest.mark.parametrize(("path", "field", "day"), [
    ("costs", "incurred_on", "2010-03-01"),
    ("costs", "incurred_on", "2013-09-01"),
    ("subsidies", "received_on", "2011-06-01"),
    ("timber-sales", "sold_on", "2010-03-31"),
])
def test_money_dated_outside_its_year_and_settlement_period_is_refused_naming_the_date(
        client: TestClient, world: World, path: str, field: str, day: str):
    body = {"costs": COST, "subsidies": SUBSIDY, "timber-sales": TIMBER}[path]
    before = entry_count(client, world)

    response = post(client, world, path, "urban", {**body, field: day})

    # FY2010 runs 2010-04-01..2011-03-31, and its settlement period until 2011-05-31.
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["type"].endswith("/outside-fiscal-year")
    assert [e["field"] for e in problem["errors"]] == [f"body.{field}"]
    assert (problem["date"], problem["earliest"], problem["latest"]) == (
        day, "2010-04-01", "2011-05-31")
    assert entry_count(client, world) == before


# 400 石 = 400 × 10000/35937 m³ = 111.3058... → 111.306 m³; × 9000.5 yen = 1,001,809.653
# → 1,001,809 yen (rounded down). 120 m³ × 8,000 = 960,000 exactly.
@pytest.mark.parametrize(("fields", "volume", "total"), [
    ({"volume": "400 石", "unit_price": "9000.5"}, "111.306", "1001809"),
    ({}, "120.000", "960000"),
    ({"unit_price": None, "total": "955000"}, "120.000", "955000"),
])
def test_a_timber_sale_totals_volume_times_price_rounded_down(
        client: TestClient, world: World, fields: dict[str, Any], volume: str, total: str):
    response = post(client, world, "timber-sales", "forestry", {**TIMBER, **fields})

    assert response.status_code == 201, response.text
    sale = response.json()
    assert (sale["volume"], sale["volume_unit"], sale["total"], sale["unit"],
            sale["recipient"]) == (volume, "m3", total, "JPY", "forest")
    assert sale["unit_price"] == fields.get("unit_price", TIMBER["unit_price"])
    assert sorted((p["account"], p["amount"]) for p in sale["entry"]["postings"]) == sorted([
        ("Equity:Funding:Forest", total), ("Income:Timber:Forest", f"-{total}")])


@pytest.mark.parametrize(("path", "fields", "field"), [
    ("costs", {"amount": 1001.0}, "body.amount"),
    ("costs", {"amount": "1001.5"}, "body.amount"),
    ("costs", {"amount": "1,001"}, "body.amount"),
    ("costs", {"amount": 0}, "body.amount"),
    ("costs", {"amount": -5}, "body.amount"),
    ("costs", {"amount": True}, "body.amount"),
    ("costs", {"amount": 10**13}, "body.amount"),
    ("costs", {"category": "lunch"}, "body.category"),
    ("costs", {"fiscal_year": 2014}, "body.fiscal_year"),
    ("costs", {"bearer": "both"}, "body.bearer"),
    ("costs", {"thinning_ids": [424242]}, "body.thinning_ids"),
    ("costs", {"surplus": 1}, "body.surplus"),
    ("subsidies", {"amount": "3e2"}, "body.amount"),
    ("subsidies", {"scheme": "eu"}, "body.scheme"),
    ("subsidies", {"name": " "}, "body.name"),
    ("subsidies", {"funds_cost_ids": [987654]}, "body.funds_cost_ids"),
    ("timber-sales", {"volume": "120 m"}, "body.volume"),
    ("timber-sales", {"volume": "120"}, "body.volume"),
    ("timber-sales", {"volume": "0 m**3"}, "body.volume"),
    ("timber-sales", {"volume": "1e12 m**3"}, "body.volume"),
    ("timber-sales", {"unit_price": "abc"}, "body.unit_price"),
    ("timber-sales", {"unit_price": "-1"}, "body.unit_price"),
    ("timber-sales", {"unit_price": "0.000001"}, "body.unit_price"),
    ("timber-sales", {"total": 960000}, "body.unit_price"),  # both given
    ("timber-sales", {"unit_price": None}, "body.unit_price"),  # neither given
    ("timber-sales", {"unit_price": None, "total": 9.6}, "body.total"),
    ("timber-sales", {"buyer": ""}, "body.buyer"),
])
def test_bad_money_is_refused_naming_the_field_and_writes_nothing(
        client: TestClient, world: World, path: str, fields: dict[str, Any], field: str):
    # The world's deal holds a bare test cost entry; a fresh agreement holds only real costs.
    shared = shared_agreement(client, world)
    body = {"costs": COST, "subsidies": SUBSIDY, "timber-sales": TIMBER}[path]
    before = entry_count(client, world)

    response = post(client, world, path, "urban", {**body, **fields}, shared)

    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert field in [e["field"] for e in response.json()["errors"]]
    assert entry_count(client, world) == before


@pytest.mark.parametrize(("path", "body"), [("costs", COST), ("subsidies", SUBSIDY),
                                            ("timber-sales", TIMBER)])
def test_a_retried_write_posts_once_and_answers_the_same(client: TestClient, world: World,
                                                         path: str, body: dict[str, Any]):
    post(client, world, "costs", "urban", COST)  # a cost the subsidy may fund
    before = entry_count(client, world)

    first = post(client, world, path, "urban", body, **{"Idempotency-Key": f"{path}-1"})
    again = post(client, world, path, "urban", body, **{"Idempotency-Key": f"{path}-1"})

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert entry_count(client, world) == before + 1
