"""Reading a thinning log: English or Japanese headers, cells with units, every problem listed."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from decimal import Decimal
from importlib.resources import files

import pytest
from openpyxl import Workbook

from offset.errors import InvalidInput, TooLarge
from offset.forestry.errors import RowProblem
from offset.forestry.imports import Parsed, ParsedRow, parse_rows, read_table, require_rows
from offset.forestry.parameters import parse_parameter_set
from offset.forestry.sheets import FileFormat, Limits

PARAMETERS = parse_parameter_set(
    (files("offset") / "data" / "species_parameters.csv").read_text(encoding="utf-8"),
    "jp-nir-default", "1")


def parsed(text: str, encoding: str = "utf-8") -> Parsed:
    return parse_rows(read_table(text.encode(encoding), FileFormat.CSV), PARAMETERS)


def only_row(text: str) -> ParsedRow:
    result = parsed(text)
    assert result.problems == []
    assert len(result.rows) == 1
    return result.rows[0]


def problems(text: str) -> list[tuple[int, str]]:
    return [(p.line, p.column) for p in parsed(text).problems]


def test_a_full_english_row_reads_every_column():
    row = only_row("site,compartment,stand,fiscal_year,started_on,finished_on,area,species,"
                   "intensity,volume,contractor,note\n"
                   "鹿嶺高原,12,3,2009,2009-10-01,2009-11-30,2.5 ha,akamatsu,30,12 m**3,"
                   "伊那市森林組合,first\n")

    assert row == ParsedRow(
        line=2, stand_key=("鹿嶺高原", "12", "3"), species_code="akamatsu", fiscal_year=2009,
        started_on=date(2009, 10, 1), finished_on=date(2009, 11, 30),
        area_ha=Decimal("2.5"), intensity_percent=Decimal("30"), volume_m3=Decimal("12"),
        contractor="伊那市森林組合", note="first")


def test_japanese_headers_are_matched_trimmed_and_in_full_width():
    row = only_row(" 団地 ,林班,小班,着手日,完了日,面積（ｈａ）,樹種,間伐率,材積,事業体,備考\n"
                   "鹿嶺高原,12,3,2009-10-01,,2.5,カラマツ,30%,40 石,,\n")

    assert row.stand_key == ("鹿嶺高原", "12", "3")
    assert row.species_code == "karamatsu"
    assert row.area_ha == Decimal("2.5")
    assert row.intensity_percent == Decimal("30")
    assert row.finished_on == row.started_on == date(2009, 10, 1)
    assert row.fiscal_year is None  # derived from the start date when the work is matched
    # 40 石 = 400 立方尺 = 400 × (10/33)^3 m3
    assert row.volume_m3 == (Decimal(400_000) / Decimal(35937)).quantize(Decimal("0.001"))


def test_headers_are_case_insensitive_and_may_carry_a_unit_by_suffix():
    row = only_row("SITE,Compartment,STAND,Started_On,Area_m2,volume (m3)\n"
                   "鹿嶺高原,12,3,2009-10-01,25000,12\n")

    assert (row.area_ha, row.volume_m3) == (Decimal("2.5"), Decimal("12"))


@pytest.mark.parametrize(("cell", "expected"), [
    ("2009-10-01", date(2009, 10, 1)),
    ("2009/10/1", date(2009, 10, 1)),
    ("2009年10月1日", date(2009, 10, 1)),
    ("H21.10.1", date(2009, 10, 1)),
    ("平成21年10月1日", date(2009, 10, 1)),
    ("R6.5.1", date(2024, 5, 1)),
    ("R元.5.1", date(2019, 5, 1)),
    ("令和元年5月1日", date(2019, 5, 1)),
])
def test_dates_are_iso_or_japanese_era_dates(cell: str, expected: date):
    row = only_row(f"林班,小班,団地,実施日,面積\n12,3,鹿嶺高原,{cell},1 ha\n")

    assert row.started_on == expected


@pytest.mark.parametrize(("cell", "expected"), [
    ("2009", 2009), ("FY2009", 2009), ("2009年度", 2009), ("H21", 2009), ("平成21年度", 2009),
    ("令和元年度", 2019), ("R6", 2024),
])
def test_fiscal_years_are_numbers_or_era_years(cell: str, expected: int):
    row = only_row(f"林班,小班,団地,実施日,面積,年度\n12,3,鹿嶺高原,2009-10-01,1 ha,{cell}\n")

    assert row.fiscal_year == expected


def test_every_bad_cell_of_every_row_is_named_by_line_and_header():
    text = ("団地,林班,小班,実施日,面積,樹種,間伐率,材積,年度\n"
            "鹿嶺高原,12,3,2009-10-01,1 ha,アカマツ,30,1 m**3,2009\n"
            "鹿嶺高原,12,3,2009-13-01,30 m,ブナ,30,1 m**3,2009\n"
            "鹿嶺高原,,3,yesterday,2.5,akamatsu,abc,1 ha,H99x\n")

    assert problems(text) == [(3, "実施日"), (3, "面積"), (3, "樹種"),
                              (4, "林班"), (4, "実施日"), (4, "面積"), (4, "間伐率"),
                              (4, "材積"), (4, "年度")]


def test_a_bare_number_without_a_unit_in_the_header_is_refused_naming_the_column():
    found = parsed("団地,林班,小班,実施日,面積\n鹿嶺高原,12,3,2009-10-01,2.5\n").problems

    assert found == [RowProblem(2, "面積", "'2.5' has no unit; write e.g. '2.5 ha' or put "
                                          "the unit in the header, e.g. '面積(ha)'")]


def test_missing_required_columns_are_reported_on_the_header_line():
    text = "備考,団地,小班,実施日\n\n\nnote,鹿嶺高原,3,2009-10-01\n"

    assert problems(text) == [(1, "compartment"), (1, "area")]


def test_a_column_named_twice_is_refused():
    text = "団地,林班,小班,実施日,着手日,面積\n鹿嶺高原,12,3,2009-10-01,2009-10-02,1 ha\n"

    assert problems(text) == [(1, "着手日")]


def test_lines_are_the_files_own_lines_across_blank_lines_and_quoted_line_breaks():
    text = ('団地,林班,小班,実施日,面積,備考\n\n'
            '鹿嶺高原,12,3,2009-10-01,1 ha,"two\nlines"\n'
            '鹿嶺高原,12,3,2009-10-01,1 m,\n')

    assert problems(text) == [(5, "面積")]


def test_shift_jis_and_utf8_with_bom_read_alike():
    text = "団地,林班,小班,実施日,面積\n鹿嶺高原,12,3,2009-10-01,1 ha\n"
    expected = parsed(text).rows

    assert parsed(text, "cp932").rows == expected
    assert parsed(text, "utf-8-sig").rows == expected


def test_a_file_in_another_encoding_is_refused():
    with pytest.raises(InvalidInput, match="neither UTF-8 nor Shift_JIS"):
        read_table("団地,林班\n".encode() + b"\x81\x20\n", FileFormat.CSV)


def test_a_file_without_a_header_row_is_refused():
    with pytest.raises(InvalidInput, match="no header row"):
        read_table(b"a,b,c\n1,2,3\n", FileFormat.CSV)


def xlsx(*rows: list[object], percent: tuple[int, int] | None = None) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    if percent:
        book.active.cell(*percent).number_format = "0%"
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


def test_xlsx_cells_keep_their_types_and_lines_are_sheet_rows():
    data = xlsx(["間伐実績"], [], ["団地", "林班", "小班", "実施日", "面積(ha)", "間伐率"],
                ["鹿嶺高原", 12, 3, datetime(2009, 10, 1), 2.5, 0.3],
                percent=(4, 6))

    result = parse_rows(read_table(data, FileFormat.XLSX), PARAMETERS)

    assert result.problems == []
    [row] = result.rows
    assert (row.line, row.stand_key, row.started_on, row.area_ha, row.intensity_percent) == (
        4, ("鹿嶺高原", "12", "3"), date(2009, 10, 1), Decimal("2.5"), Decimal("30"))


def test_a_named_sheet_is_read_and_an_unknown_one_refused():
    book = Workbook()
    book.active.title = "表紙"
    book.create_sheet("間伐").append(["団地", "林班", "小班", "実施日", "面積"])
    data = io.BytesIO()
    book.save(data)

    assert read_table(data.getvalue(), FileFormat.XLSX, "間伐").headers[0] == "団地"
    with pytest.raises(InvalidInput, match="no sheet"):
        read_table(data.getvalue(), FileFormat.XLSX, "missing")


def test_bytes_that_are_no_workbook_are_refused():
    with pytest.raises(InvalidInput, match="not an XLSX workbook"):
        read_table(b"site,area\n", FileFormat.XLSX)


# Bounds: a file beyond one is refused naming the bound, its limit and what was found.

def bound_of(data: bytes, file_format: FileFormat, limits: Limits) -> tuple[str, int, int]:
    with pytest.raises(TooLarge) as raised:
        read_table(data, file_format, limits=limits)
    return raised.value.bound, raised.value.limit, raised.value.found


HEADER = "団地,林班,小班,実施日,面積\n"
ROW = "鹿嶺高原,12,3,2009-10-01,1 ha\n"


def test_a_file_larger_than_its_bound_is_refused_unread():
    data = (HEADER + ROW * 10).encode()

    assert bound_of(data, FileFormat.CSV, Limits(file_bytes=100)) == (
        "file_bytes", 100, len(data))


def test_rows_beyond_the_bound_are_refused_and_rows_up_to_it_read():
    assert len(read_table((HEADER + ROW * 3).encode(), FileFormat.CSV,
                          limits=Limits(rows=3)).rows) == 3
    assert bound_of((HEADER + ROW * 4).encode(), FileFormat.CSV, Limits(rows=3)) == (
        "rows", 3, 4)


def test_a_row_wider_than_the_bound_is_refused_but_trailing_empty_cells_are_not_counted():
    assert read_table((HEADER + ROW.strip() + ",,,,,\n").encode(), FileFormat.CSV,
                      limits=Limits(columns=5)).rows[0][1][-1] == "1 ha"
    assert bound_of((HEADER + ROW.strip() + ",x\n").encode(), FileFormat.CSV,
                    Limits(columns=5)) == ("columns", 5, 6)


def test_a_workbook_with_more_sheets_than_the_bound_is_refused():
    book = Workbook()
    for number in range(3):
        book.create_sheet(f"sheet {number}")
    data = io.BytesIO()
    book.save(data)

    assert bound_of(data.getvalue(), FileFormat.XLSX, Limits(sheets=2)) == ("sheets", 2, 4)


def bomb(inflated: int) -> bytes:
    """Return a small XLSX-shaped zip whose one sheet inflates to `inflated` bytes."""
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            chunk = b" " * 2**20
            for _ in range(inflated // len(chunk)):
                sheet.write(chunk)
    return data.getvalue()


def test_a_decompression_bomb_is_refused_from_the_zip_directory_before_it_is_inflated(
        monkeypatch: pytest.MonkeyPatch):
    import openpyxl  # type: ignore[import-untyped]

    def never(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("openpyxl must not open a bomb")
    monkeypatch.setattr(openpyxl, "load_workbook", never)
    data = bomb(51 * 2**20)
    assert len(data) < 100_000

    bound, limit, found = bound_of(data, FileFormat.XLSX, Limits())

    assert (bound, limit, found) == ("uncompressed_bytes", 50 * 2**20, 51 * 2**20 + 8)


def test_a_workbook_that_inflates_too_many_times_its_size_is_refused():
    bound, limit, _ = bound_of(bomb(2**20), FileFormat.XLSX, Limits(compression_ratio=100))

    assert (bound, limit) == ("compression_ratio", 100)


def test_a_header_without_rows_is_refused_as_no_import():
    with pytest.raises(InvalidInput, match="no rows") as raised:
        require_rows(read_table(HEADER.encode(), FileFormat.CSV))
    assert raised.value.field == "file"


def test_an_xlsx_row_wider_than_the_bound_is_refused_without_reading_all_its_cells():
    data = xlsx(["団地", "林班", "小班", "実施日", "面積"], ["鹿嶺高原", 12, 3, "2009-10-01",
                                                   "1 ha", *range(50)])

    with pytest.raises(TooLarge) as raised:
        read_table(data, FileFormat.XLSX, limits=Limits(columns=30))

    assert (raised.value.bound, raised.value.found, raised.value.at_least) == (
        "columns", 31, True)
