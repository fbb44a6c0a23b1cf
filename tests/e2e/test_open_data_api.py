"""The open data over HTTP: no token, only issued years, cacheable by ETag and
Last-Modified, the same rows as CSV, and a per-address budget (429 beyond it)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime

import pytest

from offset.api.rate_limit import RateLimit
from offset.db.uow import UnitOfWorkFactory
from offset.documents import services as documents
from offset.errors import RateLimited
from offset.ledger import services as ledger
from offset.ledger.model import Entry, EntryKind
from tests.builders import cost_entry
from tests.e2e.conftest import TestClient, World
from tests.e2e.test_access_matrix import CALLERS

URL = "/v1/open-data/fiscal-years"
ISSUED_AT = datetime(2010, 6, 1, 1, 0, tzinfo=UTC)
# The columns docs/open-data.md documents, in its order.
DOCUMENTED = ["agreement_id", "agreement_ja", "agreement_en", "urban_code", "urban_ja",
              "urban_en", "forest_code", "forest_ja", "forest_en", "fiscal_year",
              "report_number", "issued_at", "area_thinned_ha", "estimated_t", "certified_t",
              "retired_t", "emissions_t", "emissions_offset_t", "chain_seq", "chain_head"]


def issue_fy2009(uow: UnitOfWorkFactory, world: World) -> str:
    with uow() as work:
        ledger.post(work, [Entry(world.deal.id, 2009, EntryKind.PERIOD_CLOSE,
                                 date(2010, 5, 31), "FY2009 closed", (), recorded_by="test")])
        number = documents.issue_annual(work, world.deal, 2009, "closing",
                                        now=ISSUED_AT).number
        work.commit()
    return number


def test_before_any_report_is_issued_there_are_no_rows(client: TestClient, world: World):
    response = client.get(URL)
    assert response.status_code == 200
    assert response.json()["rows"] == []


def test_an_issued_year_is_one_row_read_without_a_token(client: TestClient, world: World,
                                                        uow: UnitOfWorkFactory):
    number = issue_fy2009(uow, world)
    response = client.get(URL)
    assert response.status_code == 200
    [row] = response.json()["rows"]
    assert (row["agreement_id"], row["fiscal_year"], row["report_number"]) == (
        world.deal.id, 2009, number)
    with uow(read_only=True) as work:
        report = documents.issued_report(work, world.deal, number)
    assert (row["chain_seq"], row["chain_head"]) == (report.made_at_seq, report.made_at_head)
    assert response.headers["cache-control"].startswith("public")


def test_the_etag_answers_304_until_a_report_is_reissued(client: TestClient, world: World,
                                                         uow: UnitOfWorkFactory):
    number = issue_fy2009(uow, world)
    first = client.get(URL)
    tag = first.headers["etag"]
    again = client.get(URL, headers={"If-None-Match": tag})
    assert (again.status_code, again.content, again.headers["etag"]) == (304, b"", tag)
    with uow() as work:
        documents.reissue(work, world.deal, number, "表紙の誤記", "test",
                          now=datetime(2010, 7, 1, tzinfo=UTC))
        work.commit()
    changed = client.get(URL, headers={"If-None-Match": tag})
    assert changed.status_code == 200 and changed.headers["etag"] != tag
    [row] = changed.json()["rows"]
    assert row["report_number"] != number  # the re-issue's row replaces the original's


def test_last_modified_is_the_newest_issue_and_answers_if_modified_since(
        client: TestClient, world: World, uow: UnitOfWorkFactory):
    issue_fy2009(uow, world)
    response = client.get(URL)
    assert parsedate_to_datetime(response.headers["last-modified"]) == ISSUED_AT
    since = client.get(URL, headers={"If-Modified-Since": response.headers["last-modified"]})
    assert since.status_code == 304
    before = client.get(URL, headers={"If-Modified-Since": "Mon, 31 May 2010 00:00:00 GMT"})
    assert before.status_code == 200
    nonsense = client.get(URL, headers={"If-Modified-Since": "yesterday"})
    assert nonsense.status_code == 200  # an unreadable date is ignored


def test_the_csv_holds_the_documented_columns_and_the_json_rows(
        client: TestClient, world: World, uow: UnitOfWorkFactory):
    issue_fy2009(uow, world)
    rows = client.get(URL).json()["rows"]
    response = client.get(URL + ".csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["etag"] == client.get(URL).headers["etag"]
    [header, *body] = list(csv.reader(io.StringIO(response.text)))
    assert header == DOCUMENTED
    assert body == [[str(row[c]) for c in DOCUMENTED] for row in rows]


def test_a_flood_from_one_address_gets_429_with_retry_after(client: TestClient, world: World):
    budget = client.app.state.open_data_limit
    budget._per_minute = lambda: 3
    statuses = [client.get(URL).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = client.get(URL + ".csv")
    assert refused.status_code == 429
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["type"].endswith("/rate-limited")
    assert 1 <= int(refused.headers["retry-after"]) <= 60


def test_the_budget_is_per_address_and_refills_after_a_minute():
    now = [1000.0]
    budget = RateLimit(lambda: 2, clock=lambda: now[0])
    budget.take("192.0.2.1")
    budget.take("192.0.2.1")
    with pytest.raises(RateLimited) as refused:
        budget.take("192.0.2.1")
    assert refused.value.retry_after == 60
    budget.take("192.0.2.2")  # another address has its own budget
    now[0] += 30
    with pytest.raises(RateLimited) as later:
        budget.take("192.0.2.1")
    assert later.value.retry_after == 30
    now[0] += 30
    budget.take("192.0.2.1")  # the first requests have left the window


def test_every_caller_gets_the_same_aggregates_and_nothing_of_an_unissued_year(
        client: TestClient, world: World, uow: UnitOfWorkFactory):
    with uow() as work:
        ledger.post(work, [cost_entry(world.other.id, 500)])  # figures, but no issued report
        work.commit()
    issue_fy2009(uow, world)
    answers = {caller: client.get(URL, headers=world.auth(caller)).json()
               for caller in CALLERS}
    assert all(answer == answers["anonymous"] for answer in answers.values())
    # The other agreement has entries but no issued report: nothing of it shows.
    assert [(r["agreement_id"], r["fiscal_year"]) for r in answers["anonymous"]["rows"]] == [
        (world.deal.id, 2009)]
