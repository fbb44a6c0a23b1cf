"""Annual and term PDF reports over HTTP: every role of the agreement may download them,
callers who cannot see the agreement get 404, and the PDF names the agreement's chain head."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from tests.e2e.conftest import TestClient, World
from tests.e2e.test_access_matrix import CALLERS

# caller:        admin cncl urb  for  aud  o-urb o-for o-aud none bad
STATUSES = (200, 200, 200, 200, 200, 404, 404, 404, 401, 401)
PATHS = ("reports/annual/2010.pdf", "reports/term/1.pdf")


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize(("caller", "status"), list(zip(CALLERS, STATUSES, strict=True)))
def test_every_role_of_the_agreement_downloads_the_report(client: TestClient, world: World,
                                                          path: str, caller: str,
                                                          status: int):
    answer = client.get(f"/v1/agreements/{world.deal.id}/{path}", headers=world.auth(caller))
    assert answer.status_code == status
    if status == 200:
        assert answer.headers["content-type"] == "application/pdf"
        assert answer.content.startswith(b"%PDF")
        kind = "annual-FY2010" if "annual" in path else "term-1"
        assert answer.headers["content-disposition"] == (
            f'attachment; filename="offset-agreement-{world.deal.id}-{kind}.pdf"')
    else:
        assert answer.headers["content-type"] == "application/problem+json"


def test_the_pdf_names_the_chain_head_of_the_agreement(client: TestClient, world: World):
    answer = client.get(f"/v1/agreements/{world.deal.id}/reports/annual/2009.pdf",
                        headers=world.auth("auditor"))
    found = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(answer.content)).pages)
    verify = client.get("/v1/ledger/verify", headers=world.auth("admin")).json()
    assert "offset verify" in found and "Annual report" in found
    assert "1,200" in found  # the world's one cost entry of FY2009
    chain = next(c for c in verify["chains"] if c["agreement_id"] == world.deal.id)
    assert chain["head_hash"] in found.replace("\n", "")
    assert f"seq {chain['entry_count']}（仕訳数 {chain['entry_count']:,} / entries）" in found


@pytest.mark.parametrize("path", ["reports/annual/2010.xlsx", "reports/term/1.xlsx"])
@pytest.mark.parametrize(("caller", "status"), list(zip(CALLERS, STATUSES, strict=True)))
def test_every_role_of_the_agreement_downloads_the_workbook(client: TestClient, world: World,
                                                            path: str, caller: str,
                                                            status: int):
    answer = client.get(f"/v1/agreements/{world.deal.id}/{path}", headers=world.auth(caller))
    assert answer.status_code == status
    if status == 200:
        assert answer.headers["content-type"] == (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        assert answer.content.startswith(b"PK")  # a zip package
        kind = "annual-FY2010" if "annual" in path else "term-1"
        assert answer.headers["content-disposition"] == (
            f'attachment; filename="offset-agreement-{world.deal.id}-{kind}.xlsx"')
    else:
        assert answer.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize("path", ["reports/annual/2030.pdf", "reports/annual/2030.xlsx",
                                  "reports/term/9.pdf", "reports/term/9.xlsx",
                                  "reports/annual/1900.pdf"])
def test_a_year_or_term_the_agreement_lacks_is_an_error(client: TestClient, world: World,
                                                        path: str):
    answer = client.get(f"/v1/agreements/{world.deal.id}/{path}", headers=world.auth("urban"))
    assert answer.status_code == (422 if "1900" in path else 404)


def test_an_unknown_agreement_is_not_found(client: TestClient, world: World):
    answer = client.get("/v1/agreements/999999/reports/term/1.pdf", headers=world.auth("admin"))
    assert answer.status_code == 404
