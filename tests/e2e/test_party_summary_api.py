"""An urban party's position over HTTP: Shinjuku, urban partner of the deal (with Ina) and of
a second agreement (with Matsumoto, offsetting another scope), reads its fiscal year as the
sum of the two agreements' own summaries, each shown as its contribution; another party's
environment division may not read it.

The expectations come from each agreement's own summary endpoint, read separately.
"""

from __future__ import annotations

import io
from dataclasses import replace
from decimal import Decimal

from openpyxl import load_workbook
from pypdf import PdfReader

from offset.agreements import services as agreements
from offset.db.uow import UnitOfWorkFactory
from offset.emissions import services as emissions
from offset.emissions.services import EmissionInput
from offset.money import services as money
from tests.builders import cost
from tests.e2e.conftest import TestClient, World
from tests.e2e.urban import certified_and_emitted


def second_agreement(uow: UnitOfWorkFactory, world: World) -> int:
    """Shinjuku's second partner forest (Matsumoto), offsetting the ward's schools."""
    with uow() as work:
        second = agreements.create_agreement(work, replace(
            world.deal, id=0, forest_party_id=world.other.forest_party_id,
            emission_scope="ward schools"))
        emissions.record_emission(work, second, EmissionInput(
            2010, "city_gas", "35000 Nm3", "jp-2010"), "fixture")
        money.record_cost(work, second, cost(5000, bearer="urban"), "fixture")
        work.commit()
    return second.id


def agreement_summary(client: TestClient, world: World, agreement_id: int) -> dict:
    answer = client.get(f"/v1/agreements/{agreement_id}/fiscal-years/2010/summary",
                        headers=world.auth("admin"))
    assert answer.status_code == 200, answer.text
    found: dict = answer.json()
    return found


def test_the_party_reads_the_sum_of_its_agreements(client: TestClient, world: World,
                                                   uow: UnitOfWorkFactory):
    certified_and_emitted(uow, world)
    second = second_agreement(uow, world)
    each = {a: agreement_summary(client, world, a) for a in (world.deal.id, second)}

    answer = client.get(f"/v1/parties/{world.deal.urban_party_id}/fiscal-years/2010/summary",
                        headers=world.auth("urban"))

    assert answer.status_code == 200, answer.text
    found = answer.json()
    assert [c["agreement_id"] for c in found["contributions"]] == [world.deal.id, second]
    shares = {a: each[a].pop("party_netting") for a in each}  # the agreement's part, below
    assert [c["summary"] for c in found["contributions"]] == [each[world.deal.id],
                                                              each[second]]
    total = {key: sum(Decimal(s["carbon"][key]) for s in each.values())
             for key in ("emissions", "certified", "retired")}
    assert {key: Decimal(found["carbon"][key]) for key in total} == total
    assert {s["scope"]: Decimal(s["emissions"]) for s in found["emissions_by_scope"]} == {
        "ward facilities": Decimal(each[world.deal.id]["carbon"]["emissions"]),
        "ward schools": Decimal(each[second]["carbon"]["emissions"])}
    assert set(found["carbon"]["emissions_by_activity"]) == {"electricity", "city_gas"}
    assert Decimal(found["net_cost"]) == sum(Decimal(s["money"]["net_cost"]["urban"])
                                             for s in each.values())
    assert found["party"]["code"] == "131041"
    # Each agreement's summary shows its part in this netting: its own figures, the party's
    # totals, and the other agreement's chain as read.
    for mine, other in ((world.deal.id, second), (second, world.deal.id)):
        share = shares[mine]
        assert (share["emissions"], share["retired"]) == (found["carbon"]["emissions"],
                                                          found["carbon"]["retired"])
        assert (share["emissions_here"], share["retired_here"]) == (
            each[mine]["carbon"]["emissions"], each[mine]["carbon"]["retired"])
        assert share["offset_ratio"] == found["carbon"]["offset_ratio"]
        assert [(o["agreement_id"], o["head_hash"]) for o in share["others_read_at"]] == [
            (other, each[other]["chain"]["head_hash"])]


