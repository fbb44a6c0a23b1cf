"""Issued reports over HTTP: the register, the PDF byte for byte with its SHA-256 in the
headers, and re-issues by the urban partner or admin.

The deal's FY2009 is closed and its annual report issued through the use cases (the close
does that in production) before each test; hashes are computed here with hashlib.
"""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import quote

import pytest

from offset.api import deps
from offset.db.uow import UnitOfWorkFactory
from offset.documents import services as documents
from offset.ledger import services as ledger
from offset.ledger.model import Entry, EntryKind
from tests.e2e.conftest import TestClient, World
from tests.e2e.test_access_matrix import CALLERS
from tests.e2e.urban import COST, post

BASE = "https://offset.example/problems/"
NUMBER = "2010-新伊-001"
# caller:        admin cncl urb  for  aud  o-urb o-for o-aud none bad
READ_STATUSES = (200, 200, 200, 200, 200, 404, 404, 404, 401, 401)
REISSUE_STATUSES = (201, 403, 201, 403, 403, 404, 404, 404, 401, 401)


@pytest.fixture
def issued(uow: UnitOfWorkFactory, world: World) -> bytes:
    """Close the deal's FY2009 and issue its annual report; return the PDF issued."""
    with uow() as work:
        ledger.post(work, [Entry(world.deal.id, 2009, EntryKind.PERIOD_CLOSE,
                                 date(2010, 5, 31), "FY2009 closed", (), recorded_by="test")])
        row = documents.issue_annual(work, world.deal, 2009, "closing",
                                     now=datetime(2010, 6, 1, 1, 0, tzinfo=UTC))
        pdf = documents.issued_pdf(work, world.deal, row.number)
        work.commit()
    return pdf


def pdf_url(world: World, number: str = NUMBER) -> str:
    return f"/v1/agreements/{world.deal.id}/reports/{quote(number)}.pdf"


def reissue(client: TestClient, world: World, caller: str, reason: Any = "表紙の誤記",
            number: str = NUMBER, **headers: str) -> Any:
    return client.post(f"/v1/agreements/{world.deal.id}/reports/{quote(number)}/reissue",
                       json={"reason": reason}, headers={**world.auth(caller), **headers})


@pytest.mark.parametrize(("caller", "status"), list(zip(CALLERS, READ_STATUSES, strict=True)))
def test_every_role_of_the_agreement_reads_the_register_and_downloads(
        client: TestClient, world: World, issued: bytes, caller: str, status: int):
    listed = client.get(f"/v1/agreements/{world.deal.id}/reports", headers=world.auth(caller))
    download = client.get(pdf_url(world), headers=world.auth(caller))
    assert (listed.status_code, download.status_code) == (status, status)
    if status != 200:
        assert download.headers["content-type"] == "application/problem+json"


def test_the_register_lists_the_row_with_its_chain_place_and_hash(
        client: TestClient, world: World, issued: bytes):
    rows = client.get(f"/v1/agreements/{world.deal.id}/reports",
                      headers=world.auth("auditor")).json()
    entry = client.get(f"/v1/agreements/{world.deal.id}/journal",
                       headers=world.auth("auditor")).json()["items"][-1]
    assert len(rows) == 1
    row = rows[0]
    assert {k: row[k] for k in ("number", "kind", "fiscal_year", "term_number", "made_at_seq",
                                "generated_at", "generated_at_jst", "issued_by", "replaces",
                                "replaced_by")} == {
        "number": NUMBER, "kind": "annual", "fiscal_year": 2009, "term_number": None,
        "made_at_seq": 2, "generated_at": "2010-06-01T01:00:00Z",
        "generated_at_jst": "2010-06-01 10:00:00 JST", "issued_by": "closing",
        "replaces": None, "replaced_by": None}
    assert row["sha256"] == hashlib.sha256(issued).hexdigest()
    assert (entry["id"], entry["kind"], entry["details"]["sha256"]) == (
        row["entry_id"], "report-issue", row["sha256"])
    assert row["pdf"] == pdf_url(world)


