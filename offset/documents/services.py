"""Issuing reports: annual and term reports made documents at a chain head, their register,
re-issues (再発行) and the exact PDF of each.

Callers open the unit of work and commit. An issue builds the report at the chain head,
renders its PDF (deterministically, offset's reports.render_pdf), stores a register row with
the PDF's bytes and SHA-256, and records a `report-issue` entry carrying that hash in the
chain. The bytes themselves are stored, not re-rendered on request: years later the code
that renders (offset's, ReportLab's, the fonts) will have changed and would draw a different
file; the stored bytes are the document, and the hash in the chain proves they are the ones
issued.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from offset import integrity
from offset.agreements.model import Agreement
from offset.documents.errors import (
    AlreadyIssued,
    AlreadyReplaced,
    ReportNotIssued,
    YearNotClosed,
)
from offset.documents.model import (
    DocumentKind,
    IssuedReport,
    issue_details,
    issue_year,
    year_bounds,
)
from offset.errors import AlreadyExists, InvalidInput, NotFound
from offset.fiscal import today_in_japan
from offset.ledger import services as ledger
from offset.ledger.chain import ChainHead
from offset.ledger.model import MAX_TEXT, Entry, EntryKind
from reports import ReportData, ReportIssue, build_annual, build_term, render_pdf

if TYPE_CHECKING:
    from offset.ports import UnitOfWork

TITLES = {DocumentKind.ANNUAL: ("年度報告書", "annual report"),
          DocumentKind.TERM: ("期間報告書", "term report")}


@dataclass(frozen=True)
class _Wanted:
    """Which report: an annual one of `fiscal_year`, or the term `term_number` (whose last
    year is `fiscal_year`)."""

    kind: DocumentKind
    fiscal_year: int
    term_number: int | None = None

    @property
    def which(self) -> int:
        return self.fiscal_year if self.term_number is None else self.term_number

    @property
    def label(self) -> str:
        name = TITLES[self.kind][1]
        return (f"{name} of FY{self.fiscal_year}" if self.term_number is None
                else f"{name} of term {self.term_number}")


def issue_annual(uow: UnitOfWork, agreement: Agreement, fiscal_year: int, issued_by: str,
                 now: datetime | None = None) -> IssuedReport:
    """Issue the annual report of a closed fiscal year and return its register row.

    Raises YearNotClosed, AlreadyIssued when the year's report was issued (re-issue it),
    NotFound for a year outside the agreement's terms.
    """
    head = uow.journal.lock_head(agreement.id)  # one issue at a time, at this head
    _require_closed(head, fiscal_year)
    return _issue_new(uow, agreement, head, _Wanted(DocumentKind.ANNUAL, fiscal_year),
                      issued_by, now)


def issue_term(uow: UnitOfWork, agreement: Agreement, term_number: int, issued_by: str,
               now: datetime | None = None) -> IssuedReport:
    """Issue the report of a term whose last fiscal year is closed; return its row.

    Raises NotFound for a term the agreement lacks, YearNotClosed, AlreadyIssued.
    """
    term = next((t for t in agreement.terms if t.number == term_number), None)
    if term is None:
        raise NotFound(f"the agreement has no term {term_number}", field="term")
    head = uow.journal.lock_head(agreement.id)
    _require_closed(head, term.last_fy)
    return _issue_new(uow, agreement, head, _Wanted(DocumentKind.TERM, term.last_fy, term.number),
                      issued_by, now)


def reissue(uow: UnitOfWork, agreement: Agreement, number: str, reason: str, issued_by: str,
            now: datetime | None = None) -> IssuedReport:
    """Issue report `number` again (再発行) under a new number, built at today's chain head,
    naming the one it replaces and why; return the new row. Both stay downloadable.

    Raises ReportNotIssued, AlreadyReplaced for a report replaced already (re-issue the
    current one), InvalidInput for a blank or too long reason.
    """
    why = reason.strip()
    if not why or len(why) > MAX_TEXT:
        raise InvalidInput(f"must be 1..{MAX_TEXT} characters", field="reason")
    head = uow.journal.lock_head(agreement.id)
    original = uow.documents.get(agreement.id, number)
    if original.replaced_by is not None:
        raise AlreadyReplaced(original.number, original.replaced_by)
    wanted = _Wanted(original.kind, original.fiscal_year, original.term_number)
    return _issue(uow, agreement, head, wanted, issued_by, now, replaces=original.number,
                  reason=why)


def register(uow: UnitOfWork, agreement: Agreement) -> list[IssuedReport]:
    """Return the agreement's issued reports in the order they were issued."""
    return uow.documents.register(agreement.id)


