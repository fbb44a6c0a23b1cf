"""Reading an agreement's journal for export, inside the caller's unit of work."""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import takewhile
from typing import TYPE_CHECKING

from offset.agreements import services as agreements
from offset.exports.source import Source
from offset.ledger import services as ledger
from offset.ledger.as_of import AsOf

if TYPE_CHECKING:
    from offset.access.model import User
    from offset.ports import UnitOfWork


def source(uow: UnitOfWork, agreement_id: int, user: User | None = None,
           as_of: AsOf | None = None) -> Source:
    """Return the export source of an agreement as of its chain head now, or at `as_of`.

    The entries are read lazily, in batches, while the unit of work stays open; entries
    after the head (appended since it was read, or after `as_of`) are left out, so an export
    matches the head it names. Raises NotFound for a missing agreement, or one `user` (when
    given) may not see, and what ledger.head_as_of raises.
    """
    agreement = (agreements.visible_agreement(uow, user, agreement_id) if user is not None
                 else uow.agreements.agreement(agreement_id))
    head = ledger.head_as_of(uow, agreement.id, as_of)
    entries = takewhile(lambda stored: stored.seq <= head.entry_count,
                        uow.journal.chain(agreement.id))
    return Source(agreement, uow.agreements.party(agreement.urban_party_id),
                  uow.agreements.party(agreement.forest_party_id), head,
                  datetime.now(UTC), entries)
