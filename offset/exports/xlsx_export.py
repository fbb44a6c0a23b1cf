"""The journal as an XLSX workbook: Journal (a row per posting), Balances and About sheets.

Written in openpyxl's write-only mode, so a journal of 100,000 entries never sits in memory
as cells. Amounts are numbers Excel can add up: yen as integers, tonnes with the format
0.000. Excel holds numbers as binary floating point, so the CSV and beancount exports, not
this workbook, are the exact record.
"""

from __future__ import annotations

import io
from collections import defaultdict
from datetime import date
from decimal import Decimal

# openpyxl ships no type stubs.
from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]
from openpyxl.worksheet._write_only import WriteOnlyWorksheet  # type: ignore[import-untyped]

from offset.exports.rows import ACCOUNT, AMOUNT, COLUMNS, COMMODITY, LINE, Row, journal_rows
from offset.exports.source import Source
from offset.ledger.chain import timestamp_text
from offset.ledger.model import Commodity

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = {Commodity.JPY: "#,##0", Commodity.TCO2E: "0.000", Commodity.TCO2E_EST: "0.000"}
WIDTHS = {"description": 40, "account": 34, "hash": 66, "prev_hash": 66, "recorded_at": 28,
          "effective_date": 12, "fiscal_year_ja": 12, "reason": 30}
EXACT_NOTE = ("Excel holds amounts as binary floating point; the CSV and beancount exports "
              "hold them exactly.")

Balances = dict[tuple[str, Commodity], Decimal]


def xlsx_bytes(source: Source) -> bytes:
    """Return the workbook of `source` (reads its entries once)."""
    book = Workbook(write_only=True)
    journal, balances_sheet, about = (book.create_sheet(name)
                                      for name in ("Journal", "Balances", "About"))
    balances, count = _write_journal(journal, source)
    _write_balances(balances_sheet, balances)
    _write_about(about, source, count)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _write_journal(sheet: WriteOnlyWorksheet, source: Source) -> tuple[Balances, int]:
    """Write a row per posting; return the balances and the number of entries written."""
    for index, name in enumerate(COLUMNS):
        if name in WIDTHS:
            sheet.column_dimensions[get_column_letter(index + 1)].width = WIDTHS[name]
    sheet.freeze_panes = "A2"
    sheet.append(COLUMNS)
    balances: Balances = defaultdict(Decimal)
    entry_count = 0
    for row in journal_rows(source.entries):
        commodity = Commodity(str(row[COMMODITY]))
        balances[str(row[ACCOUNT]), commodity] += _amount(row)
        entry_count += row[LINE] == 1
        sheet.append([_cell(sheet, value, commodity, index == AMOUNT)
                      for index, value in enumerate(row)])
    return balances, entry_count


def _amount(row: Row) -> Decimal:
    amount = row[AMOUNT]
    assert isinstance(amount, Decimal)
    return amount


def _cell(sheet: WriteOnlyWorksheet, value: object, commodity: Commodity,
          is_amount: bool) -> object:
    """Return what to append for one value: text always as text (never a formula)."""
    if is_amount and isinstance(value, Decimal):
        return _number(sheet, value, commodity)
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = "yyyy-mm-dd"
        return cell
    return _text(sheet, value) if isinstance(value, str) else value


def _number(sheet: WriteOnlyWorksheet, amount: Decimal, commodity: Commodity) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, int(amount) if commodity is Commodity.JPY else amount)
    cell.number_format = FORMATS[commodity]
    return cell


def _text(sheet: WriteOnlyWorksheet, text: str) -> object:
    """Return `text` to append as text: openpyxl takes a string starting with "=" for a
    formula, and a description is never one. Other strings go as they are (a cell object
    per value would make a large journal several times slower)."""
    if not text.startswith("="):
        return text
    cell = WriteOnlyCell(sheet, text)
    cell.data_type = "s"
    return cell


def _write_balances(sheet: WriteOnlyWorksheet, balances: Balances) -> None:
    sheet.column_dimensions["A"].width = 40
    sheet.append(["account", "commodity", "balance"])
    for (account, commodity), total in sorted(balances.items()):
        sheet.append([_text(sheet, account), commodity.value,
                      _number(sheet, total, commodity)])


def _write_about(sheet: WriteOnlyWorksheet, source: Source, entry_count: int) -> None:
    agreement, urban, forest = source.agreement, source.urban, source.forest
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 70
    facts = (
        ("agreement", agreement.id),
        ("title", f"{agreement.title_ja} / {agreement.title_en}"),
        ("urban party", f"{urban.name_ja} / {urban.name_en} ({urban.code})"),
        ("forest party", f"{forest.name_ja} / {forest.name_en} ({forest.code})"),
        ("signed on", agreement.signed_on.isoformat()),
        ("terms", "; ".join(term.label for term in agreement.terms)),
        ("exported at", timestamp_text(source.exported_at)),
        ("chain head hash", source.head.hash),
        ("entry count", entry_count),
        ("amounts", EXACT_NOTE),
    )
    for name, value in facts:
        sheet.append([name, _text(sheet, value) if isinstance(value, str) else value])

