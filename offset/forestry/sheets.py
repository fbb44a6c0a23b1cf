"""Rows of cells read from CSV (UTF-8 or Shift_JIS) and XLSX files, numbered as people see them."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from offset.errors import InvalidInput

Cell = str | int | Decimal | date | None
ENCODINGS = ("utf-8-sig", "cp932")  # UTF-8 with or without BOM, then what Excel saves in Japan


class FileFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


def read_rows(data: bytes, file_format: FileFormat,
              sheet: str | None = None) -> Iterator[tuple[int, tuple[Cell, ...]]]:
    """Yield (line, cells) for every row: the CSV line a row starts on, or the sheet's row.

    XLSX: the first sheet unless `sheet` names one; numbers come as Decimal, dates as date,
    a cell formatted as a percentage as text like "30%". Raises InvalidInput naming the file
    (or the sheet) when it cannot be read.
    """
    if file_format is FileFormat.CSV:
        if sheet is not None:
            raise InvalidInput("a CSV file has no sheets", field="sheet")
        return _csv_rows(_decode(data))
    return _xlsx_rows(data, sheet)


def text(cell: Cell) -> str:
    """Return a cell as trimmed text ("" for an empty cell, plain digits for a number)."""
    if cell is None:
        return ""
    if isinstance(cell, Decimal):
        return format(cell, "f")
    return str(cell).strip()


def blank(cells: Sequence[Cell]) -> bool:
    return all(text(cell) == "" for cell in cells)


def _decode(data: bytes) -> str:
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InvalidInput("the file is neither UTF-8 nor Shift_JIS (cp932) text", field="file")


def _csv_rows(content: str) -> Iterator[tuple[int, tuple[Cell, ...]]]:
    reader = csv.reader(io.StringIO(content, newline=""))
    start = 1
    try:
        for row in reader:
            yield start, tuple(row)
            start = reader.line_num + 1
    except csv.Error as error:
        raise InvalidInput(f"line {start}: {error}", field="file") from None


def _xlsx_rows(data: bytes, sheet: str | None) -> Iterator[tuple[int, tuple[Cell, ...]]]:
    from openpyxl import load_workbook  # type: ignore[import-untyped]  # ships no stubs

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise InvalidInput("the file is not an XLSX workbook", field="file") from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise InvalidInput(f"no sheet {sheet!r}; the workbook has "
                               f"{', '.join(book.sheetnames)}", field="sheet")
        for number, row in enumerate(book[sheet or book.sheetnames[0]].iter_rows(), start=1):
            yield number, tuple(_xlsx_cell(cell) for cell in row)
    finally:
        book.close()


def _xlsx_cell(cell: Any) -> Cell:
    value = cell.value
    if isinstance(value, float):  # Excel keeps numbers as doubles: take their shortest text
        value = Decimal(repr(value))
    if isinstance(value, Decimal | int) and not isinstance(value, bool) \
            and "%" in str(getattr(cell, "number_format", "")):
        return f"{value * 100}%"  # a cell shown as 30% holds 0.3
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, str | int | Decimal | date) else None
