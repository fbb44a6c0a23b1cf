"""The journal over HTTP: keyset pages in chain order, exact amounts, reversals, verification
(of every chain the caller may see, of one agreement's, and its head at a sequence number)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Connection, text

from offset.db.uow import UnitOfWorkFactory
from offset.ledger import services as ledger
from tests.builders import cost_entry
from tests.e2e.conftest import TestClient, World

GENESIS = "0" * 64


@pytest.fixture
def five_entries(uow: UnitOfWorkFactory, world: World) -> World:
    """The world's deal with four more entries: FY 2009, 2010, 2009, 2010 after the first."""
    with uow() as work:
        ledger.post(work, [cost_entry(world.deal.id, yen, fy, tonnes="1.5")
                           for yen, fy in ((10, 2009), (20, 2010), (30, 2009), (40, 2010))])
        work.commit()
    return world


def read_all(client: TestClient, world: World, caller: str, limit: int,
             **filters: int) -> tuple[list[list[int]], list[int | None]]:
    """Return the seqs of every page and each page's next_after_seq, following the cursor."""
    pages, cursors, after = [], [], 0
    while after is not None:
        page = client.get(f"/v1/agreements/{world.deal.id}/journal", headers=world.auth(caller),
                          params={"limit": limit, "after_seq": after, **filters}).json()
        pages.append([item["seq"] for item in page["items"]])
        cursors.append(after := page["next_after_seq"])
    return pages, cursors


def test_the_journal_comes_in_pages_in_chain_order(client: TestClient, five_entries: World):
    pages, cursors = read_all(client, five_entries, "auditor", limit=2)

    assert pages == [[1, 2], [3, 4], [5]]
    assert cursors == [2, 4, None]


def test_a_fiscal_year_filter_pages_through_that_year_only(client: TestClient,
                                                           five_entries: World):
    pages, cursors = read_all(client, five_entries, "forestry", limit=1, fiscal_year=2010)

    assert pages == [[3], [5]]
    assert cursors == [3, None]


def test_an_entry_reads_back_with_amounts_in_its_commodities_places(client: TestClient,
                                                                   five_entries: World):
    items = client.get(f"/v1/agreements/{five_entries.deal.id}/journal?limit=2",
                       headers=five_entries.auth("urban")).json()["items"]

    first, second = items
    assert [(p["account"], p["commodity"], p["amount"]) for p in second["postings"]] == [
        ("Expenses:Thinning", "JPY", "10"),
        ("Liabilities:Payable:Contractor", "JPY", "-10"),
        ("Assets:Credits:Estimated", "tCO2e-est", "1.500"),
        ("Income:Absorption:Estimated", "tCO2e-est", "-1.500"),
    ]
    assert {k: second[k] for k in ("agreement_id", "fiscal_year", "fiscal_year_label", "kind",
                                   "effective_date", "recorded_by", "reverses_entry_id",
                                   "reason", "reversed_by_entry_id")} == {
        "agreement_id": five_entries.deal.id, "fiscal_year": 2009,
        "fiscal_year_label": "平成21年度", "kind": "cost", "effective_date": "2009-06-01",
        "recorded_by": "system", "reverses_entry_id": None, "reason": None,
        "reversed_by_entry_id": None,
    }
    assert (first["prev_hash"], second["prev_hash"]) == (GENESIS, first["hash"])


@pytest.mark.parametrize(("query", "field"), [
    ("limit=0", "query.limit"), ("limit=501", "query.limit"),
    ("after_seq=-1", "query.after_seq"), ("fiscal_year=1800", "query.fiscal_year"),
    ("fiscal_year=last", "query.fiscal_year"),
])
def test_bad_page_parameters_are_refused_naming_them(client: TestClient, world: World,
                                                     query: str, field: str):
    response = client.get(f"/v1/agreements/{world.deal.id}/journal?{query}",
                          headers=world.auth("admin"))

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [field]


def reverse(client: TestClient, world: World, entry_id: int, caller: str = "urban",
            reason: str = "the contractor billed twice"):
    return client.post(f"/v1/entries/{entry_id}/reversal", headers=world.auth(caller),
                       json={"reason": reason})


def journal(client: TestClient, world: World) -> list[dict]:
    return client.get(f"/v1/agreements/{world.deal.id}/journal",
                      headers=world.auth("admin")).json()["items"]


