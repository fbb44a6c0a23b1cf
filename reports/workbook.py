"""Draw a ReportData as an XLSX workbook: the PDF's figures, for people who work in Excel.

One sheet for the cover and one per section, each table under its title with Japanese and
English headers and its totals row, numbers as numbers with the places the report gives
them (yen whole, tonnes 3 places), dates as dates and ratios as percentages. Built from the
same frozen report as the PDF, so the two cannot disagree. No figure is computed here.

Excel holds numbers as binary floating point: the ledger and its CSV export stay the exact
record; every figure of a report is well inside the 15 digits a double keeps.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal

# openpyxl ships no type stubs.
from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Font, PatternFill  # type: ignore[import-untyped]
from openpyxl.worksheet._write_only import WriteOnlyWorksheet  # type: ignore[import-untyped]

from reports.data import Fact, Label, ReportData, Section, Value
from reports.render import moment, state, trimmed

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=13)
HEADER = PatternFill("solid", fgColor="DDE4EE")
TOTAL = PatternFill("solid", fgColor="F2F2F2")
WRAP = Alignment(wrap_text=True, vertical="top")
# Characters a sheet name may not hold, and its length (Excel's rules).
_NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")
SHEET_NAME_LIMIT = 31
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def render_xlsx(report: ReportData) -> bytes:
    """Return the report as an XLSX workbook; the same bytes for the same report."""
    book = Workbook(write_only=True)
    # The package's times come from the report, not the clock, like the PDF's.
    when = report.generated_at.replace(tzinfo=None)
    book.properties.created = book.properties.modified = when
    book.properties.creator = "offset"
    book.properties.title = f"{report.cover.title.en} {report.cover.period.en}"
    _cover(book.create_sheet(sheet_name("表紙 Cover")), report)
    for section in report.sections:
        _section(book.create_sheet(sheet_name(section.label.ja + " " + section.label.en)),
                 section)
    buffer = io.BytesIO()
    book.save(buffer)
    return settled(buffer.getvalue(), when)


def settled(package: bytes, when: datetime) -> bytes:
    """Return the zip `package` with every member, and the document's modified time, dated
    `when`: openpyxl dates them by the clock, and the same report must give the same bytes."""
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            fixed = zipfile.ZipInfo(member.filename, date_time=when.timetuple()[:6])
            fixed.compress_type, fixed.external_attr = zipfile.ZIP_DEFLATED, member.external_attr
            content = source.read(member)
            if member.filename == "docProps/core.xml":
                content = _MODIFIED.sub(rb"\g<1>" + stamp + rb"\g<2>", content)
            target.writestr(fixed, content)
    return out.getvalue()


def sheet_name(wanted: str) -> str:
    """Return `wanted` as Excel accepts a sheet name: without []:*?/\\ and at most 31 long."""
    return _NOT_IN_SHEET_NAMES.sub(" ", wanted)[:SHEET_NAME_LIMIT].strip()


def xlsx_filename(report: ReportData) -> str:
    return report.filename.removesuffix(".pdf") + ".xlsx"


def _cover(sheet: WriteOnlyWorksheet, report: ReportData) -> None:
    cover = report.cover
    _widths(sheet, 44, 60, 16)
    sheet.append([styled_cell(sheet, str(cover.title), TITLE)])
    sheet.append([str(state(report))])
    sheet.append([f"{cover.period.ja} / {cover.period.en}"])
    sheet.append([cover.agreement_title.ja])
    sheet.append([cover.agreement_title.en])
    sheet.append([])
    _header(sheet, ["区分 / Role", "団体 / Party", "団体コード / Code",
                    "所管課 / Responsible section", "都道府県 / Prefecture"])
    for party in cover.parties:
        sheet.append([str(party.role), str(party.name), party.code,
                      str(party.section) if party.section else "", str(party.prefecture)])
    sheet.append([])
    facts: list[tuple[str, Value]] = [
        ("文書番号・状態 / Document No. and state", str(state(report))),
        ("作成者 / Prepared by", report.prepared_by or ""),
        ("作成日時 / Generated", moment(report.generated_at)),
        ("協定番号 / Agreement", cover.agreement_id),
        ("締結日 / Signed", cover.signed_on),
        ("期間 / Term", f"{cover.term.ja} / {cover.term.en}"),
        ("報告対象期間 開始 / Report period from", cover.period_start),
        ("報告対象期間 終了 / Report period to", cover.period_end),
        ("森林の所在 / Forest location", "\n".join(cover.location)),
        ("仕訳数 / Entry count", report.chain.entry_count),
        ("チェーン先頭 / Chain head", report.chain.head_hash),
        ("照合コマンド / Verify with", report.chain.verify_command)]
    if report.issue is not None and report.issue.reason:
        facts.insert(1, ("再発行の理由 / Reason for re-issue", report.issue.reason))
    for label, value in facts:
        sheet.append([styled_cell(sheet, label, BOLD), _value(sheet, value, "", "")])
    if report.headline:
        sheet.append([])
        sheet.append([styled_cell(sheet, "主要数値 / Headline figures", BOLD)])
        for fact in report.headline:
            _fact(sheet, fact)
        for note in report.headline_notes:
            sheet.append([note])
    for line in report.legend:
        sheet.append([line])


def _section(sheet: WriteOnlyWorksheet, section: Section) -> None:
    widest = max((len(t.columns) for t in section.tables), default=3)
    _widths(sheet, *([18] * max(widest, 3)))
    sheet.append([styled_cell(sheet, str(section.label), TITLE)])
    for fact in section.facts:
        _fact(sheet, fact)
    for table in section.tables:
        sheet.append([])
        sheet.append([styled_cell(sheet, str(table.label), BOLD)])
        _header(sheet, [f"{c.label.ja} / {c.label.en}" if c.label.ja != c.label.en
                        else c.label.en for c in table.columns])
        for row in table.rows:
            sheet.append([_value(sheet, row.values.get(c.key), c.key, "")
                          for c in table.columns] + (["* 例示値 / illustrative"]
                                                     if row.illustrative else []))
        if table.totals is not None:
            sheet.append([_value(sheet, table.totals.values.get(c.key), c.key, "", TOTAL)
                          for c in table.columns])
        for note in table.notes:
            sheet.append([note])
    for note in section.notes:
        sheet.append([note])


def _fact(sheet: WriteOnlyWorksheet, fact: Fact) -> None:
    sheet.append([styled_cell(sheet, str(fact.label), BOLD),
                  _value(sheet, fact.value, fact.key, fact.unit),
                  fact.unit if fact.unit != "ratio" else ""])


def _header(sheet: WriteOnlyWorksheet, labels: list[str]) -> None:
    cells = []
    for label in labels:
        cell = styled_cell(sheet, label, BOLD)
        cell.fill, cell.alignment = HEADER, WRAP
        cells.append(cell)
    sheet.append(cells)


def _value(sheet: WriteOnlyWorksheet, value: Value, key: str, unit: str,
           fill: PatternFill | None = None) -> WriteOnlyCell:
    """Return a cell for one report value: a number with its places, a date, or text (text
    is always text, never a formula)."""
    if isinstance(value, Decimal):
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = _format(trimmed(value, key, unit), key, unit)
    elif isinstance(value, bool) or value is None:
        cell = WriteOnlyCell(sheet, "" if value is None else str(value))
    elif isinstance(value, int):
        cell = WriteOnlyCell(sheet, value)  # years, ids and counts, printed plain as in the PDF
        cell.number_format = "0"
    elif isinstance(value, datetime):
        cell = WriteOnlyCell(sheet, value.replace(tzinfo=None))
        cell.number_format = "yyyy-mm-dd hh:mm:ss"
    elif isinstance(value, date):
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = "yyyy-mm-dd"
    else:
        cell = WriteOnlyCell(sheet, str(value))
        cell.data_type = "s"
        cell.alignment = WRAP
    if fill is not None:
        cell.fill = fill
    return cell


def _format(value: Decimal, key: str, unit: str) -> str:
    """Return the number format that shows `value` as the PDF does: its own places, with
    thousands separators; a ratio as a percentage with 2 places."""
    if unit == "ratio" or "ratio" in key:
        return "0.00%"
    exponent = value.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return "#,##0" + ("." + "0" * places if places else "")


def styled_cell(sheet: WriteOnlyWorksheet, text: str, font: Font) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, text)
    cell.data_type = "s"
    cell.font = font
    return cell


def _widths(sheet: WriteOnlyWorksheet, *widths: float) -> None:
    for index, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + index)].width = width


def label_row(sheet: WriteOnlyWorksheet, labels: Sequence[Label]) -> list[WriteOnlyCell]:
    """Return a header row of bilingual labels, in bold."""
    return [styled_cell(sheet, str(label), BOLD) for label in labels]


def number_cells(sheet: WriteOnlyWorksheet,
                 values: Sequence[int | Decimal]) -> list[WriteOnlyCell]:
    """Return the figures as number cells shown with their places (a count or yen whole,
    hectares 2, tonnes 3). Excel holds doubles; every figure is well inside their digits."""
    cells = []
    for value in values:
        places = 0 if isinstance(value, int) else max(-int(value.as_tuple().exponent), 0)
        cell = WriteOnlyCell(sheet, value=int(value) if places == 0 else float(value))
        cell.number_format = "#,##0" + ("." + "0" * places if places else "")
        cells.append(cell)
    return cells


def ratio_cell(sheet: WriteOnlyWorksheet, value: Decimal | None) -> WriteOnlyCell:
    """Return a ratio as a percent cell (empty when there is none)."""
    cell = WriteOnlyCell(sheet, value=None if value is None else float(value))
    cell.number_format = "0.00%"
    return cell
