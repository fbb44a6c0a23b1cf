"""Refusals a client acts on: each has its own problem type, with the facts as members.

The deal runs FY2009–FY2013 (term 1). Extension members carry the error's attributes:
t-CO2 as exact text with 3 places, yen as integers, ids as integers.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from offset.closing import services as closing
from offset.db.uow import UnitOfWorkFactory
from tests.e2e.conftest import TestClient, World
from tests.e2e.forestry import add_stand, certifications_url, thinning, thinnings_url
from tests.e2e.urban import (
    COST,
    EMISSION,
    RETIREMENT,
    SUBSIDY,
    certified_and_emitted,
    post,
    shared_agreement,
)

BASE = "https://offset.example/problems/"
STANDARD = {"type", "title", "status", "detail", "errors"}


def members(response: Any) -> dict[str, Any]:
    """Return the problem document's extension members (all but the RFC 9457 ones)."""
    return {k: v for k, v in response.json().items() if k not in STANDARD}


def reverse(client: TestClient, world: World, entry_id: int) -> Any:
    return client.post(f"/v1/entries/{entry_id}/reversal", headers=world.auth("admin"),
                       json={"reason": "entered twice"})


def entry_of(client: TestClient, world: World, kind: str, fiscal_year: int = 2010) -> int:
    items = client.get(f"/v1/agreements/{world.deal.id}/journal",
                       headers=world.auth("admin")).json()["items"]
    found: int = next(e["id"] for e in items
                      if e["kind"] == kind and e["fiscal_year"] == fiscal_year)
    return found


# Retirements.

def test_retiring_more_than_the_certified_credits_is_credits_insufficient(
        client: TestClient, world: World, uow: UnitOfWorkFactory):
    certified_and_emitted(uow, world, tonnes="12")  # 12 t certified, 450 t emitted

    response = post(client, world, "retirements", "urban",
                    {**RETIREMENT, "quantity": "40 t_CO2"})

    assert (response.status_code, response.json()["type"]) == (
        409, BASE + "credits-insufficient")
    assert members(response) == {"fiscal_year": 2010, "vintage": None,
                                 "available": "12.000", "requested": "40.000"}
    assert response.json()["errors"][0]["field"] == "body.quantity"


def test_a_vintage_without_credits_names_the_vintage(client: TestClient, world: World,
                                                     uow: UnitOfWorkFactory):
    certified_and_emitted(uow, world)

    response = post(client, world, "retirements", "urban", {**RETIREMENT, "vintage": 2009})

    assert response.json()["type"] == BASE + "credits-insufficient"
    assert (members(response)["vintage"], members(response)["requested"]) == (2009, "100.000")


def test_retiring_beyond_the_years_unoffset_emissions_is_emissions_exceeded(
        client: TestClient, world: World, uow: UnitOfWorkFactory):
    certified_and_emitted(uow, world)  # 456.3 t certified, 450 t emitted
    assert post(client, world, "retirements", "urban", RETIREMENT).status_code == 201

    response = post(client, world, "retirements", "urban",
                    {**RETIREMENT, "quantity": "350.001 t_CO2"})

    assert (response.status_code, response.json()["type"]) == (
        409, BASE + "emissions-exceeded")
    assert members(response) == {"fiscal_year": 2010, "unoffset": "350.000",
                                 "requested": "350.001"}


# Money.

def test_a_subsidy_above_its_costs_states_the_cap(client: TestClient, world: World):
    shared = shared_agreement(client, world)
    cost = post(client, world, "costs", "urban", COST, shared).json()["entry"]["id"]

    response = post(client, world, "subsidies", "urban",
                    {**SUBSIDY, "amount": 1002, "funds_cost_ids": [cost]}, shared)

    assert (response.status_code, response.json()["type"]) == (
        409, BASE + "subsidy-exceeds-costs")
    assert members(response) == {"cap": 1001, "requested": 1002, "cost_ids": [cost],
                                 "fiscal_year": None, "recipient": None}


# Reversals refused.

def test_reversing_a_certification_whose_credits_are_retired_names_the_retirements(
        client: TestClient, world: World, uow: UnitOfWorkFactory):
    certified_and_emitted(uow, world)
    retirement = post(client, world, "retirements", "urban", RETIREMENT).json()["entry"]["id"]
    certification = entry_of(client, world, "certification")

    response = reverse(client, world, certification)

    assert (response.status_code, response.json()["type"]) == (409, BASE + "credits-retired")
    assert members(response) == {"entry_id": certification, "fiscal_year": 2010,
                                 "retirement_ids": [retirement]}


def test_reversing_offset_emissions_states_what_is_retired_and_what_would_remain(
        client: TestClient, world: World, uow: UnitOfWorkFactory):
    certified_and_emitted(uow, world)
    assert post(client, world, "retirements", "urban", RETIREMENT).status_code == 201
    emission = entry_of(client, world, "emission")

    response = reverse(client, world, emission)

    assert (response.status_code, response.json()["type"]) == (409, BASE + "emissions-offset")
    assert members(response) == {"entry_id": emission, "fiscal_year": 2010,
                                 "retired": "100.000", "remaining": "0.000"}


def test_reversing_a_funded_cost_names_the_subsidies(client: TestClient, world: World):
    cost = post(client, world, "costs", "urban", COST).json()["entry"]["id"]
    subsidy = post(client, world, "subsidies", "urban",
                   {**SUBSIDY, "funds_cost_ids": [cost]}).json()["entry"]["id"]

    response = reverse(client, world, cost)

    assert (response.status_code, response.json()["type"]) == (409, BASE + "cost-funded")
    assert members(response) == {"entry_id": cost, "subsidy_ids": [subsidy]}


