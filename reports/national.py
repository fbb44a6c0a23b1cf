"""The council's national report of a fiscal year (全国の連携状況報告書), as a PDF and as an
XLSX workbook of the same figures: every partnership of the year, the totals by the forest's
prefecture and for the nation, each partnership tied to its chain head.

Drawn from the frozen overview (offset.council), with the annual reports' font, styles and
page footer; no figure is computed here. The same overview and time give the same bytes.
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

from offset.council.model import Overview, Partnership, Totals
from offset.fiscal import FiscalYear
from reports.data import Label
from reports.fonts import report_font
from reports.render import MARGIN, WIDTH, NumberedCanvas, Stamp, moment, page_styles, ruled_table
from reports.workbook import BOLD, TITLE, label_row, number_cells, settled, sheet_name, styled_cell

T, HA, YEN = Decimal("0.001"), Decimal("0.01"), Decimal(1)
TITLE_LABEL = Label("全国の連携状況報告書", "National partnerships report")
PARTNERSHIP_COLUMNS = (
    Label("都道府県", "prefecture"), Label("協定", "ID"), Label("都市 – 森林", "pair"),
    Label("間伐 ha", "thinned ha"), Label("目標 ha", "target ha"),
    Label("認証 t-CO2", "certified"), Label("無効化 t-CO2", "retired"),
    Label("総事業費 円", "gross yen"), Label("正味 円", "net yen"),
    Label("交付金 円", "grants yen"), Label("年度中の認定", "certified in FY"),
    Label("認定の状況", "standing"), Label("仕訳数・先頭", "chain"))
TOTAL_COLUMNS = (
    Label("都道府県", "prefecture"), Label("協定", "partnerships"),
    Label("認定中", "certified now"), Label("間伐 ha", "thinned ha"),
    Label("目標 ha", "target ha"), Label("認証 t-CO2", "certified"),
    Label("無効化 t-CO2", "retired"), Label("総事業費 円", "gross yen"),
    Label("正味 円", "net yen"), Label("交付金 円", "grants yen"))


def national_filename(overview: Overview, suffix: str) -> str:
    return f"offset-national-FY{overview.fiscal_year}.{suffix}"


def _period(overview: Overview) -> Label:
    fy = FiscalYear(overview.fiscal_year)
    return Label(fy.era_label, str(fy))


def _figures(line: Partnership) -> list[Decimal]:
    return [line.area_thinned_ha.quantize(HA), line.target_ha.quantize(HA),
            line.certified_t.quantize(T), line.retired_t.quantize(T),
            line.gross_cost.quantize(YEN), line.net_cost.quantize(YEN),
            line.grants.quantize(YEN)]


def _total_figures(totals: Totals) -> list[int | Decimal]:
    return [totals.partnerships, totals.certified_partnerships,
            totals.area_thinned_ha.quantize(HA), totals.target_ha.quantize(HA),
            totals.certified_t.quantize(T), totals.retired_t.quantize(T),
            totals.gross_cost.quantize(YEN), totals.net_cost.quantize(YEN),
            totals.grants.quantize(YEN)]


def _standing(line: Partnership) -> str:
    found = f"{line.standing.label_ja} / {line.standing.value}"
    if line.certification is not None:
        found += f" {line.certification.number} 〜{line.certification.valid_until}"
    return found


def _shown(value: int | Decimal) -> str:
    return f"{value:,}"


def render_national_pdf(overview: Overview, generated_at: datetime) -> bytes:
    """Return the national report of the overview's fiscal year as PDF bytes."""
    font = report_font().name
    styles = page_styles(font)
    period = _period(overview)
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN,
                            topMargin=MARGIN + 4 * mm, bottomMargin=MARGIN + 4 * mm,
                            invariant=1, title=f"{TITLE_LABEL.en} {period.en}",
                            author="offset", subject="連携推進協議会 / national council")
    cell = styles["cell"]
    story: list[Flowable] = [
        Paragraph(escape(TITLE_LABEL.ja), styles["title"]),
        Paragraph(escape(f"{TITLE_LABEL.en} — {period.ja}（{period.en}）"), styles["subtitle"]),
        Paragraph(escape(
            f"連携推進協議会 / national council · 作成日時 / generated {moment(generated_at)} · "
            f"認定の状況は {overview.on} 現在 / standings as of {overview.on}"), styles["note"]),
        Spacer(1, 6),
        Paragraph(escape("全国の合計 / National totals"), styles["h1"]),
    ]
    header = [Paragraph(escape(str(label)), cell) for label in TOTAL_COLUMNS]
    rows: list[list[object]] = [header]
    for prefecture in overview.prefectures:
        rows.append([Paragraph(escape(f"{prefecture.name_ja} {prefecture.name_en}"), cell)]
                    + [_shown(v) for v in _total_figures(prefecture.totals)])
    rows.append([Paragraph(escape("全国 / nation"), cell)]
                + [_shown(v) for v in _total_figures(overview.totals)])
    totals_grid = ruled_table(rows, [30 * mm] + [(WIDTH - 30 * mm) / 9] * 9, styles, header=1)
    totals_grid.setStyle([("ALIGN", (1, 1), (-1, -1), "RIGHT"),
                          ("BACKGROUND", (0, len(rows) - 1), (-1, len(rows) - 1), "#f2f2f2")])
    story += [totals_grid, Paragraph(escape(
        "森林の所在都道府県別。正味は両者の費用から補助金・交付金・木材売払収入を差し引いた額。"
        " / By the prefecture where the forest is. Net: both sides' costs less subsidies, "
        "grants and timber revenue."), styles["note"])]
    story.append(Paragraph(escape("協定ごと / Per partnership"), styles["h1"]))
    rows = [[Paragraph(escape(str(label)), cell) for label in PARTNERSHIP_COLUMNS]]
    for line in overview.partnerships:
        rows.append([
            Paragraph(escape(f"{line.forest.prefecture.name_ja}"), cell), str(line.agreement.id),
            Paragraph(escape(f"{line.urban.name_ja} – {line.forest.name_ja}"), cell),
            *[_shown(v) for v in _figures(line)],
            "有 yes" if line.certified_in_year else "無 no",
            Paragraph(escape(_standing(line)), cell),
            Paragraph(escape(f"{line.chain_seq} {line.chain_head[:12]}…"), cell)])
    if not overview.partnerships:
        rows.append([Paragraph(escape("この年度の協定はありません / no partnership in the "
                                      "year"), cell)] + [""] * 12)
    widths = [16, 8, 21, 12, 11, 14, 14, 16, 16, 13, 15, 22, 18]
    scale = WIDTH / (sum(widths) * mm)
    grid = ruled_table(rows, [w * mm * scale for w in widths], styles, header=1)
    grid.setStyle([("ALIGN", (3, 1), (9, -1), "RIGHT")])
    story += [grid, Paragraph(escape(
        "仕訳数・先頭：各協定の台帳を読んだ時点のチェーン"
        "（offset verify --agreement ID --at N で照合） / chain: each agreement's head the "
        "figures were read at (match with `offset verify --agreement ID --at N`)."),
        styles["note"])]
    footer = (f"offset · {TITLE_LABEL.en} · {period.en} · {len(overview.partnerships)} "
              "partnerships")
    doc.build(story, canvasmaker=lambda *a, **k: NumberedCanvas(
        *a, footer=footer, font=font, stamp=Stamp(generated_at),
        identity=_identity(overview, generated_at), **k))
    return out.getvalue()


