"""Who may call the forestry endpoints: every role against each, with the exact status.

Writes belong to the forestry office of the agreement's forest party (certifications also
to the admin); every role of the agreement reads; callers who cannot see the agreement get
404 whatever their role. A refused request leaves stands, thinnings and journal as they were.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from offset.db.uow import UnitOfWorkFactory
from offset.forestry.model import StandInput, StandVersion
from offset.forestry.stands import register_stand
from tests.e2e.conftest import TestClient, World
from tests.e2e.forestry import RED_PINE, thinning
from tests.e2e.test_access_matrix import CALLERS

# endpoint under /v1/agreements/{deal}/  admin cncl urb  for  aud  o-urb o-for o-aud none bad
MATRIX = {
    "POST stands":                          (403, 403, 403, 201, 403, 404, 404, 404, 401, 401),
    "GET stands":                           (200, 200, 200, 200, 200, 404, 404, 404, 401, 401),
    "GET stands/{stand}":                   (200, 200, 200, 200, 200, 404, 404, 404, 401, 401),
    "POST stands/{stand}/versions":         (403, 403, 403, 201, 403, 404, 404, 404, 401, 401),
    "POST thinnings":                       (403, 403, 403, 201, 403, 404, 404, 404, 401, 401),
    "GET thinnings":                        (200, 200, 200, 200, 200, 404, 404, 404, 401, 401),
    "POST certifications":                  (201, 403, 403, 201, 403, 404, 404, 404, 401, 401),
    "GET certifications":                   (200, 200, 200, 200, 200, 404, 404, 404, 401, 401),
}

CELLS = [pytest.param(endpoint, caller, status, id=f"{endpoint} as {caller}")
         for endpoint, statuses in MATRIX.items()
         for caller, status in zip(CALLERS, statuses, strict=True)]


@pytest.fixture
def stand_id(uow: UnitOfWorkFactory, world: World) -> int:
    """A red-pine stand of the deal's forest party."""
    with uow() as work:
        stand = register_stand(
            work, world.deal.forest_party_id, StandInput(
                "鹿嶺高原", "3", "い", StandVersion(Decimal("20"), "akamatsu", 1970, site_class=2)),
            "fixture")
        work.commit()
    return stand.id


def valid_body(endpoint: str, stand_id: int) -> dict[str, Any] | None:
    """Return a body that the endpoint accepts from a caller allowed to send it."""
    return {
        "POST stands": RED_PINE,
        "POST stands/{stand}/versions": {
            "area": "19.5 ha", "species": "akamatsu", "planting_year": 1970, "site_class": 2},
        "POST thinnings": thinning(stand_id, area="10 ha"),
        "POST certifications": {
            "fiscal_year": 2010, "certified": "456.3 t_CO2", "body": "長野県",
            "certificate_number": "第1号", "issued_on": "2011-03-10",
            "certified_area": "142.90 ha"},
    }.get(endpoint)


def stored(uow: UnitOfWorkFactory, world: World) -> tuple[object, ...]:
    """Return everything a refused request must leave as it was."""
    with uow(read_only=True) as work:
        heads = work.journal.heads()
        journal = [e for head in heads for e in work.journal.chain(head.agreement_id)]
        return (work.forestry.stands(world.deal.forest_party_id),
                work.forestry.thinnings(world.deal.id), heads, journal)


@pytest.mark.parametrize(("endpoint", "caller", "status"), CELLS)
def test_every_role_gets_the_status_the_matrix_states(client: TestClient, world: World,
                                                      uow: UnitOfWorkFactory, stand_id: int,
                                                      endpoint: str, caller: str, status: int):
    method, template = endpoint.split(" ")
    url = f"/v1/agreements/{world.deal.id}/" + template.format(stand=stand_id)
    before = stored(uow, world)

    response = client.request(method, url, headers=world.auth(caller),
                              json=valid_body(endpoint, stand_id))

    assert response.status_code == status, response.text
    if status >= 400:
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["status"] == status
        assert stored(uow, world) == before


@pytest.mark.parametrize("caller", ["other-forestry", "other-urban", "other-auditor"])
def test_a_hidden_agreement_looks_missing_even_with_a_bad_body(client: TestClient,
                                                               world: World, caller: str):
    hidden = client.post(f"/v1/agreements/{world.deal.id}/thinnings",
                         headers=world.auth(caller), json={"area": 30})
    missing = client.post("/v1/agreements/999999/thinnings", headers=world.auth(caller),
                          json={"area": 30})

    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == {**missing.json(),
                             "detail": f"agreement {world.deal.id} does not exist"}


def test_a_stand_of_another_forest_party_is_not_found_under_this_agreement(
        client: TestClient, world: World, stand_id: int):
    url = f"/v1/agreements/{world.other.id}/stands/{stand_id}"

    read = client.get(url, headers=world.auth("admin"))
    edit = client.post(f"{url}/versions", headers=world.auth("other-forestry"),
                       json=valid_body("POST stands/{stand}/versions", stand_id))

    assert (read.status_code, edit.status_code) == (404, 404)
