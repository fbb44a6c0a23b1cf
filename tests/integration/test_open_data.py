"""Open data on the demo, on both databases: one row per issued annual report, with the
figures that report was made at, checked against the journal by plain SQL and against the
published FY2013 figures."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import text

from offset.api.app import create_app
from offset.db.uow import unit_of_work_factory
from offset.ledger.model import EntryKind
from tests.databases import fresh_database
from tests.e2e.conftest import TestClient
from tests.integration.test_demo import Demo

SUM = """
SELECT COALESCE(SUM(p.amount), 0) FROM postings p
JOIN entries e ON e.id = p.entry_id JOIN accounts a ON a.id = p.account_id
WHERE e.agreement_id = :deal AND e.fiscal_year = :fy AND e.seq <= :seq
  AND p.commodity = :commodity AND a.name LIKE :account
"""
ESTIMATED = SUM + """
  AND e.kind IN (:estimate, :adjustment)
  AND NOT EXISTS (SELECT 1 FROM entries r WHERE r.reverses_id = e.id AND r.seq <= :seq)
"""


@pytest.fixture(scope="module")
def demo(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    with fresh_database(backend, tmp_path_factory.mktemp(f"open-{backend}")) as url:
        built = Demo(url)
        yield built
        built.engine.dispose()


@pytest.fixture(scope="module")
def rows(demo: Demo) -> list[dict[str, object]]:
    client = TestClient(create_app(unit_of_work_factory(demo.engine)))
    response = client.get("/v1/open-data/fiscal-years")
    assert response.status_code == 200
    found: list[dict[str, object]] = response.json()["rows"]
    return found


def sql_sum(demo: Demo, row: dict[str, object], account: str, commodity: str,
            query: str = SUM) -> Decimal:
    with demo.engine.connect() as connection:
        found = connection.execute(text(query), {
            "deal": row["agreement_id"], "fy": row["fiscal_year"], "seq": row["chain_seq"],
            "commodity": commodity, "account": account,
            "estimate": EntryKind.ESTIMATE.value,
            "adjustment": EntryKind.ESTIMATE_ADJUSTMENT.value}).scalar_one()
    # The column holds whole kilograms (offset.db.types.Fixed): tonnes have 3 places.
    return (Decimal(found) / 1000).quantize(Decimal("0.001"))


def test_every_issued_annual_report_is_one_row_and_nothing_else(demo: Demo,
                                                                rows: list[dict[str, object]]):
    with demo.engine.connect() as connection:
        issued = connection.execute(text(
            "SELECT agreement_id, fiscal_year, number FROM issued_reports i "
            "WHERE kind = 'annual' AND NOT EXISTS (SELECT 1 FROM issued_reports l "
            "WHERE l.agreement_id = i.agreement_id AND l.replaces = i.number)")).all()
    assert sorted((r["agreement_id"], r["fiscal_year"], r["report_number"]) for r in rows) \
        == sorted(tuple(r) for r in issued)
    assert issued, "the demo issues the reports of its closed years"


def test_the_carbon_figures_are_the_journal_at_the_reports_head(demo: Demo,
                                                                rows: list[dict[str, object]]):
    for row in rows:
        assert Decimal(str(row["certified_t"])) == -sql_sum(
            demo, row, "Income:Carbon:Certified%", "tCO2e")
        assert Decimal(str(row["retired_t"])) == sql_sum(
            demo, row, "Expenses:Carbon:Retired%", "tCO2e")
        assert Decimal(str(row["emissions_t"])) == sql_sum(
            demo, row, "Expenses:Emissions%", "tCO2e")
        assert Decimal(str(row["estimated_t"])) == sql_sum(
            demo, row, "Assets:Carbon:Estimated", "tCO2e-est", ESTIMATED)
        assert Decimal(str(row["emissions_offset_t"])) == min(
            Decimal(str(row["retired_t"])), Decimal(str(row["emissions_t"])))


def test_the_head_is_the_chain_entry_at_that_sequence(demo: Demo,
                                                      rows: list[dict[str, object]]):
    with demo.engine.connect() as connection:
        for row in rows:
            stored = connection.execute(text(
                "SELECT hash FROM entries WHERE agreement_id = :a AND seq = :s"),
                {"a": row["agreement_id"], "s": row["chain_seq"]}).scalar_one()
            assert row["chain_head"] == stored


def test_fy2013_publishes_the_certified_456_3_t_and_the_ward_facilities_24476_t(
        rows: list[dict[str, object]]):
    [fy2013] = [r for r in rows if r["fiscal_year"] == 2013]
    assert (fy2013["certified_t"], fy2013["emissions_t"]) == ("456.300", "24476.000")
    assert (fy2013["urban_ja"], fy2013["forest_ja"]) == ("新宿区", "伊那市")


def test_the_area_is_the_work_of_the_year(demo: Demo, rows: list[dict[str, object]]):
    for row in rows:
        fy = int(str(row["fiscal_year"]))
        assert Decimal(str(row["area_thinned_ha"])) == demo.thinned(
            range(fy, fy + 1), int(str(row["agreement_id"])))


def test_no_row_names_a_person(rows: list[dict[str, object]], tmp_path: Path):
    assert all(set(row) == set(rows[0]) for row in rows)
    assert not {"recorded_by", "issued_by", "user", "token", "contractor"} & set(rows[0])
