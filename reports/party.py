"""An urban party's offset report of a fiscal year (都市側の相殺状況報告書), as a PDF and as an
XLSX workbook of the same figures: the party's emissions by scope and by source, the credits
retired through each of its agreements, net and offset ratio, and each agreement's money and
the chain head its figures were read at.

Drawn from the frozen party summary (offset.netting.party), with the annual reports' font,
styles and page footer; every figure is one the summary holds, none is computed here but the
sums over its agreements that the summary itself defines. The same summary and time give
the same bytes.
"""

from __future__ import annotations

import hashlib
import io
from datetime import datetime
from decimal import Decimal
from xml.sax.saxutils import escape

from openpyxl import Workbook  # type: ignore[import-untyped]
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer

from offset.agreements.model import Side
from offset.fiscal import FiscalYear
from offset.netting.model import activity_of
from offset.netting.party import Contribution, PartySummary
from reports.data import Label
from reports.fonts import report_font
from reports.glossary import ACTIVITIES, label
from reports.render import MARGIN, WIDTH, NumberedCanvas, Stamp, moment, page_styles, ruled_table
from reports.workbook import (
    BOLD,
    TITLE,
    label_row,
    number_cells,
    ratio_cell,
    settled,
    sheet_name,
    styled_cell,
)

T, YEN = Decimal("0.001"), Decimal(1)
TITLE_LABEL = Label("都市側の相殺状況報告書", "Urban party's offset position")
HEADLINE_COLUMNS = (
    Label("排出量 t-CO2", "emissions"), Label("無効化 t-CO2", "retired"),
    Label("差引排出量 t-CO2", "net emissions"), Label("相殺率", "offset ratio"),
    Label("認証 t-CO2", "certified"), Label("都市側の正味負担 円", "urban net cost yen"))
SCOPE_COLUMNS = (Label("範囲", "scope"), Label("協定", "agreement"),
                 Label("排出量 t-CO2", "emissions t-CO2"))
SOURCE_COLUMNS = (Label("排出源", "source"), Label("排出量 t-CO2", "emissions t-CO2"))
AGREEMENT_COLUMNS = (
    Label("協定", "ID"), Label("森林側", "forest partner"), Label("範囲", "scope"),
    Label("排出量 t-CO2", "emissions"), Label("認証 t-CO2", "certified"),
    Label("無効化 t-CO2", "retired"), Label("差引 t-CO2", "net"), Label("相殺率", "ratio"),
    Label("都市側負担 円", "urban cost yen"), Label("都市側補助金 円", "urban subsidies yen"),
    Label("都市側正味 円", "urban net yen"), Label("仕訳数・先頭", "chain"))


def party_filename(summary: PartySummary, suffix: str) -> str:
    return f"offset-party-{summary.party.code}-FY{summary.fiscal_year}.{suffix}"


def _period(summary: PartySummary) -> Label:
    fy = FiscalYear(summary.fiscal_year)
    return Label(fy.era_label, str(fy))


def _percent(value: Decimal | None) -> str:
    return "—" if value is None else f"{(value * 100).quantize(Decimal('0.01')):,f} %"


def _urban(amounts: dict[tuple[str, Side], Decimal]) -> Decimal:
    return sum((a for (_, side), a in amounts.items() if side is Side.URBAN), Decimal(0))


def _headline(summary: PartySummary) -> list[Decimal]:
    carbon = summary.carbon
    return [carbon.emissions.quantize(T), carbon.retired.quantize(T), carbon.net.quantize(T)]


def _agreement_figures(c: Contribution) -> list[Decimal]:
    carbon = c.summary.carbon
    return [carbon.emissions.quantize(T), carbon.certified.quantize(T),
            carbon.retired.quantize(T), carbon.net.quantize(T)]


def _agreement_money(c: Contribution) -> list[Decimal]:
    money = c.summary.money
    return [_urban(money.costs).quantize(YEN), _urban(money.subsidies).quantize(YEN),
            money.net_cost[Side.URBAN].quantize(YEN)]


def _sources(summary: PartySummary) -> list[tuple[str, Decimal]]:
    return [(label(ACTIVITIES, activity_of(part)), tonnes.quantize(T))
            for part, tonnes in summary.carbon.emissions_by_activity.items()]


def _shown(value: Decimal) -> str:
    return f"{value:,}"


