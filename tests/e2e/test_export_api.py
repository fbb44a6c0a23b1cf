"""GET /v1/agreements/{id}/export.csv, .xlsx and .beancount over HTTP: who may, and what comes."""

from __future__ import annotations

import io

import pytest
from beancount import loader
from openpyxl import load_workbook

from tests.e2e.conftest import TestClient, World

CALLERS = ("admin", "council", "urban", "forestry", "auditor",
           "other-urban", "other-forestry", "other-auditor", "anonymous", "bad-token")
# Every role of the agreement may export it; others cannot tell it exists.
STATUSES = (200, 200, 200, 200, 200, 404, 404, 404, 401, 401)
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "beancount": "text/plain; charset=utf-8",
}
CELLS = [pytest.param(suffix, caller, status, id=f"export.{suffix} as {caller}")
         for suffix in FORMATS for caller, status in zip(CALLERS, STATUSES, strict=True)]


@pytest.mark.parametrize(("suffix", "caller", "status"), CELLS)
def test_every_role_of_the_agreement_may_export_it(client: TestClient, world: World,
                                                   suffix: str, caller: str, status: int):
    response = client.get(f"/v1/agreements/{world.deal.id}/export.{suffix}",
                          headers=world.auth(caller))

    assert response.status_code == status, response.text
    if status == 200:
        assert response.headers["content-type"] == FORMATS[suffix]
        assert response.headers["content-disposition"] == (
            f'attachment; filename="offset-agreement-{world.deal.id}-journal.{suffix}"')
    else:
        assert response.headers["content-type"] == "application/problem+json"


def test_a_missing_agreement_is_a_404_for_admin_too(client: TestClient, world: World):
    response = client.get("/v1/agreements/999999/export.csv", headers=world.auth("admin"))
    assert response.status_code == 404


def test_csv_holds_the_posted_entry(client: TestClient, world: World):
    body = client.get(f"/v1/agreements/{world.deal.id}/export.csv",
                      headers=world.auth("auditor")).content

    lines = body.decode("utf-8-sig").splitlines()
    assert body.startswith(b"\xef\xbb\xbf")
    assert lines[0].startswith("entry_id,seq,fiscal_year,fiscal_year_ja,kind,")
    assert [line.split(",")[0] for line in lines[1:]] == [str(world.entry_id)] * 2
    assert ",Expenses:Thinning,JPY,1200," in lines[1]


def test_xlsx_opens_with_the_journal_balances_and_about(client: TestClient, world: World):
    body = client.get(f"/v1/agreements/{world.deal.id}/export.xlsx",
                      headers=world.auth("forestry")).content

    book = load_workbook(io.BytesIO(body), read_only=True)
    assert book.sheetnames == ["Journal", "Balances", "About"]
    balances = list(book["Balances"].iter_rows(values_only=True))[1:]
    assert balances == [("Expenses:Thinning", "JPY", 1200),
                        ("Liabilities:Payable:Contractor", "JPY", -1200)]


def test_beancount_loads_without_errors(client: TestClient, world: World):
    text = client.get(f"/v1/agreements/{world.deal.id}/export.beancount",
                      headers=world.auth("urban")).text

    entries, errors, options = loader.load_string(text)
    assert errors == []
    assert [e.meta["entry_id"] for e in entries if hasattr(e, "narration")] == [
        str(world.entry_id)]
    assert f"offset agreement {world.deal.id}" in options["title"]
