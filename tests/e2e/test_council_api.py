"""The national council over HTTP: it certifies a partnership, grants to a certified one (as
money of the agreement, under the subsidy caps), and reads every partnership of a year with
its figures and standing; parties cannot record a council grant as their own subsidy.

The world: deal (Shinjuku – Ina) and other (Chiyoda – Matsumoto), both forests in Nagano
(prefecture 20); one cost of 1,200 yen in the deal's FY2009, split by its rule (all urban).
"""

from __future__ import annotations

import io
from typing import Any

from openpyxl import load_workbook  # type: ignore[import-untyped]
from pypdf import PdfReader

from tests.e2e.conftest import TestClient, World
from tests.e2e.urban import COST, post
from tests.unit.test_report_render import font_files

BASE = "https://offset.example/problems/"
CERTIFICATION = {"number": "協議会認定第1号", "certified_on": "2009-04-01",
                 "valid_until": "2014-03-31", "conditions": ["5年以上の協定期間"]}
GRANT = {"fiscal_year": 2010, "recipient": "urban", "name": "連携推進交付金", "amount": 400,
         "received_on": "2011-03-01"}


def certify(client: TestClient, world: World, body: dict[str, Any] | None = None) -> Any:
    return client.post(f"/v1/agreements/{world.deal.id}/partnership-certifications",
                       json=body or CERTIFICATION, headers=world.auth("council"))


def grant(client: TestClient, world: World, **changes: Any) -> Any:
    return client.post(f"/v1/agreements/{world.deal.id}/council-grants",
                       json={**GRANT, **changes}, headers=world.auth("council"))


def overview(client: TestClient, world: World, fy: int, on: str = "") -> Any:
    answer = client.get(f"/v1/council/overview?fiscal_year={fy}" + (f"&on={on}" if on else ""),
                        headers=world.auth("council"))
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_the_council_certifies_and_every_party_of_the_agreement_reads_it(client: TestClient,
                                                                        world: World):
    created = certify(client, world)

    assert created.status_code == 201, created.text
    assert {k: v for k, v in created.json().items() if k != "id"} == {
        "agreement_id": world.deal.id, **CERTIFICATION}
    listed = client.get(f"/v1/agreements/{world.deal.id}/partnership-certifications",
                        headers=world.auth("urban"))
    assert listed.json() == [created.json()]


def test_a_certification_number_is_taken_once_and_its_dates_run_forward(client: TestClient,
                                                                        world: World):
    certify(client, world)
    again = certify(client, world)
    backwards = certify(client, world, {**CERTIFICATION, "number": "協議会認定第2号",
                                        "valid_until": "2009-03-31"})
    no_condition = certify(client, world, {**CERTIFICATION, "number": "協議会認定第3号",
                                           "conditions": []})

    assert (again.status_code, again.json()["type"]) == (409, BASE + "already-exists")
    assert backwards.status_code == 422
    assert [e["field"] for e in backwards.json()["errors"]] == ["body.valid_until"]
    assert no_condition.status_code == 422
    assert [e["field"] for e in no_condition.json()["errors"]] == ["body.conditions"]


def test_a_grant_goes_only_to_a_partnership_certified_on_the_day(client: TestClient,
                                                                 world: World):
    assert post(client, world, "costs", "urban", COST).status_code == 201  # FY2010, 1,001 yen

    uncertified = grant(client, world)
    certify(client, world)
    after_expiry = grant(client, world, fiscal_year=2014, received_on="2014-05-01")

    assert (uncertified.status_code, uncertified.json()["type"]) == (409,
                                                                     BASE + "not-certified")
    assert uncertified.json()["errors"][0]["field"] == "body.received_on"
    assert after_expiry.status_code == 409
    assert grant(client, world).status_code == 201


def test_a_grant_is_money_of_the_agreement_under_the_subsidy_cap(client: TestClient,
                                                                 world: World):
    post(client, world, "costs", "urban", COST)  # FY2010, 1,001 yen borne by the ward
    certify(client, world)

    stored = grant(client, world)
    too_much = grant(client, world, amount=602)  # 1,001 − 400 = 601 yen are left to fund

    assert stored.status_code == 201, stored.text
    assert (stored.json()["scheme"], stored.json()["scheme_ja"], stored.json()["amount"]) == (
        "council-grant", "連携推進協議会交付金", "400")
    assert stored.json()["entry"]["recorded_by"] == "council"
    assert (too_much.status_code, too_much.json()["type"]) == (409,
                                                               BASE + "subsidy-exceeds-costs")
    summary = client.get(f"/v1/agreements/{world.deal.id}/fiscal-years/2010/summary",
                         headers=world.auth("urban")).json()
    assert {(s["scheme"], s["amount"]) for s in summary["money"]["subsidies"]} == {
        ("council-grant", "400")}