def test_a_reversal_negates_the_entry_and_links_both_ways(client: TestClient, world: World):
    response = reverse(client, world, world.entry_id)

    assert response.status_code == 201
    reversal = response.json()
    assert {k: reversal[k] for k in ("seq", "kind", "reverses_entry_id", "reason",
                                     "recorded_by", "fiscal_year")} == {
        "seq": 2, "kind": "reversal", "reverses_entry_id": world.entry_id,
        "reason": "the contractor billed twice", "recorded_by": "urban", "fiscal_year": 2009}
    assert [p["amount"] for p in reversal["postings"]] == ["-1200", "1200"]
    original, stored_reversal = journal(client, world)
    assert original["reversed_by_entry_id"] == reversal["id"]
    assert stored_reversal == reversal


def test_an_entry_is_reversed_once_and_a_reversal_never(client: TestClient, world: World):
    reversal_id = reverse(client, world, world.entry_id).json()["id"]

    again = reverse(client, world, world.entry_id, caller="forestry")
    undo = reverse(client, world, reversal_id, caller="admin")

    assert (again.status_code, again.json()["type"]) == (
        409, "https://offset.example/problems/already-reversed")
    assert again.json()["detail"] == (
        f"entry {world.entry_id} was already reversed by entry {reversal_id}")
    assert (undo.status_code, undo.json()["type"]) == (
        409, "https://offset.example/problems/not-reversible")
    assert [e["seq"] for e in journal(client, world)] == [1, 2]


def test_an_entry_of_a_hidden_agreement_looks_exactly_like_a_missing_one(client: TestClient,
                                                                         world: World):
    hidden = reverse(client, world, world.entry_id, caller="other-urban")
    missing = reverse(client, world, world.entry_id + 1000, caller="other-urban")

    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == {**missing.json(),
                             "detail": f"entry {world.entry_id} does not exist"}


def test_a_reversal_needs_a_reason(client: TestClient, world: World):
    response = reverse(client, world, world.entry_id, reason="   ")

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["body.reason"]
    assert len(journal(client, world)) == 1


@pytest.mark.parametrize(("caller", "chains"), [
    ("admin", {"deal": 2, "other": 0}),
    ("urban", {"deal": 2}),
    ("auditor", {"deal": 2}),
    ("other-forestry", {"other": 0}),
])
def test_verify_covers_the_chains_the_caller_may_see(client: TestClient, world: World,
                                                     caller: str, chains: dict[str, int]):
    reversal = reverse(client, world, world.entry_id).json()
    ids = {"deal": world.deal.id, "other": world.other.id}
    heads = {"deal": reversal["hash"], "other": GENESIS}

    result = client.get("/v1/ledger/verify", headers=world.auth(caller)).json()

    assert result == {
        "ok": True, "entry_count": sum(chains.values()), "breaks": [],
        "chains": [{"agreement_id": ids[name], "entry_count": count, "head_hash": heads[name]}
                   for name, count in chains.items()],
        "at": None,
    }


def test_verify_names_a_chain_whose_head_was_tampered_with(client: TestClient, world: World,
                                                           connection):
    # The chain head is not an append-only table; a rewrite of it must still be detected.
    connection.exec_driver_sql("UPDATE chain_heads SET entry_count = 7")

    result = client.get("/v1/ledger/verify", headers=world.auth("urban")).json()

    assert result["ok"] is False
    assert [(b["agreement_id"], b["entry_id"], b["seq"]) for b in result["breaks"]] == [
        (world.deal.id, None, 1)]
    assert result["breaks"][0]["reason"].startswith("chain head records 7 entries")


# Verify at a point: the head a report printed, checked against today's chain.

def stored_hash(connection: Connection, world: World, seq: int) -> str:
    """Return the hash of the deal's entry `seq` as stored, read with plain SQL."""
    if seq == 0:
        return GENESIS
    return str(connection.execute(text(
        "SELECT hash FROM entries WHERE agreement_id = :deal AND seq = :seq"),
        {"deal": world.deal.id, "seq": seq}).scalar_one())


def verify(client: TestClient, world: World, caller: str = "auditor",
           **params: str | int) -> Any:
    return client.get("/v1/ledger/verify", headers=world.auth(caller), params=params)


