"""Closing errors: offset.errors' tree, extended for fiscal-year closes.

    Conflict
    ├── CloseRefused          the year may not be closed now; members: fiscal_year, problems
    │   └── AlreadyClosed     the year is closed already; + closed_through
    ├── PeriodSettling        the year is in its settlement period: only payments may be
    │                         recorded; members: fiscal_year, settlement_ends_on
    └── ReversalRefused       [ledger]
        └── NoOpenYear        the correction of a closed year has no open year of the terms
                              to go to; members: entry_id, fiscal_year, open_year
    InvalidInput
    └── ConsentRequired       the agreement's rule asks for the forest party's consent and
                              the close gives none (field forest_consent)
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from offset.errors import Conflict, InvalidInput
from offset.ledger.errors import ReversalRefused


class CloseRefused(Conflict):
    """FY `fiscal_year` may not be closed: `problems` (code, message, entry) say why."""

    title = "Fiscal year close refused"
    code = "close-refused"
    members: ClassVar[tuple[str, ...]] = ("fiscal_year", "problems")

    def __init__(self, fiscal_year: int, problems: list[dict[str, object]]) -> None:
        super().__init__(field="fiscal_year")
        self.fiscal_year = fiscal_year
        self.problems = problems

    @property
    def detail(self) -> str:
        return f"FY{self.fiscal_year} cannot be closed: " + "; ".join(
            str(p["message"]) for p in self.problems)


class AlreadyClosed(CloseRefused):
    title = "Fiscal year already closed"
    code = "already-closed"
    members = ("fiscal_year", "closed_through")

    def __init__(self, fiscal_year: int, closed_through: int) -> None:
        super().__init__(fiscal_year, [])
        self.closed_through = closed_through

    @property
    def detail(self) -> str:
        return f"FY{self.fiscal_year} is closed already (every year through " \
               f"FY{self.closed_through} is)"


class PeriodSettling(Conflict):
    """FY `fiscal_year` is in its settlement period (出納整理期間) until `settlement_ends_on`:
    its payments may still be recorded, its work and emissions no longer."""

    title = "Fiscal year in its settlement period"
    code = "period-settling"
    members: ClassVar[tuple[str, ...]] = ("fiscal_year", "settlement_ends_on")

    def __init__(self, fiscal_year: int, settlement_ends_on: date, *, field: str) -> None:
        super().__init__(field=field)
        self.fiscal_year = fiscal_year
        self.settlement_ends_on = settlement_ends_on

    @property
    def detail(self) -> str:
        return (f"FY{self.fiscal_year} has ended and is in its settlement period until "
                f"{self.settlement_ends_on}: only its payments (costs, subsidies, timber "
                "sales, retirements) may still be recorded")


class ConsentRequired(InvalidInput):
    title = "Forest party's consent required"
    code = "consent-required"

    def __init__(self) -> None:
        super().__init__(field="forest_consent")

    @property
    def detail(self) -> str:
        return ("the agreement's rule asks for the forest party's consent to close a year: "
                "give forest_consent (who consented, and when)")


class NoOpenYear(ReversalRefused):
    """Entry `entry_id` belongs to closed FY `fiscal_year`; its correction, a prior-period
    adjustment, would go to FY `open_year` (the year after the last closed one), which no
    term of the agreement covers."""

    title = "No open fiscal year for the adjustment"
    code = "no-open-year"
    members = ("entry_id", "fiscal_year", "open_year")

    def __init__(self, entry_id: int, fiscal_year: int, open_year: int) -> None:
        super().__init__(entry_id, field="entry_id")
        self.fiscal_year = fiscal_year
        self.open_year = open_year

    @property
    def detail(self) -> str:
        return (f"entry {self.entry_id} belongs to closed FY{self.fiscal_year}; its correction "
                f"is a prior-period adjustment in the first open year, FY{self.open_year}, "
                "which is outside the agreement's terms: add the next term first")
