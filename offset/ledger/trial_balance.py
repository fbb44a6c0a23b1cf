"""The trial balance: per account and commodity, the opening, the debits and credits of a
period and the closing, with a totals line per commodity that double entry keeps at zero.

    opening   the net of every entry before the fiscal year (zero for the whole journal)
    debit     the sum of the period's positive postings
    credit    the sum of the period's negative postings, as a positive number
    net       debit − credit
    closing   opening + net
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from offset.ledger.chain import ChainHead
from offset.ledger.model import Balances, Commodity
from offset.numbers import ZERO, fixed


@dataclass(frozen=True)
class Turnover:
    """What one account's postings in one commodity moved: debits and credits, both ≥ 0."""

    debit: Decimal
    credit: Decimal

    @property
    def net(self) -> Decimal:
        return self.debit - self.credit


# The turnover of every account and commodity that has postings in a span of the journal:
# what the journal's turnover query returns.
Turnovers = dict[tuple[str, Commodity], Turnover]


@dataclass(frozen=True)
class Line:
    """One line of figures in one commodity: an account's, or the total of all accounts."""

    commodity: Commodity
    opening: Decimal
    debit: Decimal
    credit: Decimal

    @property
    def net(self) -> Decimal:
        return self.debit - self.credit

    @property
    def closing(self) -> Decimal:
        return self.opening + self.net


@dataclass(frozen=True)
class AccountLine:
    account: str
    line: Line


@dataclass(frozen=True)
class TrialBalance:
    """An agreement's trial balance over one fiscal year (None: the whole journal)."""

    agreement_id: int
    fiscal_year: int | None
    accounts: tuple[AccountLine, ...]  # by account, then commodity
    totals: tuple[Line, ...]  # one per commodity that has postings, in commodity order
    head: ChainHead  # the point of the agreement's chain the figures were read at


def trial_balance_of(head: ChainHead, fiscal_year: int | None, opening: Balances,
                     movements: Turnovers) -> TrialBalance:
    """Return the trial balance of the `opening` balances and the period's `movements`,
    read at `head` of the agreement's chain.

    An account appears when it has postings before or during the period, even at zero.
    """
    none = Turnover(ZERO, ZERO)
    lines = [AccountLine(account, _line(commodity, opening.get((account, commodity), ZERO),
                                        movements.get((account, commodity), none)))
             for account, commodity in sorted(opening.keys() | movements.keys())]
    return TrialBalance(head.agreement_id, fiscal_year, tuple(lines), _totals(lines), head)


def _line(commodity: Commodity, opening: Decimal, moved: Turnover) -> Line:
    places = commodity.places
    return Line(commodity, fixed(opening, places), fixed(moved.debit, places),
                fixed(moved.credit, places))


def _totals(lines: list[AccountLine]) -> tuple[Line, ...]:
    sums: dict[Commodity, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO, ZERO])
    for each in lines:
        figures = sums[each.line.commodity]
        figures[0] += each.line.opening
        figures[1] += each.line.debit
        figures[2] += each.line.credit
    return tuple(Line(commodity, *sums[commodity]) for commodity in Commodity
                 if commodity in sums)


def imbalances(balance: TrialBalance) -> list[str]:
    """Return every way the totals break double entry (an empty list when they balance):
    per commodity the opening and the net must be zero, so debits equal credits."""
    return [f"{total.commodity} {what} totals {amount}, not 0"
            for total in balance.totals
            for what, amount in (("opening", total.opening), ("net movement", total.net))
            if amount != ZERO]
