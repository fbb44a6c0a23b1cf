"""The per-agreement hash chain: canonical serialisation, sealing and verification."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from offset.ledger.errors import PeriodClosed
from offset.ledger.model import Commodity, Entry, EntryKind, JournalEntry, Link
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
    written out by canonical_fields key by key in sorted order (tests/unit/test_chain.py
    holds it to json.dumps of the same document).
    """
    return canonical_fields(
        entry.agreement_id, seq, entry.fiscal_year, entry.kind, entry.effective_date,
        recorded_at, entry.recorded_by, entry.description, entry.details_json,
        None if entry.reverses is None else entry.reverses.hash, entry.reason,
        [(p.account, p.commodity, amount_text(p.commodity, p.amount)) for p in entry.postings],
        prev_hash)


def canonical_fields(agreement_id: int, seq: int, fiscal_year: int, kind: str,
                     effective_date: date, recorded_at: datetime, recorded_by: str,
                     description: str, details_json: str, reverses_hash: str | None,
                     reason: str | None, postings: Iterable[tuple[str, str, str]],
                     prev_hash: str) -> bytes:
    """Return canonical's bytes from an entry's stored values, its postings as (account,
    commodity, amount_text) triples: verifying a long chain builds them once per entry from
    its row, without making the entry (the details are already canonical text)."""
    lines = ",".join(
        f'{{"account":{_string(account)},"amount":"{amount}",'
        f'"commodity":{_string(commodity)}}}' for account, commodity, amount in postings)
    reverses = "null" if reverses_hash is None else _string(reverses_hash)
    because = "null" if reason is None else _string(reason)
    text = (f'{{"agreement_id":{int(agreement_id)},'
            f'"description":{_string(description)},"details":{details_json},'
            f'"effective_date":"{effective_date.isoformat()}",'
            f'"fiscal_year":{int(fiscal_year)},"kind":{_string(kind)},'
            f'"postings":[{lines}],"prev_hash":{_string(prev_hash)},"reason":{because},'
            f'"recorded_at":"{timestamp_text(recorded_at)}",'
            f'"recorded_by":{_string(recorded_by)},"reverses":{reverses},'
            f'"seq":{int(seq)}}}')
    return text.encode("utf-8")


def thousandths_text(commodity: Commodity, thousandths: int) -> str:
    """Return amount_text of an amount given as its integer count of thousandths (the form
    the journal stores), without making a Decimal."""
    whole, part = divmod(abs(thousandths), 1000)
    sign = "-" if thousandths < 0 else ""
    if commodity is Commodity.JPY:
        return f"{sign}{whole}" if not part and whole else \
            amount_text(commodity, Decimal(thousandths).scaleb(-3))
    return f"{sign}{whole}.{part:03d}"


# A JSON string literal exactly as canonical_json writes one (the encoder's own function).
_string = json.encoder.encode_basestring


def amount_text(commodity: Commodity, amount: Decimal) -> str:
    """Return an amount as it is hashed: in its commodity's places ("1200", "1.500"), or in
    full when it has more digits (a stored value altered by hand), so that its hash differs.
    Digits, a point and a sign only: nothing a JSON string would escape."""
    if commodity is Commodity.JPY:
        whole = int(amount)
        if whole == amount and whole:  # the common case, without rounding (zero keeps its sign)
            return str(whole)
    exact = fixed(amount, commodity.places)
    return str(exact) if exact == amount else str(amount)


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


class Sealed(NamedTuple):
    """One entry of a chain as verifying needs it: its id and place, its kind and year (a
    period close moves the head), the entry it reverses, its two hashes and the bytes its
    hash covers, rebuilt from what is stored. A tuple: a chain is read a million at a time."""

    id: int
    seq: int
    kind: EntryKind | None  # None for a kind offset does not know: a row altered by hand
    fiscal_year: int
    reverses_id: int | None
    prev_hash: str
    hash: str
    content: bytes


def sealed_of(stored: JournalEntry) -> Sealed:
    """Return `stored` as verifying reads it."""
    entry = stored.entry
    return Sealed(stored.id, stored.seq, entry.kind, entry.fiscal_year,
                  None if entry.reverses is None else entry.reverses.entry_id,
                  stored.prev_hash, stored.hash,
                  canonical(entry, stored.seq, stored.recorded_at, stored.prev_hash))


def first_break(head: ChainHead, entries: Iterable[Sealed]) -> ChainBreak | None:
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
    sha256, period_close = hashlib.sha256, EntryKind.PERIOD_CLOSE
    for stored in entries:
        seq += 1
        if stored.kind is period_close:
            closed_through = stored.fiscal_year
        if altered is None and sha256(stored.content).hexdigest() != stored.hash:
            altered = ChainBreak(head.agreement_id, stored.id, stored.seq,
                                 "stored hash does not match the entry's content")
        if unlinked is None and (stored.seq != seq or stored.prev_hash != previous):
            unlinked = ChainBreak(head.agreement_id, stored.id, stored.seq,
                                  _link_problem(stored, seq))
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


def _link_problem(stored: Sealed, seq: int) -> str:
    if stored.seq != seq:
        return f"expected seq {seq}, found {stored.seq}"
    return "prev_hash does not match the previous entry's hash"
