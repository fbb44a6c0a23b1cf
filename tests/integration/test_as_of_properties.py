"""The point-in-time property, on both databases: for any sequence of entries and any N,
the summary as of sequence N equals the summary of a ledger that only ever held the first N.

Each example posts a random life of one agreement (netting facts, and reversals of earlier
ones), then replays its first N entries into a second agreement: the copy's summary is read
at its own head, without as_of. The emissions are also summed here, in plain Python, from the
first N entries' postings.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Connection

from offset.agreements.model import Agreement
from offset.db.uow import UnitOfWork, UnitOfWorkFactory
from offset.ledger import services as ledger
from offset.ledger.as_of import AtSeq
from offset.ledger.model import Commodity, EntryKind, JournalEntry
from offset.netting import services as netting
from tests.builders import CHIYODA, MATSUMOTO, agreement
from tests.strategies import netting_entries

PROPERTY = settings(max_examples=25, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])
# A life: post a netting fact, or reverse the n-th entry posted so far (when it may be).
steps = st.lists(st.one_of(st.tuples(st.just("post"), st.just(0)),
                           st.tuples(st.just("reverse"), st.integers(0, 30))),
                 min_size=1, max_size=14)


def _live(work: UnitOfWork, deal: Agreement, data: st.DataObject,
          plan: list[tuple[str, int]]) -> list[JournalEntry]:
    """Apply `plan` to `deal`; return every entry posted, in chain order."""
    posted: list[JournalEntry] = []
    for action, number in plan:
        originals = [e for e in posted if e.entry.kind is not EntryKind.REVERSAL]
        gone = {e.entry.reverses.entry_id for e in posted if e.entry.reverses}
        if action == "post":
            posted += ledger.post(work, [data.draw(netting_entries(deal.id))])
        elif originals and (target := originals[number % len(originals)]).id not in gone:
            posted.append(ledger.reverse(work, target.id, "property", "hypothesis"))
    return posted


def _replay(work: UnitOfWork, copy: Agreement, first: list[JournalEntry]) -> None:
    """Post `first` again into `copy`: each entry re-addressed, each reversal of the copy's."""
    ids: dict[int, int] = {}
    for stored in first:
        if stored.entry.reverses is not None:
            again = ledger.reverse(work, ids[stored.entry.reverses.entry_id], "property",
                                   "hypothesis")
        else:
            again = ledger.post(work, [replace(stored.entry, agreement_id=copy.id)])[0]
        ids[stored.id] = again.id


def _comparable(summary: netting.Summary) -> netting.Summary:
    # Two agreements' chains differ in their ids and hashes, never in their figures.
    return replace(summary, agreement_id=0, chain_head="")


@PROPERTY
@given(data=st.data(), plan=steps, fiscal_year=st.integers(2009, 2013))
def test_a_summary_as_of_n_is_the_summary_of_the_first_n_entries(
        uow: UnitOfWorkFactory, connection: Connection, data: st.DataObject,
        plan: list[tuple[str, int]], fiscal_year: int):
    example = connection.begin_nested()
    try:
        with uow() as work:
            deal = agreement(work)
            posted = _live(work, deal, data, plan)
            n = data.draw(st.integers(0, len(posted)), label="N")
            copy = agreement(work, CHIYODA, MATSUMOTO)
            _replay(work, copy, posted[:n])
            as_of = (netting.fiscal_year_summary(work, deal, fiscal_year, AtSeq(n)),
                     netting.term_summary(work, deal, 1, AtSeq(n)))
            truncated = (netting.fiscal_year_summary(work, copy, fiscal_year),
                         netting.term_summary(work, copy, 1))
            head = ledger.head_as_of(work, deal.id, AtSeq(n))
        assert [_comparable(s) for s in as_of] == [_comparable(s) for s in truncated]
        assert {s.chain_entry_count for s in (*as_of, *truncated)} == {n}
        assert {s.chain_head for s in as_of} == {head.hash}
        assert head.hash == (posted[n - 1].hash if n else "0" * 64)
        emitted = sum((p.amount for e in posted[:n] if e.entry.fiscal_year == fiscal_year
                       for p in e.entry.postings if p.commodity is Commodity.TCO2E
                       and p.account.startswith("Expenses:Emissions:")), Decimal("0.000"))
        assert as_of[0].carbon.emissions == emitted
    finally:
        example.rollback()
