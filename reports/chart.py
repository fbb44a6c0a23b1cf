"""The netting chart: emissions vs retired credits per fiscal year, and their running totals.

The only place a report turns its Decimals into floats, for drawing.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors

from reports.data import ChartPoint

EMISSIONS = colors.HexColor("#c0504d")
RETIRED = colors.HexColor("#4f81bd")
WIDTH, HEIGHT = 480, 190


def netting_chart(points: Sequence[ChartPoint], font: str) -> Drawing:
    """Return a drawing of two charts: per FY (bars) and cumulative (lines)."""
    drawing = Drawing(WIDTH, HEIGHT)
    drawing.initialFontName = font  # else the renderer starts in Helvetica, not embedded
    years = [f"FY{p.fiscal_year}" for p in points]
    bars = VerticalBarChart()
    _place(bars, 40, years, font)
    bars.data = [[float(p.emissions) for p in points], [float(p.retired) for p in points]]
    bars.bars[0].fillColor, bars.bars[1].fillColor = EMISSIONS, RETIRED
    lines = HorizontalLineChart()
    _place(lines, 280, years, font)
    lines.data = [[float(p.cumulative_emissions) for p in points],
                  [float(p.cumulative_retired) for p in points]]
    lines.lines[0].strokeColor, lines.lines[1].strokeColor = EMISSIONS, RETIRED
    lines.lines[0].strokeWidth = lines.lines[1].strokeWidth = 2
    drawing.add(bars)
    drawing.add(lines)
    for x, text in ((40, "年度別 / per FY (t-CO2)"), (280, "累計 / cumulative (t-CO2)")):
        drawing.add(String(x, HEIGHT - 12, text, fontName=font, fontSize=8))
    drawing.add(_legend(font))
    return drawing


def _place(chart: VerticalBarChart | HorizontalLineChart, x: int, years: list[str],
           font: str) -> None:
    chart.x, chart.y, chart.width, chart.height = x, 45, 190, 115
    chart.categoryAxis.categoryNames = years
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 6
    chart.categoryAxis.labels.angle = 30 if len(years) > 3 else 0
    chart.categoryAxis.labels.boxAnchor = "ne" if len(years) > 3 else "n"
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 6


def _legend(font: str) -> Legend:
    legend = Legend()
    legend.x, legend.y = 40, 8
    legend.fontName, legend.fontSize = font, 7
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.deltax = 150
    legend.colorNamePairs = [(EMISSIONS, "排出量 E / emissions"),
                             (RETIRED, "無効化 O / retired credits")]
    return legend
