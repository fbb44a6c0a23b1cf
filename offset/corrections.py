"""Corrections: reversing an entry, with every context's rule on what may not be undone.

The journal alone would cancel any entry; the netting and money rules
(offset.netting.reversals) refuse a reversal that would leave retired credits without
their certification, offset emissions without their offsets, or a subsidy without the cost
it funds; and the correction of a closed year, a prior-period adjustment in the first open
year, is refused when that year is outside the agreement's terms. The API and the CLI
correct entries through here; the API through `correct_as`, which also asks whether the
caller may: admin, or a role that records the entry's kind for its side
(offset.access.model.RECORDERS). The CLI is an operator's tool and has no roles.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from offset.closing.errors import NoOpenYear
from offset.ledger import services as ledger
from offset.ledger.model import EntryKind, JournalEntry
from offset.money.services import sides_of
from offset.netting.reversals import check_reversal

if TYPE_CHECKING:
    from offset.access.model import User
    from offset.ledger.ports import JournalUnit
    from offset.ports import UnitOfWork


def correct(uow: UnitOfWork, entry_id: int, reason: str, recorded_by: str) -> JournalEntry:
    """Post the reversal of entry `entry_id`, refused where it would break an invariant.

    Raises what offset.ledger.services.reverse raises, Conflict (field entry_id) from
    offset.netting.reversals, and NoOpenYear for an entry of a closed year when the year
    its prior-period adjustment would go to is outside the agreement's terms.
    """
    def guard(journal: JournalUnit, original: JournalEntry) -> None:
        check_reversal(journal, original)
        _check_open_year(uow, original)

    return ledger.reverse(uow, entry_id, reason, recorded_by, guard=guard)


def _check_open_year(uow: UnitOfWork, original: JournalEntry) -> None:
    # The ledger posts the correction of a closed year in the year after the last closed
    # one; past the agreement's last term that year is in no term's summary, no status and
    # no report, so the correction would be in the chain and nowhere a reader looks.
    head = uow.journal.heads([original.agreement_id])[0]  # ledger.reverse holds its lock
    if not head.closed(original.entry.fiscal_year):
        return
    assert head.closed_through is not None
    open_year = head.closed_through + 1
    if not uow.agreements.agreement(original.agreement_id).covers(open_year):
        raise NoOpenYear(original.id, original.entry.fiscal_year, open_year)


def correct_as(uow: UnitOfWork, user: User, entry_id: int, reason: str) -> JournalEntry:
    """Post the reversal of entry `entry_id` for `user`, if its role may reverse that entry.

    Raises NotFound, Forbidden (neither admin nor a recorder of the entry's kind and side),
    and what `correct` raises.
    """
    original = ledger.journal_entry(uow, entry_id).entry
    if original.kind is not EntryKind.REVERSAL:  # the ledger refuses those, whoever asks
        user.require_reverser(original.kind, sides_of(original))
    return correct(uow, entry_id, reason, user.name)
