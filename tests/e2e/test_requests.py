"""What every route does with any request alike: its body, its path, OPTIONS.

A body that is not UTF-8, not JSON or gives a key twice is a 422 invalid-body problem,
documented on every write; an error about a path id names the path parameter; OPTIONS lists
the methods the path really has.
"""

from __future__ import annotations

import pkgutil
from datetime import date
from decimal import Decimal
from importlib import import_module

import pytest

import offset.api.routes
from offset.api.app import create_app
from offset.api.bodies import JsonRoute
from offset.db.uow import UnitOfWorkFactory
from offset.emissions import services as emissions
from offset.emissions.services import EmissionInput
from offset.forestry.certification import Certificate, certify
from tests.builders import retirement
from tests.e2e.conftest import TestClient, World

INVALID_BODY = "https://offset.example/problems/invalid-body"
PARTY = '{"code": "011002", "name_ja": "札幌市", "name_en": "Sapporo City"'


def post_raw(client: TestClient, world: World, body: bytes):  # type: ignore[no-untyped-def]
    return client.post("/v1/parties", content=body, headers={
        **world.auth("admin"), "Content-Type": "application/json"})


def test_a_key_given_twice_is_refused_naming_the_key(client: TestClient, world: World):
    parties = client.get("/v1/parties", headers=world.auth("admin")).json()

    response = post_raw(client, world, (PARTY + ', "code": "011003"}').encode())

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == INVALID_BODY
    assert response.json()["errors"] == [
        {"field": "body.code", "reason": "key 'code' is given more than once"}]
    assert client.get("/v1/parties", headers=world.auth("admin")).json() == parties


def test_a_key_given_twice_in_a_nested_object_is_refused_too(client: TestClient,
                                                             world: World):
    response = client.post("/v1/agreements", headers={
        **world.auth("admin"), "Content-Type": "application/json"},
        content=b'{"terms": [{"first_fy": 2024, "first_fy": 2025, "last_fy": 2028}]}')

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.first_fy"


@pytest.mark.parametrize(("body", "reason"), [
    pytest.param(PARTY.encode("shift_jis") + b"}", "is not UTF-8", id="Shift_JIS"),
    pytest.param(b"\xff\xfe{}", "is not UTF-8", id="not UTF-8 at all"),
    pytest.param(PARTY.encode(), "is not JSON", id="cut short"),
    pytest.param(b"code=011002", "is not JSON", id="a form"),
])
def test_a_body_that_is_not_utf8_json_is_an_invalid_body_problem(
        client: TestClient, world: World, body: bytes, reason: str):
    response = post_raw(client, world, body)

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert (problem["type"], problem["status"]) == (INVALID_BODY, 422)
    assert [e["field"] for e in problem["errors"]] == ["body"]
    assert problem["errors"][0]["reason"].startswith(reason)


def test_every_route_reads_its_body_strictly():
    modules = [import_module(f"offset.api.routes.{m.name}")
               for m in pkgutil.iter_modules(offset.api.routes.__path__)]
    routes = [route for module in modules for route in module.router.routes]

    assert len(routes) > 30
    assert {type(route) for route in routes} == {JsonRoute}


def test_every_write_documents_the_invalid_body_problem():
    paths = create_app().openapi()["paths"]

    writes = {(path, method): operation["responses"] for path, item in paths.items()
              for method, operation in item.items() if method == "post"}
    assert writes
    assert {key: "invalid-body" in responses["422"]["description"]
            for key, responses in writes.items()} == dict.fromkeys(writes, True)


def test_a_bad_path_parameter_is_named_as_the_path_parameter(client: TestClient,
                                                             world: World):
    response = client.post("/v1/entries/0/reversal", headers=world.auth("urban"),
                           json={"reason": "typo"})

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["path.entry_id"]


def test_a_domain_refusal_about_the_path_id_names_the_path_parameter(
        client: TestClient, world: World, uow: UnitOfWorkFactory):
    with uow() as work:
        certified = certify(work, world.deal, Certificate(
            2010, Decimal("456.3"), "長野県", "第1号", date(2011, 3, 10), None), "fixture")
        emissions.record_emission(work, world.deal, EmissionInput(
            2010, "electricity", "1200000 kWh", "tepco-fy2010"), "fixture")
        emissions.retire(work, world.deal, retirement("100"), "fixture")
        work.commit()

    response = client.post(f"/v1/entries/{certified.id}/reversal",
                           headers=world.auth("forestry"), json={"reason": "wrong year"})

    assert response.status_code == 409
    assert [e["field"] for e in response.json()["errors"]] == ["path.entry_id"]


@pytest.mark.parametrize(("path", "allow"), [
    ("/v1/agreements/{deal}/stands", "GET, POST, OPTIONS"),
    ("/v1/agreements/{deal}", "GET, OPTIONS"),
    ("/v1/entries/1/reversal", "POST, OPTIONS"),
    ("/healthz", "GET, OPTIONS"),
])
def test_options_answers_the_methods_the_path_has(client: TestClient, world: World,
                                                  path: str, allow: str):
    response = client.options(path.format(deal=world.deal.id))

    assert response.status_code == 204
    assert response.headers["allow"] == allow
    assert response.content == b""


def test_options_on_a_path_no_route_has_is_not_found(client: TestClient):
    response = client.options("/v1/nowhere")

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
