"""Fiscal-year states and what stands in the way of a close, as values.

    open      the year is running, or it has ended and its settlement period too without a
              close: everything dated in it may still be recorded (a partnership that starts
              keeping its books in offset years into its agreement records its history so)
    settling  the year has ended and its settlement period (出納整理期間, to 31 May of the
              next year by default) runs: only its payments may still be recorded
    closed    an explicit close, a period-close entry in the chain: nothing more is dated
              into the year; corrections go to the next open year as prior-period adjustments
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from offset.agreements.model import Agreement
from offset.fiscal import FiscalYear
from offset.ledger.model import Adjustment


class YearState(StrEnum):
    OPEN = "open"
    SETTLING = "settling"
    CLOSED = "closed"


def calendar_state(agreement: Agreement, fiscal_year: int, today: date) -> YearState:
    """Return the state the calendar gives an unclosed year: settling from the day after
    it ends to the end of its settlement period, open otherwise."""
    year = FiscalYear(fiscal_year)
    if year.end < today <= year.settlement_ends_on(agreement.closing.settlement_ends):
        return YearState.SETTLING
    return YearState.OPEN


@dataclass(frozen=True)
class Problem:
    """Something a person closing the year must know: `blocking` ones refuse the close."""

    code: str
    message: str
    blocking: bool
    entry_id: int | None = None

    def as_data(self) -> dict[str, object]:
        return {"code": self.code, "message": self.message, "blocking": self.blocking,
                "entry_id": self.entry_id}


@dataclass(frozen=True)
class Consent:
    """The forest party's consent to a close, as the agreement's rule may ask for it."""

    given_by: str
    given_on: date

    def as_data(self) -> dict[str, str]:
        return {"given_by": self.given_by, "given_on": self.given_on.isoformat()}


@dataclass(frozen=True)
class YearStatus:
    agreement_id: int
    fiscal_year: int
    state: YearState
    starts_on: date
    ends_on: date
    settlement_ends_on: date
    problems: tuple[Problem, ...]
    close_entry_id: int | None = None
    closed_on: date | None = None
    closed_by: str | None = None
    adjusted_later: tuple[Adjustment, ...] = ()

    @property
    def blocking(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.blocking)
