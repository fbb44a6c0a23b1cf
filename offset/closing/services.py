"""Fiscal-year use cases: a year's state and problems, the close, and the settling rule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from offset.agreements.model import Agreement, Side
from offset.closing.errors import AlreadyClosed, CloseRefused, ConsentRequired, PeriodSettling
from offset.closing.model import (
    Consent,
    Problem,
    YearState,
    YearStatus,
    calendar_state,
)
from offset.documents import services as documents
from offset.documents.model import IssuedReport
from offset.fiscal import FiscalYear, today_in_japan
from offset.ledger import services as ledger
from offset.ledger.chain import ChainHead
from offset.ledger.errors import PeriodClosed
from offset.ledger.model import Balances, Commodity, Entry, EntryKind, JournalEntry
from offset.money import services as money
from offset.netting.model import carbon_of, money_of

if TYPE_CHECKING:
    from offset.ports import UnitOfWork


def year_status(uow: UnitOfWork, agreement: Agreement, fiscal_year: int, *,
                today: date | None = None) -> YearStatus:
    """Return FY `fiscal_year`'s state, dates and problems (those of a close now).

    Raises OutsideTerms when no term of the agreement covers the year.
    """
    agreement.within_terms(fiscal_year)
    head = uow.journal.heads([agreement.id])[0]
    return _status(uow, agreement, fiscal_year, head, today or today_in_japan())


def check_open_for_work(agreement: Agreement, fiscal_year: int, field: str, *,
                        head: ChainHead | None = None, today: date | None = None) -> None:
    """Refuse work (thinnings, estimates) and emissions dated into a year in its settlement
    period, or into a closed year when the chain's `head` is given. The ledger refuses every
    entry dated into a closed year, whoever posts; work needs the check of its own because
    a thinning in a certified year posts no entry into that year.

    Raises PeriodClosed, PeriodSettling naming `field`.
    """
    if head is not None and head.closed(fiscal_year):
        assert head.closed_through is not None
        raise PeriodClosed(agreement.id, fiscal_year, head.closed_through)
    if calendar_state(agreement, fiscal_year, today or today_in_japan()) is YearState.SETTLING:
        ends = FiscalYear(fiscal_year).settlement_ends_on(agreement.closing.settlement_ends)
        raise PeriodSettling(fiscal_year, ends, field=field)


@dataclass(frozen=True)
class Closed:
    """A close as made: the year's status after it, the period-close entry and the reports
    the close issued (the annual report; the term report too when the term's last year
    closed)."""

    status: YearStatus
    entry: JournalEntry
    reports: tuple[IssuedReport, ...] = ()


def close_year(uow: UnitOfWork, agreement: Agreement, fiscal_year: int, closed_by: str, *,
               consent: Consent | None = None, today: date | None = None,
               now: datetime | None = None) -> Closed:
    """Close FY `fiscal_year`: post its period-close entry, which fixes the year, and issue
    its annual report (and the term's report when the year is the term's last).

    The entry records the year's figures as closed, the non-blocking problems shown at the
    close (estimates awaiting certification) and the forest party's consent when given.
    `now` is the moment of the close (the reports' generation time); `today` the date in
    Japan the calendar rules are read on (by default both from the clock).
    Raises OutsideTerms, AlreadyClosed, ConsentRequired when the agreement's rule asks for
    consent and none is given, CloseRefused listing every blocking problem.
    """
    agreement.within_terms(fiscal_year)
    term = agreement.term_of(fiscal_year)
    assert term is not None  # within_terms found one
    now = now or datetime.now(UTC)
    today = today or today_in_japan(now)
    head = uow.journal.lock_head(agreement.id)  # a second close of the year waits here
    if head.closed(fiscal_year):
        assert head.closed_through is not None
        raise AlreadyClosed(fiscal_year, head.closed_through)
    if agreement.closing.forest_consent and consent is None:
        raise ConsentRequired()
    status = _status(uow, agreement, fiscal_year, head, today)
    if status.blocking:
        raise CloseRefused(fiscal_year, [p.as_data() for p in status.blocking])
    balances = ledger.balances(uow, agreement.id, fiscal_year=fiscal_year)
    year = FiscalYear(fiscal_year)
    entry = ledger.post(uow, [Entry(
        agreement_id=agreement.id, fiscal_year=fiscal_year, kind=EntryKind.PERIOD_CLOSE,
        effective_date=year.end, description=f"Close of {year} ({year.era_label})",
        postings=(), recorded_by=closed_by,
        details={"closed_on": today, "closed_by": closed_by,
                 "forest_consent": None if consent is None else consent.as_data(),
                 "figures": _figures(balances),
                 "notes": [p.message for p in status.problems]})])[0]
    issued = [documents.issue_annual(uow, agreement, fiscal_year, closed_by, now=now)]
    if fiscal_year == term.last_fy:
        issued.append(documents.issue_term(uow, agreement, term.number, closed_by, now=now))
    closed = _status(uow, agreement, fiscal_year, uow.journal.heads([agreement.id])[0], today)
    return Closed(closed, entry, tuple(issued))


def _figures(balances: Balances) -> dict[str, str]:
    """The figures of the year as closed, kept in the close entry (t-CO2 and yen as text)."""
    carbon, cash = carbon_of(balances), money_of(balances)
    return {"emissions_t": str(carbon.emissions), "certified_t": str(carbon.certified),
            "retired_t": str(carbon.retired), "estimated_pending_t": str(carbon.estimated_pending),
            "net_t": str(carbon.net), "urban_net_cost_jpy": str(cash.net_cost[Side.URBAN]),
            "forest_net_cost_jpy": str(cash.net_cost[Side.FOREST])}


def _status(uow: UnitOfWork, agreement: Agreement, fiscal_year: int, head: ChainHead,
            today: date) -> YearStatus:
    year = FiscalYear(fiscal_year)
    dates = (year.start, year.end, year.settlement_ends_on(agreement.closing.settlement_ends))
    if head.closed(fiscal_year):
        close = next((e for e in uow.journal.live_of_kind(agreement.id, [EntryKind.PERIOD_CLOSE])
                      if e.entry.fiscal_year == fiscal_year), None)
        details = close.entry.details if close is not None else {}
        return YearStatus(
            agreement.id, fiscal_year, YearState.CLOSED, *dates, problems=(),
            close_entry_id=None if close is None else close.id,
            closed_on=date.fromisoformat(details["closed_on"]) if "closed_on" in details
            else None,
            closed_by=details.get("closed_by"),
            adjusted_later=ledger.adjustments_of(uow, agreement.id, [fiscal_year]))
    return YearStatus(agreement.id, fiscal_year, calendar_state(agreement, fiscal_year, today),
                      *dates, problems=tuple(_problems(uow, agreement, fiscal_year, head, today)))


def _problems(uow: UnitOfWork, agreement: Agreement, fiscal_year: int, head: ChainHead,
              today: date) -> list[Problem]:
    year = FiscalYear(fiscal_year)
    found = []
    if today <= year.end:
        found.append(Problem("year-running", f"{year} runs until {year.end}; a year is closed "
                             "after it ends", blocking=True))
    earlier = fiscal_year - 1
    if agreement.covers(earlier) and not head.closed(earlier):
        found.append(Problem("earlier-year-open", f"FY{earlier} is not closed; years close in "
                             "order", blocking=True))
    balances = ledger.balances(uow, agreement.id, fiscal_year=fiscal_year)
    for commodity in Commodity:
        total = sum((a for (_, c), a in balances.items() if c is commodity), start=0)
        if total != 0:
            found.append(Problem("journal-unbalanced", f"the year's {commodity} postings sum to "
                                 f"{total}, not 0", blocking=True))
    # The money rule a close checks again over the whole year: a subsidy naming no costs is
    # capped by its recipient's costs of the year (each was capped when recorded; costs
    # reversed since, by hand or by an edit outside offset, can undo it). Subsidies naming
    # their costs fund those, of whatever year, and are checked when recorded.
    for side in Side:
        unnamed = money.unnamed_subsidies(uow, agreement.id, fiscal_year, side)
        borne, received = money.year_funding(uow, agreement.id, fiscal_year, side)
        costs = sum(borne.values(), start=Decimal(0))
        if unnamed and received > costs:
            found.append(Problem(
                "subsidies-exceed-costs", f"the {side.value} side's subsidies of the year "
                f"({received:,} yen, some naming no costs) exceed its costs of the year "
                f"({costs:,} yen); correct them first", blocking=True, entry_id=unnamed[0]))
    pending = carbon_of(balances).estimated_pending
    if pending:
        found.append(Problem("awaiting-certification", f"{pending} t-CO2 of estimated "
                             "absorption awaits certification; the close keeps it as estimated",
                             blocking=False))
    ends = year.settlement_ends_on(agreement.closing.settlement_ends)
    if year.end < today <= ends:
        found.append(Problem("settlement-running", f"the settlement period runs until {ends}; "
                             "after the close no payment of the year can be recorded",
                             blocking=False))
    return found
