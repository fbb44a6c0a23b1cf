"""Journal errors: offset.errors' tree, extended for the ledger.

    InvalidInput
    └── InvalidEntry          an entry breaks a bookkeeping rule (unbalanced, bad account, ...)
    Conflict
    └── LedgerConflict
        ├── AlreadyReversed    the entry already has a reversal
        └── NotReversible      a reversal cannot itself be reversed
"""

from __future__ import annotations

from offset.errors import Conflict, InvalidInput


class InvalidEntry(InvalidInput):
    title = "Invalid journal entry"
    code = "invalid-entry"

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems), field="postings")
        self.problems = problems


class LedgerConflict(Conflict):
    title = "Ledger conflict"
    code = "ledger-conflict"


class AlreadyReversed(LedgerConflict):
    title = "Entry already reversed"
    code = "already-reversed"

    def __init__(self, entry_id: int, reversal_id: int) -> None:
        super().__init__(f"entry {entry_id} was already reversed by entry {reversal_id}")
        self.entry_id = entry_id
        self.reversal_id = reversal_id


class NotReversible(LedgerConflict):
    title = "Entry not reversible"
    code = "not-reversible"

    def __init__(self, entry_id: int) -> None:
        super().__init__(f"entry {entry_id} is a reversal; post the original again instead")
        self.entry_id = entry_id
