"""The unit of work as the use cases see it: one transaction over every context's repository.

The use cases type against this Protocol only. offset.db.uow.UnitOfWork (SQL) satisfies it
structurally, which mypy checks there; the unit tests run the same use cases on an
in-memory fake (tests/fakes.py).
"""

from __future__ import annotations

from types import TracebackType
from typing import Protocol, Self

from offset.access.ports import AccessRepository
from offset.agreements.ports import AgreementsRepository
from offset.council.ports import CouncilRepository
from offset.documents.ports import DocumentsRepository
from offset.emissions.ports import EmissionsRepository
from offset.forestry.ports import ForestryRepository
from offset.ledger.ports import JournalRepository


class UnitOfWork(Protocol):
    """Entered, it is one transaction: commit() keeps its writes, leaving without it undoes them.

    Repositories never commit; only the use case's caller does, once.
    """

    @property
    def agreements(self) -> AgreementsRepository: ...

    @property
    def journal(self) -> JournalRepository: ...

    @property
    def access(self) -> AccessRepository: ...

    @property
    def forestry(self) -> ForestryRepository: ...

    @property
    def emissions(self) -> EmissionsRepository: ...

    @property
    def documents(self) -> DocumentsRepository: ...

    @property
    def council(self) -> CouncilRepository: ...

    def __enter__(self) -> Self: ...

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None: ...

    def commit(self) -> None:
        """Keep every write made since the unit of work was entered."""
