"""The council's overview on the demo, on both databases: the partnership's figures of a year
are the journal's and the work log's, summed here by plain SQL; FY2013 certifies the
published 456.3 t-CO2; the standing is read for the day asked, from the demo's three
illustrative certifications, one per term.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]
from pypdf import PdfReader
from sqlalchemy import text
from typer.testing import CliRunner

from offset.cli.main import app
from offset.council import services as council
from offset.council.model import Standing
from offset.db.uow import unit_of_work_factory
from tests.databases import fresh_database
from tests.integration.test_demo import Demo

JOURNAL = """
SELECT COALESCE(SUM(p.amount), 0) FROM postings p
JOIN entries e ON e.id = p.entry_id JOIN accounts a ON a.id = p.account_id
WHERE e.agreement_id = :deal AND e.fiscal_year = :fy AND p.commodity = :commodity
  AND a.name LIKE :account
"""
AREA = "SELECT COALESCE(SUM(area_ha), 0) FROM thinnings WHERE agreement_id = :deal AND " \
       "fiscal_year = :fy"


@pytest.fixture(scope="module")
def demo(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    with fresh_database(backend, tmp_path_factory.mktemp(f"council-{backend}")) as url:
        built = Demo(url)
        yield built
        built.engine.dispose()


def sql(demo: Demo, query: str, fy: int, **values: str) -> Decimal:
    with demo.engine.connect() as connection:
        return Decimal(connection.execute(text(query), {
            "deal": demo.agreement_id, "fy": fy, **values}).scalar_one())


# Amounts are stored as integers in thousandths (kilograms of CO2, thousandths of a yen);
# areas in 1/10,000 ha.
def tonnes(demo: Demo, fy: int, account: str) -> Decimal:
    return sql(demo, JOURNAL, fy, commodity="tCO2e", account=account) / 1000


def yen(demo: Demo, fy: int, account: str) -> Decimal:
    return sql(demo, JOURNAL, fy, commodity="JPY", account=account) / 1000


@pytest.mark.parametrize("fy", [2009, 2013, 2020])
def test_a_partnerships_figures_are_the_journal_and_the_work_of_the_year(demo: Demo, fy: int):
    with demo.read() as uow:
        found = council.overview(uow, fy, date(2026, 12, 3))

    (line,) = [p for p in found.partnerships if p.agreement.id == demo.agreement_id]
    assert (line.urban.code, line.forest.code) == ("131041", "202096")
    assert line.area_thinned_ha == sql(demo, AREA, fy) / 10_000
    assert line.target_ha == Decimal(30)
    assert line.certified_t == -tonnes(demo, fy, "Income:Carbon:Certified%")
    assert line.retired_t == tonnes(demo, fy, "Expenses:Carbon:Retired%")
    assert line.gross_cost == yen(demo, fy, "Expenses:Cost:%")
    assert line.net_cost == -yen(demo, fy, "Equity:Funding:%")
    assert line.grants == 0  # the demo's council grants nothing
    # The demo's illustrative second agreement (Shinjuku–Numata, Gunma) runs FY2017–FY2021.
    numata = [p for p in found.partnerships if p.agreement.id != demo.agreement_id]
    assert [p.forest.code for p in numata] == (["102067"] if 2017 <= fy <= 2021 else [])
    assert found.totals.partnerships == 1 + len(numata)
    assert found.totals.certified_t == line.certified_t + sum(p.certified_t for p in numata)
    assert [(p.code, p.totals.area_thinned_ha) for p in found.prefectures] == sorted(
        [("20", line.area_thinned_ha)]  # 20: Nagano, where Ina's forest is
        + [("10", p.area_thinned_ha) for p in numata])  # 10: Gunma


def test_fy2013_certifies_the_published_figure(demo: Demo):
    with demo.read() as uow:
        (line,) = council.overview(uow, 2013, date(2026, 12, 3)).partnerships
    assert line.certified_t == Decimal("456.3")


@pytest.mark.parametrize(("day", "standing", "number"), [
    (date(2008, 6, 1), Standing.PENDING, "協議会認定第1号"),
    (date(2013, 12, 1), Standing.CERTIFIED, "協議会認定第1号"),
    (date(2014, 4, 1), Standing.CERTIFIED, "協議会認定第14号"),
    (date(2023, 3, 31), Standing.CERTIFIED, "協議会認定第31号"),
    (date(2026, 12, 3), Standing.EXPIRED, "協議会認定第31号"),
])
def test_the_standing_is_that_of_the_day_asked(demo: Demo, day: date, standing: Standing,
                                               number: str):
    with demo.read() as uow:
        (line,) = council.overview(uow, 2013, day).partnerships
    assert line.standing is standing
    assert line.certification is not None and line.certification.number == number
    assert line.certified_in_year  # FY2013 lies within 協議会認定第1号, whatever the day


def test_a_year_no_term_covers_lists_no_partnership(demo: Demo):
    with demo.read() as uow:
        found = council.overview(uow, 2030, date(2026, 12, 3))
    assert (found.partnerships, found.prefectures, found.totals.partnerships) == ((), (), 0)


def test_the_cli_prints_the_same_overview(demo: Demo):
    result = CliRunner().invoke(app, ["--database-url", demo.engine.url.render_as_string(
        hide_password=False), "council", "overview", "--fy", "2013", "--on", "2013-12-01"])

    assert result.exit_code == 0, result.output
    assert "新宿区 – 伊那市" in result.output
    assert "456.300" in result.output
    assert "認定中 certified 協議会認定第1号, until 2014-03-31" in result.output
    assert "長野県 Nagano" in result.output


def test_the_demo_is_the_council_years_default(demo: Demo):
    with unit_of_work_factory(demo.engine)(read_only=True) as uow:
        years = council.fiscal_years(uow)
    assert years == list(range(2009, 2023))
    assert council.year_to_show(years, date(2026, 12, 3)) == 2022
    assert council.year_to_show(years, date(2012, 1, 5)) == 2011  # FY2011 runs to March 2012
    assert council.year_to_show(years, date(2000, 1, 1)) == 2009


def test_the_cli_writes_the_national_report_as_pdf_and_xlsx(demo: Demo, tmp_path: Path):
    url = demo.engine.url.render_as_string(hide_password=False)
    pdf, xlsx = tmp_path / "national.pdf", tmp_path / "national.xlsx"
    runner = CliRunner()

    wrote_pdf = runner.invoke(app, ["--database-url", url, "council", "report", "--fy",
                                    "2013", "-o", str(pdf), "--on", "2014-03-31"])
    wrote_xlsx = runner.invoke(app, ["--database-url", url, "council", "report", "--fy",
                                     "2013", "-o", str(xlsx), "--format", "xlsx"])
    unwritable = runner.invoke(app, ["--database-url", url, "council", "report", "--fy",
                                     "2013", "-o", str(tmp_path / "no" / "such.pdf")])

    assert wrote_pdf.exit_code == 0, wrote_pdf.output
    assert "1 partnerships of FY2013, standings as of 2014-03-31" in wrote_pdf.output
    text = "".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert "456.300" in text and "協議会認定第1号" in text
    assert wrote_xlsx.exit_code == 0, wrote_xlsx.output
    book = load_workbook(xlsx, read_only=True)
    (line,) = list(book["協定 Partnerships"].iter_rows(min_row=2, values_only=True))
    assert line[5] == 456.3  # certified t-CO2, a number
    assert unwritable.exit_code == 2
    assert unwritable.stderr.startswith("error: output: cannot write")


def test_the_cli_prints_the_partys_position_with_the_published_fy2013_emissions(demo: Demo):
    url = demo.engine.url.render_as_string(hide_password=False)
    with demo.read() as uow:
        shinjuku = uow.agreements.party_by_code("131041").id

    shown = CliRunner().invoke(app, ["--database-url", url, "parties", "summary",
                                     str(shinjuku), "--fy", "2013"])

    assert shown.exit_code == 0, shown.output
    # The ward facilities emitted 24,476 t-CO2 in FY2013 (published); 456.3 t certified.
    assert "24,476.000" in shown.output and "456.300" in shown.output
    assert "offset ratio (相殺率) O/E: 1.86 %" in shown.output  # 456.3 / 24,476 = 1.864 %


def test_the_cli_writes_the_partys_report_with_the_published_fy2013_figures(demo: Demo,
                                                                            tmp_path: Path):
    url = demo.engine.url.render_as_string(hide_password=False)
    with demo.read() as uow:
        shinjuku = uow.agreements.party_by_code("131041").id
    pdf, xlsx = tmp_path / "party.pdf", tmp_path / "party.xlsx"
    runner = CliRunner()

    wrote_pdf = runner.invoke(app, ["--database-url", url, "parties", "report", str(shinjuku),
                                    "--fy", "2013", "-o", str(pdf)])
    wrote_xlsx = runner.invoke(app, ["--database-url", url, "parties", "report", str(shinjuku),
                                     "--fy", "2013", "-o", str(xlsx), "--format", "xlsx"])
    missing = runner.invoke(app, ["--database-url", url, "parties", "report", "9999",
                                  "--fy", "2013", "-o", str(pdf)])

    assert wrote_pdf.exit_code == 0, wrote_pdf.output
    text = "".join(p.extract_text() for p in PdfReader(pdf).pages)
    # The ward facilities emitted 24,476 t-CO2 in FY2013 (published); 456.3 t retired:
    # 456.3 / 24,476 = 1.864 %.
    assert "24,476.000" in text and "456.300" in text and "1.86 %" in text
    assert wrote_xlsx.exit_code == 0, wrote_xlsx.output
    book = load_workbook(xlsx, read_only=True)
    (position,) = book["相殺 Position"].iter_rows(min_row=5, max_row=5, values_only=True)
    assert position[:3] == (24476.0, 456.3, 24476.0 - 456.3)
    assert missing.exit_code == 2 and missing.stderr.startswith("error:")