def test_the_download_is_the_issued_bytes_with_their_digest_even_after_new_entries(
        client: TestClient, world: World, issued: bytes):
    assert post(client, world, "costs", "urban", COST).status_code == 201  # FY2010: open

    answer = client.get(pdf_url(world), headers=world.auth("auditor"))

    digest = hashlib.sha256(issued).digest()
    assert answer.status_code == 200 and answer.content == issued
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.headers["etag"] == f'"{digest.hex()}"'
    assert answer.headers["repr-digest"] == f"sha-256=:{base64.b64encode(digest).decode()}:"
    assert quote(f"offset-agreement-{world.deal.id}-{NUMBER}.pdf") in answer.headers[
        "content-disposition"]


def test_an_unknown_number_is_a_404_problem(client: TestClient, world: World, issued: bytes):
    answer = client.get(pdf_url(world, "2010-新伊-009"), headers=world.auth("urban"))
    assert (answer.status_code, answer.json()["type"], answer.json()["number"]) == (
        404, BASE + "report-not-issued", "2010-新伊-009")
    assert answer.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(("caller", "status"),
                         list(zip(CALLERS, REISSUE_STATUSES, strict=True)))
def test_the_urban_partner_or_admin_reissues(client: TestClient, world: World, issued: bytes,
                                             caller: str, status: int):
    assert reissue(client, world, caller).status_code == status


def test_a_reissue_names_the_one_it_replaces_and_both_stay_downloadable(
        client: TestClient, world: World, issued: bytes):
    # A month after the first issue: the second report of 2010 (in Japan).
    client.app.dependency_overrides[deps.now] = lambda: datetime(  # type: ignore[attr-defined]
        2010, 7, 1, tzinfo=UTC)
    answer = reissue(client, world, "urban", "表紙の誤記 typo", **{"Idempotency-Key": "re-1"})
    again = reissue(client, world, "urban", "表紙の誤記 typo", **{"Idempotency-Key": "re-1"})

    assert answer.status_code == 201 and again.json() == answer.json()
    new = answer.json()
    assert (new["number"], new["replaces"], new["reason"], new["issued_by"]) == (
        "2010-新伊-002", NUMBER, "表紙の誤記 typo", "urban")
    assert (new["kind"], new["fiscal_year"], new["made_at_seq"]) == ("annual", 2009, 3)
    old_pdf = client.get(pdf_url(world), headers=world.auth("auditor")).content
    new_pdf = client.get(pdf_url(world, new["number"]), headers=world.auth("auditor")).content
    assert old_pdf == issued
    assert hashlib.sha256(new_pdf).hexdigest() == new["sha256"]
    rows = client.get(f"/v1/agreements/{world.deal.id}/reports",
                      headers=world.auth("urban")).json()
    assert [(r["number"], r["replaced_by"]) for r in rows] == [
        (NUMBER, new["number"]), (new["number"], None)]


def test_refused_reissues_are_problems(client: TestClient, world: World, issued: bytes):
    assert reissue(client, world, "urban").status_code == 201

    replaced = reissue(client, world, "urban")
    blank = reissue(client, world, "urban", "  ")
    unknown = reissue(client, world, "admin", number="2010-新伊-404")

    assert (replaced.status_code, replaced.json()["type"]) == (409, BASE + "already-replaced")
    assert replaced.json()["errors"][0]["field"] == "path.number"
    assert (blank.status_code, blank.json()["errors"][0]["field"]) == (422, "body.reason")
    assert (unknown.status_code, unknown.json()["type"]) == (404, BASE + "report-not-issued")


def test_a_number_with_control_characters_is_invalid_input(client: TestClient, world: World):
    answer = client.get(f"/v1/agreements/{world.deal.id}/reports/a%00b.pdf",
                        headers=world.auth("urban"))
    assert (answer.status_code, answer.json()["errors"][0]["field"]) == (422, "path.number")
