"""The netting chart: emissions and offsets per fiscal year, each on a scale of its own.

A ward's emissions are tens of thousands of tonnes and a forest's offsets a few hundred, so
one axis would flatten the offsets to nothing: the chart has two panels side by side, with
the offset ratio printed over each year's offsets. Estimates still awaiting certification
are drawn apart (stacked on the retired credits, in a pale tint) and named provisional.

The only place a report turns its Decimals into floats, for drawing.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from reportlab import rl_config

# ReportLab checks every attribute set on a shape against its declared type, an aid "for
# developing" in its own words, and a tenth of drawing the demo's reports; this chart is
# fixed code under test. Set before reportlab.graphics is imported, which reads it once.
rl_config.shapeChecking = 0

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors

from reports.data import ChartPoint

EMISSIONS = colors.HexColor("#c0504d")
RETIRED = colors.HexColor("#4f81bd")
PENDING = colors.HexColor("#c6d5ea")
WIDTH, HEIGHT = 500, 200
PANEL_WIDTH, PANEL_HEIGHT, PANEL_Y = 180, 110, 52


def netting_chart(points: Sequence[ChartPoint], font: str) -> Drawing:
    """Return a drawing of two panels: emissions per FY, and offsets per FY (retired credits
    with provisional estimates on top), each scaled to its own figures."""
    drawing = Drawing(WIDTH, HEIGHT)
    drawing.initialFontName = font  # else the renderer starts in Helvetica, not embedded
    years = [f"FY{p.fiscal_year}" for p in points]
    emitted = _panel(55, years, font, [[float(p.emissions) for p in points]], [EMISSIONS])
    offsets = _panel(305, years, font, [[float(p.retired) for p in points],
                                        [float(p.pending) for p in points]],
                     [RETIRED, PENDING])
    offsets.categoryAxis.style = "stacked"
    drawing.add(emitted)
    drawing.add(offsets)
    for x, text in ((20, "排出量 E（年度別, t-CO2）/ emissions per FY"),
                    (270, "相殺 O（年度別, t-CO2）/ offsets per FY")):
        drawing.add(String(x, HEIGHT - 12, text, fontName=font, fontSize=8))
    drawing.add(String(270, HEIGHT - 23, "数字は相殺率 O/E（暫定: 推計を含む）/ figures: offset "
                       "ratio (暫定: provisional, with estimates)",
                       fontName=font, fontSize=6, fillColor=colors.HexColor("#555555")))
    _ratios(drawing, offsets, points, font)
    drawing.add(_legend(font))
    return drawing


def _panel(x: int, years: list[str], font: str, series: list[list[float]],
           fills: list[colors.Color]) -> VerticalBarChart:
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = x, PANEL_Y, PANEL_WIDTH, PANEL_HEIGHT
    chart.data = series
    for index, fill in enumerate(fills):
        chart.bars[index].fillColor = fill
        chart.bars[index].strokeColor = colors.HexColor("#7f7f7f")
        chart.bars[index].strokeWidth = 0.3
    chart.categoryAxis.categoryNames = years
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 6
    chart.categoryAxis.labels.angle = 30 if len(years) > 3 else 0
    chart.categoryAxis.labels.boxAnchor = "ne" if len(years) > 3 else "n"
    chart.valueAxis.valueMin = 0
    top = max((sum(values) for values in zip(*series, strict=True)), default=0.0)
    chart.valueAxis.valueMax = _headroom(top)
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 6
    chart.valueAxis.labelTextFormat = _thousands
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#e0e0e0")
    chart.valueAxis.gridStrokeWidth = 0.3
    return chart


def _headroom(top: float) -> float:
    """Return an axis maximum a little above `top` (room for the ratio labels), 1 at least."""
    return max(top * 1.2, 1.0)


def _thousands(value: float) -> str:
    return f"{value:,.0f}"


def _ratios(drawing: Drawing, chart: VerticalBarChart, points: Sequence[ChartPoint],
            font: str) -> None:
    """Print each year's offset ratio over its bar: retired over emissions, and for a year
    with estimates awaiting certification the provisional ratio, marked 暫定."""
    if not points:
        return
    step = chart.width / len(points)
    scale = chart.height / chart.valueAxis.valueMax
    for index, point in enumerate(points):
        ratio = point.provisional_ratio if point.pending else point.ratio
        if ratio is None:
            continue
        percent = f"{(ratio * 100).quantize(Decimal('0.01'))} %"
        shown = f"暫定 {percent}" if point.pending else percent
        top = float(point.retired + point.pending) * scale
        drawing.add(String(chart.x + step * (index + 0.5), chart.y + top + 2, shown,
                           fontName=font, fontSize=5.5, textAnchor="middle"))


def _legend(font: str) -> Legend:
    legend = Legend()
    legend.x, legend.y = 20, 10
    legend.fontName, legend.fontSize = font, 7
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.deltax = 165
    legend.dx = legend.dy = 7
    legend.colorNamePairs = [(EMISSIONS, "排出量 E / emissions"),
                             (RETIRED, "無効化 O / retired credits"),
                             (PENDING, "推計（暫定・未認証）/ estimates, provisional")]
    return legend
