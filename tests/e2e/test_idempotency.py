"""Idempotency-Key: a retried write returns the first response and writes nothing more."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from offset.access.model import Role
from offset.access.services import add_user
from offset.api.app import create_app
from offset.db.engine import make_engine
from offset.db.uow import UnitOfWork, UnitOfWorkFactory, unit_of_work_factory
from tests.builders import INA, SHINJUKU, party
from tests.e2e.conftest import TestClient, World

SAPPORO = {"code": "011002", "name_ja": "札幌市", "name_en": "Sapporo City"}
HAKODATE = {"code": "012025", "name_ja": "函館市", "name_en": "Hakodate City"}


def keyed(world: World, caller: str, key: str) -> dict[str, str]:
    return {**world.auth(caller), "Idempotency-Key": key}


def party_codes(client: TestClient, world: World) -> list[str]:
    return [p["code"] for p in client.get("/v1/parties", headers=world.auth("admin")).json()]


def test_a_retry_returns_the_first_response_and_writes_nothing(client: TestClient,
                                                               world: World):
    first = client.post("/v1/parties", headers=keyed(world, "admin", "k-1"), json=SAPPORO)
    codes = party_codes(client, world)

    retry = client.post("/v1/parties", headers=keyed(world, "admin", "k-1"), json=SAPPORO)

    assert (first.status_code, retry.status_code) == (201, 201)
    assert retry.content == first.content
    assert retry.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert party_codes(client, world) == codes
    assert codes.count("011002") == 1


def test_the_same_key_for_a_different_request_is_refused(client: TestClient, world: World):
    client.post("/v1/parties", headers=keyed(world, "admin", "k-1"), json=SAPPORO)

    other_body = client.post("/v1/parties", headers=keyed(world, "admin", "k-1"),
                             json=HAKODATE)
    other_path = client.post(f"/v1/agreements/{world.deal.id}/terms",
                             headers=keyed(world, "admin", "k-1"),
                             json={"first_fy": 2014, "last_fy": 2018})

    for refused in (other_body, other_path):
        assert refused.status_code == 422
        assert refused.headers["content-type"] == "application/problem+json"
        assert [e["field"] for e in refused.json()["errors"]] == ["header.Idempotency-Key"]
    assert "012025" not in party_codes(client, world)
    terms = client.get(f"/v1/agreements/{world.deal.id}", headers=world.auth("admin"))
    assert len(terms.json()["terms"]) == 1


def test_keys_belong_to_the_user_who_sent_them(client: TestClient, world: World,
                                               uow: UnitOfWorkFactory):
    with uow() as work:
        _, token = add_user(work, "second-admin", Role.ADMIN)
        work.commit()

    mine = client.post("/v1/parties", headers=keyed(world, "admin", "shared"), json=SAPPORO)
    theirs = client.post("/v1/parties", json=HAKODATE,
                         headers={"Authorization": f"Bearer {token}", "Idempotency-Key": "shared"})

    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert {"011002", "012025"} <= set(party_codes(client, world))


def test_a_retried_reversal_returns_the_reversal_instead_of_a_conflict(client: TestClient,
                                                                       world: World):
    url = f"/v1/entries/{world.entry_id}/reversal"
    body = {"reason": "billed twice"}

    first = client.post(url, headers=keyed(world, "forestry", "rev-1"), json=body)
    retry = client.post(url, headers=keyed(world, "forestry", "rev-1"), json=body)
    unkeyed = client.post(url, headers=world.auth("forestry"), json=body)

    assert (first.status_code, retry.status_code, unkeyed.status_code) == (201, 201, 409)
    assert retry.json() == first.json()
    verify = client.get("/v1/ledger/verify", headers=world.auth("admin")).json()
    assert (verify["ok"], verify["entry_count"]) == (True, 2)


def test_a_retried_agreement_is_created_once(client: TestClient, world: World):
    body = {"title_ja": "協定", "title_en": "Agreement",
            "urban_party_id": world.other.urban_party_id,
            "forest_party_id": world.deal.forest_party_id, "signed_on": "2020-01-10",
            "annual_target": "5 ha", "terms": [{"first_fy": 2020, "last_fy": 2024}]}

    first = client.post("/v1/agreements", headers=keyed(world, "admin", "a-1"), json=body)
    retry = client.post("/v1/agreements", headers=keyed(world, "admin", "a-1"), json=body)

    assert retry.json() == first.json()
    listed = client.get("/v1/agreements", headers=world.auth("admin")).json()
    assert [a["id"] for a in listed] == [world.deal.id, world.other.id, first.json()["id"]]


def test_a_refused_write_keeps_no_answer_for_its_key(client: TestClient, world: World):
    refused = client.post("/v1/parties", headers=keyed(world, "admin", "k-2"),
                          json={**SAPPORO, "code": "011003"})
    corrected = client.post("/v1/parties", headers=keyed(world, "admin", "k-2"), json=SAPPORO)

    assert (refused.status_code, corrected.status_code) == (422, 201)


@pytest.mark.parametrize("key", ["", "k" * 201])
def test_an_empty_or_overlong_key_is_refused(client: TestClient, world: World, key: str):
    response = client.post("/v1/parties", headers=keyed(world, "admin", key), json=SAPPORO)

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["header.Idempotency-Key"]
    assert "011002" not in party_codes(client, world)


class RivalCommitsFirst(UnitOfWork):
    """A unit of work during which `rival` runs, once, right after the key was looked up.

    This is the race of two requests with one key: both find no stored answer, and the
    rival commits first.
    """

    rival: Callable[[], Any] | None = None

    def __enter__(self) -> UnitOfWork:
        unit = super().__enter__()
        look_up = unit.access.stored_response

        def then_let_the_rival_commit(user_id: int, key: str):
            found = look_up(user_id, key)
            rival, RivalCommitsFirst.rival = RivalCommitsFirst.rival, None
            if rival is not None:
                rival()
            return found

        unit.access.stored_response = then_let_the_rival_commit  # type: ignore[method-assign]
        return unit


@pytest.mark.parametrize(("path", "make_body"), [
    # The rival's party makes this request's insert fail on the party code (a Conflict).
    ("/v1/parties", lambda ids: SAPPORO),
    # Agreements have no natural key: this request's write succeeds, its key insert fails.
    ("/v1/agreements", lambda ids: {
        "title_ja": "協定", "title_en": "Agreement", "urban_party_id": ids[0],
        "forest_party_id": ids[1], "signed_on": "2020-01-10", "annual_target": "5 ha",
        "terms": [{"first_fy": 2020, "last_fy": 2024}]}),
])
def test_two_requests_racing_with_one_key_write_once(backend: str, fresh_url: str, path: str,
                                                     make_body: Callable[[list[int]], dict]):
    if backend == "sqlite":
        pytest.skip("SQLite takes the write lock when a write begins, so the race cannot occur")
    engine = make_engine(fresh_url)
    plain = unit_of_work_factory(engine)
    with plain() as work:
        _, token = add_user(work, "root", Role.ADMIN)
        ids = [party(work, SHINJUKU).id, party(work, INA).id]
        work.commit()
    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": "race"}
    body = make_body(ids)
    racing = create_app(lambda *, read_only=False: RivalCommitsFirst(engine.connect,
                                                                     read_only=read_only))
    rival_client = TestClient(create_app(plain))
    rival_answers = []
    RivalCommitsFirst.rival = lambda: rival_answers.append(
        rival_client.post(path, headers=headers, json=body))

    answer = TestClient(racing).post(path, headers=headers, json=body)

    (rival_answer,) = rival_answers
    assert (rival_answer.status_code, answer.status_code) == (201, 201)
    assert answer.content == rival_answer.content
    assert answer.headers["idempotent-replayed"] == "true"
    with plain(read_only=True) as work:
        counts = (len(work.agreements.parties()), len(work.agreements.agreements()))
    engine.dispose()
    assert counts == ((3, 0) if path == "/v1/parties" else (2, 1))
