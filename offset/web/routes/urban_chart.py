"""The dashboard's chart, drawn on the server as SVG geometry: bars per fiscal year of a term.

Two panels, each on its own scale, because a ward's emissions are some forty times the
credits a forest certifies: emissions above; certified, retired and (provisional) pending
estimates below. Only positions are computed here; every figure comes from the summaries.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from offset.netting.services import Summary

WIDTH = 720
LEFT = 92  # room for the scale's labels
PLOT_WIDTH = WIDTH - LEFT - 16
PANEL_HEIGHT = 150
PANEL_TOP = (34, 264)  # where each panel's plot starts
HEIGHT = 470


@dataclass(frozen=True)
class Bar:
    series: str  # emissions, certified, retired, pending
    fiscal_year: int
    value: Decimal
    x: int
    y: int
    width: int
    height: int


@dataclass(frozen=True)
class Panel:
    top: int
    scale: Decimal  # the figure at the top of the plot
    bars: tuple[Bar, ...]

    @property
    def bottom(self) -> int:
        return self.top + PANEL_HEIGHT

    @property
    def middle(self) -> int:
        return self.top + PANEL_HEIGHT // 2


@dataclass(frozen=True)
class Chart:
    years: tuple[int, ...]
    year_x: tuple[int, ...]  # the centre of each year's group of bars
    panels: tuple[Panel, Panel]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT


def _panel(top: int, series: Sequence[str], rows: Sequence[tuple[int, Sequence[Decimal]]]
           ) -> Panel:
    scale = max((v for _, values in rows for v in values), default=Decimal(0))
    group = PLOT_WIDTH // max(len(rows), 1)
    width = max(min((group - 24) // len(series), 56), 4)
    bars = []
    for index, (year, values) in enumerate(rows):
        start = LEFT + index * group + (group - width * len(series)) // 2
        for place, (name, value) in enumerate(zip(series, values, strict=True)):
            height = 0 if scale <= 0 else int(value / scale * PANEL_HEIGHT)
            bars.append(Bar(name, year, value, start + place * width, top + PANEL_HEIGHT - height,
                            width - 2, height))
    return Panel(top, scale, tuple(bars))


def netting_chart(summaries: Sequence[Summary]) -> Chart:
    """Return the chart of one summary per fiscal year (fiscal_year_summary of each year)."""
    years = tuple(s.fiscal_years[0] for s in summaries)
    group = PLOT_WIDTH // max(len(years), 1)
    emitted = _panel(PANEL_TOP[0], ("emissions",),
                     [(y, (s.carbon.emissions,)) for y, s in zip(years, summaries, strict=True)])
    credits = _panel(PANEL_TOP[1], ("certified", "retired", "pending"),
                     [(y, (s.carbon.certified, s.carbon.retired, s.carbon.estimated_pending))
                      for y, s in zip(years, summaries, strict=True)])
    return Chart(years, tuple(LEFT + i * group + group // 2 for i in range(len(years))),
                 (emitted, credits))