def test_a_party_cannot_record_a_council_grant_as_its_subsidy(client: TestClient,
                                                              world: World):
    post(client, world, "costs", "urban", COST)
    refused = post(client, world, "subsidies", "urban",
                   {"fiscal_year": 2010, "scheme": "council-grant", "name": "交付金",
                    "amount": 100, "received_on": "2011-03-01"})

    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["body.scheme"]


def test_the_overview_lists_every_partnership_of_the_year_with_its_figures(
        client: TestClient, world: World):
    post(client, world, "costs", "urban", COST)  # the deal's FY2010: 1,001 yen
    certify(client, world)
    grant(client, world)

    found = overview(client, world, 2010, on="2011-03-31")

    by_id = {p["agreement_id"]: p for p in found["partnerships"]}
    assert set(by_id) == {world.deal.id, world.other.id}
    deal, other = by_id[world.deal.id], by_id[world.other.id]
    assert (deal["urban"]["code"], deal["forest"]["code"]) == ("131041", "202096")
    assert (deal["gross_cost"], deal["grants"], deal["net_cost"], deal["urban_net_cost"]) == (
        1001, 400, 601, 601)
    assert (deal["standing"], deal["certification"]["number"]) == ("certified",
                                                                   "協議会認定第1号")
    assert (other["standing"], other["certification"], other["gross_cost"]) == (
        "uncertified", None, 0)
    assert (deal["certified_in_year"], other["certified_in_year"]) == (True, False)
    (nagano,) = found["prefectures"]
    assert (nagano["code"], nagano["totals"]["partnerships"],
            nagano["totals"]["certified_partnerships"], nagano["totals"]["grants"]) == (
        "20", 2, 1, 400)
    assert found["totals"]["gross_cost"] == 1001
    # Read today (the clock of the test run), the certification of 2009–2014 has expired.
    assert overview(client, world, 2010)["partnerships"][0]["standing"] == "expired"


def test_only_the_council_and_admin_read_the_nation(client: TestClient, world: World):
    for caller, status in (("council", 200), ("admin", 200), ("urban", 403),
                           ("auditor", 403)):
        answer = client.get("/v1/council/overview?fiscal_year=2010",
                            headers=world.auth(caller))
        assert answer.status_code == status, caller
    bad_year = client.get("/v1/council/overview?fiscal_year=1800",
                          headers=world.auth("council"))
    assert bad_year.status_code == 422
    assert [e["field"] for e in bad_year.json()["errors"]] == ["query.fiscal_year"]


def test_the_national_report_prints_the_overview_with_embedded_fonts(client: TestClient,
                                                                     world: World):
    post(client, world, "costs", "urban", COST)  # the deal's FY2010: 1,001 yen
    certify(client, world)
    grant(client, world)
    found = overview(client, world, 2010, on="2011-03-31")

    answer = client.get("/v1/council/reports/2010.pdf?on=2011-03-31",
                        headers=world.auth("council"))

    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/pdf"
    assert 'filename="offset-national-FY2010.pdf"' in answer.headers["content-disposition"]
    assert all(font_files(answer.content).values())
    shown = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(answer.content)).pages)
    deal = next(p for p in found["partnerships"] if p["agreement_id"] == world.deal.id)
    for expected in ("全国の連携状況報告書", "National partnerships report", "平成22年度",
                     f"{deal['urban']['name_ja']} – {deal['forest']['name_ja']}",
                     "1,001", "400", "601", "協議会認定第1号", "認定の状況は 2011-03-31 現在"):
        assert expected in shown, expected
    # The chain cell wraps within its column: compare without the line breaks.
    assert f"{deal['chain_seq']}{deal['chain_head'][:12]}" in "".join(shown.split())


def test_the_national_workbook_holds_the_overviews_numbers_as_numbers(client: TestClient,
                                                                      world: World):
    post(client, world, "costs", "urban", COST)
    certify(client, world)
    grant(client, world)
    found = overview(client, world, 2010)

    answer = client.get("/v1/council/reports/2010.xlsx", headers=world.auth("admin"))

    assert answer.status_code == 200
    book = load_workbook(io.BytesIO(answer.content), read_only=True)
    lines = list(book["協定 Partnerships"].iter_rows(min_row=2, values_only=True))
    assert [(row[1], row[7], row[8], row[9], row[-2], row[-1]) for row in lines] == [
        (p["agreement_id"], p["gross_cost"], p["net_cost"], p["grants"], p["chain_seq"],
         p["chain_head"]) for p in found["partnerships"]]
    totals = list(book["合計 Totals"].iter_rows(min_row=5, values_only=True))
    assert totals[-1][0] == "全国 / nation"
    assert totals[-1][1:3] == (2, found["totals"]["certified_partnerships"])
    assert totals[-1][7:10] == (found["totals"]["gross_cost"], found["totals"]["net_cost"],
                                found["totals"]["grants"])
