"""Stands over HTTP: any area unit in, hectares out, species named, every edit a new version."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import TestClient, World
from tests.e2e.forestry import RED_PINE, add_stand, entry_count, stands_url


def test_a_registered_stand_reads_back_in_hectares_with_its_species_names(client: TestClient,
                                                                          world: World):
    created = add_stand(client, world, area="12.5 ha", measured_growth="6.2 m**3/ha/year")

    listed = client.get(stands_url(world), headers=world.auth("auditor")).json()

    assert listed == [created]
    assert {k: v for k, v in created.items() if k != "id"} == {
        "forest_party_id": world.deal.forest_party_id, "site": "鹿嶺高原",
        "compartment": "12", "stand_number": "ろ", "version": 1,
        "area": "12.5000", "area_unit": "ha", "species": "akamatsu",
        "species_name_ja": "アカマツ", "species_name_en": "Japanese red pine (Pinus densiflora)",
        "planting_year": 1970, "site_class": 2, "measured_growth": "6.200",
        "measured_growth_unit": "m3/ha/yr"}


# 1 町 = 10 反 = 100 畝 = 3000 坪, 1 坪 = (6 × 10/33 m)² = 3600/1089 m²:
# 1 町 = 10,800,000/1089 m², so 12.6 町 = 136,080,000/1089 m² = 12.4958... ha.
@pytest.mark.parametrize(("area", "hectares"), [
    ("125000 m**2", "12.5000"), ("1250 are", "12.5000"), ("12.6 町", "12.4959"),
    ("126 反", "12.4959"), ("3 坪", "0.0010"), ("1 畝", "0.0099"),
])
def test_a_stand_area_is_given_in_any_area_unit(client: TestClient, world: World, area: str,
                                                hectares: str):
    assert add_stand(client, world, area=area)["area"] == hectares


def test_an_edit_is_a_new_version_and_the_old_one_stays_readable(client: TestClient,
                                                                 world: World):
    stand = add_stand(client, world)
    url = f"{stands_url(world)}/{stand['id']}"

    edited = client.post(f"{url}/versions", headers=world.auth("forestry"), json={
        "area": "30 ha", "species": "karamatsu", "planting_year": 1972, "site_class": 1})

    assert edited.status_code == 201
    assert (edited.json()["version"], edited.json()["species_name_en"]) == (
        2, "Japanese larch (Larix kaempferi)")
    latest = client.get(url, headers=world.auth("urban")).json()
    first = client.get(url, params={"version": 1}, headers=world.auth("urban")).json()
    assert (latest["version"], latest["area"], latest["species"]) == (2, "30.0000", "karamatsu")
    assert first == stand
    assert client.get(url, params={"version": 3},
                      headers=world.auth("urban")).status_code == 404


@pytest.mark.parametrize(("fields", "field"), [
    ({"species": "oak"}, "body.species"),
    ({"area": "30 m"}, "body.area"),
    ({"area": "30"}, "body.area"),
    ({"area": "0 ha"}, "body.area"),
    ({"area": "-2 ha"}, "body.area"),
    ({"site_class": 6}, "body.site_class"),
    ({"site_class": None}, "body.site_class"),
    ({"measured_growth": "6.2 m**3"}, "body.measured_growth"),
    ({"measured_growth": "0 m**3/ha/year"}, "body.measured_growth"),
    ({"planting_year": 1800}, "body.planting_year"),
    ({"site": "  "}, "body.site"),
    ({"stand_number": "ろ\x00"}, "body.stand_number"),
])
def test_a_bad_stand_is_refused_naming_the_field_and_nothing_is_stored(
        client: TestClient, world: World, fields: dict[str, object], field: str):
    entries = entry_count(client, world)

    response = client.post(stands_url(world), headers=world.auth("forestry"),
                           json={**RED_PINE, **fields})

    assert response.status_code == 422
    assert field in {e["field"] for e in response.json()["errors"]}
    assert client.get(stands_url(world), headers=world.auth("forestry")).json() == []
    assert entry_count(client, world) == entries


def test_a_stand_registered_twice_is_a_conflict(client: TestClient, world: World):
    add_stand(client, world)

    again = client.post(stands_url(world), headers=world.auth("forestry"), json=RED_PINE)

    assert again.status_code == 409
    assert again.json()["errors"][0]["field"] == "body.stand_number"


def test_a_bad_edit_is_refused_and_leaves_the_stand_at_its_version(client: TestClient,
                                                                   world: World):
    stand = add_stand(client, world)
    url = f"{stands_url(world)}/{stand['id']}"

    response = client.post(f"{url}/versions", headers=world.auth("forestry"), json={
        "area": "30 ha", "species": "teak", "planting_year": 1972})

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.species"
    assert client.get(url, headers=world.auth("forestry")).json() == stand


def test_a_stand_typed_with_full_width_characters_is_the_same_stand(client: TestClient,
                                                                    world: World):
    first = add_stand(client, world, site="ＲＴ団地", compartment="１２", stand_number="３")

    again = client.post(stands_url(world), headers=world.auth("forestry"),
                        json={**RED_PINE, "site": "RT団地", "compartment": "12",
                              "stand_number": " 3 "})

    assert (first["site"], first["compartment"], first["stand_number"]) == ("RT団地", "12", "3")
    assert again.status_code == 409, again.text
    assert again.json()["type"].endswith("/already-exists")


def test_sites_differing_only_in_case_are_different_stands(client: TestClient, world: World):
    add_stand(client, world, site="RT", stand_number="3")
    assert add_stand(client, world, site="rt", stand_number="3")["site"] == "rt"


def test_an_edit_leaving_neither_site_class_nor_measured_growth_is_refused(
        client: TestClient, world: World):
    stand = add_stand(client, world)
    url = f"{stands_url(world)}/{stand['id']}"

    response = client.post(f"{url}/versions", headers=world.auth("forestry"), json={
        "area": "30 ha", "species": "akamatsu", "planting_year": 1972})

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.site_class"
    assert client.get(url, headers=world.auth("forestry")).json() == stand
