"""Parties over HTTP: municipalities with their prefecture, created once by an admin."""

from __future__ import annotations

from tests.e2e.conftest import TestClient, World

SAPPORO = {"code": "011002", "name_ja": "札幌市", "name_en": "Sapporo City"}


def test_an_admin_registers_a_municipality_and_gets_its_prefecture(client: TestClient,
                                                                    world: World):
    response = client.post("/v1/parties", headers=world.auth("admin"), json=SAPPORO)

    assert response.status_code == 201
    party = response.json()
    assert party == {**SAPPORO, "id": party["id"], "section_ja": "", "section_en": "",
                     "prefecture": {"code": "01", "name_ja": "北海道", "name_en": "Hokkaido"}}


def test_a_party_names_the_section_responsible_for_its_agreements(client: TestClient,
                                                                   world: World):
    response = client.post("/v1/parties", headers=world.auth("admin"), json={
        **SAPPORO, "section_ja": " 環境政策課 ", "section_en": "Environmental Policy Section"})

    assert response.status_code == 201
    stored = next(p for p in client.get("/v1/parties", headers=world.auth("admin")).json()
                  if p["code"] == SAPPORO["code"])
    assert (stored["section_ja"], stored["section_en"]) == (
        "環境政策課", "Environmental Policy Section")


def test_a_section_with_a_control_character_is_refused_and_nothing_is_stored(
        client: TestClient, world: World):
    response = client.post("/v1/parties", headers=world.auth("admin"),
                           json={**SAPPORO, "section_ja": "環境\u202e課"})

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.section_ja"
    codes = [p["code"] for p in client.get("/v1/parties", headers=world.auth("admin")).json()]
    assert SAPPORO["code"] not in codes


def test_every_role_lists_the_parties(client: TestClient, world: World):
    listed = client.get("/v1/parties", headers=world.auth("other-auditor")).json()

    assert [p["code"] for p in listed] == ["131041", "202096", "131016", "202029"]
    assert listed[0]["prefecture"]["name_en"] == "Tokyo"


def test_a_code_with_a_wrong_check_digit_is_refused_naming_the_field(client: TestClient,
                                                                      world: World):
    response = client.post("/v1/parties", headers=world.auth("admin"),
                           json={**SAPPORO, "code": "011003"})

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "body.code", "reason": "011003 has a wrong check digit"}]


def test_a_code_that_is_taken_is_a_conflict(client: TestClient, world: World):
    response = client.post("/v1/parties", headers=world.auth("admin"),
                           json={"code": "131041", "name_ja": "新宿", "name_en": "Shinjuku"})

    assert response.status_code == 409
    assert response.json()["type"] == "https://offset.example/problems/already-exists"


def test_blank_names_and_unknown_fields_are_refused(client: TestClient, world: World):
    response = client.post("/v1/parties", headers=world.auth("admin"),
                           json={**SAPPORO, "name_en": "  ", "mayor": "someone"})

    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"body.name_en", "body.mayor"}
    listed = client.get("/v1/parties", headers=world.auth("admin")).json()
    assert "011002" not in {p["code"] for p in listed}
