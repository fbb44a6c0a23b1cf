"""Over HTTP, an agreement whose forestry rows were edited behind offset's back says so where
its figures are read: the summary's `integrity`, the verify endpoint, every page of a report."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from pypdf import PdfReader
from sqlalchemy import Connection, text

from offset import integrity
from tests.e2e.conftest import TestClient, World
from tests.e2e.forestry import add_stand, thinning, thinnings_url


@pytest.fixture(autouse=True)
def _uncached() -> Iterator[None]:
    integrity.forget()
    yield
    integrity.forget()


def logged(client: TestClient, world: World) -> dict[str, Any]:
    stand = add_stand(client, world)
    answer = client.post(thinnings_url(world), headers=world.auth("forestry"),
                         json=thinning(stand["id"], area="2 ha"))
    assert answer.status_code == 201, answer.text
    body: dict[str, Any] = answer.json()
    return body


def summary(client: TestClient, world: World) -> dict[str, Any]:
    found: dict[str, Any] = client.get(
        f"/v1/agreements/{world.deal.id}/fiscal-years/2010/summary",
        headers=world.auth("auditor")).json()
    return found


def test_an_intact_summary_says_ok(client: TestClient, world: World):
    logged(client, world)
    assert summary(client, world)["integrity"] == {"ok": True}


def test_a_thinning_area_edited_by_sql_shows_on_the_summary_verify_and_report(
        client: TestClient, world: World, connection: Connection):
    work = logged(client, world)
    first_id = work["estimates"][0]["entry_id"]
    seq = connection.execute(text("SELECT seq FROM entries WHERE id = :id"),
                             {"id": first_id}).scalar()
    connection.execute(text("UPDATE thinnings SET area_ha = area_ha * 10 WHERE id = :id"),
                       {"id": work["thinning"]["id"]})
    reason = (f"thinning {work['thinning']['id']} no longer matches entry {first_id}: "
              "area (ha) is 20, the entry recorded 2")
    assert summary(client, world)["integrity"] == {
        "ok": False, "first_bad_entry": first_id, "seq": seq, "reason": reason}
    term = client.get(f"/v1/agreements/{world.deal.id}/terms/1/summary",
                      headers=world.auth("urban")).json()
    assert term["integrity"]["first_bad_entry"] == first_id

    verify = client.get("/v1/ledger/verify", headers=world.auth("auditor")).json()
    assert verify["ok"] is False
    assert [(b["entry_id"], b["reason"]) for b in verify["breaks"]] == [(first_id, reason)]

    pdf = client.get(f"/v1/agreements/{world.deal.id}/reports/term/1.pdf",
                     headers=world.auth("auditor"))
    pages = [" ".join(p.extract_text().split())
             for p in PdfReader(io.BytesIO(pdf.content)).pages]
    assert len(pages) > 1
    assert all("LEDGER DOES NOT VERIFY" in page and f"entry {first_id}" in page
               for page in pages)
