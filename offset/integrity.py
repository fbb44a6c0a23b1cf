"""An agreement's integrity: its hash chain, the forestry rows it covers, and its anchors.

    verify(uow, agreement_ids) -> Verification   every check, recomputed (offset verify)
    integrity_of(uow, agreement_id) -> Integrity  the same verdict, cached by chain head
    require_intact(uow, agreement)                raises LedgerBroken unless it verifies

The ledger verifies its chain alone (offset.ledger.chain.first_break); this module sits above
the ledger and forestry and adds what the chain cannot see by itself:

- forestry rows: each live estimate entry against the thinning and stand version it cites
  (offset.forestry.coverage), and each estimate adjustment's thinnings still being there;
- truncation: deleting the last entries and rewinding the chain head leaves a chain that
  verifies, so it is caught only by anchors kept outside the rewound part: the heads that
  issued reports were made at (the register, through the `documents` hook below) and work
  whose estimates are gone (a thinning of a never-certified year that no entry cites).
  A chain alone cannot prove it was not cut short; anchors can only prove it was not cut
  below them. Entries after the last anchor can be removed unnoticed.

One break per agreement is reported: the chain's own first break when there is one (nothing
after it can be trusted), else the earliest of the others by seq.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from offset.errors import NotFound, OffsetError
from offset.forestry import absorption, coverage
from offset.forestry.model import Stand, Thinning
from offset.forestry.reference import reference
from offset.ledger.chain import GENESIS, ChainBreak, ChainHead, Sealed, first_break
from offset.ledger.errors import LedgerBroken
from offset.ledger.model import EntryKind, JournalEntry
from offset.ledger.services import Verification

if TYPE_CHECKING:
    from offset.agreements.model import Agreement
    from offset.ports import UnitOfWork


@dataclass(frozen=True)
class Integrity:
    """Whether an agreement verifies; when not, its first bad entry (None for a break in the
    head or an anchor), the seq it sits at, and why."""

    ok: bool
    first_bad_entry: int | None = None
    seq: int | None = None
    reason: str | None = None

    @classmethod
    def of(cls, found: ChainBreak | None) -> Integrity:
        if found is None:
            return cls(True)
        return cls(False, found.entry_id, found.seq, found.reason)

    @property
    def where(self) -> str:
        """The place of the break in words ("entry 12 (seq 7)"), '' when intact."""
        if self.ok:
            return ""
        if self.first_bad_entry is None:
            return f"chain head after seq {self.seq}"
        return f"entry {self.first_bad_entry} (seq {self.seq})"


# The entries that cite thinning work (and through it stands), checked against the forestry.
CITING = (EntryKind.ESTIMATE, EntryKind.ESTIMATE_ADJUSTMENT)


def verify(uow: UnitOfWork, agreement_ids: Sequence[int] | None = None) -> Verification:
    """Recompute every check of `agreement_ids` (all when None) and report the first breaks."""
    heads = uow.journal.heads(agreement_ids)
    breaks = [b for head in heads if (b := first_break_of(uow, head)) is not None]
    for head, found in ((h, next((b for b in breaks if b.agreement_id == h.agreement_id),
                                 None)) for h in heads):
        _CACHE.put(head, Integrity.of(found))
    return Verification(heads, breaks)


def first_break_of(uow: UnitOfWork, head: ChainHead) -> ChainBreak | None:
    """Return the first break of one agreement (chain, forestry, anchors), or None."""
    anchors = sorted(set(uow.documents.anchors(head.agreement_id)))
    seen = _Seen({seq for seq, _ in anchors})
    chained = first_break(head, seen.watch(uow.journal.sealed(head.agreement_id)))
    if chained is not None:
        return chained
    found = [*_forestry_breaks(uow, head, seen), *_anchor_breaks(head, anchors, seen)]
    return min(found, key=lambda b: b.seq, default=None)


@dataclass
class _Seen:
    """What one pass over a chain keeps for the checks after it: the chain is read once, as
    rows (chain.Sealed); only the entries that cite work are read whole again."""

    wanted: set[int]
    hashes: dict[int, tuple[int, str]] = field(default_factory=dict)
    citing: set[int] = field(default_factory=set)  # ids of the entries that cite work
    reversed_ids: set[int] = field(default_factory=set)
    certified_years: set[int] = field(default_factory=set)

    def watch(self, entries: Iterable[Sealed]) -> Iterator[Sealed]:
        for stored in entries:
            kind = stored.kind
            if stored.seq in self.wanted:
                self.hashes[stored.seq] = (stored.id, stored.hash)
            if kind in CITING:
                self.citing.add(stored.id)
            elif kind is EntryKind.CERTIFICATION:
                self.certified_years.add(stored.fiscal_year)
            if stored.reverses_id is not None:
                self.reversed_ids.add(stored.reverses_id)
            yield stored


def _forestry_breaks(uow: UnitOfWork, head: ChainHead, seen: _Seen) -> Iterator[ChainBreak]:
    agreement = uow.agreements.agreement(head.agreement_id)
    works = {w.id: w for w in uow.forestry.thinnings(agreement.id)}
    # The forest party's stands at their latest versions in one read: most estimates cite
    # those; an older version is read when one is cited.
    stands: dict[tuple[int, int], Stand | None] = {
        (s.id, s.version): s for s in uow.forestry.stands(agreement.forest_party_id)}
    cited: set[int] = set()
    # The citing entries whole, read again in the same snapshot: the chain pass reads rows,
    # not entries, and a verified id is what ties each to the hash just checked.
    for stored in uow.journal.of_kinds(agreement.id, CITING):
        if stored.id not in seen.citing:
            continue
        ids = _cited_ids(stored)
        cited.update(ids)
        if stored.id in seen.reversed_ids:
            continue  # a reversed estimate no longer counts; its work may stay as it is
        for problem in _entry_problems(uow, stored, ids, works, stands,
                                       agreement.crediting_window):
            yield ChainBreak(head.agreement_id, stored.id, stored.seq, problem)
    for work in coverage.uncited(works.values(), cited, seen.certified_years):
        if _earns_estimate(uow, agreement, work):
            yield ChainBreak(head.agreement_id, None, head.entry_count, (
                f"thinning {work.id} (FY{work.fiscal_year}) is cited by no entry: its "
                f"estimates are gone, so entries after seq {head.entry_count} may have been "
                "deleted"))


def _cited_ids(stored: JournalEntry) -> list[int]:
    if stored.entry.kind is EntryKind.ESTIMATE:
        found = coverage.cited_thinning(stored)
        return [] if found is None else [found]
    return [i for i in stored.entry.details.get("thinning_ids", []) if isinstance(i, int)]


def _entry_problems(uow: UnitOfWork, stored: JournalEntry, ids: list[int],
                    works: dict[int, Thinning], stands: dict[tuple[int, int], Stand | None],
                    window: int) -> Iterator[str]:
    if stored.entry.kind is EntryKind.ESTIMATE_ADJUSTMENT:
        yield from (f"thinning {i} cited by entry {stored.id} is missing"
                    for i in ids if i not in works)
        return
    if (problem := coverage.work_mismatch(stored, works.get(ids[0]) if ids else None,
                                          window)):
        yield problem
    key = coverage.cited_stand(stored)
    if key is not None:
        if key not in stands:
            stands[key] = _stand(uow, *key)
        if (problem := coverage.stand_mismatch(stored, stands[key])):
            yield problem


def _stand(uow: UnitOfWork, stand_id: int, version: int) -> Stand | None:
    try:
        return uow.forestry.stand(stand_id, version)
    except NotFound:
        return None


def _earns_estimate(uow: UnitOfWork, agreement: Agreement, work: Thinning) -> bool:
    """Whether logging `work` posted an estimate for its own year: not when that rounds to
    0 t (recomputed on today's reference data), nor when it cannot be recomputed at all."""
    stand = _stand(uow, work.stand_id, work.stand_version)
    if stand is None:
        return True  # its stand is gone as well: something was deleted
    try:
        parameters, table = reference(uow, None)
        found = absorption.estimate(work, stand, agreement, work.fiscal_year, parameters,
                                    table)
    except OffsetError:
        return False
    return found.tonnes != 0


def _anchor_breaks(head: ChainHead, anchors: list[tuple[int, str]],
                   seen: _Seen) -> Iterator[ChainBreak]:
    for seq, digest in anchors:
        if seq == 0 and digest == GENESIS:
            continue
        if seq > head.entry_count:
            yield ChainBreak(head.agreement_id, None, head.entry_count, (
                f"an issued report was made at seq {seq} ending {digest[:12]}, the chain "
                f"holds {head.entry_count} entries: entries were deleted"))
        elif (found := seen.hashes.get(seq)) is not None and found[1] != digest:
            yield ChainBreak(head.agreement_id, found[0], seq, (
                f"an issued report was made at seq {seq} ending {digest[:12]}, the entry "
                f"there ends {found[1][:12]}: the chain was rewritten"))


def integrity_of(uow: UnitOfWork, agreement_id: int) -> Integrity:
    """Return whether the agreement verifies, from the cache when its head is unchanged.

    Verifying reads and hashes the whole chain (a 100,000-entry chain takes seconds), too
    much for every summary or report. The verdict is kept in this process per agreement,
    keyed by its head (entry count and hash): any entry posted makes a new key. What changes
    without moving the head (a row edited behind offset's back) shows once the verdict is
    older than CACHE_SECONDS, or at once after `verify` (offset verify, GET /v1/ledger/verify)
    recomputes it.
    """
    head = uow.journal.heads([agreement_id])[0]
    cached = _CACHE.get(head)
    if cached is not None:
        return cached
    found = Integrity.of(first_break_of(uow, head))
    _CACHE.put(head, found)
    return found


def require_intact(uow: UnitOfWork, agreement: Agreement) -> None:
    """Refuse to go on (issue a report, ...) from an agreement that does not verify.

    Always recomputed, never cached: what is issued must rest on a chain checked now.
    Raises LedgerBroken naming the first bad entry.
    """
    head = uow.journal.heads([agreement.id])[0]
    found = first_break_of(uow, head)
    _CACHE.put(head, Integrity.of(found))
    if found is not None:
        raise LedgerBroken(agreement.id, found.entry_id, found.seq, found.reason)


CACHE_SECONDS = 60.0


class _Cache:
    """Verdicts by agreement, each kept with the head it was made at and when."""

    def __init__(self) -> None:
        self._lock = threading.Lock()  # offset serve reads from many threads
        self._found: dict[int, tuple[tuple[int, str], float, Integrity]] = {}

    def get(self, head: ChainHead) -> Integrity | None:
        with self._lock:
            kept = self._found.get(head.agreement_id)
        if kept is None or kept[0] != (head.entry_count, head.hash) \
                or time.monotonic() - kept[1] > CACHE_SECONDS:
            return None
        return kept[2]

    def put(self, head: ChainHead, found: Integrity) -> None:
        with self._lock:
            self._found[head.agreement_id] = ((head.entry_count, head.hash),
                                              time.monotonic(), found)

    def clear(self) -> None:
        with self._lock:
            self._found.clear()


_CACHE = _Cache()


def forget() -> None:
    """Drop every cached verdict (tests, and a process that restored a database)."""
    _CACHE.clear()
