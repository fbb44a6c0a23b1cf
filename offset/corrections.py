"""Corrections: reversing an entry, with every context's rule on what may not be undone.

The journal alone would cancel any entry; the netting and money rules
(offset.netting.reversals) refuse a reversal that would leave retired credits without
their certification, offset emissions without their offsets, or a subsidy without the cost
it funds. The API and the CLI correct entries through here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from offset.ledger import services as ledger
from offset.ledger.model import JournalEntry
from offset.netting.reversals import check_reversal

if TYPE_CHECKING:
    from offset.ports import UnitOfWork


def correct(uow: UnitOfWork, entry_id: int, reason: str, recorded_by: str) -> JournalEntry:
    """Post the reversal of entry `entry_id`, refused where it would break an invariant.

    Raises what offset.ledger.services.reverse raises, and Conflict (field entry_id) from
    offset.netting.reversals.
    """
    return ledger.reverse(uow, entry_id, reason, recorded_by, guard=check_reversal)
