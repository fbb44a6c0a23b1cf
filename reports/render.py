"""Draw a ReportData as an A4 PDF with ReportLab's platypus; no figure is computed here.

Rendering is deterministic: the same ReportData gives the same bytes, whenever and wherever
it is drawn (with the same font and ReportLab). ReportLab's invariant mode drops its
timestamps and comments; the creation date and the document ID then come from the report
itself (its generation time, and its document number when issued), not from the clock.
"""

from __future__ import annotations

import hashlib
import io
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfdoc import DummyDoc, PDFText
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from offset.fiscal import JST
from reports import data
from reports.chart import netting_chart
from reports.data import Fact, Label, ReportData, Section, Value
from reports.fonts import report_font
from reports.grid import Grid, width_of

MARGIN = 15 * mm
WIDTH = A4[0] - 2 * MARGIN
CELL_SIZE = 6.5
HEADER_BG = colors.HexColor("#dde4ee")
TOTAL_BG = colors.HexColor("#f2f2f2")
BAND_BG = colors.HexColor("#b00020")  # the warning of a ledger that does not verify
# Text columns given more width.
WRAPPED = {"source", "reason", "stand", "species", "species_name", "category", "scheme",
           "account_name",
           "party", "bearer", "recipient", "activity", "status", "account", "contractor",
           "body", "parameter", "parameter_set", "yield_table", "factor_set", "recorded_at"}


def render_pdf(report: ReportData) -> bytes:
    """Return the report as PDF bytes, the same bytes for the same report every time."""
    font = report_font().name
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN,
                            topMargin=MARGIN + 4 * mm, bottomMargin=MARGIN + 4 * mm,
                            invariant=1,
                            title=f"{report.cover.title} — agreement {report.agreement_id} "
                                  f"{report.cover.period.en}",
                            author="offset", subject=str(report.cover.agreement_title))
    styles = page_styles(font)
    story = _cover(report, styles) + [PageBreak()]
    for section in report.sections:
        chart = netting_chart(report.chart, font) if (
            section.key == "netting" and report.chart) else None
        story += _section(section, styles, chart)
    story += [Paragraph(escape(line), styles["note"]) for line in report.legend]
    story.append(Paragraph(escape(
        f"{state(report).en} · "
        f"作成日時 / Generated {moment(report.generated_at)} · 協定 / agreement "
        f"{report.chain.agreement_id} · 仕訳数 / entries {report.chain.entry_count} · "
        f"head {report.chain.head_hash} — `{report.chain.verify_command}` で照合 / run "
        f"`{report.chain.verify_command}` to match"), styles["note"]))
    which = f"No. {report.issue.number}" if report.issue else "DRAFT, not issued"
    footer = (f"offset · {report.cover.title.en} · {which} · agreement {report.agreement_id} · "
              f"{report.cover.period.en} · chain {report.chain.entry_count} entries "
              f"{report.chain.head_hash[:12]}…")
    band = report.integrity_warning
    stamp = Stamp(report.generated_at)
    identity = document_id(report)
    doc.build(story, canvasmaker=lambda *a, **k: NumberedCanvas(
        *a, footer=footer, font=font, stamp=stamp, identity=identity, band=band, **k))
    return out.getvalue()


def document_id(report: ReportData) -> bytes:
    """Return the 16 bytes of the PDF's ID: from the document number and generation time of
    an issued report; a draft's from what it shows (kind, period, chain head, time)."""
    when = report.generated_at.astimezone(UTC).isoformat()
    key = (f"offset issued {report.agreement_id} {report.issue.number} {when}" if report.issue
           else f"offset draft {report.filename} {report.chain.head_hash} {when}")
    return hashlib.sha256(key.encode("utf-8")).digest()[:16]


def state(report: ReportData) -> Label:
    """Return what the report is: an issued document (its number), a re-issue (再発行, naming
    the one it replaces), or a draft built on demand."""
    issue = report.issue
    if issue is None:
        return Label("草案（随時作成・未発行）", "draft built on demand, not issued")
    if issue.replaces is None:
        return Label(f"発行 文書番号 {issue.number}", f"issued, No. {issue.number}")
    return Label(f"再発行 文書番号 {issue.number}（{issue.replaces} に代わる）",
                 f"re-issued, No. {issue.number}, replaces {issue.replaces}")


