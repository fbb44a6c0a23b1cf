"""Certifications over HTTP: they replace a year's estimate, once per year unless reversed."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tests.e2e.conftest import TestClient, World
from tests.e2e.forestry import add_stand, certifications_url, entry_count, thinning, thinnings_url
from tests.e2e.test_thinnings import ANNUAL

NAGANO = {"fiscal_year": 2010, "certified": "456.3 t_CO2", "body": "長野県",
          "certificate_number": "長野県森林CO2吸収量認証 第22-1号", "issued_on": "2011-03-10",
          "certified_area": "142.90 ha"}


@pytest.fixture
def estimated(client: TestClient, world: World) -> World:
    """The deal with 29 ha of red pine thinned in FY2010, estimated at ANNUAL a year."""
    stand = add_stand(client, world)
    logged = client.post(thinnings_url(world), headers=world.auth("forestry"),
                         json=thinning(stand["id"]))
    assert logged.status_code == 201, logged.text
    return world


def certify(client: TestClient, world: World, caller: str = "forestry",
            **fields: Any) -> Any:
    return client.post(certifications_url(world), headers=world.auth(caller),
                       json={**NAGANO, **fields})


def test_a_certification_replaces_the_estimate_and_shows_the_difference(client: TestClient,
                                                                        estimated: World):
    response = certify(client, estimated)

    assert response.status_code == 201, response.text
    certified = response.json()
    assert {k: certified[k] for k in ("fiscal_year", "certified", "estimated", "difference",
                                      "unit", "body", "certified_area", "area_unit")} == {
        "fiscal_year": 2010, "certified": "456.300", "estimated": str(ANNUAL),
        "difference": str(Decimal("456.300") - ANNUAL), "unit": "t-CO2", "body": "長野県",
        "certified_area": "142.9000", "area_unit": "ha"}
    assert certified["difference"] == "219.426"
    entry = certified["entry"]
    assert (entry["kind"], entry["fiscal_year"], entry["effective_date"]) == (
        "certification", 2010, "2011-03-10")
    assert sorted((p["commodity"], p["amount"]) for p in entry["postings"]) == sorted([
        ("tCO2e", "456.300"), ("tCO2e", "-456.300"),
        ("tCO2e-est", str(-ANNUAL)), ("tCO2e-est", str(ANNUAL))])


@pytest.mark.parametrize("certified", ["456.3 tCO2", "456300 kg_CO2", "456.3004 t_CO2"])
def test_certified_co2_is_read_in_any_co2_unit_to_the_kilogram(client: TestClient,
                                                               world: World, certified: str):
    response = certify(client, world, certified=certified)

    assert (response.status_code, response.json()["certified"]) == (201, "456.300")
    assert response.json()["estimated"] == "0.000"


@pytest.mark.parametrize(("fields", "field"), [
    ({"certified": "456.3 t"}, "body.certified"),
    ({"certified": "456.3"}, "body.certified"),
    ({"certified": "-1 t_CO2"}, "body.certified"),
    ({"certified": "0.0005 t_CO2"}, "body.certified"),  # nothing at the kilogram
    ({"fiscal_year": 2014}, "body.fiscal_year"),
    ({"certified_area": "142.90 m"}, "body.certified_area"),
    ({"body": " "}, "body.body"),
    ({"certificate_number": ""}, "body.certificate_number"),
])
def test_a_bad_certification_is_refused_naming_the_field(client: TestClient,
                                                         estimated: World,
                                                         fields: dict[str, Any], field: str):
    before = entry_count(client, estimated)

    response = certify(client, estimated, **fields)

    assert response.status_code == 422
    assert field in {e["field"] for e in response.json()["errors"]}
    assert entry_count(client, estimated) == before


def test_a_second_certification_of_a_year_is_a_conflict(client: TestClient, estimated: World):
    first = certify(client, estimated)
    before = entry_count(client, estimated)

    second = certify(client, estimated, caller="admin", certificate_number="第22-2号")

    assert (first.status_code, second.status_code) == (201, 409)
    assert second.json()["type"] == "https://offset.example/problems/already-certified"
    assert (second.json()["fiscal_year"], second.json()["entry_id"]) == (
        2010, first.json()["entry"]["id"])
    assert second.json()["errors"][0]["field"] == "body.fiscal_year"
    assert entry_count(client, estimated) == before
    listed = client.get(certifications_url(estimated), headers=estimated.auth("auditor"))
    assert listed.json() == [first.json()]


def test_after_a_reversal_the_year_can_be_certified_again_against_the_estimate(
        client: TestClient, estimated: World):
    first = certify(client, estimated).json()

    reversal = client.post(f"/v1/entries/{first['entry']['id']}/reversal",
                           headers=estimated.auth("forestry"),
                           json={"reason": "wrong certificate number"})
    again = certify(client, estimated, certified="450.0 t_CO2", certificate_number="第22-1号改")

    assert (reversal.status_code, again.status_code) == (201, 201)
    assert (again.json()["estimated"], again.json()["difference"]) == (
        str(ANNUAL), str(Decimal("450.000") - ANNUAL))
    listed = client.get(certifications_url(estimated), params={"fiscal_year": 2010},
                        headers=estimated.auth("urban")).json()
    assert [c["entry"]["id"] for c in listed] == [again.json()["entry"]["id"]]


def test_a_retried_certification_is_posted_once(client: TestClient, estimated: World):
    headers = {**estimated.auth("forestry"), "Idempotency-Key": "cert-2010"}

    first = client.post(certifications_url(estimated), headers=headers, json=NAGANO)
    retry = client.post(certifications_url(estimated), headers=headers, json=NAGANO)

    assert (first.status_code, retry.status_code) == (201, 201)
    assert retry.content == first.content
    assert len(client.get(certifications_url(estimated),
                          headers=estimated.auth("admin")).json()) == 1
