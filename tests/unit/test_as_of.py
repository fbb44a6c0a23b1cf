"""Point-in-time reads: the one text form of `as_of`, and the chain head a point names.

A point is a sequence number N (the chain once entry N was sealed; 0 is the empty chain) or
an aware moment (the longest run of entries from the start recorded at or before it).
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest

from offset.ledger import services as ledger
from offset.ledger.as_of import AtMoment, AtSeq, parse_as_of
from offset.ledger.chain import GENESIS, ChainHead, canonical, extend
from offset.ledger.errors import AsOfBeyondHead, InvalidAsOf
from offset.ledger.model import EntryKind
from tests.builders import agreement, cost_entry
from tests.fakes import FakeDatabase

JST = timezone(timedelta(hours=9))
T0 = datetime(2014, 3, 31, 3, 0, tzinfo=UTC)


@pytest.mark.parametrize(("text", "point"), [
    ("0", AtSeq(0)),
    ("42", AtSeq(42)),
    (" 7 ", AtSeq(7)),
    ("2014-03-31T23:59:59+09:00", AtMoment(datetime(2014, 3, 31, 23, 59, 59, tzinfo=JST))),
    ("2014-03-31T14:59:59Z", AtMoment(datetime(2014, 3, 31, 14, 59, 59, tzinfo=UTC))),
    ("2014-03-31 14:59:59.123456+00:00",
     AtMoment(datetime(2014, 3, 31, 14, 59, 59, 123456, tzinfo=UTC))),
])
def test_as_of_is_a_sequence_number_or_an_aware_timestamp(text: str, point: object):
    assert parse_as_of(text) == point


def test_the_same_moment_in_two_offsets_is_the_same_point():
    assert parse_as_of("2014-03-31T23:59:59+09:00") == parse_as_of("2014-03-31T14:59:59Z")


@pytest.mark.parametrize(("text", "reason"), [
    ("2014-03-31T23:59:59", "a timestamp needs its UTC offset"),
    ("2014-03-31", "a timestamp needs its UTC offset"),
    ("-1", "must be a sequence number (0 or more) or an ISO 8601 timestamp"),
    ("seq 4", "must be a sequence number (0 or more) or an ISO 8601 timestamp"),
    ("", "must be a sequence number (0 or more) or an ISO 8601 timestamp"),
    ("４２", "must be a sequence number (0 or more) or an ISO 8601 timestamp"),  # full-width
    (str(2**63), f"sequence number must be at most {2**63 - 1}"),
    ("0001-01-01T00:00:00+14:00", "the timestamp is out of range in UTC"),
])
def test_anything_else_is_refused_naming_as_of(text: str, reason: str):
    with pytest.raises(InvalidAsOf) as refused:
        parse_as_of(text)
    assert refused.value.field == "as_of"
    assert refused.value.as_of == text
    assert str(refused.value).startswith(f"as_of: {text!r}: {reason}")


def test_the_refusal_names_the_field_that_gave_it():
    with pytest.raises(InvalidAsOf) as refused:
        parse_as_of("yesterday", field="at")
    assert str(refused.value).startswith("at: 'yesterday': ")


# The head a point names, on the in-memory journal.

def _chain_of_three(uow: FakeDatabase, moments: tuple[datetime, ...]) -> tuple[int, list[str]]:
    """Seal three cost entries, recorded at `moments` in turn; return the agreement and the
    entries' hashes, computed here from their canonical text."""
    with uow() as work:
        deal = agreement(work).id
        head = ChainHead(deal, 0, GENESIS)
        hashes = []
        for yen, moment in zip((100, 200, 300), moments, strict=True):
            entry = cost_entry(deal, yen)
            hashes.append(hashlib.sha256(canonical(entry, head.entry_count + 1, moment,
                                                   head.hash)).hexdigest())
            links, head = extend(head, [entry], moment)
            work.journal.append_chains([(links, head)])
        work.commit()
    return deal, hashes


MINUTES = (T0, T0 + timedelta(minutes=5), T0 + timedelta(minutes=10))


def test_a_sequence_number_names_that_entry_and_its_hash(uow: FakeDatabase):
    deal, hashes = _chain_of_three(uow, MINUTES)
    with uow() as work:
        assert ledger.head_as_of(work, deal, AtSeq(2)) == ChainHead(deal, 2, hashes[1])
        assert ledger.head_as_of(work, deal, AtSeq(3)) == ChainHead(deal, 3, hashes[2])
        assert ledger.head_as_of(work, deal, None) == ChainHead(deal, 3, hashes[2])