def moment(value: datetime) -> str:
    """Return a generation time in Japan's time with UTC beside it."""
    return (f"{value.astimezone(JST).strftime('%Y-%m-%d %H:%M:%S JST')} "
            f"({value.astimezone(UTC).strftime('%H:%M:%S UTC')})")


def page_styles(font: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=font, fontSize=8.5, leading=11)
    return {
        "base": base,
        "title": ParagraphStyle("title", base, fontSize=20, leading=28, alignment=TA_CENTER,
                                spaceAfter=10),
        "state": ParagraphStyle("state", base, fontSize=11, leading=15, alignment=TA_CENTER,
                                textColor=colors.HexColor("#8b0000")),
        "subtitle": ParagraphStyle("subtitle", base, fontSize=12, leading=17,
                                   alignment=TA_CENTER, spaceAfter=6),
        "cover_en": ParagraphStyle("cover_en", base, fontSize=10, leading=14,
                                   alignment=TA_CENTER, spaceAfter=4),
        "h1": ParagraphStyle("h1", base, fontSize=13, leading=18, spaceBefore=8, spaceAfter=5,
                             textColor=colors.HexColor("#1f3864")),
        "h2": ParagraphStyle("h2", base, fontSize=10, leading=14, spaceBefore=6, spaceAfter=3),
        "note": ParagraphStyle("note", base, fontSize=7, leading=9,
                               textColor=colors.HexColor("#555555")),
        "cell": ParagraphStyle("cell", base, fontSize=6.5, leading=8),
    }


def text(value: Value, key: str = "", unit: str = "") -> str:
    """Return a value as printed: thousands separators, ratios as percent, '—' for none."""
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        value = trimmed(value, key, unit)
        if unit == "ratio" or "ratio" in key:
            return f"{(value * 100).quantize(Decimal('0.01')):,f} %"
        return f"{value:,f}"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M UTC")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


HECTARES = Decimal("0.01")


def trimmed(value: Decimal, key: str, unit: str = "") -> Decimal:
    """Return an area as it is printed: with 2 places (ha), like every area of the report,
    unless it holds more (an area is stored to the square metre, and never rounded away)."""
    if (unit == "ha" or key.endswith("area_ha")) and value == value.quantize(HECTARES):
        return value.quantize(HECTARES)
    return value