def issued_report(uow: UnitOfWork, agreement: Agreement, number: str) -> IssuedReport:
    """Return the register row of report `number`. Raises ReportNotIssued."""
    return uow.documents.get(agreement.id, number)


def issued_pdf(uow: UnitOfWork, agreement: Agreement, number: str) -> bytes:
    """Return the PDF of report `number`, the very bytes issued. Raises ReportNotIssued."""
    return uow.documents.pdf(agreement.id, number)


def _require_closed(head: ChainHead, fiscal_year: int) -> None:
    if not head.closed(fiscal_year):
        raise YearNotClosed(head.agreement_id, fiscal_year, head.closed_through)


def _issue_new(uow: UnitOfWork, agreement: Agreement, head: ChainHead, wanted: _Wanted,
               issued_by: str, now: datetime | None) -> IssuedReport:
    issued = uow.documents.current(agreement.id, wanted.kind, wanted.which)
    if issued is not None:
        raise AlreadyIssued(wanted.label, issued.number)
    return _issue(uow, agreement, head, wanted, issued_by, now, replaces=None, reason=None)


def _issue(uow: UnitOfWork, agreement: Agreement, head: ChainHead, wanted: _Wanted,
           issued_by: str, now: datetime | None, *, replaces: str | None,
           reason: str | None) -> IssuedReport:
    """Build, render, store and chain one report; the head is locked by the caller.

    A ledger that does not verify is never issued from (LedgerBroken): an issued report
    vouches for the chain it prints.
    """
    integrity.require_intact(uow, agreement)
    moment = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    number = _next_number(uow, agreement, moment)
    report = replace(_build(uow, agreement, wanted, moment, issued_by),
                     issue=ReportIssue(number, replaces, reason))
    pdf = render_pdf(report)
    digest = hashlib.sha256(pdf).hexdigest()
    # The head the report printed: the locked head, before this issue's own entry.
    seq, made_at = report.chain.entry_count, report.chain.head_hash
    entry = ledger.post(uow, [Entry(
        agreement.id, wanted.fiscal_year, EntryKind.REPORT_ISSUE, today_in_japan(moment),
        _description(wanted, number, replaces), (),
        details=issue_details(wanted.kind, number, digest, seq, made_at, replaces, reason,
                              wanted.term_number),
        recorded_by=issued_by)])[0]
    row = IssuedReport(number, agreement.id, wanted.kind, wanted.fiscal_year,
                       wanted.term_number, seq, made_at, report.generated_at, digest,
                       issued_by, entry.id, replaces, reason)
    uow.documents.add(row, pdf)
    return row


def _build(uow: UnitOfWork, agreement: Agreement, wanted: _Wanted,
           moment: datetime, prepared_by: str | None = None) -> ReportData:
    if wanted.term_number is None:
        return build_annual(uow, agreement, wanted.fiscal_year, now=moment,
                            prepared_by=prepared_by)
    return build_term(uow, agreement, wanted.term_number, now=moment, prepared_by=prepared_by)


def _next_number(uow: UnitOfWork, agreement: Agreement, moment: datetime) -> str:
    """Return the next document number: the agreement's pattern, with the running serial of
    the reports it issued in the calendar year (in Japan) of `moment`."""
    year = issue_year(moment)
    serial = uow.documents.issued_between(agreement.id, *year_bounds(year)) + 1
    urban = uow.agreements.party(agreement.urban_party_id)
    forest = uow.agreements.party(agreement.forest_party_id)
    number = agreement.closing.number(year, urban.name_ja, forest.name_ja, serial)
    try:
        uow.documents.get(agreement.id, number)
    except ReportNotIssued:
        return number
    # Only a pattern without {serial} (or {year}) repeats a number.
    raise AlreadyExists("report number", number, field="number")


def _description(wanted: _Wanted, number: str, replaces: str | None) -> str:
    ja, en = TITLES[wanted.kind]
    period = (f"FY{wanted.fiscal_year}" if wanted.term_number is None
              else f"term {wanted.term_number}")
    if replaces is None:
        return f"{ja} {number} 発行 / {en} {period} issued as {number}"
    return (f"{ja} {number} 再発行（{replaces} に代わる）/ {en} {period} re-issued as "
            f"{number}, replacing {replaces}")
