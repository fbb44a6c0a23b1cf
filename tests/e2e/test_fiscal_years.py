"""Fiscal years over HTTP: a year's state for every reader of the agreement, the close for the
urban party and admin, and the period-closed problem for anything dated into a closed year.

The world's deal (terms FY2009–FY2013) holds one FY2009 cost of 1,200 yen; every year of it
has long ended, so no year is running or settling on the day the tests run.
"""

from __future__ import annotations

import pytest

from tests.e2e.conftest import TestClient, World

PERIOD_CLOSED = "https://offset.example/problems/period-closed"


def close(client: TestClient, world: World, caller: str, fiscal_year: int, **body: object):
    return client.post(f"/v1/agreements/{world.deal.id}/fiscal-years/{fiscal_year}/close",
                       json=body, headers=world.auth(caller))


def year(client: TestClient, world: World, caller: str, fiscal_year: int):
    return client.get(f"/v1/agreements/{world.deal.id}/fiscal-years/{fiscal_year}",
                      headers=world.auth(caller))


def test_every_reader_sees_an_open_year_with_its_dates(client: TestClient, world: World):
    for caller in ("urban", "forestry", "auditor", "admin"):
        response = year(client, world, caller, 2009)
        assert response.status_code == 200, response.text
        body = response.json()
        assert (body["state"], body["starts_on"], body["ends_on"],
                body["settlement_ends_on"], body["label"]) == (
            "open", "2009-04-01", "2010-03-31", "2010-05-31", "平成21年度 / FY2009")
        assert body["problems"] == []


def test_another_partys_year_is_not_found(client: TestClient, world: World):
    assert year(client, world, "other-urban", 2009).status_code == 404
    assert close(client, world, "other-urban", 2009).status_code == 404


@pytest.mark.parametrize("caller", ["forestry", "auditor"])
def test_only_the_urban_party_and_admin_close(client: TestClient, world: World, caller: str):
    response = close(client, world, caller, 2009)
    assert response.status_code == 403, response.text
    assert year(client, world, "urban", 2009).json()["state"] == "open"


def test_a_close_is_an_entry_in_the_chain_and_fixes_the_year(client: TestClient,
                                                           world: World):
    response = close(client, world, "urban", 2009)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["fiscal_year"]["state"] == "closed"
    assert body["fiscal_year"]["closed_by"] == "urban"
    entry = client.get(f"/v1/entries/{body['entry_id']}", headers=world.auth("auditor"))
    assert entry.status_code == 200, entry.text
    assert (entry.json()["kind"], entry.json()["hash"]) == ("period-close", body["entry_hash"])

    cost = client.post(f"/v1/agreements/{world.deal.id}/costs", headers=world.auth("urban"),
                       json={"fiscal_year": 2009, "category": "survey", "amount": "1000",
                             "incurred_on": "2009-12-01"})
    assert cost.status_code == 409, cost.text
    problem = cost.json()
    assert (problem["type"], problem["fiscal_year"], problem["closed_through"]) == (
        PERIOD_CLOSED, 2009, 2009)
    assert cost.headers["content-type"] == "application/problem+json"

    again = close(client, world, "admin", 2009)
    assert again.status_code == 409
    assert again.json()["type"].endswith("/already-closed")


def test_a_refused_close_lists_every_blocking_problem(client: TestClient, world: World):
    response = close(client, world, "admin", 2011)
    assert response.status_code == 409, response.text
    problem = response.json()
    assert problem["type"].endswith("/close-refused")
    assert [p["code"] for p in problem["problems"]] == ["earlier-year-open"]
    assert year(client, world, "admin", 2011).json()["problems"][0]["blocking"] is True
