"""Properties of the journal for any sequence of valid postings and reversals, on both DBs.

Each example runs in its own savepoint on a new agreement, and is rolled back afterwards.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Connection

from offset.db.uow import UnitOfWorkFactory
from offset.ledger import services as ledger
from offset.ledger.errors import AlreadyReversed
from offset.ledger.model import Commodity, JournalEntry
from tests.builders import agreement
from tests.strategies import balanced_entries, operations

PROPERTY = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])


def _run(uow: UnitOfWorkFactory, data: st.DataObject, steps: list[tuple[str, int]]
         ) -> tuple[int, list[JournalEntry], set[int]]:
    """Apply `steps`; return the agreement, every entry posted and the ids reversed."""
    posted: list[JournalEntry] = []
    reversed_ids: set[int] = set()
    with uow() as work:
        deal = agreement(work)
        for action, number in steps:
            if action == "post":
                batch = [data.draw(balanced_entries(deal.id)) for _ in range(number)]
                posted += ledger.post(work, batch)
            elif posted:
                target = posted[number % len(posted)]
                if target.id in reversed_ids or target.entry.kind.value == "reversal":
                    continue
                posted.append(ledger.reverse(work, target.id, "property test", "hypothesis"))
                reversed_ids.add(target.id)
        work.commit()
    return deal.id, posted, reversed_ids


@PROPERTY
@given(data=st.data(), steps=operations)
def test_any_life_of_the_journal_keeps_its_invariants(uow: UnitOfWorkFactory,
                                                      connection: Connection,
                                                      data: st.DataObject, steps):
    example = connection.begin_nested()
    try:
        agreement_id, posted, reversed_ids = _run(uow, data, steps)
        with uow(read_only=True) as work:
            stored = list(work.journal.chain(agreement_id))
            balances = ledger.balances(work, agreement_id)
            verification = ledger.verify(work, [agreement_id])

        # Shadow model: balances computed in plain Python from what was posted.
        expected: dict[tuple[str, Commodity], Decimal] = defaultdict(Decimal)
        for item in posted:
            for p in item.entry.postings:
                expected[(p.account, p.commodity)] += p.amount
        assert {k: v for k, v in balances.items() if v} == {k: v for k, v in expected.items()
                                                              if v}

        assert [s.id for s in stored] == [p.id for p in posted]
        for item in stored:
            per_commodity: Counter[Commodity] = Counter()
            for p in item.entry.postings:
                per_commodity[p.commodity] += p.amount
            assert all(total == 0 for total in per_commodity.values())
        totals: Counter[Commodity] = Counter()
        for (_, commodity), amount in balances.items():
            totals[commodity] += amount
        assert all(total == 0 for total in totals.values())

        by_id = {s.id: s for s in stored}
        for item in stored:
            if item.entry.reverses is not None:
                assert item.entry.reverses.entry_id in reversed_ids
                net: Counter[tuple[str, Commodity]] = Counter()
                for p in (*by_id[item.entry.reverses.entry_id].entry.postings,
                          *item.entry.postings):
                    net[(p.account, p.commodity)] += p.amount
                assert all(v == 0 for v in net.values())
        assert verification.ok
        assert verification.entry_count == len(posted)
    finally:
        example.rollback()


def test_a_second_reversal_is_refused_whatever_came_between(uow: UnitOfWorkFactory):
    with uow() as work:
        deal = agreement(work)
        from tests.builders import cost_entry
        first = ledger.post(work, [cost_entry(deal.id, 10)])[0]
        ledger.reverse(work, first.id, "wrong stand", "tester")
        ledger.post(work, [cost_entry(deal.id, 20)])
        try:
            ledger.reverse(work, first.id, "again", "tester")
        except AlreadyReversed as refused:
            assert refused.entry_id == first.id
        else:
            raise AssertionError("a second reversal was accepted")
