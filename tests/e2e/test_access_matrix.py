"""Who may call what: every role against every endpoint, with the exact status each gets.

A refused request leaves the stored parties, agreements and journal exactly as they were.
"""

from __future__ import annotations

from typing import Any

import pytest

from offset.access.model import Role
from offset.access.services import add_user
from offset.db.uow import UnitOfWorkFactory
from tests.e2e.conftest import TestClient, World

CALLERS = ("admin", "urban", "forestry", "auditor",
           "other-urban", "other-forestry", "other-auditor", "anonymous", "bad-token")

# endpoint                                   admin urb  for  aud  o-urb o-for o-aud none bad
MATRIX = {
    "POST /v1/parties":                       (201, 403, 403, 403, 403, 403, 403, 401, 401),
    "GET /v1/parties":                        (200, 200, 200, 200, 200, 200, 200, 401, 401),
    "POST /v1/agreements":                    (201, 403, 403, 403, 403, 403, 403, 401, 401),
    "GET /v1/agreements":                     (200, 200, 200, 200, 200, 200, 200, 401, 401),
    "GET /v1/agreements/{deal}":              (200, 200, 200, 200, 404, 404, 404, 401, 401),
    "POST /v1/agreements/{deal}/terms":       (201, 403, 403, 403, 403, 403, 403, 401, 401),
    "GET /v1/agreements/{deal}/journal":      (200, 200, 200, 200, 404, 404, 404, 401, 401),
    "GET /v1/agreements/{deal}/balances":     (200, 200, 200, 200, 404, 404, 404, 401, 401),
    "POST /v1/entries/{entry}/reversal":      (201, 201, 201, 403, 404, 404, 403, 401, 401),
    "GET /v1/ledger/verify":                  (200, 200, 200, 200, 200, 200, 200, 401, 401),
    "GET /v1/users":                          (200, 403, 403, 403, 403, 403, 403, 401, 401),
    "POST /v1/users/{user}/tokens":           (201, 403, 403, 403, 403, 403, 403, 401, 401),
    "POST /v1/users/{user}/revocation":       (200, 403, 403, 403, 403, 403, 403, 401, 401),
    "POST /v1/users/nobody/tokens":           (404, 403, 403, 403, 403, 403, 403, 401, 401),
}

# Whose tokens the user endpoints issue and revoke: a user that is not among the callers, so
# that a revocation never refuses the caller of a later cell.
TARGET = "bystander"

CELLS = [pytest.param(endpoint, caller, status, id=f"{endpoint} as {caller}")
         for endpoint, statuses in MATRIX.items()
         for caller, status in zip(CALLERS, statuses, strict=True)]


def valid_body(endpoint: str, world: World) -> dict[str, Any] | None:
    """Return a body that the endpoint accepts from a caller allowed to send it."""
    return {
        "POST /v1/parties": {"code": "011002", "name_ja": "札幌市", "name_en": "Sapporo City"},
        "POST /v1/agreements": {
            "title_ja": "森林整備協定", "title_en": "Forest agreement",
            "urban_party_id": world.deal.urban_party_id,
            "forest_party_id": world.other.forest_party_id,
            "signed_on": "2024-01-10", "annual_target": "12 ha",
            "terms": [{"first_fy": 2024, "last_fy": 2028}],
        },
        "POST /v1/agreements/{deal}/terms": {"first_fy": 2014, "last_fy": 2018},
        "POST /v1/entries/{entry}/reversal": {"reason": "posted twice by mistake"},
        "POST /v1/users/{user}/tokens": {"expires_in_days": 30},
    }.get(endpoint)


def stored(uow: UnitOfWorkFactory) -> tuple[object, ...]:
    """Return everything a refused request must leave as it was (tokens' last use aside)."""
    with uow(read_only=True) as work:
        heads = work.journal.heads()
        journal = [e for head in heads for e in work.journal.chain(head.agreement_id)]
        tokens = [(a.user, [(t.id, t.expires_at, t.revoked_at) for t in a.tokens])
                  for a in work.access.accounts()]
        return work.agreements.parties(), work.agreements.agreements(), heads, journal, tokens


@pytest.mark.parametrize(("endpoint", "caller", "status"), CELLS)
def test_every_role_gets_the_status_the_matrix_states(client: TestClient, world: World,
                                                      uow: UnitOfWorkFactory, endpoint: str,
                                                      caller: str, status: int):
    with uow() as work:
        add_user(work, TARGET, Role.ADMIN)
        work.commit()
    method, template = endpoint.split(" ")
    url = template.format(deal=world.deal.id, entry=world.entry_id, user=TARGET)
    before = stored(uow)

    response = client.request(method, url, headers=world.auth(caller),
                              json=valid_body(endpoint, world))

    assert response.status_code == status, response.text
    if status >= 400:
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["status"] == status
        assert stored(uow) == before
    if status == 401:
        assert response.headers["www-authenticate"] == "Bearer"
