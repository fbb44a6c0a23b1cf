"""The agreement-life state machine again, now also reading every summary over HTTP.

After every step the machine of tests/integration/test_agreement_life.py compares offset's
summaries with its plain-Python shadow; here it also GETs each fiscal year's summary and the
term's through the API (as an admin, who sees every agreement), reads the JSON's text
numbers back into the shadow's Decimals and asserts the API states the same facts, field by
field, in the documented forms: t-CO2 with 3 places, yen whole, ratios with 6 places.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis.stateful import run_state_machine_as_test
from sqlalchemy import Connection

from offset.access.model import Role
from offset.access.services import add_user
from offset.api.app import create_app
from offset.db.uow import UnitOfWorkFactory
from tests.e2e.conftest import TestClient
from tests.integration.test_agreement_life import (
    ACTIVITY_ACCOUNT,
    CATEGORY_ACCOUNT,
    FYS,
    SCHEME_ACCOUNT,
    ApiCheck,
    agreement_life,
)

TONNES = re.compile(r"-?\d+\.\d{3}")
YEN = re.compile(r"-?\d+")
RATIO = re.compile(r"-?\d+\.\d{6}")
SIDES = ("urban", "forest")


def number(value: Any, form: re.Pattern[str], where: str) -> Decimal:
    assert isinstance(value, str) and form.fullmatch(value), f"{where}: {value!r}"
    return Decimal(value)


def maybe(value: Any, form: re.Pattern[str], where: str) -> Decimal | None:
    return None if value is None else number(value, form, where)


def lines(items: list[dict[str, str]], kind: str, side: str, accounts: dict[str, str],
          where: str) -> dict[tuple[str, str], Decimal]:
    """Return money lines keyed (account, side) as the shadow keys them; no key twice."""
    keyed: dict[tuple[str, str], Decimal] = {}
    for line in items:
        key = (accounts[line[kind]], line[side])
        assert key not in keyed and line[side] in SIDES, f"{where}: {line}"
        keyed[key] = number(line["amount"], YEN, f"{where} {key}")
    return keyed


def api_facts(body: dict[str, Any]) -> dict[str, Any]:
    """Return what the API's summary JSON states, in the shadow's terms (see Shadow.expected)."""
    carbon, cash = body["carbon"], body["money"]
    pending = carbon["provisional"]
    assert carbon["unit"] == "t-CO2" and cash["unit"] == "JPY"
    assert cash["cost_per_certified_tonne_unit"] == "JPY/t-CO2"
    assert "provisional" in pending["label"]
    by_activity = {}
    for name, value in carbon["emissions_by_activity"].items():
        by_activity[ACTIVITY_ACCOUNT[name]] = number(value, TONNES, f"emissions of {name}")
    timber: dict[str, Decimal] = {}
    for line in cash["timber"]:
        assert line["recipient"] in SIDES and line["recipient"] not in timber, line
        timber[line["recipient"]] = number(line["amount"], YEN, "timber")
    assert sorted(cash["net_cost"]) == sorted(SIDES), cash["net_cost"]
    return {
        "emissions": number(carbon["emissions"], TONNES, "emissions"),
        "certified": number(carbon["certified"], TONNES, "certified"),
        "retired": number(carbon["retired"], TONNES, "retired"),
        "estimated_pending": number(pending["estimated_pending"], TONNES, "pending"),
        "emissions_by_activity": by_activity,
        "net": number(carbon["net"], TONNES, "net"),
        "offset_ratio": maybe(carbon["offset_ratio"], RATIO, "offset ratio"),
        "provisional": body["provisional"],
        "provisional_offset": number(pending["offset"], TONNES, "provisional offset"),
        "provisional_net": number(pending["net"], TONNES, "provisional net"),
        "provisional_ratio": maybe(pending["offset_ratio"], RATIO, "provisional ratio"),
        "costs": lines(cash["costs"], "category", "bearer", CATEGORY_ACCOUNT, "costs"),
        "subsidies": lines(cash["subsidies"], "scheme", "recipient", SCHEME_ACCOUNT,
                           "subsidies"),
        "timber": timber,
        "net_cost": {side: number(v, YEN, f"net cost {side}")
                     for side, v in cash["net_cost"].items()},
        "cost_per_tonne": maybe(cash["cost_per_certified_tonne"], YEN, "cost per tonne"),
    }


def assert_same_facts(where: str, got: dict[str, Any], expected: dict[str, Any]) -> None:
    assert got.keys() == expected.keys(), where
    for name, value in expected.items():
        assert got[name] == value, f"{where}, {name}: API says {got[name]!r}, shadow {value!r}"
        assert type(got[name]) is type(value), f"{where}, {name}: {got[name]!r} vs {value!r}"


def api_checks(uow: UnitOfWorkFactory) -> tuple[ApiCheck, ApiCheck]:
    """Return the checks of a fiscal year's and a term's summary, over HTTP as an admin."""
    with uow() as work:
        token = add_user(work, "life-admin", Role.ADMIN)[1]
        work.commit()
    client = TestClient(create_app(uow))
    headers = {"Authorization": f"Bearer {token}"}

    def read(agreement_id: int, path: str) -> dict[str, Any]:
        response = client.get(f"/v1/agreements/{agreement_id}/{path}/summary", headers=headers)
        assert response.status_code == 200, (path, response.text)
        body: dict[str, Any] = response.json()
        assert body["agreement_id"] == agreement_id
        return body

    def fiscal_year(agreement_id: int, fy: int, expected: dict[str, Any]) -> None:
        body = read(agreement_id, f"fiscal-years/{fy}")
        assert body["fiscal_years"] == [fy] and body["term"] is None
        assert_same_facts(f"FY{fy}", api_facts(body), expected)

    def term(agreement_id: int, number: int, expected: dict[str, Any]) -> None:
        body = read(agreement_id, f"terms/{number}")
        assert body["fiscal_years"] == list(FYS) and body["term"] == number
        assert_same_facts(f"term {number}", api_facts(body), expected)

    return fiscal_year, term


def _settings(examples: int) -> settings:
    return settings(max_examples=examples, stateful_step_count=12, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow,
                                           HealthCheck.filter_too_much])


def test_the_apis_summaries_state_what_the_shadow_expects(uow: UnitOfWorkFactory,
                                                         connection: Connection):
    fiscal_year, term = api_checks(uow)
    machine = agreement_life(uow, connection, compare_api=fiscal_year, compare_api_term=term)
    run_state_machine_as_test(machine, settings=_settings(5))


@pytest.mark.slow
def test_two_hundred_lives_read_over_http_keep_the_shadows_summary(uow: UnitOfWorkFactory,
                                                                    connection: Connection):
    fiscal_year, term = api_checks(uow)
    machine = agreement_life(uow, connection, compare_api=fiscal_year, compare_api_term=term)
    run_state_machine_as_test(machine, settings=_settings(100))