def _cover(report: ReportData, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    """The first page: what the document is and who answers for it, where the forest is,
    the headline figures, the chain head it was read at, and a blank box for the seals."""
    cover = report.cover
    font = styles["cell"].fontName
    story: list[Flowable] = [
        Spacer(1, 4 * mm), Paragraph(escape(str(state(report))), styles["state"]),
        Spacer(1, 3 * mm), Paragraph(escape(str(cover.title)), styles["title"]),
        Paragraph(escape(f"{cover.period.ja} / {cover.period.en}"), styles["subtitle"]),
        Paragraph(escape(cover.agreement_title.ja), styles["subtitle"]),
        Paragraph(escape(cover.agreement_title.en), styles["cover_en"]), Spacer(1, 4 * mm)]
    widths = [WIDTH * w for w in (0.17, 0.22, 0.31, 0.18, 0.12)]
    rows: list[list[Any]] = [["区分 / Role", "団体 / Party", "所管課 / Responsible section",
                              "都道府県 / Prefecture", "団体コード / Code"]]
    rows += [["\n".join(_lines(str(value), font, width - 4)) for value, width in zip(
        (p.role, p.name, p.section or "—", p.prefecture, p.code), widths, strict=True)]
        for p in cover.parties]
    story.append(ruled_table(rows, widths, styles, header=1))
    issue = report.issue
    reason = [(Label("再発行の理由", "Reason for re-issue"), issue.reason)
              ] if issue is not None and issue.reason else []
    chain = report.chain
    facts = [
        (Label("文書番号・状態", "Document No. and state"), str(state(report))), *reason,
        (Label("作成者", "Prepared by"), report.prepared_by or "—"),
        (Label("作成日時", "Generated"), moment(report.generated_at)),
        (Label("協定番号・締結日", "Agreement, signed"),
         f"{cover.agreement_id} · {cover.signed_on.isoformat()}"),
        (Label("期間", "Term"), f"{cover.term.ja} / {cover.term.en}"),
        (Label("報告対象期間", "Report period"),
         f"{cover.period_start.isoformat()} – {cover.period_end.isoformat()}"),
        (Label("森林の所在（団地・林班・小班）", "Forest location (site, compartment, stand)"),
         "\n".join(cover.location) or "—"),
        (Label("作成時の台帳", "Ledger read at"),
         f"仕訳番号 seq {chain.entry_count}（仕訳数 {chain.entry_count:,} / entries）· "
         f"チェーン先頭 head {chain.head_hash}")]
    story += [Spacer(1, 4 * mm), ruled_table(
        [["\n".join(_lines(str(label), font, WIDTH * 0.3 - 4)),
          Paragraph(escape(value).replace("\n", "<br/>"), styles["cell"])]
         for label, value in facts], [WIDTH * 0.3, WIDTH * 0.7], styles, header=0)]
    story += _headline(report, styles)
    story += [Spacer(1, 5 * mm), _approval(styles)]
    if report.legend:
        story += [Spacer(1, 4 * mm)] + [Paragraph(escape(line), styles["note"])
                                        for line in report.legend]
    return story


def _headline(report: ReportData, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    """The box of headline figures, two to a row, with its notes."""
    if not report.headline:
        return []
    font = styles["cell"].fontName
    label_width, value_width = WIDTH * 0.27, WIDTH * 0.23
    pairs = [["\n".join(_lines(str(f.label), font, label_width - 4)),
              "\n".join(_lines(_fact(f), font, value_width - 4))] for f in report.headline]
    rows = [pairs[i] + (pairs[i + 1] if i + 1 < len(pairs) else ["", ""])
            for i in range(0, len(pairs), 2)]
    grid = ruled_table([["主要数値 / Headline figures", "", "", ""], *rows],
                 [label_width, value_width] * 2, styles, header=1)
    grid.setStyle(TableStyle([
        ("SPAN", (0, 0), (-1, 0)), ("ALIGN", (1, 1), (1, -1), "RIGHT"),
        ("ALIGN", (3, 1), (3, -1), "RIGHT"), ("BACKGROUND", (0, 1), (0, -1), TOTAL_BG),
        ("BACKGROUND", (2, 1), (2, -1), TOTAL_BG), ("BOX", (0, 0), (-1, -1), 1, colors.black)]))
    return [Spacer(1, 5 * mm), grid] + [Paragraph(escape(note), styles["note"])
                                        for note in report.headline_notes]


def _approval(styles: dict[str, ParagraphStyle]) -> Table:
    """The approval box (確認欄), left blank for the seals of the preparer and approvers."""
    width = 26 * mm
    grid = Table([["確認欄 / Approval", "作成 / Prepared", "確認 / Checked", "承認 / Approved"],
                  ["", "", "", ""]], colWidths=[width * 1.2] + [width] * 3,
                 rowHeights=[None, 22 * mm], hAlign="RIGHT")
    grid.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), styles["cell"].fontName, CELL_SIZE, CELL_SIZE + 1.5),
        ("GRID", (1, 0), (-1, -1), 0.5, colors.black), ("SPAN", (0, 0), (0, 1)),
        ("BOX", (0, 0), (0, 1), 0.5, colors.black), ("VALIGN", (0, 0), (0, 1), "MIDDLE"),
        ("ALIGN", (0, 0), (-1, -1), "CENTER"), ("BACKGROUND", (0, 0), (-1, 0), HEADER_BG)]))
    return grid


