"""Emissions and retirements over HTTP: t-CO2 computed by hand, and every refusal.

The deal's FY2010 is certified at 456.3 t and has 450 t of electricity emissions (fixture).
"""

from __future__ import annotations

from typing import Any

import pytest

from offset.db.uow import UnitOfWorkFactory
from tests.e2e.conftest import TestClient, World
from tests.e2e.urban import EMISSION, RETIREMENT, certified_and_emitted, entry_count, post


@pytest.fixture
def certified(uow: UnitOfWorkFactory, world: World) -> World:
    certified_and_emitted(uow, world)
    return world


# 1,200,000 kWh × 0.000375 t/kWh = 450.000 t; 12 kL × 2.49 t/kL = 29.880 t;
# 35 (1000 Nm3) × 2.23 t = 78.050 t.
@pytest.mark.parametrize(("fields", "tonnes", "factor", "unit"), [
    ({}, "450.000", "0.000375", "kWh"),
    ({"activity": "1200 MWh"}, "450.000", "0.000375", "kWh"),
    ({"activity": "1.2 GWh"}, "450.000", "0.000375", "kWh"),
    ({"activity_type": "kerosene", "activity": "12 kL", "factor_set": "jp-2010"},
     "29.880", "2.49", "kL"),
    ({"activity_type": "kerosene", "activity": "12000 L", "factor_set": "jp-2010"},
     "29.880", "2.49", "kL"),
    ({"activity_type": "city_gas", "activity": "35000 Nm3", "factor_set": "jp-2010"},
     "78.050", "2.23", "1000 Nm3"),
])
def test_an_emission_is_activity_times_the_factor_in_any_unit_of_its_dimension(
        client: TestClient, world: World, fields: dict[str, Any], tonnes: str, factor: str,
        unit: str):
    before = entry_count(client, world)

    response = post(client, world, "emissions", "urban", {**EMISSION, **fields})

    assert response.status_code == 201, response.text
    emission = response.json()
    assert (emission["tonnes"], emission["unit"], emission["factor"], emission["activity_unit"],
            emission["factor_unit"]) == (tonnes, "t-CO2", factor, unit, f"t-CO2/{unit}")
    assert (emission["factor_set"], emission["scope"], emission["source"]) == (
        fields.get("factor_set", "tepco-fy2010"), "ward facilities", "区役所本庁舎")
    assert emission["entry"]["kind"] == "emission"
    assert [p["amount"] for p in emission["entry"]["postings"]] == [tonnes, f"-{tonnes}"]
    assert entry_count(client, world) == before + 1


@pytest.mark.parametrize(("fields", "field"), [
    ({"activity": "1200000 kg"}, "body.activity"),
    ({"activity": "1200000"}, "body.activity"),
    ({"activity": 1200000}, "body.activity"),
    ({"activity": "-5 kWh"}, "body.activity"),
    ({"activity": "1e30 kWh"}, "body.activity"),
    ({"activity": "1 Wh"}, "body.activity"),  # not a kilogram of CO2
    ({"factor_set": "tepco-fy1999"}, "body.factor_set"),
    ({"activity_type": "coal"}, "body.activity_type"),
    ({"scope": "all households"}, "body.scope"),
    ({"fiscal_year": 2014}, "body.fiscal_year"),
    ({"source": "a\x00b"}, "body.source"),
])
def test_a_bad_emission_is_refused_naming_the_field(client: TestClient, world: World,
                                                    fields: dict[str, Any], field: str):
    before = entry_count(client, world)

    response = post(client, world, "emissions", "urban", {**EMISSION, **fields})

    assert response.status_code == 422, response.text
    assert field in [e["field"] for e in response.json()["errors"]]
    assert entry_count(client, world) == before


def test_a_retirement_draws_certified_credits_of_the_year(client: TestClient,
                                                          certified: World):
    response = post(client, certified, "retirements", "urban", RETIREMENT)

    assert response.status_code == 201, response.text
    retired = response.json()
    assert {k: retired[k] for k in ("fiscal_year", "quantity", "unit", "beneficiary",
                                    "vintages")} == {
        "fiscal_year": 2010, "quantity": "100.000", "unit": "t-CO2", "beneficiary": "新宿区",
        "vintages": {"2010": "100.000"}}
    assert sorted((p["account"], p["commodity"], p["amount"])
                  for p in retired["entry"]["postings"]) == [
        ("Assets:Carbon:Certified", "tCO2e", "-100.000"),
        ("Expenses:Carbon:Retired", "tCO2e", "100.000")]


@pytest.mark.parametrize(("first", "fields", "status", "field"), [
    (None, {"quantity": "450.001 t_CO2"}, 409, "body.quantity"),  # more than emitted
    ("400 t_CO2", {"quantity": "50.001 t_CO2"}, 409, "body.quantity"),  # emissions used up
    (None, {"fiscal_year": 2009, "retired_on": "2010-03-31"}, 409,
     "body.quantity"),  # no FY2009 emissions to offset
    (None, {"vintage": 2011}, 422, "body.vintage"),  # later credits never offset earlier years
    (None, {"vintage": 2009}, 409, "body.quantity"),  # nothing certified for FY2009
    (None, {"quantity": "100 t"}, 422, "body.quantity"),
    (None, {"quantity": "100"}, 422, "body.quantity"),
    (None, {"quantity": "0 t_CO2"}, 422, "body.quantity"),
    (None, {"beneficiary": ""}, 422, "body.beneficiary"),
    (None, {"fiscal_year": 2014}, 422, "body.fiscal_year"),
])
def test_a_retirement_beyond_the_rules_is_refused_and_writes_nothing(
        client: TestClient, certified: World, first: str | None, fields: dict[str, Any],
        status: int, field: str):
    if first is not None:
        assert post(client, certified, "retirements", "urban",
                    {**RETIREMENT, "quantity": first}).status_code == 201
    before = entry_count(client, certified)

    response = post(client, certified, "retirements", "urban", {**RETIREMENT, **fields})

    assert response.status_code == status, response.text
    assert field in [e["field"] for e in response.json()["errors"]]
    assert entry_count(client, certified) == before


def test_estimates_never_retire(client: TestClient, world: World, uow: UnitOfWorkFactory):
    post(client, world, "emissions", "urban", EMISSION)  # emitted, nothing certified

    response = post(client, world, "retirements", "urban", RETIREMENT)

    assert response.status_code == 409
    assert "only 0 t of certified credits" in response.json()["detail"]


@pytest.mark.parametrize(("path", "body"), [("emissions", EMISSION),
                                            ("retirements", RETIREMENT)])
def test_a_retried_emission_or_retirement_posts_once(client: TestClient, certified: World,
                                                     path: str, body: dict[str, Any]):
    before = entry_count(client, certified)

    answers = [post(client, certified, path, "urban", body, **{"Idempotency-Key": "k-1"})
               for _ in range(3)]

    assert {a.status_code for a in answers} == {201}
    assert answers[2].json() == answers[0].json()
    assert entry_count(client, certified) == before + 1


def test_the_loaded_factor_sets_are_listed_for_any_caller(client: TestClient, world: World):
    listed = client.get("/v1/emission-factors", headers=world.auth("other-auditor")).json()

    tepco = next(f for f in listed if f["set"] == "tepco-fy2010")
    assert tepco == {"set": "tepco-fy2010", "activity": "electricity", "unit": "kWh",
                     "factor": "0.000375", "factor_unit": "t-CO2/kWh", "status": "sourced",
                     "source": "TEPCO FY2010 emission factor 0.375 kg-CO2/kWh"}
