"""The hash chain: each link hashes its content and the previous hash; verify names breaks."""

import hashlib
import json
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

from offset.ledger.chain import GENESIS, ChainHead, extend, first_break, seal
from offset.ledger.model import Commodity, Entry, EntryKind, JournalEntry, Posting

NOW = datetime(2026, 4, 1, 9, 30, 0, 123456, tzinfo=UTC)


def cost(yen: int) -> Entry:
    return Entry(3, 2009, EntryKind.COST, date(2009, 6, 1), "Thinning work",
                 (Posting("Expenses:Thinning", Commodity.JPY, Decimal(yen)),
                  Posting("Liabilities:Payable", Commodity.JPY, Decimal(-yen))))


def stored_chain(*yens: int) -> tuple[ChainHead, list[JournalEntry]]:
    links, head = extend(ChainHead(3, 0, GENESIS), [cost(y) for y in yens], NOW)
    return head, [JournalEntry.stored(100 + i, link) for i, link in enumerate(links)]


def test_the_hash_is_sha256_of_the_documented_canonical_form():
    document = {
        "agreement_id": 3, "seq": 1, "fiscal_year": 2009, "kind": "cost",
        "effective_date": "2009-06-01", "recorded_at": "2026-04-01T09:30:00.123456Z",
        "recorded_by": "system", "description": "Thinning work", "details": {},
        "reverses": None, "reason": None, "prev_hash": GENESIS,
        "postings": [
            {"account": "Expenses:Thinning", "commodity": "JPY", "amount": "1200"},
            {"account": "Liabilities:Payable", "commodity": "JPY", "amount": "-1200"},
        ],
    }
    text = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert seal(cost(1200), 1, NOW, GENESIS) == hashlib.sha256(text.encode()).hexdigest()


def test_links_point_at_their_predecessor():
    head, chain = stored_chain(1, 2, 3)
    assert chain[0].prev_hash == GENESIS
    assert [c.prev_hash for c in chain[1:]] == [c.hash for c in chain[:-1]]
    assert (head.entry_count, head.hash) == (3, chain[-1].hash)
    assert first_break(head, chain) is None


def test_a_changed_amount_is_named():
    head, chain = stored_chain(1, 2, 3)
    tampered = replace(chain[1].entry, postings=(
        Posting("Expenses:Thinning", Commodity.JPY, Decimal(20)),
        Posting("Liabilities:Payable", Commodity.JPY, Decimal(-20))))
    chain[1] = replace(chain[1], entry=tampered)
    found = first_break(head, chain)
    assert found is not None and found.entry_id == chain[1].id


def test_a_missing_last_entry_is_caught_by_the_head():
    head, chain = stored_chain(1, 2, 3)
    found = first_break(head, chain[:-1])
    assert found is not None and "chain head records 3 entries" in found.reason


def test_a_removed_middle_entry_breaks_the_sequence():
    head, chain = stored_chain(1, 2, 3)
    found = first_break(head, [chain[0], chain[2]])
    assert found is not None and found.entry_id == chain[2].id
