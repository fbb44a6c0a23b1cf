"""/v1/users: an administrator lists users, issues tokens and revokes them; tokens have a life."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from offset.access import services as access
from offset.api import deps
from offset.db.uow import UnitOfWorkFactory
from tests.e2e.conftest import TestClient, World

PAST = datetime(2020, 4, 1, 9, 0, tzinfo=UTC)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def listed(client: TestClient, world: World) -> dict[str, dict[str, Any]]:
    response = client.get("/v1/users", headers=world.auth("admin"))
    assert response.status_code == 200, response.text
    return {user["name"]: user for user in response.json()}


def assert_refused(response: Any, detail: str) -> None:
    assert response.status_code == 401, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json()["detail"] == detail


def test_the_admin_lists_every_user_with_role_party_audits_and_tokens(client: TestClient,
                                                                      world: World):
    users = listed(client, world)
    assert sorted(users) == sorted(world.tokens)
    assert users["auditor"] | {"last_used_at": None} == {
        "id": users["auditor"]["id"], "name": "auditor", "role": "auditor", "party_id": None,
        "audited_agreement_ids": [world.deal.id], "tokens": 1, "live_tokens": 1,
        "last_used_at": None, "state": "active"}
    assert users["urban"]["party_id"] == world.deal.urban_party_id
    assert not any("hash" in key for user in users.values() for key in user)


def test_a_request_records_when_the_token_was_last_used(client: TestClient, world: World):
    before = datetime.now(UTC)
    assert listed(client, world)["urban"]["last_used_at"] is None
    client.get("/v1/parties", headers=world.auth("urban"))
    last_used = datetime.fromisoformat(listed(client, world)["urban"]["last_used_at"])
    assert before <= last_used <= datetime.now(UTC)


def test_a_busy_token_records_its_use_once_a_minute(client: TestClient, world: World):
    noon = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)
    clock = [noon]
    client.app.dependency_overrides[deps.now] = lambda: clock[0]  # type: ignore[attr-defined]

    def last_use_after(seconds: int) -> str:
        clock[0] = noon + timedelta(seconds=seconds)
        client.get("/v1/parties", headers=world.auth("urban"))
        return str(listed(client, world)["urban"]["last_used_at"])

    assert last_use_after(0) == "2030-01-01T12:00:00Z"
    assert last_use_after(59) == "2030-01-01T12:00:00Z"
    assert last_use_after(60) == "2030-01-01T12:01:00Z"


def test_a_new_token_is_shown_once_and_works_and_expires_when_told(client: TestClient,
                                                                    world: World):
    before = datetime.now(UTC)
    response = client.post("/v1/users/urban/tokens", headers=world.auth("admin"),
                           json={"expires_in_days": 30})
    assert response.status_code == 201, response.text
    issued = response.json()
    assert set(issued) == {"user", "token", "created_at", "expires_at"}
    expires_at = datetime.fromisoformat(issued["expires_at"])
    assert before + timedelta(days=30) <= expires_at <= datetime.now(UTC) + timedelta(days=30)
    assert client.get("/v1/agreements", headers=bearer(issued["token"])).status_code == 200
    assert listed(client, world)["urban"]["tokens"] == 2


def test_a_token_without_a_body_never_expires(client: TestClient, world: World):
    response = client.post("/v1/users/auditor/tokens", headers=world.auth("admin"))
    assert (response.status_code, response.json()["expires_at"]) == (201, None)


def test_an_expired_token_gets_401_at_once(client: TestClient, world: World,
                                           uow: UnitOfWorkFactory):
    with uow() as work:
        expired = access.issue_token(work, "urban", expires_in_days=1, now=PAST).secret
        work.commit()
    assert_refused(client.get("/v1/parties", headers=bearer(expired)),
                   "the bearer token has expired")
    assert client.get("/v1/parties", headers=world.auth("urban")).status_code == 200


def test_revoking_a_user_refuses_every_one_of_its_tokens_at_once(client: TestClient,
                                                                world: World):
    second = client.post("/v1/users/forestry/tokens", headers=world.auth("admin")).json()
    assert client.get("/v1/parties", headers=world.auth("forestry")).status_code == 200

    response = client.post("/v1/users/forestry/revocation", headers=world.auth("admin"))

    assert response.status_code == 200, response.text
    assert (response.json()["user"], response.json()["revoked_tokens"]) == ("forestry", 2)
    for token in (world.tokens["forestry"], second["token"]):
        assert_refused(client.get("/v1/parties", headers=bearer(token)),
                       "the bearer token has been revoked")
    forestry = listed(client, world)["forestry"]
    assert (forestry["tokens"], forestry["live_tokens"], forestry["state"]) == (2, 0, "revoked")
    again = client.post("/v1/users/forestry/revocation", headers=world.auth("admin"))
    assert again.json()["revoked_tokens"] == 0


@pytest.mark.parametrize("body", [{"expires_in_days": -1}, {"expires_in_days": 0},
                                  {"expires_in_days": 3651}, {"expires_in_days": "7"},
                                  {"expires_in_days": 1.5}, {"expires": 7}])
def test_a_bad_expiry_is_422_naming_the_field(client: TestClient, world: World,
                                              body: dict[str, Any]):
    response = client.post("/v1/users/urban/tokens", headers=world.auth("admin"), json=body)
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == f"body.{next(iter(body))}"
    assert listed(client, world)["urban"]["tokens"] == 1


@pytest.mark.parametrize("method_path", ["POST /v1/users/nobody/tokens",
                                         "POST /v1/users/nobody/revocation"])
def test_an_unknown_user_is_404(client: TestClient, world: World, method_path: str):
    method, path = method_path.split()
    response = client.request(method, path, headers=world.auth("admin"))
    assert response.status_code == 404, response.text
    assert response.json()["detail"] == "no user named 'nobody'"
