"""Every read of an agreement over HTTP takes `as_of`, a sequence number or an aware ISO 8601
time, answers as the ledger stood then, and says the sequence and head it was made at.

The world's deal holds one FY2009 cost of 1,200 yen (seq 1); the fixture adds the FY2010
emissions of 100,000 kWh (seq 2), then of 50,000 kWh more (seq 3).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import timedelta, timezone
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from offset.api.problems import PROBLEM_BASE, PROBLEM_JSON
from offset.db.uow import UnitOfWorkFactory
from offset.emissions import services as emissions
from offset.ledger.model import JournalEntry
from tests.builders import emission
from tests.e2e.conftest import TestClient, World

JST = timezone(timedelta(hours=9))


@dataclass(frozen=True)
class Grown:
    world: World
    second: JournalEntry  # seq 2: FY2010 electricity, 100,000 kWh
    third: JournalEntry  # seq 3: 50,000 kWh more

    @property
    def base(self) -> str:
        return f"/v1/agreements/{self.world.deal.id}"


@pytest.fixture
def grown(uow: UnitOfWorkFactory, world: World) -> Grown:
    posted = []
    for kwh in ("100000 kWh", "50000 kWh"):
        with uow() as work:
            deal = work.agreements.agreement(world.deal.id)
            posted.append(emissions.record_emission(work, deal, emission(kwh), "urban"))
            work.commit()
    second, third = posted
    assert (second.seq, third.seq) == (2, 3) and third.recorded_at > second.recorded_at
    return Grown(world, second, third)


def emitted(*stored: JournalEntry) -> str:
    """Return the tonnes the entries posted to emissions accounts, as the API writes them."""
    return str(sum((p.amount for e in stored for p in e.entry.postings
                    if p.account.startswith("Expenses:Emissions:")), Decimal("0.000")))


def _points(grown: Grown) -> list[str]:
    """Return seq 2 as the API takes it: its number, and the time entry 2 was recorded, in
    UTC and in Japan."""
    moment = grown.second.recorded_at
    return ["2", moment.isoformat(), moment.astimezone(JST).isoformat()]


def get(client: TestClient, grown: Grown, path: str, **params: str | int):
    return client.get(grown.base + path, params=params, headers=grown.world.auth("auditor"))


@pytest.mark.parametrize("point", range(3))
def test_the_fiscal_year_summary_as_of_seq_2_counts_the_first_emission_only(
        client: TestClient, grown: Grown, point: int):
    response = get(client, grown, "/fiscal-years/2010/summary", as_of=_points(grown)[point])

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["carbon"]["emissions"] == emitted(grown.second)
    assert body["as_of"] == {"seq": 2, "head": grown.second.hash}
    assert body["chain"] == {"entry_count": 2, "head_hash": grown.second.hash}


def test_without_as_of_a_summary_is_read_at_todays_head(client: TestClient, grown: Grown):
    body = get(client, grown, "/fiscal-years/2010/summary").json()
    assert body["carbon"]["emissions"] == emitted(grown.second, grown.third)
    assert body["as_of"] == {"seq": 3, "head": grown.third.hash}


@pytest.mark.parametrize("point", range(3))
def test_the_term_summary_takes_as_of_too(client: TestClient, grown: Grown, point: int):
    body = get(client, grown, "/terms/1/summary", as_of=_points(grown)[point]).json()
    assert (body["carbon"]["emissions"], body["as_of"]) == (
        emitted(grown.second), {"seq": 2, "head": grown.second.hash})


def test_as_of_seq_0_is_the_empty_ledger_at_genesis(client: TestClient, grown: Grown):
    body = get(client, grown, "/terms/1/summary", as_of=0).json()
    assert body["carbon"]["emissions"] == "0.000"
    assert body["as_of"] == {"seq": 0, "head": "0" * 64}


@pytest.mark.parametrize("point", range(3))
def test_the_trial_balance_as_of_seq_2_moves_by_the_first_emission(
        client: TestClient, grown: Grown, point: int):
    response = get(client, grown, "/balances", fiscal_year=2010, as_of=_points(grown)[point])

    assert response.status_code == 200, response.text
    body = response.json()
    line = next(a for a in body["accounts"] if a["account"] == "Expenses:Emissions:Electricity")
    assert (line["debit"], line["closing"]) == (emitted(grown.second), emitted(grown.second))
    assert body["as_of"] == {"seq": 2, "head": grown.second.hash}


@pytest.mark.parametrize("point", range(3))
def test_the_journal_as_of_seq_2_lists_two_entries(client: TestClient, grown: Grown,
                                                   point: int):
    body = get(client, grown, "/journal", as_of=_points(grown)[point]).json()
    assert [item["seq"] for item in body["items"]] == [1, 2]
    assert body["next_after_seq"] is None
    assert body["as_of"] == {"seq": 2, "head": grown.second.hash}


@pytest.mark.parametrize("point", range(3))
def test_the_exports_as_of_seq_2_hold_two_entries(client: TestClient, grown: Grown,
                                                  point: int):
    as_of = _points(grown)[point]
    rows = list(csv.DictReader(io.StringIO(
        get(client, grown, "/export.csv", as_of=as_of).content.decode("utf-8-sig"))))
    assert sorted({int(row["seq"]) for row in rows}) == [1, 2]

    ledger_text = get(client, grown, "/export.beancount", as_of=as_of).text
    assert f"; chain head {grown.second.hash} after 2 entries" in ledger_text

    book = load_workbook(io.BytesIO(get(client, grown, "/export.xlsx", as_of=as_of).content))
    about = {row[0]: row[1] for row in book["About"].iter_rows(values_only=True)}
    assert about["chain head hash"] == grown.second.hash


@pytest.mark.parametrize("path", ["/reports/annual/2010.pdf", "/reports/term/1.pdf"])
def test_a_report_as_of_seq_2_prints_that_head_and_how_to_check_it(client: TestClient,
                                                                   grown: Grown, path: str):
    response = get(client, grown, path, as_of=_points(grown)[1])

    assert response.status_code == 200, response.text
    found = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    flat = found.replace("\n", "")
    assert grown.second.hash in flat and grown.third.hash not in flat
    assert f"offset verify --agreement {grown.world.deal.id} --at 2" in flat


READS = ["/fiscal-years/2010/summary", "/terms/1/summary", "/balances", "/journal",
         "/export.csv", "/export.xlsx", "/export.beancount", "/reports/annual/2010.pdf",
         "/reports/term/1.pdf"]


@pytest.mark.parametrize("path", READS)
def test_as_of_past_the_head_is_a_422_naming_as_of(client: TestClient, grown: Grown,
                                                    path: str):
    response = get(client, grown, path, as_of=4)

    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM_JSON
    body = response.json()
    assert body["type"] == PROBLEM_BASE + "as-of-beyond-head"
    assert (body["as_of"], body["head_seq"]) == ("4", 3)
    assert body["errors"] == [{"field": "query.as_of",
                               "reason": "'4': the chain's head is at seq 3; no later point "
                                         "exists"}]


@pytest.mark.parametrize("as_of", ["2014-03-31T23:59:59", "2014-03-31", "last week", "-1"])
@pytest.mark.parametrize("path", ["/fiscal-years/2010/summary", "/balances", "/export.csv"])
def test_an_as_of_that_names_no_point_is_a_422_naming_as_of(client: TestClient, grown: Grown,
                                                            path: str, as_of: str):
    response = get(client, grown, path, as_of=as_of)

    assert response.status_code == 422, response.text
    body = response.json()
    assert body["type"] == PROBLEM_BASE + "invalid-as-of"
    assert [e["field"] for e in body["errors"]] == ["query.as_of"]
    assert body["as_of"] == as_of


def test_as_of_past_the_head_of_an_agreement_the_caller_cannot_see_is_a_404(
        client: TestClient, grown: Grown):
    response = client.get(grown.base + "/balances", params={"as_of": 4},
                          headers=grown.world.auth("other-auditor"))
    assert response.status_code == 404