def render_party_pdf(summary: PartySummary, generated_at: datetime) -> bytes:
    """Return the party's report of the summary's fiscal year as PDF bytes."""
    font = report_font().name
    styles = page_styles(font)
    period, party = _period(summary), summary.party
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN,
                            topMargin=MARGIN + 4 * mm, bottomMargin=MARGIN + 4 * mm,
                            invariant=1, title=f"{TITLE_LABEL.en} {party.name_en} {period.en}",
                            author="offset", subject=f"{party.name_ja} / {party.name_en}")
    cell = styles["cell"]
    carbon = summary.carbon
    story: list[Flowable] = [
        Paragraph(escape(TITLE_LABEL.ja), styles["title"]),
        Paragraph(escape(f"{TITLE_LABEL.en} — {party.name_ja} {party.name_en} — "
                         f"{period.ja}（{period.en}）"), styles["subtitle"]),
        Paragraph(escape(
            f"{party.name_ja}（団体コード {party.code}）· {party.section_ja or ''} "
            f"{party.section_en or ''} · 作成日時 / generated {moment(generated_at)} · "
            f"協定数 / agreements {len(summary.contributions)}"), styles["note"]),
        Spacer(1, 6),
        Paragraph(escape("相殺の状況 / Offset position"), styles["h1"]),
    ]
    headline = [[Paragraph(escape(str(c)), cell) for c in HEADLINE_COLUMNS],
                [*(_shown(v) for v in _headline(summary)), _percent(summary.offset_ratio),
                 _shown(carbon.certified.quantize(T)), _shown(summary.net_cost.quantize(YEN))]]
    box = ruled_table(headline, [WIDTH / 6] * 6, styles, header=1)
    box.setStyle([("ALIGN", (0, 1), (-1, -1), "RIGHT")])
    story += [box, Paragraph(escape(
        "排出量は各協定が相殺する範囲の排出量の合計、無効化は各協定の認証クレジットのうちこの年度の"
        "排出量に充てたもの。相殺率＝無効化÷排出量。 / Emissions: the sum over the scopes the "
        "agreements offset; retired: each agreement's certified credits retired against this "
        "year's emissions. Offset ratio = retired ÷ emissions."), styles["note"])]

    story.append(Paragraph(escape("範囲別の排出量 / Emissions by scope"), styles["h1"]))
    rows: list[list[object]] = [[Paragraph(escape(str(c)), cell) for c in SCOPE_COLUMNS]]
    for c in summary.contributions:
        rows.append([Paragraph(escape(c.agreement.emission_scope), cell),
                     Paragraph(escape(f"{c.agreement.id} {c.forest.name_ja}"), cell),
                     _shown(c.summary.carbon.emissions.quantize(T))])
    rows.append([Paragraph(escape("計 / total"), cell), "",
                 _shown(carbon.emissions.quantize(T))])
    scopes = ruled_table(rows, [WIDTH * 0.45, WIDTH * 0.3, WIDTH * 0.25], styles, header=1)
    scopes.setStyle([("ALIGN", (2, 1), (2, -1), "RIGHT"),
                     ("BACKGROUND", (0, len(rows) - 1), (-1, len(rows) - 1), "#f2f2f2")])
    story.append(scopes)

    story.append(Paragraph(escape("排出源別の排出量 / Emissions by source"), styles["h1"]))
    rows = [[Paragraph(escape(str(c)), cell) for c in SOURCE_COLUMNS]]
    rows += [[Paragraph(escape(name), cell), _shown(tonnes)]
             for name, tonnes in _sources(summary)]
    rows.append([Paragraph(escape("計 / total"), cell), _shown(carbon.emissions.quantize(T))])
    sources = ruled_table(rows, [WIDTH * 0.6, WIDTH * 0.4], styles, header=1)
    sources.setStyle([("ALIGN", (1, 1), (1, -1), "RIGHT"),
                      ("BACKGROUND", (0, len(rows) - 1), (-1, len(rows) - 1), "#f2f2f2")])
    story.append(sources)

    story.append(Paragraph(escape("協定ごとの寄与 / Each agreement's contribution"),
                           styles["h1"]))
    rows = [[Paragraph(escape(str(c)), cell) for c in AGREEMENT_COLUMNS]]
    for c in summary.contributions:
        rows.append([
            str(c.agreement.id), Paragraph(escape(f"{c.forest.name_ja} {c.forest.name_en}"), cell),
            Paragraph(escape(c.agreement.emission_scope), cell),
            *(_shown(v) for v in _agreement_figures(c)),
            _percent(c.summary.carbon.offset_ratio),
            *(_shown(v) for v in _agreement_money(c)),
            Paragraph(escape(f"{c.summary.chain_entry_count} {c.summary.chain_head[:12]}…"),
                      cell)])
    if not summary.contributions:
        rows.append([Paragraph(escape("この年度の協定はありません / no agreement covers the "
                                      "year"), cell)] + [""] * 11)
    widths = [8, 22, 20, 15, 15, 14, 15, 12, 17, 17, 17, 18]
    scale = WIDTH / (sum(widths) * mm)
    grid = ruled_table(rows, [w * mm * scale for w in widths], styles, header=1)
    grid.setStyle([("ALIGN", (3, 1), (10, -1), "RIGHT")])
    story += [grid, Paragraph(escape(
        "各協定の数値はその協定の年度集計（GET /v1/agreements/ID/fiscal-years/FY/summary）"
        "と同じ。仕訳数・先頭：読んだ時点のチェーン（offset verify --agreement ID --at N で照合）。"
        " / Each agreement's figures are its own fiscal-year summary; chain: the head they "
        "were read at (match with `offset verify --agreement ID --at N`)."), styles["note"])]
    footer = (f"offset · {TITLE_LABEL.en} · {party.name_en} · {period.en} · "
              f"{len(summary.contributions)} agreement(s)")
    doc.build(story, canvasmaker=lambda *a, **k: NumberedCanvas(
        *a, footer=footer, font=font, stamp=Stamp(generated_at),
        identity=_identity(summary, generated_at), **k))
    return out.getvalue()


