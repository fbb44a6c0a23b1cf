"""A season's thinning log read from CSV or XLSX: columns, cells and rows, every problem listed.

Reading is pure: bytes become a Table of cells, and the Table becomes one ParsedRow per piece
of work or RowProblems naming the line, the column as written in the file and the reason.
Matching rows to stored stands and logging them is the use case's job
(offset.forestry.services.import_thinnings). The format is documented in
docs/import-format.md.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from offset.errors import InvalidInput, OffsetError, TooLarge
from offset.fiscal import FiscalYear
from offset.forestry.errors import RowProblem
from offset.forestry.model import Stand, ThinningInput
from offset.forestry.parameters import ParameterSet
from offset.forestry.sheets import DEFAULT_LIMITS, Cell, FileFormat, Limits, blank, read_rows
from offset.forestry.sheets import text as cell_text
from offset.quantities import AREA, INTENSITY, VOLUME, Quantity
from offset.text import clean_text, identifier, identifier_form

# Canonical column → the header names that mean it (compared after normalise()).
COLUMNS: Mapping[str, tuple[str, ...]] = {
    "site": ("site", "団地", "地区", "団地名", "地区名"),
    "compartment": ("compartment", "林班"),
    "stand": ("stand", "stand_number", "小班"),
    "fiscal_year": ("fiscal_year", "fy", "年度"),
    "started_on": ("started_on", "実施日", "着手日"),
    "finished_on": ("finished_on", "完了日"),
    "area": ("area", "面積"),
    "species": ("species", "樹種"),
    "intensity": ("intensity", "間伐率"),
    "volume": ("volume", "材積"),
    "contractor": ("contractor", "事業体"),
    "note": ("note", "備考"),
}
REQUIRED = ("site", "compartment", "stand", "started_on", "area")
TEXT_LIMITS = {"contractor": 200, "note": 1000}
HEADER_SEARCH_ROWS = 20  # a title above the header is skipped, but not forever
ERAS = {"r": 2018, "令和": 2018, "h": 1988, "平成": 1988, "s": 1925, "昭和": 1925}
_ALIASES = {normal: column for column, names in COLUMNS.items() for normal in names}
_UNIT_SUFFIX = re.compile(r"^(?P<name>.+?)\s*[(\[](?P<unit>[^)\]]*)[)\]]$")
_ISO_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")
_ERA = r"(r|h|s|令和|平成|昭和)\s*(\d{1,2}|元)"
_ERA_DATE = re.compile(rf"^{_ERA}[-/.年](\d{{1,2}})[-/.月](\d{{1,2}})日?$")
_ERA_YEAR = re.compile(rf"^{_ERA}(?:年度?)?$")
_FY = re.compile(r"^(?:fy)?\s*(\d{4})(?:年度)?$")
_POWER = re.compile(r"(?<=[a-z])([23])\b")


@dataclass(frozen=True)
class Table:
    """A sheet as read: the header row with its line, and each later non-empty row."""

    header_line: int
    headers: tuple[str, ...]
    rows: tuple[tuple[int, tuple[Cell, ...]], ...]


@dataclass(frozen=True)
class Column:
    index: int
    header: str  # as written in the file, for messages
    unit: str | None  # from "面積(ha)" or "area_ha"


@dataclass(frozen=True)
class ParsedRow:
    """One piece of work as the file states it, its stand named by site, compartment, stand."""

    line: int
    stand_key: tuple[str, str, str]
    species_code: str | None
    fiscal_year: int | None
    started_on: date
    finished_on: date
    area_ha: Decimal
    intensity_percent: Decimal | None
    volume_m3: Decimal | None
    contractor: str
    note: str


@dataclass(frozen=True)
class Parsed:
    columns: Mapping[str, Column]
    rows: list[ParsedRow]
    problems: list[RowProblem]

    def header(self, column: str) -> str:
        """Return the file's own header for `column` (its canonical name when absent)."""
        found = self.columns.get(column)
        return found.header if found else column


def normalise(text: str) -> str:
    """Return text as compared: NFKC (full-width → ASCII), trimmed, lower case."""
    return unicodedata.normalize("NFKC", text).strip().lower()


# Tables: the header row found, the rows after it.

def read_table(data: bytes, file_format: FileFormat, sheet: str | None = None,
               limits: Limits = DEFAULT_LIMITS) -> Table:
    """Return the table of a CSV or XLSX file: its header row and the non-empty rows below.

    The header is the first row naming a known column (a title above it is skipped).
    Raises InvalidInput naming the file when it cannot be read or has no header row,
    TooLarge when it is beyond `limits` (reading stops at the first bound exceeded).
    """
    rows = iter(read_rows(data, file_format, sheet, limits))
    for searched, (line, cells) in enumerate(rows):
        headers = tuple(cell_text(cell) for cell in cells)
        if any(_column_of(h)[0] for h in headers):
            return Table(line, headers, _body(rows, limits.rows))
        if searched + 1 >= HEADER_SEARCH_ROWS:
            break
    raise InvalidInput("no header row naming the columns (e.g. 林班, 小班, 面積, 実施日) "
                       f"in the first {HEADER_SEARCH_ROWS} rows", field="file")