def _section(section: Section, styles: dict[str, ParagraphStyle],
             chart: Flowable | None = None) -> list[Flowable]:
    """A section: its facts, then its tables; `chart` goes with the first table."""
    story: list[Flowable] = [CondPageBreak(40 * mm),
                             Paragraph(escape(str(section.label)), styles["h1"])]
    if section.facts:
        font = styles["cell"].fontName
        story.append(ruled_table([["\n".join(_lines(str(f.label), font, WIDTH * 0.35 - 4)),
                             Paragraph(escape(_fact(f)), styles["cell"])]
                            for f in section.facts], [WIDTH * 0.35, WIDTH * 0.65], styles,
                           header=0))
    for index, table in enumerate(section.tables):
        # A table named as its section is not headed twice.
        heading = ([] if table.label == section.label
                   else [Paragraph(escape(str(table.label)), styles["h2"])])
        shown: list[Flowable] = [*heading, *_table(table, styles)]
        shown += [Paragraph(escape(note), styles["note"]) for note in table.notes]
        if chart is not None and index == 0:
            # The chart stays on the page of the table it draws.
            shown = [KeepTogether([*shown, Spacer(1, 4), chart])]
        story += shown
    story += [Paragraph(escape(note), styles["note"]) for note in section.notes]
    return story


def _fact(fact: Fact) -> str:
    shown = text(fact.value, fact.key, fact.unit)
    # A unit follows a figure, never a word standing in for one ("none certified").
    figure = isinstance(fact.value, Decimal | int) or (
        isinstance(fact.value, str) and fact.value[:1].isdigit())
    return f"{shown} {fact.unit}" if figure and fact.unit not in ("", "ratio") else shown


def _table(table: data.Table, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    """Return the table as a Grid of plain-text cells, each broken into lines that fit its
    column, with its header repeated on every page and its totals row shaded."""
    columns = table.columns
    font = styles["cell"].fontName
    shown = [[text(row.values.get(c.key), c.key) for c in columns] for row in table.rows]
    if table.totals is not None:
        shown.append([text(table.totals.values.get(c.key, ""), c.key) for c in columns])
    widths = _widths(table, shown, font)
    header = [[line for label in dict.fromkeys((c.label.ja, c.label.en))
               for line in _lines(label, font, width - 4)]
              for c, width in zip(columns, widths, strict=True)]
    body: list[list[list[str]]] = [
        [_cell(figure, c, width, font).split("\n")
         for figure, c, width in zip(texts, columns, widths, strict=True)] for texts in shown]
    for row, cells in zip(table.rows, body, strict=False):
        if row.illustrative:
            cells[0][0] = f"* {cells[0][0]}"
    if not table.rows:
        body.insert(0, [["—"]] + [[""] for _ in columns[1:]])
    return [Grid([header, *body], widths, font=font, size=CELL_SIZE, header=1,
                 right=[c.numeric for c in columns], header_fill=HEADER_BG, rule=colors.grey,
                 shaded={-1: TOTAL_BG} if table.totals is not None else None)]


def _widths(table: data.Table, shown: list[list[str]], font: str) -> list[float]:
    """Return the columns' widths: shares of the page by kind, except that a number column
    is never narrower than its widest figure (`shown`: the cells' texts; numbers do not
    wrap); the text columns, which do, give up the room."""
    columns = table.columns
    weights = [1.0 if c.numeric else (2.2 if c.key in WRAPPED else 1.3) for c in columns]
    widths = [WIDTH * w / sum(weights) for w in weights]
    needed = [max((width_of(texts[i], font, CELL_SIZE) + 6 for texts in shown), default=0.0)
              if c.numeric else 0.0 for i, c in enumerate(columns)]
    extra = sum(max(n - w, 0.0) for n, w in zip(needed, widths, strict=True))
    spare = sum(w for w, c in zip(widths, columns, strict=True) if not c.numeric)
    if extra <= 0 or spare <= extra:
        return widths
    shrink = (spare - extra) / spare
    return [max(w, n) if c.numeric else w * shrink
            for w, n, c in zip(widths, needed, columns, strict=True)]


def _cell(shown: str, column: data.Column, width: float, font: str) -> str:
    """Return a cell's text, broken into lines that fit the column (plain text is cheap)."""
    if column.numeric or width_of(shown, font, CELL_SIZE) <= width - 4:
        return shown
    return "\n".join(_lines(shown, font, width - 4))


def _lines(shown: str, font: str, width: float) -> list[str]:
    """Return `shown` in lines no wider than `width`: broken at spaces, and a line without
    one that still does not fit (Japanese has none between words) between characters."""
    return list(_broken(shown, font, width))


@lru_cache(maxsize=16384)  # a long table wraps the same names and labels row after row
def _broken(shown: str, font: str, width: float) -> tuple[str, ...]:
    lines = []
    for line in simpleSplit(shown, font, CELL_SIZE, width):
        while width_of(line, font, CELL_SIZE) > width and len(line) > 1:
            cut = next(i for i in range(len(line) - 1, 0, -1)
                       if width_of(line[:i], font, CELL_SIZE) <= width or i == 1)
            lines.append(line[:cut])
            line = line[cut:]
        lines.append(line)
    return tuple(lines)


def ruled_table(rows: list[list[Any]], widths: list[float], styles: dict[str, ParagraphStyle], *,
          header: int) -> Table:
    font = styles["cell"].fontName
    grid = Table(rows, colWidths=widths, repeatRows=header)
    commands: list[Any] = [
        ("FONT", (0, 0), (-1, -1), font, CELL_SIZE, CELL_SIZE + 1.5),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5)]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, header - 1), HEADER_BG))
    else:
        commands.append(("BACKGROUND", (0, 0), (0, -1), HEADER_BG))
    grid.setStyle(TableStyle(commands))
    return grid