def test_reversing_an_estimate_of_a_certified_year_names_the_certification(
        client: TestClient, world: World):
    stand = add_stand(client, world)
    assert client.post(thinnings_url(world), headers=world.auth("forestry"),
                       json=thinning(stand["id"])).status_code == 201
    certified = client.post(certifications_url(world), headers=world.auth("forestry"), json={
        "fiscal_year": 2010, "certified": "456.3 t_CO2", "body": "長野県",
        "certificate_number": "第22-1号", "issued_on": "2011-03-10"})
    assert certified.status_code == 201, certified.text
    estimate, certification = (entry_of(client, world, "estimate"),
                               entry_of(client, world, "certification"))

    response = reverse(client, world, estimate)

    assert (response.status_code, response.json()["type"]) == (
        409, BASE + "estimate-certified")
    assert members(response) == {"entry_id": estimate, "fiscal_year": 2010,
                                 "certification_id": certification}


def test_a_second_reversal_and_the_reversal_of_a_reversal_name_the_entries(
        client: TestClient, world: World):
    cost = post(client, world, "costs", "urban", COST).json()["entry"]["id"]
    reversal = reverse(client, world, cost).json()["id"]

    again, undo = reverse(client, world, cost), reverse(client, world, reversal)

    assert (again.json()["type"], members(again)) == (
        BASE + "already-reversed", {"entry_id": cost, "reversal_id": reversal})
    assert (undo.json()["type"], members(undo)) == (
        BASE + "not-reversible", {"entry_id": reversal, "kind": "reversal"})


def test_correcting_a_closed_year_when_every_year_of_the_terms_is_closed_is_no_open_year(
        client: TestClient, world: World, uow: UnitOfWorkFactory):
    cost = post(client, world, "costs", "urban", COST).json()["entry"]["id"]  # FY2010
    with uow() as work:
        deal = work.agreements.agreement(world.deal.id)
        for year in range(2009, 2014):  # the whole term
            closing.close_year(work, deal, year, "ward", today=date(2026, 12, 1))
        work.commit()

    response = reverse(client, world, cost)

    assert (response.status_code, response.json()["type"]) == (409, BASE + "no-open-year")
    assert members(response) == {"entry_id": cost, "fiscal_year": 2010, "open_year": 2014}
    assert response.json()["errors"][0]["field"] == "path.entry_id"


# Terms, stands, factors, natural keys.

def test_work_outside_the_terms_lists_the_terms(client: TestClient, world: World):
    response = post(client, world, "costs", "urban", {**COST, "fiscal_year": 2014})

    assert (response.status_code, response.json()["type"]) == (422, BASE + "outside-terms")
    assert members(response) == {
        "fiscal_year": 2014, "terms": [{"number": 1, "first_fy": 2009, "last_fy": 2013}]}
    assert response.json()["detail"] == "body.fiscal_year: FY2014 is outside the agreement's terms"


def test_a_thinning_on_a_stand_that_does_not_exist_is_an_unknown_stand(
        client: TestClient, world: World):
    response = client.post(thinnings_url(world), headers=world.auth("forestry"),
                           json=thinning(2**31 - 1))

    assert (response.status_code, response.json()["type"]) == (422, BASE + "unknown-stand")
    assert members(response) == {"stand_id": 2**31 - 1}
    assert response.json()["errors"] == [
        {"field": "body.stand_id", "reason": f"stand {2**31 - 1} does not exist"}]


def test_more_than_the_stand_in_one_year_is_stand_area_exceeded(client: TestClient,
                                                                 world: World):
    stand = add_stand(client, world, area="35 ha")["id"]
    assert client.post(thinnings_url(world), headers=world.auth("forestry"),
                       json=thinning(stand, area="29 ha")).status_code == 201

    response = client.post(thinnings_url(world), headers=world.auth("forestry"),
                           json=thinning(stand, area="7 ha"))

    assert (response.status_code, response.json()["type"]) == (
        409, BASE + "stand-area-exceeded")
    assert members(response) == {"stand_id": stand, "fiscal_year": 2010,
                                 "credited_ha": "36.0000", "stand_area_ha": "35.0000"}


@pytest.mark.parametrize(("fields", "expected"), [
    ({"factor_set": "tepco-fy1999"},
     {"factor_set": "tepco-fy1999", "activity_type": None}),
    ({"activity_type": "coal"}, {"factor_set": "tepco-fy2010", "activity_type": "coal"}),
])
def test_an_unknown_factor_is_factor_not_found(client: TestClient, world: World,
                                               fields: dict[str, Any],
                                               expected: dict[str, Any]):
    response = post(client, world, "emissions", "urban", {**EMISSION, **fields})

    assert (response.status_code, response.json()["type"]) == (422, BASE + "factor-not-found")
    assert members(response) == expected


def test_an_activity_in_another_dimension_is_a_unit_mismatch(client: TestClient,
                                                             world: World):
    response = post(client, world, "emissions", "urban", {**EMISSION, "activity": "1200 kg"})

    assert (response.status_code, response.json()["type"]) == (422, BASE + "unit-mismatch")
    assert members(response) == {"activity": "1200 kg", "factor_unit": "kWh",
                                 "factor_set": "tepco-fy2010", "activity_type": "electricity"}


def test_a_taken_party_code_names_what_and_the_key(client: TestClient, world: World):
    response = client.post("/v1/parties", headers=world.auth("admin"),
                           json={"code": "131041", "name_ja": "新宿", "name_en": "Shinjuku"})

    assert (response.status_code, response.json()["type"]) == (409, BASE + "already-exists")
    assert members(response) == {"what": "party", "key": "131041"}
    assert response.json()["detail"] == "body.code: a party with code 131041 already exists"