def _body(rows: Iterable[tuple[int, tuple[Cell, ...]]],
          limit: int) -> tuple[tuple[int, tuple[Cell, ...]], ...]:
    found = []
    for read, (line, cells) in enumerate(rows, start=1):
        if read > limit:
            raise TooLarge("rows", limit, read, "rows", at_least=True)
        if not blank(cells):
            found.append((line, cells))
    return tuple(found)


def require_rows(table: Table) -> None:
    """Refuse a table with a header but no rows: importing nothing is not an import.

    Raises InvalidInput naming the file.
    """
    if not table.rows:
        raise InvalidInput(f"the file has a header (line {table.header_line}) but no rows "
                           "of work below it", field="file")


# Headers.

def _column_of(header: str) -> tuple[str | None, str | None]:
    """Return the canonical column a header names and the unit it carries, if any."""
    name = normalise(header)
    if name in _ALIASES:
        return _ALIASES[name], None
    if (match := _UNIT_SUFFIX.match(name)) and match["name"] in _ALIASES:
        return _ALIASES[match["name"]], match["unit"].strip() or None
    stem, _, unit = name.rpartition("_")
    if stem in _ALIASES and unit:
        return _ALIASES[stem], unit
    return None, None


def columns(table: Table) -> tuple[dict[str, Column], list[RowProblem]]:
    """Return the known columns of `table` and problems of its header (missing, repeated)."""
    found: dict[str, Column] = {}
    problems = []
    for index, header in enumerate(table.headers):
        column, unit = _column_of(header)
        if column is None:
            continue  # other columns (No., 所在地, …) are the office's own business
        if column in found:
            problems.append(RowProblem(table.header_line, header,
                                       f"names {column} again (first: {found[column].header})"))
            continue
        found[column] = Column(index, header, unit)
    for column in REQUIRED:
        if column not in found:
            names = " or ".join(COLUMNS[column])
            problems.append(RowProblem(table.header_line, column,
                                       f"required column is missing ({names})"))
    return found, problems


# Rows.

def parse_rows(table: Table, parameters: ParameterSet) -> Parsed:
    """Return every row of `table` as ParsedRow, or the problems of the rows that are not."""
    found, problems = columns(table)
    parsed = []
    if not problems:
        species = _species_names(parameters)
        for line, cells in table.rows:
            row, row_problems = _parse_row(line, cells, found, species)
            problems += row_problems
            if row is not None:
                parsed.append(row)
    return Parsed(found, parsed, problems)


def _species_names(parameters: ParameterSet) -> dict[str, str]:
    names = {}
    for code, species in parameters.species.items():
        for name in (code, species.name_ja, species.name_en):
            if name:
                names[normalise(name)] = code
    return names


def _parse_row(line: int, cells: Sequence[Cell], found: Mapping[str, Column],
               species: Mapping[str, str]) -> tuple[ParsedRow | None, list[RowProblem]]:
    problems: list[RowProblem] = []

    def cell(column: str, parse: Any, required: bool = False) -> Any:
        where = found.get(column)
        value = cells[where.index] if where and where.index < len(cells) else None
        if where is not None and isinstance(value, str):
            try:
                clean_text(value, where.header, multiline=column == "note")
            except OffsetError as error:
                problems.append(RowProblem(line, where.header, error.detail))
                return None
        if cell_text(value) == "":
            if required:
                problems.append(RowProblem(line, where.header if where else column, "is empty"))
            return None
        assert where is not None
        try:
            return parse(value, where)
        except OffsetError as error:
            problems.append(RowProblem(line, where.header, error.detail))
            return None

    key = tuple(cell(c, _name, required=True) for c in ("site", "compartment", "stand"))
    started = cell("started_on", _date, required=True)
    values = {
        "species_code": cell("species", lambda v, _: _species(v, species)),
        "fiscal_year": cell("fiscal_year", _fiscal_year),
        "finished_on": cell("finished_on", _date),
        "area_ha": cell("area", _quantity(AREA), required=True),
        "intensity_percent": cell("intensity", _percent),
        "volume_m3": cell("volume", _quantity(VOLUME)),
        "contractor": cell("contractor", _limited("contractor")) or "",
        "note": cell("note", _limited("note")) or "",
    }
    if problems:
        order = {c.header: c.index for c in found.values()}
        return None, sorted(problems, key=lambda p: order.get(p.column, -1))
    return ParsedRow(line=line, stand_key=(key[0], key[1], key[2]), started_on=started,
                     **{**values, "finished_on": values["finished_on"] or started}), []


def _name(value: Cell, where: Column) -> str:
    return identifier(cell_text(value), where.header)


def _limited(column: str) -> Any:
    def parse(value: Cell, _where: Column) -> str:
        text = cell_text(value)
        if len(text) > TEXT_LIMITS[column]:
            raise InvalidInput(f"is longer than {TEXT_LIMITS[column]} characters")
        return text
    return parse


