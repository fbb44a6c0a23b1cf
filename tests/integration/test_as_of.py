"""Point-in-time reads on SQLite and PostgreSQL: a read as of a point of an agreement's chain
answers what the same read answered when the chain stood there.

Each test reads once at a point M, writes more (further entries, a reversal of an entry
before M, further thinning work), then reads as of M, by sequence number and by the moment
entry M was recorded, and expects the first answer exactly.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from offset.db.uow import UnitOfWork, UnitOfWorkFactory
from offset.emissions import services as emissions
from offset.exports import services as exports
from offset.exports.beancount_export import beancount_text
from offset.exports.csv_export import csv_bytes
from offset.exports.source import Source
from offset.forestry.certification import certify
from offset.forestry.thinnings import log_thinning
from offset.ledger import services as ledger
from offset.ledger.as_of import AsOf, AtMoment, AtSeq
from offset.ledger.chain import GENESIS, ChainHead, canonical
from offset.ledger.errors import AsOfBeyondHead
from offset.money import services as money
from offset.netting import services as netting
from reports import build_annual, build_term
from tests.builders import (
    agreement,
    certificate,
    cost,
    cost_entry,
    emission,
    retirement,
    stand,
    thinning,
)

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # the reports' generation time, held still


def _points(work: UnitOfWork, agreement_id: int) -> list[AsOf]:
    """Return the chain's current point as a sequence number and as the moment its last
    entry was recorded (read here with the plain repository, not head_as_of)."""
    head = work.journal.heads([agreement_id])[0]
    last = list(work.journal.chain(agreement_id))[-1]
    assert last.seq == head.entry_count
    return [AtSeq(head.entry_count), AtMoment(last.recorded_at)]


def test_every_point_names_the_hash_its_entry_was_sealed_with(uow: UnitOfWorkFactory):
    with uow() as work:
        deal = agreement(work).id
        posted = [ledger.post(work, [cost_entry(deal, yen)])[0] for yen in (100, 200, 300)]
        heads = [ledger.head_as_of(work, deal, AtSeq(n)) for n in range(4)]
        by_time = [ledger.head_as_of(work, deal, AtMoment(e.recorded_at)) for e in posted]
        before = ledger.head_as_of(work, deal, AtMoment(posted[0].recorded_at
                                                        - timedelta(microseconds=1)))
        with pytest.raises(AsOfBeyondHead):
            ledger.head_as_of(work, deal, AtSeq(4))
    # Each hash recomputed from the entry's canonical text, chained by hand.
    expected, previous = [ChainHead(deal, 0, GENESIS)], GENESIS
    for stored in posted:
        previous = hashlib.sha256(canonical(stored.entry, stored.seq, stored.recorded_at,
                                            previous)).hexdigest()
        expected.append(ChainHead(deal, stored.seq, previous))
    assert heads == expected
    assert by_time == expected[1:]
    assert before == expected[0]


def test_a_moment_in_another_offset_names_the_same_point(uow: UnitOfWorkFactory):
    with uow() as work:
        deal = agreement(work).id
        first = ledger.post(work, [cost_entry(deal, 100)])[0]
        ledger.post(work, [cost_entry(deal, 200)])
        moments = (first.recorded_at, first.recorded_at.astimezone(ZoneInfo("Asia/Tokyo")),
                   first.recorded_at.astimezone(timezone(timedelta(hours=-5))))
        found = [ledger.head_as_of(work, deal, AtMoment(m)).entry_count for m in moments]
    assert found == [1, 1, 1]


def _summaries(work: UnitOfWork, deal_id: int, as_of: AsOf | None = None,
               ) -> tuple[netting.Summary, netting.Summary]:
    found = work.agreements.agreement(deal_id)
    return (netting.fiscal_year_summary(work, found, 2010, as_of),
            netting.term_summary(work, found, 1, as_of))


def test_a_summary_as_of_a_point_is_the_summary_made_there(uow: UnitOfWorkFactory):
    with uow() as work:
        deal = agreement(work)
        certify(work, deal, certificate("80", 2010), "forestry")
        emissions.record_emission(work, deal, emission("100000 kWh"), "urban")
        wrong = money.record_cost(work, deal, cost(500_000), "urban")
        then, points = _summaries(work, deal.id), _points(work, deal.id)
        emissions.retire(work, deal, retirement("20"), "urban")
        ledger.reverse(work, wrong.id, "typed twice", "urban")
        money.record_cost(work, deal, cost(70_000, 2011), "urban")
        now = _summaries(work, deal.id)
        as_of = [_summaries(work, deal.id, point) for point in points]
    assert as_of == [then, then]
    assert now != then
    assert then[0].carbon.retired == 0 and now[0].carbon.retired == 20
    assert then[0].money.costs != {} and now[0].money.costs == {}


def test_a_journal_page_as_of_a_point_is_the_page_made_there(uow: UnitOfWorkFactory):
    with uow() as work:
        deal = agreement(work).id
        entries = ledger.post(work, [cost_entry(deal, yen) for yen in (100, 200, 300)])
        then = [ledger.journal_page(work, deal, limit=2),
                ledger.journal_page(work, deal, limit=2, after_seq=2)]
        points = _points(work, deal)
        reversal = ledger.reverse(work, entries[0].id, "twice", "test")  # entry 4
        ledger.post(work, [cost_entry(deal, 400)])
        as_of = [[ledger.journal_page(work, deal, limit=2, as_of=point),
                  ledger.journal_page(work, deal, limit=2, after_seq=2, as_of=point)]
                 for point in points]
        now = ledger.journal_page(work, deal, limit=2)
    assert as_of == [then, then]
    assert then[0].reversed_by == {} and now.reversed_by == {entries[0].id: reversal.id}
    assert then[1].next_after_seq is None  # nothing after entry 3 as of 3


def test_a_trial_balance_as_of_a_point_is_the_balance_made_there(uow: UnitOfWorkFactory):
    with uow() as work:
        deal = agreement(work).id
        first = ledger.post(work, [cost_entry(deal, 100, 2009, "1.000"),
                                   cost_entry(deal, 200, 2010)])[0]
        then = [ledger.trial_balance(work, deal, year) for year in (None, 2010)]
        points = _points(work, deal)
        ledger.reverse(work, first.id, "twice", "test")
        ledger.post(work, [cost_entry(deal, 400, 2009), cost_entry(deal, 800, 2010)])
        as_of = [[ledger.trial_balance(work, deal, year, as_of=point) for year in (None, 2010)]
                 for point in points]
    assert as_of == [then, then]


def _exported(work: UnitOfWork, deal_id: int, as_of: AsOf | None = None,
              ) -> tuple[bytes, str, ChainHead]:
    """Return the CSV and beancount exports (the time of export held still) and the head."""
    def source() -> Source:
        return replace(exports.source(work, deal_id, as_of=as_of), exported_at=NOW)
    csv_file = csv_bytes(source().entries)
    return csv_file, beancount_text(source()), source().head


def test_an_export_as_of_a_point_is_the_export_made_there(uow: UnitOfWorkFactory):
    with uow() as work:
        deal = agreement(work).id
        first = ledger.post(work, [cost_entry(deal, 100), cost_entry(deal, 200, 2010)])[0]
        then, points = _exported(work, deal), _points(work, deal)
        ledger.reverse(work, first.id, "twice", "test")
        ledger.post(work, [cost_entry(deal, 300)])
        as_of = [_exported(work, deal, point) for point in points]
        now = _exported(work, deal)
    assert as_of == [then, then]
    assert now[2].entry_count == 4
    assert f"chain head {then[2].hash} after 2 entries" in as_of[0][1]


def test_a_report_as_of_a_point_is_the_report_made_there(uow: UnitOfWorkFactory):
    with uow() as work:
        deal = agreement(work)
        old = stand(work, "1", area="12", species="sugi", planting_year=1975)
        larch = stand(work, "2", area="20", species="karamatsu", planting_year=1985)
        log_thinning(work, deal, thinning(deal.id, old.id, "6", 2010), "forestry")
        wrong = money.record_cost(work, deal, cost(500_000), "urban")
        emissions.record_emission(work, deal, emission("100000 kWh"), "urban")
        then = (build_annual(work, deal, 2010, now=NOW), build_term(work, deal, 1, now=NOW))
        points = _points(work, deal.id)
        log_thinning(work, deal, thinning(deal.id, larch.id, "9.5", 2010), "forestry")
        ledger.reverse(work, wrong.id, "typed twice", "urban")
        certify(work, deal, certificate("30", 2010), "forestry")
        as_of = [(build_annual(work, deal, 2010, now=NOW, as_of=point),
                  build_term(work, deal, 1, now=NOW, as_of=point)) for point in points]
        now = build_annual(work, deal, 2010, now=NOW)
    assert as_of == [then, then]
    # What came after the point is there today, and only today.
    assert then[0].section("thinning").fact("count") == 1
    assert now.section("thinning").fact("count") == 2
    assert now.chain.entry_count > then[0].chain.entry_count
    assert then[0].chain.verify_command == (
        f"offset verify --agreement {deal.id} --at {then[0].chain.entry_count}")


def test_a_report_as_of_the_empty_chain_has_no_work_and_the_genesis_head(
        uow: UnitOfWorkFactory):
    with uow() as work:
        deal = agreement(work)
        log_thinning(work, deal, thinning(deal.id, stand(work).id, "6", 2010), "forestry")
        report = build_annual(work, deal, 2010, now=NOW, as_of=AtSeq(0))
    assert (report.chain.entry_count, report.chain.head_hash) == (0, GENESIS)
    assert report.section("thinning").fact("count") == 0
    assert report.section("absorption").table("estimates").rows == ()
