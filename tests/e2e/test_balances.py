"""The trial balance over HTTP: every figure as text in its commodity's places, for the
agreement's parties and auditor only.

The world's deal holds one FY2009 cost of 1,200 yen; the fixture adds, in FY2010, a cost of
12,345,678 yen with 0.250 t-CO2 estimated.
"""

from __future__ import annotations

import pytest

from offset.db.uow import UnitOfWorkFactory
from offset.ledger import services as ledger
from tests.builders import cost_entry
from tests.e2e.conftest import TestClient, World


@pytest.fixture
def two_years(uow: UnitOfWorkFactory, world: World) -> World:
    with uow() as work:
        ledger.post(work, [cost_entry(world.deal.id, 12_345_678, 2010, tonnes="0.250")])
        work.commit()
    return world


def balances(client: TestClient, world: World, caller: str, **query: int):
    return client.get(f"/v1/agreements/{world.deal.id}/balances", params=query,
                      headers=world.auth(caller))


def line(account: str, commodity: str, opening: str, debit: str, credit: str, net: str,
         closing: str) -> dict[str, str]:
    return {"account": account, "commodity": commodity, "opening": opening, "debit": debit,
            "credit": credit, "net": net, "closing": closing}


def test_a_fiscal_year_opens_where_the_years_before_closed(client: TestClient,
                                                          two_years: World):
    response = balances(client, two_years, "auditor", fiscal_year=2010)

    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["agreement_id"], body["fiscal_year"], body["fiscal_year_label"]) == (
        two_years.deal.id, 2010, "平成22年度")
    assert body["accounts"] == [
        line("Assets:Credits:Estimated", "tCO2e-est", "0.000", "0.250", "0.000", "0.250",
             "0.250"),
        line("Expenses:Thinning", "JPY", "1200", "12345678", "0", "12345678", "12346878"),
        line("Income:Absorption:Estimated", "tCO2e-est", "0.000", "0.000", "0.250", "-0.250",
             "-0.250"),
        line("Liabilities:Payable:Contractor", "JPY", "-1200", "0", "12345678", "-12345678",
             "-12346878"),
    ]
    assert body["totals"] == [
        {"commodity": "JPY", "opening": "0", "debit": "12345678", "credit": "12345678",
         "net": "0", "closing": "0"},
        {"commodity": "tCO2e-est", "opening": "0.000", "debit": "0.250", "credit": "0.250",
         "net": "0.000", "closing": "0.000"},
    ]


def test_without_a_fiscal_year_the_whole_journal_moves_from_zero(client: TestClient,
                                                                 two_years: World):
    body = balances(client, two_years, "urban").json()

    assert (body["fiscal_year"], body["fiscal_year_label"]) == (None, None)
    assert [(a["account"], a["opening"], a["debit"], a["credit"], a["closing"])
            for a in body["accounts"] if a["commodity"] == "JPY"] == [
        ("Expenses:Thinning", "0", "12346878", "0", "12346878"),
        ("Liabilities:Payable:Contractor", "0", "0", "12346878", "-12346878"),
    ]


@pytest.mark.parametrize("caller", ["admin", "urban", "forestry", "auditor"])
def test_every_party_of_the_agreement_and_its_auditor_see_the_same_figures(
        client: TestClient, two_years: World, caller: str):
    response = balances(client, two_years, caller, fiscal_year=2010)

    assert response.status_code == 200
    assert response.json() == balances(client, two_years, "auditor", fiscal_year=2010).json()


@pytest.mark.parametrize("caller", ["other-urban", "other-forestry", "other-auditor"])
def test_anyone_else_is_told_the_agreement_does_not_exist(client: TestClient,
                                                          two_years: World, caller: str):
    seen = balances(client, two_years, caller, fiscal_year=2010)
    missing = client.get("/v1/agreements/999999/balances", headers=two_years.auth("admin"))

    assert (seen.status_code, missing.status_code) == (404, 404)
    assert seen.headers["content-type"] == "application/problem+json"
    assert "Expenses" not in seen.text


def test_a_fiscal_year_out_of_range_is_refused_naming_it(client: TestClient, world: World):
    response = balances(client, world, "urban", fiscal_year=1800)

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["query.fiscal_year"]
