"""A table of plain-text cells drawn straight onto the canvas: the reports' data tables.

ReportLab's platypus Table styles, measures and draws every cell through several layers of
Python; a 1,000-thinning report has some 27,000 cells and spent most of its time there.
A report's tables need little of it: text already broken into lines that fit the column,
a header row repeated on every page, a shaded totals row, numbers aligned right. This
flowable does only that, with one text object per page part and the rules in one path.
Every line is drawn inside its cell by construction: a cell is as tall as its lines.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import Any

from reportlab.lib.colors import Color
from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth
from reportlab.platypus import Flowable

PADDING_X, PADDING_Y = 2.0, 1.5


@lru_cache(maxsize=65536)
def width_of(text: str, font: str, size: float) -> float:
    """Return the width of `text` set in `font`: a report measures the same figures, names
    and labels thousands of times."""
    return float(stringWidth(text, font, size))


_NUMBERS: dict[float, str] = {}


def _number(value: float) -> str:
    """Return a coordinate as ReportLab prints one (`fp_str`), remembered: a long table
    prints the same column edges and baselines on every page."""
    shown = _NUMBERS.get(value)
    if shown is None:
        if len(_NUMBERS) > 65536:
            _NUMBERS.clear()
        shown = _NUMBERS[value] = fp_str(value)
    return shown


_ORIGINS: dict[tuple[float, float], str] = {}


def _origin(x: float, y: float) -> str:
    """Return the operator that sets a line's origin, remembered: every page of a long table
    puts its lines at the same places."""
    shown = _ORIGINS.get((x, y))
    if shown is None:
        if len(_ORIGINS) > 65536:
            _ORIGINS.clear()
        shown = _ORIGINS[x, y] = f"1 0 0 1 {_number(x)} {_number(y)} Tm"
    return shown


class Grid(Flowable):  # type: ignore[misc]  # ReportLab ships no type hints
    """Rows of cells (each a list of text lines) in columns of fixed widths.

    `header` rows are repeated at the top of every part the grid is split into; `right`
    marks the columns aligned right; `shaded` gives a row index (negative from the end) a
    background.
    """

    def __init__(self, rows: Sequence[Sequence[Sequence[str]]], widths: Sequence[float], *,
                 font: str, size: float, header: int, right: Sequence[bool],
                 header_fill: Color, rule: Color, shaded: dict[int, Color] | None = None,
                 heights: Sequence[float] | None = None) -> None:
        super().__init__()
        self.rows, self.widths = list(rows), list(widths)
        self.font, self.size, self.leading = font, size, size + 1.5
        self.header, self.right = header, list(right)
        self.header_fill, self.rule = header_fill, rule
        self.shaded = {(i if i >= 0 else len(self.rows) + i): c
                       for i, c in (shaded or {}).items()}
        self.heights = list(heights) if heights is not None else [
            max(map(len, row), default=1) * self.leading + 2 * PADDING_Y for row in self.rows]

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width, self.height = sum(self.widths), sum(self.heights)
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Grid]:
        """Return the rows that fit as one grid and the rest (with the header) as another."""
        top = sum(self.heights[:self.header])
        used, cut = top, self.header
        while cut < len(self.rows) and used + self.heights[cut] <= available_height:
            used += self.heights[cut]
            cut += 1
        if cut == self.header or cut == len(self.rows):
            return []  # nothing fits but the header, or everything fits: no split
        # Slices, not index lists: a long table is split once per page, so the cost of a
        # split is what the rest of the table costs to carry over.
        header, moved = self.header, cut - self.header
        return [self._part(self.rows[:cut], self.heights[:cut],
                           {i: c for i, c in self.shaded.items() if i < cut}),
                self._part(self.rows[:header] + self.rows[cut:],
                           self.heights[:header] + self.heights[cut:],
                           {(i if i < header else i - moved): c
                            for i, c in self.shaded.items() if i < header or i >= cut})]

    def _part(self, rows: list[Sequence[Sequence[str]]], heights: list[float],
              shaded: dict[int, Color]) -> Grid:
        return Grid(rows, self.widths, font=self.font, size=self.size, header=self.header,
                    right=self.right, header_fill=self.header_fill, rule=self.rule,
                    shaded=shaded, heights=heights)

    def draw(self) -> None:
        canvas: Any = self.canv
        width = sum(self.widths)
        tops = [self.height]
        for height in self.heights:
            tops.append(tops[-1] - height)
        fills = dict.fromkeys(range(self.header), self.header_fill) | self.shaded
        for index, fill in fills.items():
            canvas.setFillColor(fill)
            canvas.rect(0, tops[index + 1], width, self.heights[index], stroke=0, fill=1)
        edges = [0.0]
        for column in self.widths:
            edges.append(edges[-1] + column)
        canvas.setStrokeColor(self.rule)
        canvas.setLineWidth(0.25)
        canvas.grid(edges, tops)
        canvas.setFillColor(Color(0, 0, 0))
        if hasattr(getFont(self.font), "splitString"):  # a TrueType font, as reports use
            canvas.addLiteral(self._text(canvas, tops, edges))
            return
        text = canvas.beginText()
        text.setFont(self.font, self.size, self.leading)
        for x, y, line in self._lines(tops, edges):
            text.setTextOrigin(x, y)
            text.textOut(line)
        canvas.drawText(text)

    def _lines(self, tops: list[float], edges: list[float]) -> Iterator[tuple[float, float, str]]:
        """Yield each line of every cell with the origin it is drawn at."""
        font, size, leading, header = self.font, self.size, self.leading, self.header
        columns = list(zip(edges[:-1], self.widths, self.right, strict=True))
        for index, (row, top) in enumerate(zip(self.rows, tops, strict=False)):
            baseline = top - PADDING_Y - size
            body = index >= header  # headings stay left, as labels
            for cell, (left, column, right) in zip(row, columns, strict=True):
                for n, line in enumerate(cell):
                    if not line:
                        continue
                    x = (left + column - PADDING_X - width_of(line, font, size)
                         if right and body else left + PADDING_X)
                    yield x, baseline - n * leading, line

    def _text(self, canvas: Any, tops: list[float], edges: list[float]) -> str:
        """Return the cells' lines as one PDF text object.

        Written here rather than through ReportLab's text object, whose per-string work
        (measuring again, splitting into font subsets, formatting) was most of a large
        report's drawing. The text is split into subsets by the font's own documented
        protocol for dynamic fonts (splitString, getSubsetInternalName); a text's split
        never changes within a document once made, so it is kept per canvas.
        """
        font, doc = getFont(self.font), canvas._doc
        split: dict[str, list[tuple[int, str]]] = canvas.__dict__.setdefault(
            "_offset_split", {})
        set_font = f"{fp_str(self.size)} Tf {fp_str(self.leading)} TL"
        code, current, switch = ["BT"], None, {}
        add = code.append
        for x, y, line in self._lines(tops, edges):
            pieces = split.get(line)
            if pieces is None:
                pieces = split[line] = [(subset, f"({escapePDF(chunk)}) Tj") for subset, chunk
                                        in font.splitString(line, doc)]
            add(_origin(x, y))
            for subset, shown in pieces:
                if subset != current:
                    if subset not in switch:
                        switch[subset] = f"{font.getSubsetInternalName(subset, doc)} {set_font}"
                    add(switch[subset])
                    current = subset
                add(shown)
        code.append("ET")
        return "\n".join(code)
