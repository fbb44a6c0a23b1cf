"""The report as an XLSX workbook: the PDF's report data read back cell by cell, numbers as
numbers with the report's places, a sheet per section, served by the API and the CLI.

The expectations are the frozen report data itself (which tests/integration/test_reports.py
reconciles to the journal): the workbook must hold exactly those values, so it cannot
disagree with the PDF drawn from the same object.
"""

from __future__ import annotations

import io
import time
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]

from offset.db.uow import UnitOfWorkFactory
from reports import build_annual, build_term
from reports.data import ReportData, Table, Value
from reports.workbook import render_xlsx, sheet_name

# The demo's reports per database: frozen data, built once per worker and backend (building
# the demo is the slow part, and no test changes what it reads).
_BUILT: dict[str, tuple[ReportData, ReportData]] = {}


@pytest.fixture
def demo(uow: UnitOfWorkFactory, backend: str) -> tuple[ReportData, ReportData]:
    from offset.demo.builder import build

    if backend not in _BUILT:
        with uow() as work:
            deal = build(work).agreement
            work.commit()
        with uow(read_only=True) as work:
            _BUILT[backend] = build_annual(work, deal, 2013), build_term(work, deal, 3)
    return _BUILT[backend]


def same(read: object, value: Value) -> bool:
    """Whether a cell read back holds the report's value (Excel keeps numbers as doubles;
    every report figure has at most 15 significant digits, so its shortest text is exact)."""
    if value is None:
        return read in (None, "")
    if isinstance(value, Decimal):
        return isinstance(read, int | float) and Decimal(repr(read)) == value
    if isinstance(value, datetime):
        return read == value.replace(tzinfo=None)
    if isinstance(value, date):
        return isinstance(read, datetime) and read.date() == value
    return read == value


def table_rows(sheet: object, table: Table) -> tuple[list[tuple[object, ...]], int]:
    """Return the rows under the table's header in `sheet`, and the header's row number."""
    rows = list(sheet.iter_rows(values_only=True))  # type: ignore[attr-defined]
    header = tuple(f"{c.label.ja} / {c.label.en}" if c.label.ja != c.label.en else c.label.en
                   for c in table.columns)
    titles = [i for i, row in enumerate(rows) if row and row[0] == str(table.label)]
    for at in titles:
        if rows[at + 1][:len(header)] == header:
            return rows[at + 2:], at + 2
    raise AssertionError(f"no table {table.key} in {sheet}")


@pytest.mark.parametrize("which", [0, 1], ids=["annual-FY2013", "term-3"])
def test_every_table_of_every_section_reads_back_equal_to_the_report_data(
        demo: tuple[ReportData, ReportData], which: int):
    report = demo[which]
    book = load_workbook(io.BytesIO(render_xlsx(report)))

    assert book.sheetnames == [sheet_name("表紙 Cover")] + [
        sheet_name(f"{s.label.ja} {s.label.en}") for s in report.sections]
    for section in report.sections:
        sheet = book[sheet_name(f"{section.label.ja} {section.label.en}")]
        shown = {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row}
        for fact in section.facts:
            assert same(shown[str(fact.label)], fact.value), (section.key, fact.key)
        for table in section.tables:
            rows, _ = table_rows(sheet, table)
            expected = [*table.rows, *([table.totals] if table.totals else [])]
            for got, want in zip(rows, expected, strict=False):
                for column, read in zip(table.columns, got, strict=False):
                    assert same(read, want.values.get(column.key)), (table.key, column.key)
            assert len(rows) >= len(expected)


def test_numbers_are_numbers_with_the_places_the_report_prints(
        demo: tuple[ReportData, ReportData]):
    report = demo[0]
    book = load_workbook(io.BytesIO(render_xlsx(report)))
    section = report.section("absorption")
    table = section.table("estimates")
    sheet = book[sheet_name(f"{section.label.ja} {section.label.en}")]
    _, first = table_rows(sheet, table)
    tonnes = [c.key for c in table.columns].index("tonnes")
    cells = list(sheet.iter_rows(min_row=first + 1, max_row=first + len(table.rows)))
    assert cells and all(row[tonnes].data_type == "n" for row in cells)
    assert {row[tonnes].number_format for row in cells} == {"#,##0.000"}  # t-CO2, 3 places
    money = report.section("money")
    sheet = book[sheet_name(f"{money.label.ja} {money.label.en}")]
    yen = next(row[1] for row in sheet.iter_rows() if row[0].value == str(
        next(f.label for f in money.facts if f.key == "urban_net_cost")))
    assert yen.data_type == "n" and yen.number_format == "#,##0"  # whole yen


def test_the_cover_sheet_names_the_document_and_the_chain_head(
        demo: tuple[ReportData, ReportData]):
    report = demo[0]
    cover = load_workbook(io.BytesIO(render_xlsx(report)))[sheet_name("表紙 Cover")]
    values = {row[0]: row[1] for row in cover.iter_rows(values_only=True) if row and row[0]}
    assert values["チェーン先頭 / Chain head"] == report.chain.head_hash
    assert values["仕訳数 / Entry count"] == report.chain.entry_count
    assert values["文書番号・状態 / Document No. and state"].startswith("草案")
    for fact in report.headline:
        assert same(values[str(fact.label)], fact.value), fact.key


def test_the_same_report_gives_the_same_workbook(demo: tuple[ReportData, ReportData]):
    first = render_xlsx(demo[0])
    time.sleep(2.1)  # the zip dates its members to 2 s; a clock-dated member would differ
    assert render_xlsx(demo[0]) == first


def test_a_sheet_name_keeps_to_excels_rules():
    # 6 + 25 characters fill the 31 Excel allows; ":" and "/" may not appear at all.
    assert sheet_name("推計と認証 Estimate vs certification: a/b") == (
        "推計と認証 Estimate vs certification")
    assert sheet_name("a:b/c") == "a b c"
    assert len(sheet_name("x" * 40)) == 31
