"""The journal as rows, one per posting: the shared column set of the CSV and XLSX exports."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal

from offset.fiscal import FiscalYear
from offset.ledger.chain import timestamp_text
from offset.ledger.model import JournalEntry, Posting
from offset.numbers import fixed

COLUMNS = (
    "entry_id", "seq", "fiscal_year", "fiscal_year_ja", "kind", "effective_date",
    "recorded_at", "recorded_by", "description", "line", "account", "commodity", "amount",
    "reverses_entry_id", "reason", "hash", "prev_hash",
)
LINE, ACCOUNT, COMMODITY, AMOUNT = (COLUMNS.index(name)
                                   for name in ("line", "account", "commodity", "amount"))
# One posting with its entry's fields, in COLUMNS order: the effective date a date, the
# amount an exact Decimal, absent values None.
Row = tuple[object, ...]


def exact(posting: Posting) -> Decimal:
    """Return the posting's amount with exactly its commodity's places (1200, 1.500)."""
    return fixed(posting.amount, posting.commodity.places)


def amount_text(amount: Decimal) -> str:
    """Return an exact amount as plain digits, never in exponent notation."""
    return format(amount, "f")


def entry_rows(stored: JournalEntry) -> list[Row]:
    """Return the rows of one entry, a row per posting, in posting order."""
    entry = stored.entry
    fiscal_year = FiscalYear(entry.fiscal_year)
    head = (stored.id, stored.seq, entry.fiscal_year, fiscal_year.era_label, entry.kind.value,
            entry.effective_date, timestamp_text(stored.recorded_at),
            entry.recorded_by, entry.description)
    tail = (None if entry.reverses is None else entry.reverses.entry_id, entry.reason,
            stored.hash, stored.prev_hash)
    return [(*head, line, p.account, p.commodity.value, exact(p), *tail)
            for line, p in enumerate(entry.postings, start=1)]


def journal_rows(entries: Iterable[JournalEntry]) -> Iterator[Row]:
    """Yield the rows of `entries` in the order given (chain order)."""
    for stored in entries:
        yield from entry_rows(stored)
