"""Issued reports on SQLite and PostgreSQL: a closed year's report is made a document once,
numbered per year of issue, recorded in the chain by the SHA-256 of its bytes, and downloaded
as exactly those bytes whatever is posted later; a re-issue is a new row naming the old.

Years are closed here by posting period-close memoranda directly (the close use case posts
them in production); hashes are computed with hashlib in the test.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from pypdf import PdfReader
from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError

from offset.agreements.model import Agreement
from offset.db.uow import UnitOfWork, UnitOfWorkFactory
from offset.documents import services as documents
from offset.documents.errors import (
    AlreadyIssued,
    AlreadyReplaced,
    ReportNotIssued,
    YearNotClosed,
)
from offset.documents.model import DocumentKind
from offset.ledger import services as ledger
from offset.ledger.model import Entry, EntryKind
from reports import build_annual, render_pdf
from tests.builders import agreement, cost_entry

# 10:00 in Japan on 1 June 2010, when FY2009's books are closed.
JUNE_2010 = datetime(2010, 6, 1, 1, 0, tzinfo=UTC)


def close(work: UnitOfWork, deal: Agreement, *years: int) -> None:
    """Close `years` (in order) as the close use case would: a period-close memorandum each."""
    ledger.post(work, [Entry(deal.id, year, EntryKind.PERIOD_CLOSE, date(year + 1, 6, 1),
                             f"FY{year} closed", (), recorded_by="test") for year in years])


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def deal(uow: UnitOfWorkFactory) -> Agreement:
    """Shinjuku–Ina with terms FY2009–FY2010 and FY2011, a cost in FY2009, FY2009 closed."""
    with uow() as work:
        found = agreement(work, terms=((2009, 2010), (2011, 2011)))
        ledger.post(work, [cost_entry(found.id, 1200, 2009)])
        close(work, found, 2009)
        work.commit()
    return found


def test_issuing_stores_the_row_and_records_the_pdf_hash_in_the_chain(
        uow: UnitOfWorkFactory, deal: Agreement):
    with uow() as work:
        head = ledger.verify(work, [deal.id]).heads[0]
        issued = documents.issue_annual(work, deal, 2009, "closing", now=JUNE_2010)
        work.commit()

    with uow(read_only=True) as work:
        pdf = documents.issued_pdf(work, deal, issued.number)
        entry = ledger.journal_entry(work, issued.entry_id)
        assert documents.register(work, deal) == [issued]
    digest = hashlib.sha256(pdf).hexdigest()
    assert issued.number == "2010-新伊-001"
    assert (issued.kind, issued.fiscal_year, issued.term_number) == (DocumentKind.ANNUAL,
                                                                      2009, None)
    assert (issued.made_at_seq, issued.made_at_head) == (head.entry_count, head.hash)
    assert issued.generated_at == JUNE_2010 and issued.sha256 == digest
    assert (entry.entry.kind, entry.entry.fiscal_year, entry.seq) == (
        EntryKind.REPORT_ISSUE, 2009, head.entry_count + 1)
    assert entry.entry.postings == () and entry.entry.recorded_by == "closing"
    assert entry.entry.details == {"number": "2010-新伊-001", "kind": "annual",
                                   "sha256": digest, "made_at_seq": head.entry_count,
                                   "made_at_head": head.hash, "replaces": None}
    shown = text_of(pdf)
    assert "2010-新伊-001" in shown and "issued" in shown and "発行" in shown
    assert "2010-06-01 10:00:00 JST" in shown


def test_the_download_is_the_same_bytes_whatever_is_posted_later(uow: UnitOfWorkFactory,
                                                                 deal: Agreement):
    with uow() as work:
        issued = documents.issue_annual(work, deal, 2009, "closing", now=JUNE_2010)
        first = documents.issued_pdf(work, deal, issued.number)
        work.commit()
    with uow() as work:
        ledger.post(work, [cost_entry(deal.id, 5000, 2010), cost_entry(deal.id, 700, 2010)])
        work.commit()

    with uow(read_only=True) as work:
        again = documents.issued_pdf(work, deal, issued.number)
        # A draft of the same year built now shows the later head, so its bytes differ.
        draft = render_pdf(build_annual(work, deal, 2009, now=JUNE_2010))
    assert again == first
    assert hashlib.sha256(again).hexdigest() == issued.sha256
    assert draft != first and "draft built on demand" in text_of(draft)


def test_rendering_the_same_report_twice_gives_the_same_bytes(uow: UnitOfWorkFactory,
                                                              deal: Agreement):
    with uow(read_only=True) as work:
        built = build_annual(work, deal, 2009, now=JUNE_2010)
    assert render_pdf(built) == render_pdf(built)
    assert render_pdf(built) != render_pdf(replace(built, generated_at=datetime(
        2010, 6, 1, 1, 0, 1, tzinfo=UTC)))


def test_serials_run_per_calendar_year_of_issue_in_japan(uow: UnitOfWorkFactory,
                                                         deal: Agreement):
    with uow() as work:
        close(work, deal, 2010)
        # 23:59:59 on 31 December 2010 in Japan, then midnight: a new year, a new serial.
        last_of_2010 = documents.issue_annual(work, deal, 2009, "closing",
                                              now=datetime(2010, 12, 31, 14, 59, 59, tzinfo=UTC))
        new_year = documents.issue_annual(work, deal, 2010, "closing",
                                          now=datetime(2010, 12, 31, 15, 0, tzinfo=UTC))
        term = documents.issue_term(work, deal, 1, "closing",
                                    now=datetime(2011, 6, 1, tzinfo=UTC))
        work.commit()
    assert [last_of_2010.number, new_year.number, term.number] == [
        "2010-新伊-001", "2011-新伊-001", "2011-新伊-002"]
    assert (term.kind, term.term_number, term.fiscal_year) == (DocumentKind.TERM, 1, 2010)


def test_a_report_of_a_year_not_closed_is_refused_and_nothing_is_written(
        uow: UnitOfWorkFactory, deal: Agreement):
    with uow() as work, pytest.raises(YearNotClosed) as refused:
        documents.issue_annual(work, deal, 2010, "closing", now=JUNE_2010)
    assert (refused.value.fiscal_year, refused.value.closed_through) == (2010, 2009)
    with uow() as work, pytest.raises(YearNotClosed):
        documents.issue_term(work, deal, 1, "closing")  # its last year, FY2010, is open
    with uow(read_only=True) as work:
        assert documents.register(work, deal) == []
        assert ledger.verify(work, [deal.id]).heads[0].entry_count == 2


def test_a_report_is_issued_once_and_unknown_numbers_are_not_found(uow: UnitOfWorkFactory,
                                                                   deal: Agreement):
    with uow() as work:
        issued = documents.issue_annual(work, deal, 2009, "closing", now=JUNE_2010)
        work.commit()
    with uow() as work, pytest.raises(AlreadyIssued) as twice:
        documents.issue_annual(work, deal, 2009, "closing")
    assert twice.value.number == issued.number
    with uow() as work, pytest.raises(ReportNotIssued):
        documents.issued_pdf(work, deal, "2010-新伊-999")


def test_a_reissue_is_a_new_row_naming_the_one_it_replaces_and_both_download(
        uow: UnitOfWorkFactory, deal: Agreement):
    with uow() as work:
        first = documents.issue_annual(work, deal, 2009, "closing", now=JUNE_2010)
        ledger.post(work, [cost_entry(deal.id, 300, 2010)])
        second = documents.reissue(work, deal, first.number, " 表紙の誤記 typo on the cover ",
                                   "urban", now=datetime(2010, 7, 1, tzinfo=UTC))
        work.commit()

    with uow(read_only=True) as work:
        rows = documents.register(work, deal)
        old, new = (documents.issued_pdf(work, deal, n) for n in (first.number, second.number))
        entry = ledger.journal_entry(work, second.entry_id).entry
    assert [r.number for r in rows] == ["2010-新伊-001", "2010-新伊-002"]
    assert rows[0].replaced_by == "2010-新伊-002" and rows[1].replaced_by is None
    assert (second.replaces, second.reason, second.fiscal_year) == (
        "2010-新伊-001", "表紙の誤記 typo on the cover", 2009)
    assert second.made_at_seq == first.made_at_seq + 2  # after the issue entry and the cost
    assert hashlib.sha256(old).hexdigest() == first.sha256
    assert hashlib.sha256(new).hexdigest() == second.sha256 == entry.details["sha256"]
    assert (entry.details["replaces"], entry.details["reason"]) == (
        "2010-新伊-001", "表紙の誤記 typo on the cover")
    assert "replaces 2010-新伊-001" in text_of(new).replace("\n", " ")

    with uow() as work, pytest.raises(AlreadyReplaced) as refused:
        documents.reissue(work, deal, first.number, "again", "urban")
    assert refused.value.replaced_by == "2010-新伊-002"


@pytest.mark.parametrize("change", ["UPDATE issued_reports SET pdf = pdf",
                                    "DELETE FROM issued_reports"])
def test_the_register_refuses_change_in_the_database(uow: UnitOfWorkFactory,
                                                     connection: Connection,
                                                     deal: Agreement, change: str):
    with uow() as work:
        documents.issue_annual(work, deal, 2009, "closing", now=JUNE_2010)
        work.commit()
    with pytest.raises(DBAPIError, match="append-only"), connection.begin_nested():
        connection.execute(text(change))