@pytest.mark.parametrize("seq", [0, 1, 3, 5])
def test_verify_at_a_sequence_number_answers_the_hash_of_that_entry(
        client: TestClient, five_entries: World, connection: Connection, seq: int):
    response = verify(client, five_entries, agreement=five_entries.deal.id, at=seq)

    assert response.status_code == 200, response.text
    result = response.json()
    assert result["at"] == {"seq": seq, "head": stored_hash(connection, five_entries, seq)}
    # Only the agreement asked for is verified, today's chain whole.
    assert (result["ok"], result["entry_count"]) == (True, 5)
    assert result["chains"] == [{"agreement_id": five_entries.deal.id, "entry_count": 5,
                                 "head_hash": stored_hash(connection, five_entries, 5)}]


def test_verify_at_a_time_answers_the_head_the_chain_had_then(
        client: TestClient, five_entries: World, connection: Connection):
    # Entry 1 was recorded before the fixture's four others, in a transaction of its own.
    first = connection.execute(text(
        "SELECT recorded_at FROM entries WHERE agreement_id = :deal AND seq = 1"),
        {"deal": five_entries.deal.id}).scalar_one()
    moment = first if isinstance(first, datetime) else datetime.fromisoformat(str(first))
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)  # SQLite: naive UTC

    result = verify(client, five_entries, agreement=five_entries.deal.id,
                    at=moment.isoformat()).json()

    assert result["at"] == {"seq": 1, "head": stored_hash(connection, five_entries, 1)}


def test_verify_of_one_agreement_without_at_checks_only_its_chain(client: TestClient,
                                                                  world: World):
    result = verify(client, world, "admin", agreement=world.other.id).json()

    assert result == {"ok": True, "entry_count": 0, "breaks": [], "at": None,
                      "chains": [{"agreement_id": world.other.id, "entry_count": 0,
                                  "head_hash": GENESIS}]}


@pytest.mark.parametrize(("params", "field"), [
    ({"at": "1"}, "query.at"),  # at names a point of one chain: which?
    ({"agreement": "DEAL", "at": "2"}, "query.at"),  # past the head, seq 1
    ({"agreement": "DEAL", "at": "-1"}, "query.at"),
    ({"agreement": "DEAL", "at": "2014-03-31T23:59:59"}, "query.at"),  # no UTC offset
    ({"agreement": "0", "at": "1"}, "query.agreement"),
    ({"agreement": "one"}, "query.agreement"),
])
def test_a_bad_agreement_or_at_is_a_422_naming_the_query_parameter(
        client: TestClient, world: World, params: dict[str, str], field: str):
    given = {k: str(world.deal.id) if v == "DEAL" else v for k, v in params.items()}

    response = verify(client, world, **given)

    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert [e["field"] for e in response.json()["errors"]] == [field]


@pytest.mark.parametrize("caller", ["other-urban", "other-forestry", "other-auditor"])
def test_an_agreement_the_caller_may_not_see_is_a_404_whatever_at_says(
        client: TestClient, world: World, caller: str):
    missing = verify(client, world, caller, agreement=world.deal.id + 1000)
    for at in (None, "1", "99"):  # 99 is past the head: visibility is checked before it
        params = {"agreement": world.deal.id} | ({} if at is None else {"at": at})
        hidden = verify(client, world, caller, **params)
        assert hidden.status_code == missing.status_code == 404, hidden.text
        assert hidden.json()["type"] == missing.json()["type"]


@pytest.mark.parametrize("caller", ["admin", "urban", "forestry", "auditor"])
def test_whoever_may_see_the_agreement_may_verify_it_at_a_point(
        client: TestClient, world: World, connection: Connection, caller: str):
    response = verify(client, world, caller, agreement=world.deal.id, at=1)

    assert response.status_code == 200, response.text
    assert response.json()["at"] == {"seq": 1, "head": stored_hash(connection, world, 1)}


def test_the_openapi_document_describes_agreement_and_at(client: TestClient):
    document = client.get("/openapi.json").json()
    operation = document["paths"]["/v1/ledger/verify"]["get"]
    parameters = {p["name"]: p for p in operation["parameters"]}

    assert {name: p["in"] for name, p in parameters.items()} == {
        "agreement": "query", "at": "query"}
    assert all(p.get("description") for p in parameters.values())
    schema = document["components"]["schemas"]["VerificationRead"]["properties"]["at"]
    assert {"$ref": "#/components/schemas/AsOfRead"} in schema["anyOf"]
    assert "report printed" in schema["description"]
