"""The per-agreement hash chain: canonical serialisation, sealing and verification."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

from offset.ledger.errors import PeriodClosed
from offset.ledger.model import Entry, EntryKind, JournalEntry, Link, Posting
from offset.numbers import fixed

GENESIS = "0" * 64


@lru_cache(maxsize=64)  # a batch seals all its entries at one moment
def timestamp_text(moment: datetime) -> str:
    """Return `moment` as the UTC text that is hashed (microseconds, 'Z')."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical(entry: Entry, seq: int, recorded_at: datetime, prev_hash: str) -> bytes:
    """Return the bytes that are hashed for an entry at position `seq` of its chain.

    The form is the canonical JSON (sorted keys, no spaces, non-ASCII as is) of
        {"agreement_id", "seq", "fiscal_year", "kind", "effective_date", "recorded_at",
         "recorded_by", "description", "details", "reverses" (the reversed entry's hash or
         null), "reason", "postings": [{"account", "commodity", "amount"}], "prev_hash"},
    written out here key by key in sorted order: the entry's details are already canonical
    text, and verifying a long chain builds this once per entry (tests/unit/test_chain.py
    holds it to json.dumps of the same document).
    """
    postings = ",".join(
        f'{{"account":{_string(p.account)},"amount":{_string(_amount_text(p))},'
        f'"commodity":{_string(p.commodity)}}}' for p in entry.postings)
    reverses = "null" if entry.reverses is None else _string(entry.reverses.hash)
    reason = "null" if entry.reason is None else _string(entry.reason)
    text = (f'{{"agreement_id":{int(entry.agreement_id)},'
            f'"description":{_string(entry.description)},"details":{entry.details_json},'
            f'"effective_date":"{entry.effective_date.isoformat()}",'
            f'"fiscal_year":{int(entry.fiscal_year)},"kind":{_string(entry.kind)},'
            f'"postings":[{postings}],"prev_hash":{_string(prev_hash)},"reason":{reason},'
            f'"recorded_at":"{timestamp_text(recorded_at)}",'
            f'"recorded_by":{_string(entry.recorded_by)},"reverses":{reverses},'
            f'"seq":{int(seq)}}}')
    return text.encode("utf-8")


# A JSON string literal exactly as canonical_json writes one (the encoder's own function).
_string = json.encoder.encode_basestring


def _amount_text(posting: Posting) -> str:
    # Exact amounts print in their commodity's places ("1200", "1.500"); an amount with
    # more digits (a stored value altered by hand) prints in full, so its hash differs.
    exact = fixed(posting.amount, posting.commodity.places)
    return str(exact) if exact == posting.amount else str(posting.amount)


def seal(entry: Entry, seq: int, recorded_at: datetime, prev_hash: str) -> str:
    """Return the SHA-256 (hex) that seals `entry` after `prev_hash`."""
    return hashlib.sha256(canonical(entry, seq, recorded_at, prev_hash)).hexdigest()


@dataclass(frozen=True)
class ChainHead:
    """The last link of an agreement's chain: how many entries, the last hash, and the last
    fiscal year closed (every year up to it is closed; None while none is)."""

    agreement_id: int
    entry_count: int
    hash: str
    closed_through: int | None = None

    def closed(self, fiscal_year: int) -> bool:
        return self.closed_through is not None and fiscal_year <= self.closed_through


def extend(head: ChainHead, entries: Sequence[Entry],
           now: datetime) -> tuple[list[Link], ChainHead]:
    """Return `entries` sealed one after another onto `head`, and the chain's new head.

    This is where closed years stay closed, whoever posts: an entry dated into a closed
    fiscal year is refused (a report may still be issued for one), and a `period-close`
    entry moves the head's closed_through to its year.
    Raises PeriodClosed; nothing is sealed then.
    """
    links, previous, seq = [], head.hash, head.entry_count
    closed_through = head.closed_through
    for entry in entries:
        if (entry.kind is not EntryKind.REPORT_ISSUE and closed_through is not None
                and entry.fiscal_year <= closed_through):
            raise PeriodClosed(head.agreement_id, entry.fiscal_year, closed_through)
        if entry.kind is EntryKind.PERIOD_CLOSE:
            closed_through = entry.fiscal_year
        seq += 1
        digest = hashlib.sha256(canonical(entry, seq, now, previous)).hexdigest()
        links.append(Link(entry, seq, now, previous, digest))
        previous = digest
    return links, ChainHead(head.agreement_id, seq, previous, closed_through)


@dataclass(frozen=True)
class ChainBreak:
    """The first entry of a chain that does not verify, and why."""

    agreement_id: int
    entry_id: int | None
    seq: int
    reason: str


def first_break(head: ChainHead, entries: Iterable[JournalEntry]) -> ChainBreak | None:
    """Return the first entry of one chain (given in seq order) that fails, or None.

    An entry whose stored hash does not match its own content is named first, wherever it
    sits: a changed seq or link would otherwise show up at a neighbour. Then the links:
    consecutive seq, each prev_hash equal to the previous hash, and a head that records the
    same count, last hash and last closed year (so a truncated chain fails too).
    """
    altered: ChainBreak | None = None
    unlinked: ChainBreak | None = None
    previous, seq = GENESIS, 0
    closed_through: int | None = None
    for stored in entries:
        seq += 1
        if stored.entry.kind is EntryKind.PERIOD_CLOSE:
            closed_through = stored.entry.fiscal_year
        if altered is None and seal(stored.entry, stored.seq, stored.recorded_at,
                                    stored.prev_hash) != stored.hash:
            altered = ChainBreak(head.agreement_id, stored.id, stored.seq,
                                 "stored hash does not match the entry's content")
        if unlinked is None and (reason := _link_problem(stored, seq, previous)):
            unlinked = ChainBreak(head.agreement_id, stored.id, stored.seq, reason)
        previous = stored.hash
    if altered or unlinked:
        return altered or unlinked
    if (seq, previous) != (head.entry_count, head.hash):
        return ChainBreak(head.agreement_id, None, seq,
                          f"chain head records {head.entry_count} entries ending "
                          f"{head.hash[:12]}, the journal holds {seq} ending {previous[:12]}")
    if closed_through != head.closed_through:
        # A head altered to reopen (or close) years: the chain's period-close entries decide.
        return ChainBreak(head.agreement_id, None, seq,
                          f"chain head records years closed through {head.closed_through}, "
                          f"the journal's period-close entries through {closed_through}")
    return None


def _link_problem(stored: JournalEntry, seq: int, previous: str) -> str | None:
    if stored.seq != seq:
        return f"expected seq {seq}, found {stored.seq}"
    if stored.prev_hash != previous:
        return "prev_hash does not match the previous entry's hash"
    return None