def test_sequence_zero_is_the_empty_chain_at_genesis(uow: FakeDatabase):
    deal, _ = _chain_of_three(uow, MINUTES)
    with uow() as work:
        assert ledger.head_as_of(work, deal, AtSeq(0)) == ChainHead(deal, 0, "0" * 64)


def test_a_sequence_number_past_the_head_is_refused_with_the_head(uow: FakeDatabase):
    deal, _ = _chain_of_three(uow, MINUTES)
    with uow() as work, pytest.raises(AsOfBeyondHead) as refused:
        ledger.head_as_of(work, deal, AtSeq(4))
    assert (refused.value.field, refused.value.as_of, refused.value.head_seq) == ("as_of", "4", 3)
    assert str(refused.value) == "as_of: '4': the chain's head is at seq 3; no later point exists"


@pytest.mark.parametrize(("moment", "seq"), [
    (T0 - timedelta(seconds=1), 0),  # before the first entry: the empty chain
    (T0, 1),  # at an entry's very moment: it is in
    (T0 + timedelta(minutes=7), 2),
    (T0 + timedelta(minutes=10), 3),
    (T0 + timedelta(days=365), 3),  # after the last entry: today's head, not an error
])
def test_a_moment_names_the_last_entry_recorded_at_or_before_it(uow: FakeDatabase,
                                                                 moment: datetime, seq: int):
    deal, hashes = _chain_of_three(uow, MINUTES)
    with uow() as work:
        head = ledger.head_as_of(work, deal, AtMoment(moment))
    assert head == ChainHead(deal, seq, ([GENESIS, *hashes])[seq])


def test_a_moment_stops_before_the_first_entry_recorded_after_it(uow: FakeDatabase):
    # Two writers read their clocks before queueing for the chain's lock, so entry 3 may
    # carry an earlier time than entry 2: as of 10:07 the ledger held entry 1 only for sure.
    deal, hashes = _chain_of_three(uow, (T0, T0 + timedelta(minutes=10),
                                         T0 + timedelta(minutes=5)))
    with uow() as work:
        head = ledger.head_as_of(work, deal, AtMoment(T0 + timedelta(minutes=7)))
    assert head == ChainHead(deal, 1, hashes[0])


def test_a_journal_page_as_of_n_lists_entries_and_reversals_up_to_n(uow: FakeDatabase):
    with uow() as work:
        deal = agreement(work).id
        first, second = ledger.post(work, [cost_entry(deal, 100), cost_entry(deal, 200)])
        reversal = ledger.reverse(work, first.id, "twice", "test")
        then = ledger.journal_page(work, deal, as_of=AtSeq(2))
        now = ledger.journal_page(work, deal)
    assert [e.id for e in then.entries] == [first.id, second.id]
    assert then.reversed_by == {}  # the reversal is entry 3, after the point
    assert then.head == ChainHead(deal, 2, second.hash)
    assert [e.id for e in now.entries] == [first.id, second.id, reversal.id]
    assert now.reversed_by == {first.id: reversal.id}
    assert reversal.entry.kind is EntryKind.REVERSAL


def test_a_trial_balance_as_of_n_counts_entries_up_to_n_only(uow: FakeDatabase):
    with uow() as work:
        deal = agreement(work).id
        ledger.post(work, [cost_entry(deal, 100, 2009), cost_entry(deal, 200, 2010),
                           cost_entry(deal, 400, 2010)])
        balance = ledger.trial_balance(work, deal, 2010, as_of=AtSeq(2))
    lines = {a.account: (a.line.opening, a.line.debit, a.line.credit) for a in balance.accounts}
    assert lines["Expenses:Thinning"] == (100, 200, 0)
    assert lines["Liabilities:Payable:Contractor"] == (-100, 0, 200)
    assert balance.head.entry_count == 2



def test_a_point_holds_the_years_closed_by_then(uow: FakeDatabase):
    with uow() as work:
        deal = agreement(work).id
        head = ChainHead(deal, 0, GENESIS)
        close = replace(cost_entry(deal, 100, 2009), kind=EntryKind.PERIOD_CLOSE)
        for entry in (cost_entry(deal, 100, 2009), close, cost_entry(deal, 200, 2010)):
            links, head = extend(head, [entry], T0)
            work.journal.append_chains([(links, head)])
        closed = [ledger.head_as_of(work, deal, AtSeq(n)).closed_through for n in range(4)]
    assert closed == [None, None, 2009, 2009]
