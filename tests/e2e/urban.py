"""Helpers for money and emissions tests over HTTP: valid bodies, a certified year, URLs.

The world's deal runs FY2009–FY2013; its urban party is Shinjuku, its forest party Ina.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from offset.agreements.model import Side
from offset.db.uow import UnitOfWorkFactory
from offset.emissions import services as emissions
from offset.emissions.services import EmissionInput
from offset.forestry.certification import Certificate, certify
from offset.money import services as money
from offset.money.model import Cost, CostCategory
from tests.e2e.conftest import TestClient, World

COST = {"fiscal_year": 2010, "category": "thinning", "amount": 1001,
        "incurred_on": "2010-12-20", "description": "間伐事業 鹿嶺高原"}
SUBSIDY = {"fiscal_year": 2010, "scheme": "national", "name": "造林補助金", "amount": 300,
           "received_on": "2011-03-01"}
TIMBER = {"fiscal_year": 2010, "volume": "120 m**3", "unit_price": "8000", "buyer": "上伊那木材",
          "sold_on": "2011-01-15"}
EMISSION = {"fiscal_year": 2010, "activity_type": "electricity", "activity": "1200000 kWh",
            "factor_set": "tepco-fy2010", "source": "区役所本庁舎"}
RETIREMENT = {"fiscal_year": 2010, "quantity": "100 t_CO2", "beneficiary": "新宿区",
              "purpose": "区の施設の排出量のオフセット", "retired_on": "2011-03-31"}


def url(world: World, path: str, agreement_id: int | None = None) -> str:
    return f"/v1/agreements/{agreement_id or world.deal.id}/{path}"


def post(client: TestClient, world: World, path: str, caller: str, body: dict[str, Any],
         agreement_id: int | None = None, **headers: str) -> Any:
    return client.post(url(world, path, agreement_id), json=body,
                       headers={**world.auth(caller), **headers})


def certified_and_emitted(uow: UnitOfWorkFactory, world: World, tonnes: str = "456.3",
                          fiscal_year: int = 2010) -> None:
    """Certify `tonnes` for the deal's FY and record 450 t of emissions in it (services)."""
    with uow() as work:
        certify(work, world.deal, Certificate(
            fiscal_year, Decimal(tonnes), "長野県", f"第{fiscal_year}号",
            date(fiscal_year + 1, 3, 10), None), "fixture")
        emissions.record_emission(work, world.deal, EmissionInput(
            fiscal_year, "electricity", "1200000 kWh", "tepco-fy2010"), "fixture")
        work.commit()


def costs_of_both_sides(uow: UnitOfWorkFactory, world: World, fiscal_year: int = 2010) -> None:
    """Record a 1,001 yen cost borne by each side in the deal's FY, so subsidies naming no
    costs have room (services)."""
    with uow() as work:
        for side in (Side.URBAN, Side.FOREST):
            money.record_cost(work, world.deal, Cost(
                fiscal_year, CostCategory.THINNING, Decimal(1001), date(fiscal_year, 12, 1),
                "", side), "fixture")
        work.commit()


def entry_count(client: TestClient, world: World) -> int:
    """Return how many journal entries the whole ledger holds."""
    count: int = client.get("/v1/ledger/verify", headers=world.auth("admin")).json()[
        "entry_count"]
    return count


def shared_agreement(client: TestClient, world: World) -> int:
    """Create over HTTP a second Shinjuku–Ina agreement (FY2009–FY2013) that splits costs
    50/50, survey fees 100 % urban; return its id."""
    response = client.post("/v1/agreements", headers=world.auth("admin"), json={
        "title_ja": "森林整備協定", "title_en": "Shared-cost agreement",
        "urban_party_id": world.deal.urban_party_id,
        "forest_party_id": world.deal.forest_party_id, "signed_on": "2008-02-10",
        "annual_target": "30 ha", "terms": [{"first_fy": 2009, "last_fy": 2013}],
        "cost_sharing": {"urban_percent": "50", "by_category": {"survey": "100"}}})
    assert response.status_code == 201, response.text
    agreement_id: int = response.json()["id"]
    return agreement_id
