"""The hash chain: each link hashes its content and the previous hash; verify names breaks."""

import hashlib
import json
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from offset.ledger.chain import (
    GENESIS,
    ChainHead,
    amount_text,
    canonical,
    extend,
    first_break,
    seal,
    sealed_of,
    thousandths_text,
)
from offset.ledger.model import Commodity, Entry, EntryKind, JournalEntry, Posting, Reference

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


texts = st.text(max_size=30)  # any character: quotes, backslashes, controls, non-ASCII
json_values = st.recursive(st.none() | st.booleans() | st.integers() | texts,
                           lambda inner: st.lists(inner, max_size=3)
                           | st.dictionaries(texts, inner, max_size=3), max_leaves=8)
amounts = st.decimals(allow_nan=False, allow_infinity=False, places=3,
                      min_value=-10**9, max_value=10**9)


@given(agreement_id=st.integers(1, 10**9), seq=st.integers(1, 10**9),
       fiscal_year=st.integers(1900, 2200), kind=st.sampled_from(list(EntryKind)),
       day=st.dates(), moment=st.datetimes(timezones=st.just(UTC)), recorded_by=texts,
       description=texts, details=st.dictionaries(texts, json_values, max_size=4),
       reverses=st.none() | st.text("0123456789abcdef", min_size=64, max_size=64),
       reason=st.none() | texts, prev_hash=texts,
       postings=st.lists(st.tuples(texts, st.sampled_from(list(Commodity)), amounts),
                         max_size=3))
def test_the_hashed_bytes_are_json_dumps_of_the_documented_form_for_any_entry(
        agreement_id, seq, fiscal_year, kind, day, moment, recorded_by, description, details,
        reverses, reason, prev_hash, postings):
    entry = Entry(agreement_id, fiscal_year, kind, day, description,
                  tuple(Posting(a, c, x) for a, c, x in postings), details, recorded_by,
                  None if reverses is None else Reference(7, reverses), reason)
    document = {
        "agreement_id": agreement_id, "seq": seq, "fiscal_year": fiscal_year,
        "kind": kind.value, "effective_date": day.isoformat(),
        "recorded_at": moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ"), "recorded_by": recorded_by,
        "description": description, "details": details, "reverses": reverses,
        "reason": reason, "prev_hash": prev_hash,
        "postings": [{"account": a, "commodity": c.value,
                      "amount": str(x.quantize(Decimal(1) if c is Commodity.JPY
                                               else Decimal("0.001")))
                      if x == round(x, c.places) else str(x)} for a, c, x in postings],
    }
    text = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert canonical(entry, seq, moment, prev_hash) == text.encode("utf-8")


def test_links_point_at_their_predecessor():
    head, chain = stored_chain(1, 2, 3)
    assert chain[0].prev_hash == GENESIS
    assert [c.prev_hash for c in chain[1:]] == [c.hash for c in chain[:-1]]
    assert (head.entry_count, head.hash) == (3, chain[-1].hash)
    assert first_break(head, map(sealed_of, chain)) is None


def test_a_changed_amount_is_named():
    head, chain = stored_chain(1, 2, 3)
    tampered = replace(chain[1].entry, postings=(
        Posting("Expenses:Thinning", Commodity.JPY, Decimal(20)),
        Posting("Liabilities:Payable", Commodity.JPY, Decimal(-20))))
    chain[1] = replace(chain[1], entry=tampered)
    found = first_break(head, map(sealed_of, chain))
    assert found is not None and found.entry_id == chain[1].id


def test_a_missing_last_entry_is_caught_by_the_head():
    head, chain = stored_chain(1, 2, 3)
    found = first_break(head, map(sealed_of, chain[:-1]))
    assert found is not None and "chain head records 3 entries" in found.reason


def test_a_removed_middle_entry_breaks_the_sequence():
    head, chain = stored_chain(1, 2, 3)
    found = first_break(head, map(sealed_of, [chain[0], chain[2]]))
    assert found is not None and found.entry_id == chain[2].id


@given(commodity=st.sampled_from(list(Commodity)),
       thousandths=st.integers(-10**15, 10**15))
def test_an_amount_stored_as_thousandths_is_hashed_as_the_same_decimal(commodity: Commodity,
                                                                     thousandths: int):
    # Verification reads amounts as the stored integer; reading an entry back gives the
    # Decimal the Fixed(3) column makes of it: the same digits, three places.
    assert thousandths_text(commodity, thousandths) == amount_text(
        commodity, Decimal(thousandths).scaleb(-3))
