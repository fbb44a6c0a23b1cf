"""Every quantity field of the API reads one number and one unit, nothing else: any text at
all is either accepted or refused with a 4xx, never a 5xx, and a refusal writes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from sqlalchemy import Connection, text

from tests.e2e.conftest import TestClient, World
from tests.e2e.forestry import RED_PINE, add_stand, thinning
from tests.e2e.urban import EMISSION, RETIREMENT, TIMBER
from tests.strategies import quantity_texts

FIELDS = [("stands", "area"), ("stands", "measured_growth"), ("versions", "area"),
          ("versions", "measured_growth"), ("thinnings", "area"), ("thinnings", "volume"),
          ("certifications", "certified"), ("certifications", "certified_area"),
          ("timber-sales", "volume"), ("emissions", "activity"), ("retirements", "quantity"),
          ("agreements", "annual_target")]


def _settings(examples: int) -> settings:
    return settings(max_examples=examples, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])


def request(world: World, stand_id: int, endpoint: str) -> tuple[str, str, dict[str, Any]]:
    """Return the caller, URL and a valid body of `endpoint`."""
    deal = f"/v1/agreements/{world.deal.id}"
    version = {k: v for k, v in RED_PINE.items()
               if k not in ("site", "compartment", "stand_number")}
    return {
        "stands": ("forestry", f"{deal}/stands", {**RED_PINE, "stand_number": "に"}),
        "versions": ("forestry", f"{deal}/stands/{stand_id}/versions", version),
        "thinnings": ("forestry", f"{deal}/thinnings", thinning(stand_id)),
        "certifications": ("forestry", f"{deal}/certifications", {
            "fiscal_year": 2010, "certified": "456.3 t_CO2", "body": "長野県",
            "certificate_number": "第1号", "issued_on": "2011-03-10"}),
        "timber-sales": ("forestry", f"{deal}/timber-sales", TIMBER),
        "emissions": ("urban", f"{deal}/emissions", EMISSION),
        "retirements": ("urban", f"{deal}/retirements", RETIREMENT),
        "agreements": ("admin", "/v1/agreements", {
            "title_ja": "森林整備協定", "title_en": "Forest agreement",
            "urban_party_id": world.deal.urban_party_id,
            "forest_party_id": world.other.forest_party_id, "signed_on": "2008-02-10",
            "annual_target": "30 ha", "terms": [{"first_fy": 2009, "last_fy": 2013}]}),
    }[endpoint]


WRITTEN_TABLES = ("entries", "postings", "stands", "stand_versions", "thinnings",
                  "agreements", "agreement_terms")


def written(connection: Connection) -> tuple[int, ...]:
    """Return the row count of every table a refused request must leave alone."""
    counts = ", ".join(f"(SELECT count(*) FROM {table})" for table in WRITTEN_TABLES)
    return tuple(connection.execute(text(f"SELECT {counts}")).one())


def check_field(client: TestClient, world: World, connection: Connection, endpoint: str,
                field: str, examples: int) -> None:
    stand_id = add_stand(client, world)["id"]
    caller, url, valid = request(world, stand_id, endpoint)

    @_settings(examples)
    @given(quantity=quantity_texts())
    def any_text(quantity: str) -> None:
        before = written(connection)
        response = client.post(url, json={**valid, field: quantity},
                               headers=world.auth(caller))
        assert response.status_code < 500, (quantity, response.text)
        if response.status_code >= 400:
            assert written(connection) == before, quantity

    any_text()


@pytest.mark.parametrize(("endpoint", "field"), FIELDS)
def test_any_text_in_a_quantity_field_is_accepted_or_refused_never_a_5xx(
        client: TestClient, world: World, connection: Connection, endpoint: str,
        field: str):
    check_field(client, world, connection, endpoint, field, examples=20)


@pytest.mark.slow
@pytest.mark.parametrize(("endpoint", "field"), FIELDS)
def test_much_more_text_in_a_quantity_field_is_never_a_5xx(
        client: TestClient, world: World, connection: Connection, endpoint: str,
        field: str):
    check_field(client, world, connection, endpoint, field, examples=500)


@pytest.mark.parametrize(("endpoint", "field", "quantity"), [
    ("stands", "area", "2 ha * 3"), ("stands", "area", "1/0 ha"),
    ("thinnings", "volume", "9**9**9 m**3"), ("emissions", "activity", "1e999999999 kWh"),
    ("certifications", "certified", "(1 t_CO2"), ("timber-sales", "volume", "1 m**3 /"),
    ("stands", "measured_growth", "6 m**3/ha/year * 2"),
])
def test_an_expression_is_refused_with_a_422_naming_the_field(
        client: TestClient, world: World, connection: Connection, endpoint: str, field: str,
        quantity: str):
    stand_id = add_stand(client, world)["id"]
    caller, url, valid = request(world, stand_id, endpoint)
    before = written(connection)

    response = client.post(url, json={**valid, field: quantity},
                           headers=world.auth(caller))

    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == [f"body.{field}"]
    assert written(connection) == before


def test_grouped_and_full_width_digits_are_read_as_typed(client: TestClient, world: World):
    stand = add_stand(client, world, stand_number="ほ", area="１２．５ ｈａ")
    caller, url, valid = request(world, stand["id"], "emissions")
    emission = client.post(url, json={**valid, "activity": "1,200,000 kWh"},
                           headers=world.auth(caller))

    assert stand["area"] == "12.5000"
    assert emission.status_code == 201, emission.text
    assert emission.json()["activity_in_factor_unit"] == "1200000"