def _species(value: Cell, names: Mapping[str, str]) -> str:
    code = names.get(normalise(cell_text(value)))
    if code is None:
        raise InvalidInput(f"unknown species {cell_text(value)!r}; use one of "
                           f"{', '.join(sorted(set(names.values())))} or its Japanese name")
    return code


def _date(value: Cell, _where: Column) -> date:
    """Return a date from an Excel date cell, '2009-10-01', '2009/10/1' or 'H21.10.1'."""
    if isinstance(value, date):
        return value
    text = normalise(cell_text(value))
    try:
        if match := _ISO_DATE.match(text):
            return date(int(match[1]), int(match[2]), int(match[3]))
        if match := _ERA_DATE.match(text):
            return date(_era_year(match[1], match[2]), int(match[3]), int(match[4]))
    except ValueError:
        raise InvalidInput(f"{cell_text(value)!r} is not a calendar date") from None
    raise InvalidInput(f"{cell_text(value)!r} is not a date like 2009-10-01 or H21.10.1")


def _era_year(era: str, number: str) -> int:
    return ERAS[era] + (1 if number == "元" else int(number))


def _fiscal_year(value: Cell, _where: Column) -> int:
    """Return a fiscal year from 2009, 'FY2009', '2009年度', 'H21' or '平成21年度'."""
    text = normalise(cell_text(value))
    if match := _FY.match(text):
        year = int(match[1])
    elif match := _ERA_YEAR.match(text):
        year = _era_year(match[1], match[2])
    else:
        raise InvalidInput(f"{cell_text(value)!r} is not a fiscal year like 2009 or H21")
    return FiscalYear(year).year


def _quantity(kind: Quantity) -> Any:
    """Return the reader of a cell of `kind`: its own unit, else the header's ("面積(ha)")."""
    def parse(value: Cell, where: Column) -> Decimal:
        text = _POWER.sub(r"**\1", normalise(cell_text(value)))
        try:
            Decimal(text)
        except ArithmeticError:
            return kind.parse(text, field=where.header)
        if where.unit is None:
            raise InvalidInput(f"{text!r} has no unit; write e.g. '{text} {kind.unit}' or put "
                               f"the unit in the header, e.g. '{where.header}({kind.unit})'")
        given = _POWER.sub(r"**\1", where.unit)
        return kind.parse(f"{text} {given}", field=where.header)
    return parse


def _percent(value: Cell, where: Column) -> Decimal:
    if where.unit not in (None, "%", "percent"):
        raise InvalidInput(f"the header's unit {where.unit!r} is not %")
    return INTENSITY.parse(normalise(cell_text(value)), field=None)


# Matching rows to stands.

def key_of(stand: Stand) -> tuple[str, str, str]:
    """Return the key a file names `stand` by: site, compartment and stand number, each in
    identifier form (NFKC, trimmed) as register_stand stores them — applied again here so
    that a stand stored before keys were normalised still matches its rows."""
    site, compartment, number = (identifier_form(part) for part in (
        stand.site, stand.compartment, stand.stand_number))
    return site, compartment, number


def drafts(parsed: Parsed, stands: Iterable[Stand]
           ) -> tuple[list[tuple[int, ThinningInput]], list[RowProblem]]:
    """Return the work of each row on its stand, or problems for unknown or mismatched stands.

    `stands` are the forest party's; a row's species, when given, must be the stand's.
    """
    by_key = {key_of(stand): stand for stand in stands}
    found, problems = [], []
    for row in parsed.rows:
        stand = by_key.get(row.stand_key)
        if stand is None:
            problems.append(RowProblem(row.line, parsed.header("stand"),
                                       f"no stand {' '.join(row.stand_key)} is registered"))
        elif row.species_code not in (None, stand.current.species_code):
            problems.append(RowProblem(
                row.line, parsed.header("species"), f"the stand is "
                f"{stand.current.species_code}, not {row.species_code}"))
        else:
            found.append((row.line, _work(row, stand)))
    return found, problems


def _work(row: ParsedRow, stand: Stand) -> ThinningInput:
    fiscal_year = row.fiscal_year or FiscalYear.of(row.started_on).year
    return ThinningInput(stand.id, fiscal_year, row.started_on, row.finished_on, row.area_ha,
                         row.intensity_percent, row.volume_m3, row.contractor, row.note)


# Domain refusals of a row, named by the file's columns.

FIELD_COLUMNS = {"stand_id": "stand", "site_class": "stand", "measured_growth": "stand",
                 "area": "area", "fiscal_year": "fiscal_year",
                 "started_on": "started_on", "finished_on": "finished_on",
                 "intensity": "intensity", "volume": "volume"}


def refusal(parsed: Parsed, line: int, error: OffsetError) -> RowProblem:
    """Return the problem of row `line` that the domain refused with `error`."""
    column = FIELD_COLUMNS.get(error.field or "", "")
    if column in ("fiscal_year", "finished_on") and column not in parsed.columns:
        column = "started_on"  # the value was derived from the start date
    return RowProblem(line, parsed.header(column) if column else error.field or "row",
                      error.detail)
