"""The per-agreement hash chain: canonical serialisation, sealing and verification."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

from offset.ledger.errors import PeriodClosed
from offset.ledger.model import Entry, EntryKind, JournalEntry, Link, Posting, canonical_json
from offset.numbers import fixed

GENESIS = "0" * 64


@lru_cache(maxsize=64)  # a batch seals all its entries at one moment
def timestamp_text(moment: datetime) -> str:
    """Return `moment` as the UTC text that is hashed (microseconds, 'Z')."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical(entry: Entry, seq: int, recorded_at: datetime, prev_hash: str) -> bytes:
    """Return the bytes that are hashed for an entry at position `seq` of its chain."""
    document = {
        "agreement_id": entry.agreement_id,
        "seq": seq,
        "fiscal_year": entry.fiscal_year,
        "kind": entry.kind.value,
        "effective_date": entry.effective_date.isoformat(),
        "recorded_at": timestamp_text(recorded_at),
        "recorded_by": entry.recorded_by,
        "description": entry.description,
        "details": None,  # spliced in below
        "reverses": None if entry.reverses is None else entry.reverses.hash,
        "reason": entry.reason,
        "postings": [
            {"account": p.account, "commodity": p.commodity.value, "amount": _amount_text(p)}
            for p in entry.postings
        ],
        "prev_hash": prev_hash,
    }
    # Inside JSON strings every quote is escaped, so '"details":null' occurs only as the key.
    text = canonical_json(document).replace('"details":null', f'"details":{entry.details_json}', 1)
    return text.encode("utf-8")


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