class NumberedCanvas(Canvas):
    """A canvas that prints "page / pages" and a footer once the page count is known."""

    def __init__(self, *args: Any, footer: str, font: str, stamp: Stamp, identity: bytes,
                 band: str | None = None, **kwargs: Any) -> None:
        # Drawing starts in the report's font: the canvas's default, Helvetica, would be
        # listed as a font of every page without being embedded.
        super().__init__(*args, **{**kwargs, "initialFontName": font})
        self._pages: list[dict[str, Any]] = []
        self._footer, self._font, self._band = footer, font, band
        # ReportLab's document keeps its creation date in _timeStamp and its ID in _ID, and
        # offers no public setter for either; invariant mode alone would date every report
        # 2000-01-01 and derive the ID from the content.
        self._doc._timeStamp = stamp
        self._doc._ID = _id_entry(identity)

    def showPage(self) -> None:  # noqa: N802 (ReportLab's name)
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self.setFont(self._font, 7)
            self.setFillColor(colors.grey)
            self.drawString(MARGIN, MARGIN, self._footer)
            self.drawRightString(A4[0] - MARGIN, MARGIN, f"{number} / {total}")
            if self._band:
                self._draw_band(self._band)
            super().showPage()
        super().save()

    def _draw_band(self, band: str) -> None:
        # In the top margin, above the content, so it hides no figure of the page.
        size, lines = 7, simpleSplit(band, self._font, 7, WIDTH - 4 * mm)[:2]
        height = 3 * mm + size * 1.25 * len(lines)
        top = A4[1] - 3 * mm
        self.setFillColor(BAND_BG)
        self.rect(MARGIN, top - height, WIDTH, height, stroke=0, fill=1)
        self.setFillColor(colors.white)
        self.setFont(self._font, size)
        for i, line in enumerate(lines):
            self.drawString(MARGIN + 2 * mm, top - 1.5 * mm - size * 1.25 * (i + 1) + 1.5,
                            line)


class Stamp:
    """A ReportLab timestamp fixed at a report's generation time, in Japan's time (what
    the PDF's CreationDate and ModDate print)."""

    def __init__(self, moment: datetime) -> None:
        local = moment.astimezone(JST)
        self.t = moment.timestamp()
        self.YMDhms = (local.year, local.month, local.day, local.hour, local.minute,  # noqa: N815
                       local.second)
        self.dhh, self.dmm = 9, 0
        self.tzname = "JST"


def _id_entry(identity: bytes) -> bytes:
    # The trailer's /ID entry as ReportLab writes it (PDFDocument.ID), from our 16 bytes.
    text: bytes = PDFText(identity, enc="raw").format(DummyDoc())
    return b"\n[" + text + text + b"]\n% ReportLab generated PDF document\n"
