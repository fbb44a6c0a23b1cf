"""Helpers for forestry tests over HTTP: stand and thinning bodies, and what the ledger holds.

The world's deal runs FY2009–FY2013 with a 5-year crediting window; its forest party is Ina.
"""

from __future__ import annotations

from typing import Any

from tests.e2e.conftest import TestClient, World

# Red pine planted in 1970, site class 2: in FY2010 it is 41 years old (age class 9).
RED_PINE = {"site": "鹿嶺高原", "compartment": "12", "stand_number": "ろ", "area": "35 ha",
            "species": "akamatsu", "planting_year": 1970, "site_class": 2}


def stands_url(world: World) -> str:
    return f"/v1/agreements/{world.deal.id}/stands"


def thinnings_url(world: World, agreement_id: int | None = None) -> str:
    return f"/v1/agreements/{agreement_id or world.deal.id}/thinnings"


def certifications_url(world: World) -> str:
    return f"/v1/agreements/{world.deal.id}/certifications"


def add_stand(client: TestClient, world: World, caller: str = "forestry",
              agreement_id: int | None = None, **fields: Any) -> dict[str, Any]:
    """Register a stand (red pine unless overridden) and return its StandRead."""
    url = f"/v1/agreements/{agreement_id or world.deal.id}/stands"
    response = client.post(url, headers=world.auth(caller), json={**RED_PINE, **fields})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def thinning(stand_id: int, **fields: Any) -> dict[str, Any]:
    """Return a thinning body: 29 ha in FY2010, within the deal's terms."""
    return {"stand_id": stand_id, "fiscal_year": 2010, "started_on": "2010-10-01",
            "finished_on": "2010-12-20", "area": "29 ha", "intensity": "30",
            "volume": "120 m**3", "contractor": "上伊那森林組合", "note": "", **fields}


def entry_count(client: TestClient, world: World) -> int:
    """Return how many journal entries the whole ledger holds."""
    count: int = client.get("/v1/ledger/verify", headers=world.auth("admin")).json()[
        "entry_count"]
    return count


def thinnings(client: TestClient, world: World) -> list[dict[str, Any]]:
    listed: list[dict[str, Any]] = client.get(thinnings_url(world),
                                              headers=world.auth("auditor")).json()
    return listed
