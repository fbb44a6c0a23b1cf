"""The netting chart: offsets of a few hundred tonnes stay visible beside emissions of tens
of thousands, estimates awaiting certification are drawn apart and named provisional, and
the axes print thousands separators."""

from __future__ import annotations

from decimal import Decimal

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String

from reports.chart import netting_chart
from reports.data import ChartPoint

D = Decimal
POINTS = (  # a ward of 20,000 t a year; 400 t retired, then 600 t still estimated
    ChartPoint(2021, D("20000.000"), D("400.000"), D("20000.000"), D("400.000"),
               D("0.000"), D("0.0200"), D("0.0200")),
    ChartPoint(2022, D("19000.000"), D("0.000"), D("39000.000"), D("400.000"),
               D("600.000"), D("0.0000"), D("0.0316")),
)


def panels(drawing: Drawing) -> list[VerticalBarChart]:
    return [shape for shape in drawing.contents if isinstance(shape, VerticalBarChart)]


def texts(drawing: Drawing) -> list[str]:
    return [shape.text for shape in drawing.contents if isinstance(shape, String)]


def test_emissions_and_offsets_each_have_a_scale_of_their_own():
    emitted, offsets = panels(netting_chart(POINTS, "Helvetica"))
    assert emitted.data == [[20000.0, 19000.0]]
    assert emitted.valueAxis.valueMax >= 20000
    # The tallest offset bar (600 t) fills most of its panel instead of 3 % of one axis.
    assert 600 <= offsets.valueAxis.valueMax <= 1000


def test_provisional_estimates_are_a_series_of_their_own_stacked_on_the_retired():
    drawing = netting_chart(POINTS, "Helvetica")
    _, offsets = panels(drawing)
    assert offsets.data == [[400.0, 0.0], [0.0, 600.0]]
    assert offsets.categoryAxis.style == "stacked"
    shown = texts(drawing)
    assert "2.00 %" in shown  # FY2021: retired over emissions, as the netting table prints
    assert "暫定 3.16 %" in shown  # FY2022: provisional, with its estimates


def test_axes_print_thousands_separators():
    emitted, _ = panels(netting_chart(POINTS, "Helvetica"))
    assert emitted.valueAxis.labelTextFormat(20000.0) == "20,000"
