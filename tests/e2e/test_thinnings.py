"""Thinning work over HTTP: the estimate it posts, computed by hand, and every refusal.

The deal runs FY2009–FY2013 with a 5-year crediting window, so work in FY2010 is credited
to FY2010–FY2013 (FY2014 lies beyond the terms).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from tests.e2e.conftest import TestClient, World
from tests.e2e.forestry import (
    add_stand,
    entry_count,
    thinning,
    thinnings,
    thinnings_url,
)

# Red pine planted 1970, site class 2, in FY2010: age 41, age class 9. The illustrative
# yield table gives V(9) = 271.7 and V(10) = 302.7 m3/ha, so ΔV = 31.0 / 5 = 6.2 m3/ha/yr.
# Red pine in jp-nir-default@1: BEF (> 20 years) 1.23, R 0.27, D 0.451, CF 0.51.
# 29 ha × 6.2 × 1.23 × 1.27 × 0.451 × 0.51 × 44/12 = 236.8736... t-CO2/yr.
DELTA_V = (Decimal("302.7") - Decimal("271.7")) / 5
ANNUAL = (Decimal("29") * DELTA_V * Decimal("1.23") * (1 + Decimal("0.27"))
          * Decimal("0.451") * Decimal("0.51") * Decimal(44) / Decimal(12)
          ).quantize(Decimal("0.001"))


def test_the_hand_computation_is_what_the_issue_states():
    assert ANNUAL == Decimal("236.874")


# 1 町 = 10,800,000/1089 m² (see test_stands), so 29.2417 町 = 29.00003... ha → 29.0000 ha.
@pytest.mark.parametrize("area", ["29 ha", "290000 m**2", "29.2417 町", "292.417 反"])
def test_a_thinning_posts_the_hand_computed_estimate_for_each_credited_year(
        client: TestClient, world: World, area: str):
    stand = add_stand(client, world)
    before = entry_count(client, world)

    response = client.post(thinnings_url(world), headers=world.auth("forestry"),
                           json=thinning(stand["id"], area=area))

    assert response.status_code == 201, response.text
    logged = response.json()
    assert (logged["thinning"]["area"], logged["thinning"]["area_unit"]) == ("29.0000", "ha")
    assert [(e["fiscal_year"], e["tonnes"], e["unit"]) for e in logged["estimates"]] == [
        (year, str(ANNUAL), "t-CO2") for year in (2010, 2011, 2012, 2013)]
    assert entry_count(client, world) == before + 4


def test_the_estimate_shows_its_computation_row_by_row(client: TestClient, world: World):
    stand = add_stand(client, world)

    logged = client.post(thinnings_url(world), headers=world.auth("forestry"),
                         json=thinning(stand["id"])).json()

    first = logged["estimates"][0]
    assert (first["method"], first["parameter_set"], first["yield_table"]) == (
        "national-inventory", "jp-nir-default@1", "illustrative-richards@1")
    rows = {row["name"]: (row["value"], row["unit"]) for row in first["rows"]}
    assert {name: rows[name] for name in (
        "A thinned area", "age", "age class", "V(age class 9)", "V(age class 10)",
        "ΔV = (V(next) − V(now)) / 5", "BEF (>20 years)", "R root-to-shoot ratio",
        "D wood density", "CF carbon fraction", "annual CO2")} == {
        "A thinned area": ("29.0000", "ha"), "age": ("41", "years"), "age class": ("9", ""),
        "V(age class 9)": ("271.7", "m3/ha"), "V(age class 10)": ("302.7", "m3/ha"),
        "ΔV = (V(next) − V(now)) / 5": (str(DELTA_V), "m3/ha/yr"),
        "BEF (>20 years)": ("1.23", ""), "R root-to-shoot ratio": ("0.27", ""),
        "D wood density": ("0.451", "t/m3"), "CF carbon fraction": ("0.51", "t-C/t"),
        "annual CO2": (str(ANNUAL), "t-CO2/yr")}
    assert all(row["source"] for row in first["rows"] if row["name"].startswith("V("))


def test_the_posted_estimate_is_in_the_journal_as_tco2e_est(client: TestClient, world: World):
    stand = add_stand(client, world)
    logged = client.post(thinnings_url(world), headers=world.auth("forestry"),
                         json=thinning(stand["id"])).json()

    journal = client.get(f"/v1/agreements/{world.deal.id}/journal",
                         params={"fiscal_year": 2010}, headers=world.auth("auditor")).json()

    estimate = journal["items"][-1]
    assert estimate["id"] == logged["estimates"][0]["entry_id"]
    assert (estimate["kind"], estimate["recorded_by"]) == ("estimate", "forestry")
    assert [(p["commodity"], p["amount"]) for p in estimate["postings"]] == [
        ("tCO2e-est", str(ANNUAL)), ("tCO2e-est", str(-ANNUAL))]
    assert estimate["details"]["thinning_id"] == logged["thinning"]["id"]


def test_a_thinning_reads_back_with_its_quantities_and_the_stand_version(client: TestClient,
                                                                         world: World):
    stand = add_stand(client, world)
    logged = client.post(thinnings_url(world), headers=world.auth("forestry"),
                         json=thinning(stand["id"], volume="431 石", intensity="30.5")).json()
    client.post(f"/v1/agreements/{world.deal.id}/stands/{stand['id']}/versions",
                headers=world.auth("forestry"),
                json={"area": "36 ha", "species": "akamatsu", "planting_year": 1970})

    listed = thinnings(client, world)

    # 1 石 = 10 × (10/33 m)³ = 10000/35937 m³; 431 石 = 119.9321... m³.
    assert listed == [logged["thinning"]]
    assert {k: listed[0][k] for k in ("stand_version", "fiscal_year_label", "intensity",
                                      "intensity_unit", "volume", "volume_unit")} == {
        "stand_version": 1, "fiscal_year_label": "平成22年度", "intensity": "30.50",
        "intensity_unit": "%", "volume": str((Decimal(431) * 10000 / 35937).quantize(
            Decimal("0.001"))), "volume_unit": "m3"}
    by_year = client.get(thinnings_url(world), params={"fiscal_year": 2011},
                         headers=world.auth("urban")).json()
    assert by_year == []


def test_a_retried_thinning_is_logged_and_estimated_once(client: TestClient, world: World):
    stand = add_stand(client, world)
    headers = {**world.auth("forestry"), "Idempotency-Key": "thin-1"}
    before = entry_count(client, world)

    first = client.post(thinnings_url(world), headers=headers, json=thinning(stand["id"]))
    retry = client.post(thinnings_url(world), headers=headers, json=thinning(stand["id"]))

    assert (first.status_code, retry.status_code) == (201, 201)
    assert retry.content == first.content
    assert len(thinnings(client, world)) == 1
    assert entry_count(client, world) == before + 4


# Refusals.

@dataclass(frozen=True)
class Scene:
    """Stands to refuse work on: a 35 ha one, one already thinned 29 ha by the deal, one
    credited to a rival agreement with the same forest party, and one of another party."""

    stands: dict[str, int]


@pytest.fixture
def scene(client: TestClient, world: World) -> Scene:
    rival = client.post("/v1/agreements", headers=world.auth("admin"), json={
        "title_ja": "森林整備協定", "title_en": "Rival agreement",
        "urban_party_id": world.other.urban_party_id,
        "forest_party_id": world.deal.forest_party_id, "signed_on": "2008-03-01",
        "annual_target": "10 ha", "terms": [{"first_fy": 2009, "last_fy": 2013}]}).json()
    stands = {"free": add_stand(client, world, stand_number="1")["id"],
              "busy": add_stand(client, world, stand_number="2")["id"],
              "credited": add_stand(client, world, stand_number="3")["id"],
              "foreign": add_stand(client, world, caller="other-forestry",
                                   agreement_id=world.other.id)["id"]}
    for url, stand, year in ((thinnings_url(world), "busy", 2010),
                             (thinnings_url(world, rival["id"]), "credited", 2012)):
        done = client.post(url, headers=world.auth("forestry"), json=thinning(
            stands[stand], fiscal_year=year, started_on=f"{year}-10-01",
            finished_on=f"{year}-12-20"))
        assert done.status_code == 201, done.text
    return Scene(stands)


UNKNOWN_STAND = 2**31 - 1

REFUSALS = [
    pytest.param("free", {"area": "30 m"}, 422, "body.area", id="wrong dimension"),
    pytest.param("free", {"area": "30"}, 422, "body.area", id="no unit"),
    pytest.param("free", {"area": "0 ha"}, 422, "body.area", id="zero area"),
    pytest.param("free", {"area": "-3 ha"}, 422, "body.area", id="negative area"),
    pytest.param("free", {"area": "35.0001 ha"}, 422, "body.area", id="larger than the stand"),
    pytest.param("free", {"fiscal_year": 2014, "started_on": "2014-10-01",
                          "finished_on": "2014-12-20"}, 422, "body.fiscal_year",
                 id="after the terms"),
    pytest.param("free", {"fiscal_year": 2008, "started_on": "2008-10-01",
                          "finished_on": "2008-12-20"}, 422, "body.fiscal_year",
                 id="before the terms"),
    pytest.param("free", {"started_on": "2010-03-31"}, 422, "body.started_on",
                 id="starts before the fiscal year"),
    pytest.param("free", {"finished_on": "2011-04-01"}, 422, "body.finished_on",
                 id="ends after the fiscal year"),
    pytest.param("free", {"started_on": "2010-12-21"}, 422, "body.finished_on",
                 id="ends before it starts"),
    pytest.param("free", {"volume": "120 m**2"}, 422, "body.volume", id="volume as an area"),
    pytest.param("free", {"intensity": "130"}, 422, "body.intensity", id="intensity over 100"),
    pytest.param("foreign", {}, 422, "body.stand_id", id="stand of another municipality"),
    pytest.param("unknown", {}, 422, "body.stand_id", id="unknown stand"),
    pytest.param("credited", {}, 409, "body.stand_id", id="credited to another agreement"),
    pytest.param("busy", {"area": "6.0001 ha"}, 409, "body.area",
                 id="more than the stand in one year"),
]


@pytest.mark.parametrize(("stand", "fields", "status", "field"), REFUSALS)
def test_refused_work_names_the_field_and_writes_nothing(
        client: TestClient, world: World, scene: Scene, stand: str,
        fields: dict[str, Any], status: int, field: str):
    before = (entry_count(client, world), thinnings(client, world))
    stand_id = scene.stands.get(stand, UNKNOWN_STAND)

    response = client.post(thinnings_url(world), headers=world.auth("forestry"),
                           json=thinning(stand_id, **fields))

    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert field in {e["field"] for e in response.json()["errors"]}
    assert (entry_count(client, world), thinnings(client, world)) == before


def test_double_counting_is_a_conflict_problem(client: TestClient, world: World, scene: Scene):
    response = client.post(thinnings_url(world), headers=world.auth("forestry"),
                           json=thinning(scene.stands["credited"]))

    problem = response.json()
    assert (problem["type"], problem["title"]) == (
        "https://offset.example/problems/double-counting", "Area already credited")
    assert "for FY2012" in problem["detail"]
    # The rival's FY2012 work is credited FY2012–2016; this FY2010 work FY2010–2014.
    assert (problem["stand_id"], problem["fiscal_years"]) == (
        scene.stands["credited"], [2012, 2013, 2014])
    assert problem["credited_agreement_id"] != world.deal.id
    assert isinstance(problem["thinning_id"], int)


def test_work_up_to_the_stand_area_in_one_year_is_accepted(client: TestClient, world: World,
                                                           scene: Scene):
    response = client.post(thinnings_url(world), headers=world.auth("forestry"),
                           json=thinning(scene.stands["busy"], area="6 ha"))

    assert response.status_code == 201, response.text
