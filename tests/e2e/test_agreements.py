"""Agreements over HTTP: quantities with units, terms with era labels, visibility, renewal."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import TestClient, World


def draft(world: World, **changes: Any) -> dict[str, Any]:
    """Return a valid agreement request between deal's urban and other's forest party."""
    return {
        "title_ja": "森林整備協定", "title_en": "Forest agreement",
        "urban_party_id": world.deal.urban_party_id,
        "forest_party_id": world.other.forest_party_id,
        "signed_on": "2008-02-10", "annual_target": "30 ha",
        "terms": [{"first_fy": 2009, "last_fy": 2013}],
        **changes,
    }


def test_an_agreement_reads_back_with_exact_numbers_units_and_era_labels(client: TestClient,
                                                                          world: World):
    response = client.post("/v1/agreements", headers=world.auth("admin"), json=draft(
        world, absorption_method="per-area-rate", per_area_rate="3.19",
        cost_sharing={"urban_percent": "80", "by_category": {"survey": "100"}},
        terms=[{"first_fy": 2009, "last_fy": 2013}, {"first_fy": 2019, "last_fy": 2023}]))

    assert response.status_code == 201
    created = response.json()
    assert created == {
        "id": created["id"], "title_ja": "森林整備協定", "title_en": "Forest agreement",
        "urban_party_id": world.deal.urban_party_id,
        "forest_party_id": world.other.forest_party_id, "signed_on": "2008-02-10",
        "annual_target": "30.0000", "annual_target_unit": "ha", "crediting_window": 5,
        "absorption_method": "per-area-rate", "per_area_rate": "3.190",
        "per_area_rate_unit": "t-CO2/ha/yr",
        "cost_sharing": {"urban_percent": "80", "by_category": {"survey": "100"}},
        "terms": [
            {"number": 1, "first_fy": 2009, "last_fy": 2013,
             "first_fy_label": "平成21年度", "last_fy_label": "平成25年度"},
            {"number": 2, "first_fy": 2019, "last_fy": 2023,
             "first_fy_label": "令和元年度", "last_fy_label": "令和5年度"},
        ],
    }
    fetched = client.get(f"/v1/agreements/{created['id']}", headers=world.auth("admin"))
    assert fetched.json() == created


def test_a_target_in_japanese_units_is_converted_to_hectares(client: TestClient, world: World):
    # 1 町 = 3000 坪 = 3000 × (6 × 10/33 m)² = 9917.355... m² = 0.99174 ha (to 4 places)
    response = client.post("/v1/agreements", headers=world.auth("admin"),
                           json=draft(world, annual_target="3 町"))

    assert response.json()["annual_target"] == "2.9752"


@pytest.mark.parametrize(("changes", "field"), [
    ({"annual_target": "30 m"}, "body.annual_target"),
    ({"annual_target": "30"}, "body.annual_target"),
    ({"annual_target": 30}, "body.annual_target"),
    ({"per_area_rate": "3.19"}, "body.per_area_rate"),
    ({"absorption_method": "per-area-rate", "per_area_rate": "3.1905"}, "body.per_area_rate"),
    ({"absorption_method": "guesswork"}, "body.absorption_method"),
    ({"forest_party_id": 999_999}, "body.forest_party_id"),
    ({"terms": [{"first_fy": 1900, "last_fy": 2013}]}, "body.terms.0.first_fy"),
    ({"terms": [{"first_fy": 2009, "last_fy": 2013}, {"first_fy": 2012, "last_fy": 2016}]},
     "body.terms.1"),
    ({"cost_sharing": {"urban_percent": "120"}}, "body.cost_sharing.urban_percent"),
    ({"signed_on": "10 Feb 2008"}, "body.signed_on"),
    ({"title_en": None}, "body.title_en"),
])
def test_invalid_agreements_are_refused_naming_the_field(client: TestClient, world: World,
                                                          changes: dict[str, Any], field: str):
    response = client.post("/v1/agreements", headers=world.auth("admin"),
                           json=draft(world, **changes))

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert [e["field"] for e in response.json()["errors"]] == [field]
    listed = client.get("/v1/agreements", headers=world.auth("admin")).json()
    assert [a["id"] for a in listed] == [world.deal.id, world.other.id]


@pytest.mark.parametrize(("caller", "visible"), [
    ("admin", ["deal", "other"]),
    ("urban", ["deal"]),
    ("forestry", ["deal"]),
    ("auditor", ["deal"]),
    ("other-urban", ["other"]),
    ("other-forestry", ["other"]),
    ("other-auditor", ["other"]),
])
def test_each_caller_lists_only_the_agreements_it_may_see(client: TestClient, world: World,
                                                          caller: str, visible: list[str]):
    ids = {"deal": world.deal.id, "other": world.other.id}

    listed = client.get("/v1/agreements", headers=world.auth(caller)).json()

    assert [a["id"] for a in listed] == [ids[name] for name in visible]


def test_a_hidden_agreement_looks_exactly_like_a_missing_one(client: TestClient, world: World):
    missing_id = world.other.id + 1000
    hidden = client.get(f"/v1/agreements/{world.other.id}", headers=world.auth("urban"))
    missing = client.get(f"/v1/agreements/{missing_id}", headers=world.auth("urban"))

    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == {**missing.json(),
                             "detail": f"agreement {world.other.id} does not exist"}


def test_renewal_adds_the_next_term(client: TestClient, world: World):
    response = client.post(f"/v1/agreements/{world.deal.id}/terms",
                           headers=world.auth("admin"), json={"first_fy": 2014, "last_fy": 2018})

    assert response.status_code == 201
    assert [(t["number"], t["first_fy"], t["last_fy"]) for t in response.json()["terms"]] == [
        (1, 2009, 2013), (2, 2014, 2018)]


def test_a_renewal_that_overlaps_the_last_term_is_refused(client: TestClient, world: World):
    response = client.post(f"/v1/agreements/{world.deal.id}/terms",
                           headers=world.auth("admin"), json={"first_fy": 2013, "last_fy": 2017})

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.first_fy"
    terms = client.get(f"/v1/agreements/{world.deal.id}", headers=world.auth("admin"))
    assert len(terms.json()["terms"]) == 1


def test_renewing_a_missing_agreement_is_not_found(client: TestClient, world: World):
    response = client.post(f"/v1/agreements/{world.other.id + 1000}/terms",
                           headers=world.auth("admin"), json={"first_fy": 2014, "last_fy": 2018})

    assert response.status_code == 404
