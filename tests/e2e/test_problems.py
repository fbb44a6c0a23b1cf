"""Every error is an RFC 9457 problem document: type, title, status, detail, field paths."""

from __future__ import annotations

from tests.e2e.conftest import TestClient, World

PROBLEM_KEYS = {"type", "title", "status", "detail"}


def test_no_token_is_401_with_a_bearer_challenge(client: TestClient, world: World):
    response = client.get("/v1/parties")

    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json() == {
        "type": "https://offset.example/problems/unauthenticated", "title": "Unauthenticated",
        "status": 401, "detail": "a valid bearer token is required"}


def test_a_token_of_another_scheme_is_no_token(client: TestClient, world: World):
    token = world.tokens["admin"]

    response = client.get("/v1/parties", headers={"Authorization": f"Basic {token}"})

    assert response.status_code == 401


def test_a_forbidden_role_is_told_which_roles_may(client: TestClient, world: World):
    response = client.post("/v1/parties", headers=world.auth("auditor"),
                           json={"code": "011002", "name_ja": "札幌市", "name_en": "Sapporo"})

    assert response.status_code == 403
    assert response.json() == {
        "type": "https://offset.example/problems/forbidden", "title": "Forbidden",
        "status": 403, "detail": "role auditor may not do this (needs admin)"}


def test_validation_errors_name_every_field_by_its_path(client: TestClient, world: World):
    response = client.post("/v1/agreements", headers=world.auth("admin"), json={
        "title_ja": "協定", "urban_party_id": "one", "terms": [{"first_fy": 2009}]})

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert set(problem) == PROBLEM_KEYS | {"errors"}
    assert problem["type"] == "https://offset.example/problems/invalid-input"
    assert {e["field"] for e in problem["errors"]} == {
        "body.title_en", "body.urban_party_id", "body.forest_party_id", "body.signed_on",
        "body.annual_target", "body.terms.0.last_fy"}
    assert all(e["reason"] for e in problem["errors"])


def test_a_body_that_is_not_json_is_invalid_input(client: TestClient, world: World):
    response = client.post("/v1/parties", content=b"{code: 1",
                           headers={**world.auth("admin"), "Content-Type": "application/json"})

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"].startswith("body")


def test_a_path_id_that_is_not_a_number_is_invalid_input(client: TestClient, world: World):
    response = client.get("/v1/agreements/first", headers=world.auth("admin"))

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["path.agreement_id"]


def test_unknown_paths_and_methods_are_problems_too(client: TestClient, world: World):
    unknown = client.get("/v1/nothing-here", headers=world.auth("admin"))
    wrong_method = client.delete("/v1/parties", headers=world.auth("admin"))

    assert (unknown.status_code, wrong_method.status_code) == (404, 405)
    for response in (unknown, wrong_method):
        assert response.headers["content-type"] == "application/problem+json"
        assert set(response.json()) == PROBLEM_KEYS
        assert response.json()["type"] == "about:blank"
    assert "POST" in wrong_method.headers["allow"]