def _identity(summary: PartySummary, generated_at: datetime) -> bytes:
    key = (f"offset party {summary.party.id} {summary.fiscal_year} {generated_at.isoformat()} "
           + " ".join(f"{c.agreement.id}:{c.summary.chain_entry_count}:{c.summary.chain_head}"
                      for c in summary.contributions))
    return hashlib.sha256(key.encode("utf-8")).digest()[:16]


def render_party_xlsx(summary: PartySummary, generated_at: datetime) -> bytes:
    """Return the party's report as a workbook: the position, emissions by scope and by
    source, each agreement's contribution; numbers as numbers (yen whole, tonnes 3)."""
    book = Workbook(write_only=True)
    when = generated_at.replace(tzinfo=None)
    book.properties.created = book.properties.modified = when
    book.properties.creator = "offset"
    period, party = _period(summary), summary.party
    book.properties.title = f"{TITLE_LABEL.en} {party.name_en} {period.en}"
    carbon = summary.carbon

    position = book.create_sheet(sheet_name("相殺 Position"))
    position.append([styled_cell(position, f"{TITLE_LABEL} {party.name_ja} {party.name_en} "
                                           f"{period.ja}（{period.en}）", TITLE)])
    position.append([f"作成日時 / generated {moment(generated_at)}",
                     f"団体コード / code {party.code}"])
    position.append([])
    position.append(label_row(position, HEADLINE_COLUMNS))
    position.append([*number_cells(position, _headline(summary)),
                     ratio_cell(position, summary.offset_ratio),
                     *number_cells(position, [carbon.certified.quantize(T),
                                          summary.net_cost.quantize(YEN)])])

    scopes = book.create_sheet(sheet_name("範囲 Scopes"))
    scopes.append(label_row(scopes, SCOPE_COLUMNS))
    for c in summary.contributions:
        scopes.append([c.agreement.emission_scope, c.agreement.id,
                       *number_cells(scopes, [c.summary.carbon.emissions.quantize(T)])])
    scopes.append([styled_cell(scopes, "計 / total", BOLD), None,
                   *number_cells(scopes, [carbon.emissions.quantize(T)])])

    sources = book.create_sheet(sheet_name("排出源 Sources"))
    sources.append(label_row(sources, SOURCE_COLUMNS))
    for name, tonnes in _sources(summary):
        sources.append([name, *number_cells(sources, [tonnes])])
    sources.append([styled_cell(sources, "計 / total", BOLD),
                    *number_cells(sources, [carbon.emissions.quantize(T)])])

    lines = book.create_sheet(sheet_name("協定 Agreements"))
    lines.append(label_row(lines, AGREEMENT_COLUMNS[:-1] + (
        Label("仕訳数", "chain seq"), Label("チェーン先頭", "chain head"))))
    for c in summary.contributions:
        lines.append([c.agreement.id, f"{c.forest.name_ja} {c.forest.name_en}",
                      c.agreement.emission_scope, *number_cells(lines, _agreement_figures(c)),
                      ratio_cell(lines, c.summary.carbon.offset_ratio),
                      *number_cells(lines, _agreement_money(c)),
                      c.summary.chain_entry_count, c.summary.chain_head])
    buffer = io.BytesIO()
    book.save(buffer)
    return settled(buffer.getvalue(), when)