def test_only_the_party_the_council_and_admin_read_it(client: TestClient, world: World):
    url = f"/v1/parties/{world.deal.urban_party_id}/fiscal-years/2010/summary"
    statuses = {caller: client.get(url, headers=world.auth(caller)).status_code
                for caller in ("urban", "council", "admin", "other-urban", "forestry",
                               "auditor")}
    assert statuses == {"urban": 200, "council": 200, "admin": 200, "other-urban": 403,
                        "forestry": 403, "auditor": 403}
    missing = client.get("/v1/parties/9999/fiscal-years/2010/summary",
                         headers=world.auth("admin"))
    bad_year = client.get(f"/v1/parties/{world.deal.urban_party_id}/fiscal-years/1800/summary",
                          headers=world.auth("admin"))
    assert missing.status_code == 404
    assert (bad_year.status_code, bad_year.json()["errors"][0]["field"]) == (
        422, "path.fiscal_year")


def test_a_party_of_no_agreement_that_year_has_an_empty_position(client: TestClient,
                                                                 world: World):
    found = client.get(f"/v1/parties/{world.deal.urban_party_id}/fiscal-years/2030/summary",
                       headers=world.auth("urban")).json()
    assert (found["contributions"], found["carbon"]["emissions"], found["net_cost"]) == (
        [], "0.000", "0")


def test_the_party_report_shows_each_agreement_and_the_party_totals(
        client: TestClient, world: World, uow: UnitOfWorkFactory):
    certified_and_emitted(uow, world)
    second = second_agreement(uow, world)
    each = {a: agreement_summary(client, world, a) for a in (world.deal.id, second)}
    base = f"/v1/parties/{world.deal.urban_party_id}/fiscal-years/2010/report"

    workbook = client.get(f"{base}.xlsx", headers=world.auth("urban"))
    document = client.get(f"{base}.pdf", headers=world.auth("council"))

    assert workbook.status_code == document.status_code == 200
    assert workbook.headers["content-disposition"].endswith('offset-party-131041-FY2010.xlsx"')
    sheets = load_workbook(io.BytesIO(workbook.content), read_only=True)
    rows = list(sheets["協定 Agreements"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[2]) for r in rows] == [(world.deal.id, "ward facilities"),
                                            (second, "ward schools")]
    for row, agreement in zip(rows, (world.deal.id, second), strict=True):
        carbon = each[agreement]["carbon"]
        assert [Decimal(str(v)).quantize(Decimal("0.001")) for v in row[3:7]] == [
            Decimal(carbon[k]) for k in ("emissions", "certified", "retired", "net")]
        assert row[10] == int(each[agreement]["money"]["net_cost"]["urban"])
        assert (row[11], row[12]) == (each[agreement]["chain"]["entry_count"],
                                      each[agreement]["chain"]["head_hash"])
    emitted = sum(Decimal(s["carbon"]["emissions"]) for s in each.values())
    (position,) = sheets["相殺 Position"].iter_rows(min_row=5, max_row=5, values_only=True)
    assert Decimal(str(position[0])).quantize(Decimal("0.001")) == emitted

    text = "".join(page.extract_text() for page in PdfReader(
        io.BytesIO(document.content)).pages).replace("\n", " ")
    for words in ("都市側の相殺状況報告書", "Urban party's offset position", "ward schools",
                  f"{emitted:,}"):
        assert words in text
    for summary in each.values():
        assert f"{Decimal(summary['carbon']['emissions']):,}" in text


def test_the_party_report_has_the_summary_readers(client: TestClient, world: World):
    url = f"/v1/parties/{world.deal.urban_party_id}/fiscal-years/2010/report.pdf"
    statuses = {caller: client.get(url, headers=world.auth(caller)).status_code
                for caller in ("urban", "council", "admin", "other-urban", "auditor")}
    assert statuses == {"urban": 200, "council": 200, "admin": 200, "other-urban": 403,
                        "auditor": 403}
