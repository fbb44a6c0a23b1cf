"""Corrections: reversing an entry, with every context's rule on what may not be undone.

The journal alone would cancel any entry; the netting and money rules
(offset.netting.reversals) refuse a reversal that would leave retired credits without
their certification, offset emissions without their offsets, or a subsidy without the cost
it funds. The API and the CLI correct entries through here; the API through `correct_as`, which also
asks whether the caller may: admin, or a role that records the entry's kind for its side
(offset.access.model.RECORDERS). The CLI is an operator's tool and has no roles.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from offset.ledger import services as ledger
from offset.ledger.model import EntryKind, JournalEntry
from offset.money.services import sides_of
from offset.netting.reversals import check_reversal

if TYPE_CHECKING:
    from offset.access.model import User
    from offset.ports import UnitOfWork


def correct(uow: UnitOfWork, entry_id: int, reason: str, recorded_by: str) -> JournalEntry:
    """Post the reversal of entry `entry_id`, refused where it would break an invariant.

    Raises what offset.ledger.services.reverse raises, and Conflict (field entry_id) from
    offset.netting.reversals.
    """
    return ledger.reverse(uow, entry_id, reason, recorded_by, guard=check_reversal)


def correct_as(uow: UnitOfWork, user: User, entry_id: int, reason: str) -> JournalEntry:
    """Post the reversal of entry `entry_id` for `user`, if its role may reverse that entry.

    Raises NotFound, Forbidden (neither admin nor a recorder of the entry's kind and side),
    and what `correct` raises.
    """
    original = ledger.journal_entry(uow, entry_id).entry
    if original.kind is not EntryKind.REVERSAL:  # the ledger refuses those, whoever asks
        user.require_reverser(original.kind, sides_of(original))
    return correct(uow, entry_id, reason, user.name)
