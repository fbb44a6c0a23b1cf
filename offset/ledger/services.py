"""Journal use cases: post, reverse, read (today or as of a point), balance, trial balance
and verify.

Every function works inside a unit of work its caller opened; none commits, so a use case
that posts several entries lands whole or not at all.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from offset.errors import NotFound
from offset.fiscal import FiscalYear, today_in_japan
from offset.ledger.as_of import AsOf, AtMoment, AtSeq
from offset.ledger.chain import GENESIS, ChainBreak, ChainHead, extend, first_break
from offset.ledger.errors import (
    AlreadyReversed,
    AsOfBeyondHead,
    InvalidEntry,
    JournalUnbalanced,
    NotReversible,
)
from offset.ledger.model import (
    Adjustment,
    Balances,
    Entry,
    EntryKind,
    JournalEntry,
    adjustment_of,
    problems,
    reversal_of,
)
from offset.ledger.trial_balance import TrialBalance, imbalances, trial_balance_of

if TYPE_CHECKING:
    # Only the journal: the ledger knows no context built on it, not even their repositories.
    from offset.ledger.ports import JournalUnit


def post(uow: JournalUnit, entries: Sequence[Entry]) -> list[JournalEntry]:
    """Validate `entries` and append them to their agreements' chains, in the order given.

    Chains are locked in agreement order, so concurrent batches never deadlock.
    Raises InvalidEntry listing every problem of every entry; nothing is written then.
    """
    found = [f"entry {i}: {p}" for i, entry in enumerate(entries) for p in problems(entry)]
    if found:
        raise InvalidEntry(found)
    by_agreement: dict[int, list[int]] = defaultdict(list)
    for index, entry in enumerate(entries):
        by_agreement[entry.agreement_id].append(index)
    now = datetime.now(UTC)
    heads = uow.journal.lock_heads(by_agreement)
    chains = [extend(head, [entries[i] for i in by_agreement[head.agreement_id]], now)
              for head in heads]
    stored: dict[int, JournalEntry] = {}
    for head, appended in zip(heads, uow.journal.append_chains(chains), strict=True):
        stored.update(zip(by_agreement[head.agreement_id], appended, strict=True))
    return [stored[i] for i in range(len(entries))]


ReversalGuard = Callable[["JournalUnit", JournalEntry], None]


def reverse(uow: JournalUnit, entry_id: int, reason: str, recorded_by: str, *,
            guard: ReversalGuard | None = None) -> JournalEntry:
    """Post the reversal of entry `entry_id` and return it.

    `guard` may refuse a reversal that the journal allows but another context's invariants
    do not (offset.corrections passes those rules); it runs under the chain lock.
    When the entry's fiscal year is closed, the reversal is a prior-period adjustment posted
    in the first open year instead, referencing the entry and its year.
    Raises NotFound, NotReversible for a correction or a memorandum, AlreadyReversed for a
    second correction, whatever `guard` raises, InvalidEntry for a blank reason.
    """
    original = uow.journal.get(entry_id)
    kind = original.entry.kind
    if kind.corrective or kind.memorandum:
        raise NotReversible(entry_id, kind.value)
    head = uow.journal.lock_head(original.agreement_id)  # a competing reversal waits here
    existing = uow.journal.reversal_ids([entry_id])
    if entry_id in existing:
        raise AlreadyReversed(entry_id, existing[entry_id])
    if guard is not None:
        guard(uow, original)
    if head.closed(original.entry.fiscal_year):
        return post(uow, [_adjustment(head, original, reason, recorded_by)])[0]
    return post(uow, [reversal_of(original, reason, recorded_by)])[0]


def _adjustment(head: ChainHead, original: JournalEntry, reason: str,
                recorded_by: str) -> Entry:
    """The correction of an entry of a closed year: posted in the first open year, dated
    today when today falls in it, else on the nearer end of that year."""
    assert head.closed_through is not None
    year = FiscalYear(head.closed_through + 1)
    today = today_in_japan()
    when = min(max(today, year.start), year.end)
    return adjustment_of(original, year.year, when, reason, recorded_by)


def head_as_of(uow: JournalUnit, agreement_id: int, as_of: AsOf | None = None, *,
               field: str = "as_of") -> ChainHead:
    """Return the head of the agreement's chain as it stood at `as_of` (today's when None):
    `entry_count` is the point's sequence number, `hash` that entry's hash (genesis at 0),
    `closed_through` the last year closed by then.

    Raises NotFound for an agreement without a chain, AsOfBeyondHead (naming `field`) for a
    sequence number past today's head. A moment past the last entry is today's head.
    """
    current = _head(uow, agreement_id)
    if as_of is None:
        return current
    match as_of:
        case AtSeq(seq):
            pass
        case AtMoment(moment):
            seq = min(uow.journal.seq_at(agreement_id, moment), current.entry_count)
    if seq > current.entry_count:
        raise AsOfBeyondHead(as_of.text, current.entry_count, field=field)
    if seq == current.entry_count:
        return current
    if seq == 0:
        return ChainHead(agreement_id, 0, GENESIS)
    # The years closed then, not today: the head is the chain's as it stood at entry `seq`.
    return ChainHead(agreement_id, seq, uow.journal.entry_at(agreement_id, seq).hash,
                     uow.journal.closed_through_at(agreement_id, seq))


def _head(uow: JournalUnit, agreement_id: int) -> ChainHead:
    found = uow.journal.heads([agreement_id])
    if not found:
        raise NotFound(f"agreement {agreement_id} does not exist", field="agreement_id")
    return found[0]


@dataclass(frozen=True)
class JournalPage:
    entries: list[JournalEntry]
    reversed_by: dict[int, int]  # by reversals up to the head
    next_after_seq: int | None
    head: ChainHead  # the point the page was read at


def journal_entry(uow: JournalUnit, entry_id: int) -> JournalEntry:
    """Return one journal entry, whatever its agreement. Raises NotFound."""
    return uow.journal.get(entry_id)


def journal_page(uow: JournalUnit, agreement_id: int, *, fiscal_year: int | None = None,
                 after_seq: int = 0, limit: int = 100, as_of: AsOf | None = None,
                 kind: EntryKind | None = None) -> JournalPage:
    """Return one page of an agreement's journal in chain order (of `fiscal_year` and of
    `kind` when given), with reversal links, as it stood at `as_of` (today when None):
    entries and reversals up to that head only.

    Raises what head_as_of raises.
    """
    head = head_as_of(uow, agreement_id, as_of)
    found = uow.journal.page(agreement_id, fiscal_year=fiscal_year, after_seq=after_seq,
                             limit=limit + 1, up_to_seq=head.entry_count, kind=kind)
    more = len(found) > limit
    found = found[:limit]
    reversed_by = uow.journal.reversal_ids([e.id for e in found], up_to_seq=head.entry_count)
    return JournalPage(found, reversed_by, found[-1].seq if more else None, head)


def balances(uow: JournalUnit, agreement_id: int, *, fiscal_year: int | None = None,
             as_of_seq: int | None = None) -> Balances:
    """Return account balances of one agreement (per FY and as of an entry when given)."""
    return uow.journal.balances(agreement_id, fiscal_year=fiscal_year, as_of_seq=as_of_seq)


def balances_by_year(uow: JournalUnit, agreement_id: int, first_year: int, last_year: int, *,
                     as_of_seq: int | None = None) -> dict[int, Balances]:
    """Return the account balances of each fiscal year first_year..last_year of one
    agreement (as of an entry when given), in one read."""
    return uow.journal.balances_by_year(agreement_id, first_year, last_year,
                                        as_of_seq=as_of_seq)


def trial_balance(uow: JournalUnit, agreement_id: int, fiscal_year: int | None = None, *,
                  as_of: AsOf | None = None) -> TrialBalance:
    """Return the trial balance of one agreement over `fiscal_year` (None: the whole journal,
    opening at zero): per account and commodity the opening, debits, credits and closing,
    as the journal stood at `as_of` (today when None).

    Two grouped sums, one for the years before and one for the year itself, both bounded by
    the same head. Raises what head_as_of raises, and JournalUnbalanced when the totals of a
    commodity are not zero, which only a journal altered outside offset can cause.
    """
    head = head_as_of(uow, agreement_id, as_of)
    bound = head.entry_count
    if fiscal_year is None:
        opening: Balances = {}
        movements = uow.journal.turnovers(agreement_id, as_of_seq=bound)
    else:
        before = uow.journal.turnovers(agreement_id, last_year=fiscal_year - 1, as_of_seq=bound)
        opening = {key: moved.net for key, moved in before.items()}
        movements = uow.journal.turnovers(agreement_id, first_year=fiscal_year,
                                          last_year=fiscal_year, as_of_seq=bound)
    balance = trial_balance_of(head, fiscal_year, opening, movements)
    found = imbalances(balance)
    if found:
        raise JournalUnbalanced(agreement_id, found)
    return balance


@dataclass(frozen=True)
class Verification:
    """What `verify` checked: every chain head, and the first break in each broken chain."""

    heads: list[ChainHead]
    breaks: list[ChainBreak]

    @property
    def ok(self) -> bool:
        return not self.breaks

    @property
    def entry_count(self) -> int:
        return sum(head.entry_count for head in self.heads)


def verify(uow: JournalUnit, agreement_ids: Sequence[int] | None = None) -> Verification:
    """Recompute the chains of `agreement_ids` (all when None) and report the first breaks."""
    heads = uow.journal.heads(agreement_ids)
    breaks = [b for head in heads
              if (b := first_break(head, uow.journal.sealed(head.agreement_id))) is not None]
    return Verification(heads, breaks)



def adjustments_of(uow: JournalUnit, agreement_id: int, fiscal_years: Sequence[int], *,
                   upto_seq: int | None = None) -> tuple[Adjustment, ...]:
    """Return the prior-period adjustments that correct entries of `fiscal_years` (closed
    years), posted later in an open year; those up to chain position `upto_seq` when given."""
    years = set(fiscal_years)
    return tuple(
        Adjustment(e.id, e.entry.fiscal_year, e.entry.reverses.entry_id)
        for e in uow.journal.live_of_kind(agreement_id, [EntryKind.PRIOR_PERIOD_ADJUSTMENT])
        if e.entry.details.get("adjusts_fiscal_year") in years and e.entry.reverses is not None
        and (upto_seq is None or e.seq <= upto_seq))
