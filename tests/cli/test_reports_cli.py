"""`offset reports list|get|reissue` against SQLite and PostgreSQL: the register, the exact
bytes issued, re-issues naming the one they replace, and one-line refusals."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from offset.db.uow import unit_of_work_factory
from offset.documents import services as documents
from offset.ledger import services as ledger
from offset.ledger.model import Entry, EntryKind
from tests.builders import agreement, cost_entry
from tests.cli.running import assert_one_line_error, offset, ok
from tests.databases import engine_for

NUMBER = "2010-新伊-001"


@pytest.fixture
def deal(fresh_url: str) -> tuple[str, str, str]:
    """A database whose agreement closed FY2009 and issued its report; the URL, the
    agreement id and the SHA-256 of the PDF issued (computed here)."""
    engine = engine_for(fresh_url)
    try:
        with unit_of_work_factory(engine)() as uow:
            found = agreement(uow)
            ledger.post(uow, [cost_entry(found.id, 1200), Entry(
                found.id, 2009, EntryKind.PERIOD_CLOSE, date(2010, 5, 31), "FY2009 closed",
                (), recorded_by="test")])
            row = documents.issue_annual(uow, found, 2009, "closing",
                                         now=datetime(2010, 6, 1, 1, 0, tzinfo=UTC))
            digest = hashlib.sha256(documents.issued_pdf(uow, found, row.number)).hexdigest()
            uow.commit()
    finally:
        engine.dispose()
    return fresh_url, str(found.id), digest


def test_the_register_lists_and_get_writes_the_bytes_issued(deal: tuple[str, str, str],
                                                            tmp_path: Path):
    url, deal_id, digest = deal
    listed = ok(url, "reports", "list", "--agreement", deal_id)
    assert NUMBER in listed and digest in listed and "1 issued reports" in listed

    target = tmp_path / "fy2009.pdf"
    shown = ok(url, "reports", "get", "--agreement", deal_id, NUMBER, "--output", str(target))

    assert hashlib.sha256(target.read_bytes()).hexdigest() == digest
    assert shown == f"wrote {target} ({NUMBER}, sha256 {digest})\n"


def test_a_reissue_is_a_new_number_naming_the_old_and_both_download(
        deal: tuple[str, str, str], tmp_path: Path):
    url, deal_id, digest = deal
    shown = ok(url, "reports", "reissue", "--agreement", deal_id, NUMBER,
               "--reason", "表紙の誤記", "--recorded-by", "kankyo")
    new = shown.split()[1].rstrip(",")
    assert shown.startswith(f"issued {new}, replacing {NUMBER}: 表紙の誤記 (sha256 ")

    listed = ok(url, "reports", "list", "--agreement", deal_id)
    assert listed.count(NUMBER) == 2 and "2 issued reports" in listed  # its row and new's
    for number, name in ((NUMBER, "old.pdf"), (new, "new.pdf")):
        ok(url, "reports", "get", "--agreement", deal_id, number, "-o", str(tmp_path / name))
    assert hashlib.sha256((tmp_path / "old.pdf").read_bytes()).hexdigest() == digest
    assert (tmp_path / "new.pdf").read_bytes() != (tmp_path / "old.pdf").read_bytes()

    again = offset(url, "reports", "reissue", "--agreement", deal_id, NUMBER, "--reason", "x")
    assert_one_line_error(again, 1, f"number: report {NUMBER} was replaced by {new}")


def test_refusals_are_one_line(deal: tuple[str, str, str], tmp_path: Path):
    url, deal_id, _ = deal
    missing = offset(url, "reports", "get", "--agreement", deal_id, "2010-新伊-404",
                     "-o", str(tmp_path / "x.pdf"))
    assert_one_line_error(missing, 2, f"number: agreement {deal_id} has issued no report")
    assert not (tmp_path / "x.pdf").exists()
    blank = offset(url, "reports", "reissue", "--agreement", deal_id, NUMBER, "--reason", " ")
    assert_one_line_error(blank, 2, "reason: must not be blank")
    unknown = offset(url, "reports", "list", "--agreement", "999")
    assert_one_line_error(unknown, 2, "agreement_id: agreement 999 does not exist")
