"""The council page's chart, drawn on the server as SVG geometry: one row per prefecture.

Two panels on their own scales, as hectares and tonnes are not comparable: the area thinned
against the partnerships' annual targets, and the tonnes certified against those retired.
No map: a prefecture is a labelled row. Only positions are computed here; every figure comes
from the overview.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from offset.council.model import Overview

WIDTH = 720
LEFT = 150  # room for the prefecture's name
RIGHT = 16
PLOT_WIDTH = WIDTH - LEFT - RIGHT
ROW = 34  # two bars of 12 and the gap between prefectures
BAR = 12
TITLE = 30  # room above each panel for its title


@dataclass(frozen=True)
class Bar:
    series: str  # area, target; certified, retired
    value: Decimal
    x: int
    y: int
    width: int
    height: int = BAR


@dataclass(frozen=True)
class Row:
    name_ja: str
    name_en: str
    y: int  # the baseline of the prefecture's label
    bars: tuple[Bar, Bar]


@dataclass(frozen=True)
class Panel:
    top: int  # where its plot starts
    bottom: int
    scale: Decimal  # the figure at the right end of the plot
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Chart:
    panels: tuple[Panel, Panel]
    height: int
    width: int = WIDTH
    left: int = LEFT
    right_end: int = WIDTH - RIGHT


def _panel(top: int, overview: Overview, series: tuple[str, str],
           names: tuple[str, str]) -> Panel:
    values = [(p, (getattr(p.totals, names[0]), getattr(p.totals, names[1])))
              for p in overview.prefectures]
    scale = max((v for _, pair in values for v in pair), default=Decimal(0))
    rows = []
    for index, (prefecture, pair) in enumerate(values):
        y = top + index * ROW
        bars = tuple(Bar(name, value, LEFT, y + place * BAR,
                         0 if scale <= 0 else int(value / scale * PLOT_WIDTH))
                     for place, (name, value) in enumerate(zip(series, pair, strict=True)))
        rows.append(Row(prefecture.name_ja, prefecture.name_en, y + BAR + 4,
                        (bars[0], bars[1])))
    return Panel(top, top + len(values) * ROW, scale, tuple(rows))


def prefecture_chart(overview: Overview) -> Chart:
    """Return the chart of the overview's totals by prefecture."""
    area = _panel(TITLE, overview, ("area", "target"), ("area_thinned_ha", "target_ha"))
    tonnes = _panel(area.bottom + 24 + TITLE, overview, ("certified", "retired"),
                    ("certified_t", "retired_t"))
    return Chart((area, tonnes), tonnes.bottom + 36)
