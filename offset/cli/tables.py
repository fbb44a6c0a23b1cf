"""Printing rich tables whole: a pipe or a file gets every character of every cell."""

from __future__ import annotations

from rich.console import Console
from rich.measure import Measurement
from rich.table import Table

NATURAL_LIMIT = 10_000  # columns: wider than any table offset draws


def console_for(table: Table) -> Console:
    """Return a console to print `table` (and the lines around it) on.

    On a terminal the table fits the window; elsewhere rich would assume 80 columns and cut
    cells with an ellipsis, so the console is made as wide as the table's natural width.
    """
    console = Console(highlight=False, soft_wrap=True)
    if console.is_terminal:
        return console
    natural = Measurement.get(console, console.options.update(max_width=NATURAL_LIMIT),
                              table).maximum
    return Console(highlight=False, soft_wrap=True, width=max(natural, console.width))
