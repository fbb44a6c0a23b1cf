"""Who may call the money, emissions, summary and closing endpoints: every role, the exact
status.

Each side's office records its own money (a cost split by the sharing rule by either side);
emissions and retirements belong to the urban party's environment division alone; admins and
auditors record no facts; every role of the agreement reads the summaries, the fiscal years
and the report register, and only admin or the urban party closes a year; callers who cannot
see the agreement get 404 whatever their role. A refused request leaves the journal as it was.
"""

from __future__ import annotations

from typing import Any

import pytest

from offset.db.uow import UnitOfWorkFactory
from tests.e2e.conftest import TestClient, World
from tests.e2e.test_access_matrix import CALLERS
from tests.e2e.urban import (
    COST,
    EMISSION,
    RETIREMENT,
    SUBSIDY,
    TIMBER,
    certified_and_emitted,
    costs_of_both_sides,
)

# endpoint under /v1/agreements/{deal}/       admin cncl urb  for  aud  o-urb o-for o-aud none bad
MATRIX = {
    "POST costs":                               (403, 403, 201, 201, 403, 404, 404, 404, 401, 401),
    "POST costs (bearer urban)":                (403, 403, 201, 403, 403, 404, 404, 404, 401, 401),
    "POST costs (bearer forest)":               (403, 403, 403, 201, 403, 404, 404, 404, 401, 401),
    "POST subsidies":                           (403, 403, 201, 201, 403, 404, 404, 404, 401, 401),
    "POST timber-sales":                        (403, 403, 201, 201, 403, 404, 404, 404, 401, 401),
    "POST emissions":                           (403, 403, 201, 403, 403, 404, 404, 404, 401, 401),
    "POST retirements":                         (403, 403, 201, 403, 403, 404, 404, 404, 401, 401),
    "GET fiscal-years/2010/summary":            (200, 200, 200, 200, 200, 404, 404, 404, 401, 401),
    "GET terms/1/summary":                      (200, 200, 200, 200, 200, 404, 404, 404, 401, 401),
    "GET fiscal-years/2009":                    (200, 200, 200, 200, 200, 404, 404, 404, 401, 401),
    "POST fiscal-years/2009/close":             (201, 403, 201, 403, 403, 404, 404, 404, 401, 401),
    "GET reports":                              (200, 200, 200, 200, 200, 404, 404, 404, 401, 401),
    "GET /v1/emission-factors":                 (200, 200, 200, 200, 200, 200, 200, 200, 401, 401),
}

CELLS = [pytest.param(endpoint, caller, status, id=f"{endpoint} as {caller}")
         for endpoint, statuses in MATRIX.items()
         for caller, status in zip(CALLERS, statuses, strict=True)]

BODIES: dict[str, dict[str, Any]] = {
    "POST costs": COST,
    "POST costs (bearer urban)": {**COST, "bearer": "urban"},
    "POST costs (bearer forest)": {**COST, "bearer": "forest"},
    "POST subsidies": SUBSIDY,
    "POST timber-sales": TIMBER,
    "POST emissions": EMISSION,
    "POST retirements": RETIREMENT,
}


def stored(uow: UnitOfWorkFactory) -> tuple[object, ...]:
    """Return everything a refused request must leave as it was."""
    with uow(read_only=True) as work:
        heads = work.journal.heads()
        return heads, [e for head in heads for e in work.journal.chain(head.agreement_id)]


@pytest.mark.parametrize(("endpoint", "caller", "status"), CELLS)
def test_every_role_gets_the_status_the_matrix_states(client: TestClient, world: World,
                                                      uow: UnitOfWorkFactory, endpoint: str,
                                                      caller: str, status: int):
    certified_and_emitted(uow, world)
    costs_of_both_sides(uow, world)
    method, path = endpoint.split(" ")[:2]
    url = path if path.startswith("/") else f"/v1/agreements/{world.deal.id}/{path}"
    before = stored(uow)

    response = client.request(method, url, headers=world.auth(caller),
                              json=BODIES.get(endpoint))

    assert response.status_code == status, response.text
    if status >= 400:
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["status"] == status
        assert stored(uow) == before
    if status == 401:
        assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize("path", ["costs", "subsidies", "timber-sales", "emissions",
                                  "retirements"])
@pytest.mark.parametrize("caller", ["other-urban", "other-forestry", "other-auditor"])
def test_a_hidden_agreement_looks_missing_even_with_a_bad_body(client: TestClient,
                                                               world: World, caller: str,
                                                               path: str):
    hidden = client.post(f"/v1/agreements/{world.deal.id}/{path}",
                         headers=world.auth(caller), json={"amount": 1.5})
    missing = client.post(f"/v1/agreements/999999/{path}", headers=world.auth(caller),
                          json={"amount": 1.5})

    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == {**missing.json(),
                             "detail": f"agreement {world.deal.id} does not exist"}


@pytest.mark.parametrize(("caller", "bearer"), [("urban", "forest"), ("forestry", "urban")])
def test_a_cost_the_other_side_bears_is_refused_even_when_retried(client: TestClient,
                                                                  world: World,
                                                                  uow: UnitOfWorkFactory,
                                                                  caller: str, bearer: str):
    before = stored(uow)
    headers = {**world.auth(caller), "Idempotency-Key": "cost-other-side"}

    for _ in range(2):
        response = client.post(f"/v1/agreements/{world.deal.id}/costs", headers=headers,
                               json={**COST, "bearer": bearer})
        assert response.status_code == 403, response.text
        assert f"the {bearer} side bears" in response.json()["detail"]
    assert stored(uow) == before
