"""What the ledger's use cases need from persistence: the journal repository, as a Protocol.

The SQL adapter (offset.db.journal_store) and the in-memory fake of the unit tests both
satisfy it structurally; the use cases know neither.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Protocol

from offset.ledger.chain import ChainHead, Sealed
from offset.ledger.model import Balances, EntryKind, JournalEntry, Link
from offset.ledger.trial_balance import Turnovers


class JournalRepository(Protocol):
    """Chain heads and entries of every agreement; entries are appended, never changed."""

    def open_chain(self, agreement_id: int) -> None:
        """Start an empty chain for a new agreement."""

    def lock_head(self, agreement_id: int) -> ChainHead:
        """Return the chain head, locked until the transaction ends. Raises NotFound."""

    def lock_heads(self, agreement_ids: Iterable[int]) -> list[ChainHead]:
        """Return the heads in agreement order, locked in that order. Raises NotFound."""

    def heads(self, agreement_ids: Iterable[int] | None = None) -> list[ChainHead]:
        """Return the heads of `agreement_ids` (all when None), in agreement order."""

    def append_chains(self, chains: Sequence[tuple[Sequence[Link], ChainHead]],
                      ) -> list[list[JournalEntry]]:
        """Store the sealed links of each chain and move its (locked) head to the new one;
        return each chain's entries with their ids."""

    def get(self, entry_id: int) -> JournalEntry:
        """Return one entry. Raises NotFound."""

    def entry_at(self, agreement_id: int, seq: int) -> JournalEntry:
        """Return entry `seq` of one chain. Raises NotFound."""

    def closed_through_at(self, agreement_id: int, seq: int) -> int | None:
        """Return the last fiscal year closed by a period-close entry up to `seq`, or None."""

    def seq_at(self, agreement_id: int, moment: datetime) -> int:
        """Return the length of the run of entries from the chain's start that were all
        recorded at or before `moment`."""

    def reversal_ids(self, entry_ids: Sequence[int],
                     up_to_seq: int | None = None) -> dict[int, int]:
        """Return, for each of `entry_ids` that was reversed (by an entry up to `up_to_seq`
        when given), the id of its reversal."""

    def live(self, agreement_id: int, fiscal_year: int,
             kinds: Sequence[EntryKind]) -> list[JournalEntry]:
        """Return the unreversed entries of `kinds` in one agreement-year, in chain order."""

    def live_of_kind(self, agreement_id: int, kinds: Sequence[EntryKind]) -> list[JournalEntry]:
        """Return the agreement's unreversed entries of `kinds`, in chain order."""

    def page(self, agreement_id: int, *, fiscal_year: int | None, after_seq: int,
             limit: int, up_to_seq: int | None = None,
             kind: EntryKind | None = None) -> list[JournalEntry]:
        """Return up to `limit` entries of one chain after `after_seq` (and up to `up_to_seq`
        when given, and of `kind` when given), in chain order."""

    def chain(self, agreement_id: int, batch: int = 2000) -> Iterator[JournalEntry]:
        """Yield every entry of one chain in order."""

    def sealed(self, agreement_id: int, batch: int = 5000) -> Iterator[Sealed]:
        """Yield every entry of one chain in order as verifying reads it (chain.Sealed),
        its hashed bytes rebuilt from the stored values."""

    def of_kinds(self, agreement_id: int, kinds: Sequence[EntryKind]) -> list[JournalEntry]:
        """Return the agreement's entries of `kinds`, reversed or not, in chain order."""

    def balances(self, agreement_id: int, *, fiscal_year: int | None = None,
                 as_of_seq: int | None = None) -> Balances:
        """Return the balance of every account and commodity that has postings."""

    def balances_by_year(self, agreement_id: int, first_year: int, last_year: int, *,
                         as_of_seq: int | None = None) -> dict[int, Balances]:
        """Return balances(fiscal_year=Y) for every Y in first_year..last_year (empty for a
        year without entries), in one read."""

    def year_balances(self, agreement_ids: Sequence[int] | None, fiscal_year: int
                      ) -> dict[int, Balances]:
        """Return the balances of one fiscal year of each agreement (every agreement with
        entries that year when None), all at once, by id."""

    def turnovers(self, agreement_id: int, *, first_year: int | None = None,
                  last_year: int | None = None, as_of_seq: int | None = None) -> Turnovers:
        """Return the debits and credits of every account and commodity that has postings
        in entries of fiscal years `first_year`..`last_year` (an end is open when None),
        up to entry `as_of_seq` when given."""


class JournalUnit(Protocol):
    """A unit of work as the ledger sees it: only the journal (it knows no other context)."""

    @property
    def journal(self) -> JournalRepository: ...