def _identity(overview: Overview, generated_at: datetime) -> bytes:
    key = f"offset national {overview.fiscal_year} {overview.on} {generated_at.isoformat()} " \
          + " ".join(f"{p.agreement.id}:{p.chain_seq}:{p.chain_head}" for p in
                     overview.partnerships)
    return hashlib.sha256(key.encode("utf-8")).digest()[:16]


def render_national_xlsx(overview: Overview, generated_at: datetime) -> bytes:
    """Return the national report as a workbook: a sheet of totals, one of partnerships;
    numbers as numbers (yen whole, hectares 2 places, tonnes 3)."""
    book = Workbook(write_only=True)
    when = generated_at.replace(tzinfo=None)
    book.properties.created = book.properties.modified = when
    book.properties.creator = "offset"
    period = _period(overview)
    book.properties.title = f"{TITLE_LABEL.en} {period.en}"
    totals = book.create_sheet(sheet_name("合計 Totals"))
    totals.append([styled_cell(totals, f"{TITLE_LABEL} {period.ja}（{period.en}）", TITLE)])
    totals.append([f"作成日時 / generated {moment(generated_at)}",
                   f"認定の状況 / standings as of {overview.on.isoformat()}"])
    totals.append([])
    totals.append(label_row(totals, TOTAL_COLUMNS))
    for prefecture in overview.prefectures:
        totals.append([f"{prefecture.name_ja} {prefecture.name_en}",
                       *number_cells(totals, _total_figures(prefecture.totals))])
    totals.append([styled_cell(totals, "全国 / nation", BOLD),
                   *number_cells(totals, _total_figures(overview.totals))])
    lines = book.create_sheet(sheet_name("協定 Partnerships"))
    lines.append(label_row(lines, PARTNERSHIP_COLUMNS[:-1] + (
        Label("仕訳数", "chain seq"), Label("チェーン先頭", "chain head"))))
    for line in overview.partnerships:
        lines.append([line.forest.prefecture.name_ja, line.agreement.id,
                      f"{line.urban.name_ja} – {line.forest.name_ja}",
                      *number_cells(lines, _figures(line)),
                      "有 yes" if line.certified_in_year else "無 no", _standing(line),
                      line.chain_seq, line.chain_head])
    buffer = io.BytesIO()
    book.save(buffer)
    return settled(buffer.getvalue(), when)

