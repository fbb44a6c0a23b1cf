"""Rows of cells read from CSV (UTF-8 or Shift_JIS) and XLSX files, numbered as people see them.

Reading is bounded (Limits): the file's size, an XLSX's uncompressed size and compression
ratio (checked on the zip directory before openpyxl opens it, so a decompression bomb is
refused without being inflated), its number of sheets, and the columns of each row.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from offset.errors import InvalidInput, TooLarge

Cell = str | int | Decimal | date | None
ENCODINGS = ("utf-8-sig", "cp932")  # UTF-8 with or without BOM, then what Excel saves in Japan


class FileFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


MiB = 2**20


@dataclass(frozen=True)
class Limits:
    """How large a file may be read (offset.settings holds the configured values)."""

    file_bytes: int = 10 * MiB
    uncompressed_bytes: int = 50 * MiB  # all members of an XLSX together, once inflated
    compression_ratio: int = 100  # uncompressed / compressed size, of the whole XLSX
    sheets: int = 20  # sheets an XLSX may hold (one of them is read)
    rows: int = 20_000  # rows after the header, empty ones included
    columns: int = 30  # up to the last non-empty cell of a row

    def check_size(self, size: int) -> None:
        """Refuse a file of `size` bytes above the bound. Raises TooLarge."""
        if size > self.file_bytes:
            raise TooLarge("file_bytes", self.file_bytes, size, "bytes")


DEFAULT_LIMITS = Limits()


def read_rows(data: bytes, file_format: FileFormat, sheet: str | None = None,
              limits: Limits = DEFAULT_LIMITS) -> Iterator[tuple[int, tuple[Cell, ...]]]:
    """Yield (line, cells) for every row: the CSV line a row starts on, or the sheet's row.

    XLSX: the first sheet unless `sheet` names one; numbers come as Decimal, dates as date,
    a cell formatted as a percentage as text like "30%"; trailing empty cells are dropped.
    Raises InvalidInput naming the file (or the sheet) when it cannot be read, TooLarge when
    it is beyond `limits` (rows are bounded by the caller, who knows where the header is).
    """
    limits.check_size(len(data))
    if file_format is FileFormat.CSV:
        if sheet is not None:
            raise InvalidInput("a CSV file has no sheets", field="sheet")
        return _bounded(_csv_rows(_decode(data)), limits, cut=False)
    _check_zip(data, limits)
    return _bounded(_xlsx_rows(data, sheet, limits.columns + 1), limits, cut=True)


def text(cell: Cell) -> str:
    """Return a cell as trimmed text ("" for an empty cell, plain digits for a number)."""
    if cell is None:
        return ""
    if isinstance(cell, Decimal):
        return format(cell, "f")
    return str(cell).strip()


def blank(cells: Sequence[Cell]) -> bool:
    return all(text(cell) == "" for cell in cells)


def _bounded(rows: Iterator[tuple[int, tuple[Cell, ...]]], limits: Limits,
             cut: bool) -> Iterator[tuple[int, tuple[Cell, ...]]]:
    """Yield the rows without trailing empty cells; refuse one wider than the bound.

    `cut`: the reader stopped one cell past the bound, so a wider row may hold more."""
    for line, cells in rows:
        end = len(cells)
        while end and text(cells[end - 1]) == "":
            end -= 1
        if end > limits.columns:
            raise TooLarge("columns", limits.columns, end, "columns", at_least=cut)
        yield line, cells[:end]


def _check_zip(data: bytes, limits: Limits) -> None:
    """Refuse an XLSX whose members would inflate beyond the bounds, before any is read.

    The sizes come from the zip's directory; zipfile never inflates a member beyond the size
    declared there (a member that lies fails its CRC check), so they bound what openpyxl reads.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise InvalidInput("the file is not an XLSX workbook", field="file") from None
    total = sum(member.file_size for member in members)
    if total > limits.uncompressed_bytes:
        raise TooLarge("uncompressed_bytes", limits.uncompressed_bytes, total, "bytes")
    ratio = total // max(len(data), 1)
    if ratio > limits.compression_ratio:
        raise TooLarge("compression_ratio", limits.compression_ratio, ratio)
    sheets = sum(1 for m in members if m.filename.startswith("xl/worksheets/")
                 and m.filename.endswith(".xml"))
    if sheets > limits.sheets:
        raise TooLarge("sheets", limits.sheets, sheets, "sheets")


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


def _xlsx_rows(data: bytes, sheet: str | None,
               max_col: int) -> Iterator[tuple[int, tuple[Cell, ...]]]:
    # Cells beyond `max_col` are not made: a sheet whose declared dimension is thousands of
    # columns wide would otherwise pad every row with that many empty cells.
    from openpyxl import load_workbook  # type: ignore[import-untyped]  # ships no stubs

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise InvalidInput("the file is not an XLSX workbook", field="file") from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise InvalidInput(f"no sheet {sheet!r}; the workbook has "
                               f"{', '.join(book.sheetnames)}", field="sheet")
        rows = book[sheet or book.sheetnames[0]].iter_rows(max_col=max_col)
        for number, row in enumerate(rows, start=1):
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
