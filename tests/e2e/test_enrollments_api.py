"""A stand's enrollment in a J-Credit project over HTTP: recorded by the forestry office,
read by the parties, and after it the agreement's work on the stand in those years is a 409."""

from __future__ import annotations

from tests.e2e.conftest import TestClient, World
from tests.e2e.forestry import add_stand, entry_count, stands_url, thinning, thinnings_url

PROJECT = {"project_number": "JCL-0042", "first_fy": 2010, "last_fy": 2014}


def test_an_enrolled_stand_is_not_credited_in_its_project_years(client: TestClient,
                                                                world: World):
    stand = add_stand(client, world)
    url = f"{stands_url(world)}/{stand['id']}/enrollments"

    created = client.post(url, headers=world.auth("forestry"), json=PROJECT)

    assert created.status_code == 201
    assert {k: v for k, v in created.json().items() if k != "id"} == {
        "stand_id": stand["id"], "scheme": "J-Credit", "methodology": "FO-001", **PROJECT}
    assert client.get(url, headers=world.auth("auditor")).json() == [created.json()]
    entries = entry_count(client, world)
    refused = client.post(thinnings_url(world), headers=world.auth("forestry"),
                          json=thinning(stand["id"], fiscal_year=2009, started_on="2009-10-01",
                                        finished_on="2009-12-20", area="5 ha"))
    assert refused.status_code == 409
    problem = refused.json()
    assert (problem["type"].rsplit("/", 1)[-1], problem["fiscal_years"]) == ("enrolled-elsewhere",
                                                           [2010, 2011, 2012, 2013])
    assert problem["errors"][0]["field"] == "body.stand_id"
    assert entry_count(client, world) == entries


def test_only_the_forestry_office_enrolls_and_bad_years_name_their_field(
        client: TestClient, world: World):
    stand = add_stand(client, world)
    url = f"{stands_url(world)}/{stand['id']}/enrollments"

    assert client.post(url, headers=world.auth("urban"), json=PROJECT).status_code == 403
    assert client.post(url, headers=world.auth("other-forestry"),
                       json=PROJECT).status_code == 404
    backwards = client.post(url, headers=world.auth("forestry"),
                            json={**PROJECT, "first_fy": 2015, "last_fy": 2014})
    assert backwards.status_code == 422
    assert backwards.json()["errors"][0]["field"] == "body.last_fy"
    assert client.get(url, headers=world.auth("forestry")).json() == []
