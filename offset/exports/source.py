"""What every export is made from: the agreement, its parties, its chain head and entries."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from offset.agreements.model import Agreement, Party
from offset.ledger.chain import ChainHead
from offset.ledger.model import JournalEntry


@dataclass(frozen=True)
class Source:
    """An agreement's journal as of one chain head; `entries` runs in chain order, once."""

    agreement: Agreement
    urban: Party
    forest: Party
    head: ChainHead
    exported_at: datetime
    entries: Iterable[JournalEntry]



def export_filename(agreement_id: int, suffix: str) -> str:
    """Return the name of an agreement's export file, e.g. offset-agreement-1-journal.csv."""
    return f"offset-agreement-{agreement_id}-journal.{suffix}"
