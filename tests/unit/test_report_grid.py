"""The reports' data tables (reports.grid.Grid): every line of text is drawn inside its
cell, read back from the PDF's own content stream (each text run's origin and string); a
long table splits across pages with its header on each; numbers sit at the right of their
cells. Each is asked of Helvetica (drawn through ReportLab's text object) and of the
reports' own TrueType font (whose text the grid writes itself, subset by subset); the
strings are ASCII, which both write as they are, so they read back as written."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.platypus import SimpleDocTemplate

from reports.fonts import report_font
from reports.grid import PADDING_X, Grid, width_of

MARGIN = 40.0
WIDTHS = [60.0, 140.0, 90.0]
SIZE = 6.5
LEFT = MARGIN + 6  # where the grid starts: the page margin and the frame's own padding



@pytest.fixture(params=["Helvetica", "report font"])
def font(request: pytest.FixtureRequest) -> str:
    return "Helvetica" if request.param == "Helvetica" else report_font().name


def drawn(rows: list[list[list[str]]], right: list[bool],
          font: str) -> list[tuple[int, float, str]]:
    """Return (page, x, text) of every text run of a PDF holding one Grid of `rows`."""
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN,
                            topMargin=MARGIN, bottomMargin=MARGIN)
    doc.build([Grid(rows, WIDTHS, font=font, size=SIZE, header=1, right=right,
                    header_fill=colors.lightgrey, rule=colors.grey)])
    found: list[tuple[int, float, str]] = []
    reader = PdfReader(io.BytesIO(out.getvalue()))
    for number, page in enumerate(reader.pages, start=1):
        x, origin, saved = 0.0, 0.0, []  # the text's x, and the translation it is under
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator == b"q":
                saved.append(origin)
            elif operator == b"Q":
                origin = saved.pop()
            elif operator == b"cm":
                origin += float(operands[4])  # ReportLab only translates here
            elif operator == b"Tm":
                x = origin + float(operands[4])
            elif operator == b"Tj":
                found.append((number, x, str(operands[0])))
    return found


def column_of(x: float) -> int:
    edges = [LEFT + sum(WIDTHS[:i]) for i in range(len(WIDTHS) + 1)]
    return next(i for i in range(len(WIDTHS)) if edges[i] <= x < edges[i + 1])


def test_every_line_is_drawn_inside_its_cell_and_numbers_sit_right(font: str):
    rows = [[["No.", "(entry)"], ["Stand", "site"], ["Area ha", "(4 places)"]]]
    rows += [[[str(n)], [f"Masumigaoka {n}", "compartment ro"], [f"{n * 1234.5:,.4f}"]]
             for n in range(1, 120)]
    found = drawn(rows, right=[True, False, True], font=font)

    pages = {page for page, _, _ in found}
    assert len(pages) >= 2  # split across pages, the header's 6 lines on each
    assert len(found) == 6 * len(pages) + 119 * 4  # every line of every cell, once
    edges = [LEFT + sum(WIDTHS[:i]) for i in range(len(WIDTHS) + 1)]
    for _, x, text in found:
        column = column_of(x)
        width = width_of(text, font, SIZE)
        assert edges[column] + PADDING_X - 0.01 <= x, text
        assert x + width <= edges[column + 1] - PADDING_X + 0.01, text
    figures = [(x, text) for _, x, text in found if text[0].isdigit() and "," in text]
    for x, text in figures:  # right-aligned: each ends at its cell's right padding
        assert abs(x + width_of(text, font, SIZE) - (edges[3] - PADDING_X)) < 0.01, text


def test_the_header_is_repeated_on_every_page(font: str):
    rows = [[["No."], ["Stand"], ["Area ha"]]]
    rows += [[[str(n)], ["x"], ["1"]] for n in range(1, 200)]
    found = drawn(rows, right=[True, False, True], font=font)
    pages = {page for page, _, _ in found}
    assert len(pages) >= 2
    assert all(any(text == "Stand" and p == page for p, _, text in found) for page in pages)
    assert sorted(int(t) for _, x, t in found if t.isdigit() and column_of(x) == 0) == list(
        range(1, 200))  # every row once, none lost or repeated at a page break
