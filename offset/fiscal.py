"""Japanese fiscal years (April–March) and their era-name labels."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from offset.errors import InvalidInput, OutsideFiscalYear

# (first Gregorian year counted as year 1, kanji name, romaji name). The FY label takes the era
# of the calendar year the FY starts in, as municipalities do: FY2019 is 令和元年度.
_ERAS = (
    (2019, "令和", "Reiwa"),
    (1989, "平成", "Heisei"),
    (1926, "昭和", "Showa"),
)

MIN_YEAR = 1950
MAX_YEAR = 2200

# 出納整理期間: payments of a fiscal year may still be made until this (month, day) of the
# next calendar year (Local Autonomy Act art. 235-5); the default of an agreement's rules.
SETTLEMENT_ENDS = (5, 31)

# Japan keeps no daylight saving time: a fixed offset needs no time-zone database.
JST = timezone(timedelta(hours=9), "JST")


def today_in_japan(now: datetime | None = None) -> date:
    """Return the date in Japan at `now` (default: the clock): the calendar fiscal years and
    settlement periods are counted in."""
    return (now or datetime.now(JST)).astimezone(JST).date()


@dataclass(frozen=True, order=True)
class FiscalYear:
    """A fiscal year named by the calendar year it starts in: FY2009 = 2009-04-01..2010-03-31."""

    year: int

    def __post_init__(self) -> None:
        if not MIN_YEAR <= self.year <= MAX_YEAR:
            raise InvalidInput(f"fiscal year {self.year} is outside {MIN_YEAR}..{MAX_YEAR}")

    @classmethod
    def of(cls, day: date) -> FiscalYear:
        """Return the fiscal year that contains `day`."""
        return cls(day.year if day.month >= 4 else day.year - 1)

    @property
    def start(self) -> date:
        return date(self.year, 4, 1)

    @property
    def end(self) -> date:
        return date(self.year + 1, 3, 31)

    @property
    def settlement_end(self) -> date:
        """Return the last day payments of this year may be made (31 May of the next year)."""
        return self.settlement_ends_on(SETTLEMENT_ENDS)

    def settlement_ends_on(self, ends: tuple[int, int]) -> date:
        """Return the last day of the settlement period ending on (month, day) `ends`."""
        return date(self.year + 1, *ends)

    def check_payment_date(self, day: date, field: str,
                           ends: tuple[int, int] = SETTLEMENT_ENDS) -> date:
        """Return `day` when it falls in this year or its settlement period (to `ends`).

        Costs, subsidies, timber sales and retirements are dated so. Raises OutsideFiscalYear
        naming `field`.
        """
        last = self.settlement_ends_on(ends)
        if not self.start <= day <= last:
            raise OutsideFiscalYear(self.year, day, self.start, last, field=field)
        return day

    def check_not_before(self, day: date, field: str) -> date:
        """Return `day` when it falls on or after this year's start, as a certification's
        issue date must. Raises OutsideFiscalYear naming `field`."""
        if day < self.start:
            raise OutsideFiscalYear(self.year, day, self.start, None, field=field)
        return day

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end

    def __str__(self) -> str:
        return f"FY{self.year}"

    @property
    def era_label(self) -> str:
        """Return the Japanese label, e.g. 平成21年度, 令和元年度, 令和6年度."""
        first, kanji, _ = self._era()
        number = self.year - first + 1
        return f"{kanji}{'元' if number == 1 else number}年度"

    @property
    def era_label_en(self) -> str:
        """Return the romanised era label, e.g. Heisei 21, Reiwa 1."""
        first, _, romaji = self._era()
        return f"{romaji} {self.year - first + 1}"

    def _era(self) -> tuple[int, str, str]:
        return next(era for era in _ERAS if self.year >= era[0])
