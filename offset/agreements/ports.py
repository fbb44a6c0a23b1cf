"""What the agreement use cases need from persistence: the parties-and-agreements repository."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from offset.agreements.model import Agreement, Party, Term


class AgreementsRepository(Protocol):
    """Parties and agreements: master data, added to and never overwritten."""

    def add_party(self, code: str, name_ja: str, name_en: str, section_ja: str = "",
                  section_en: str = "") -> Party:
        """Store a new party. Raises AlreadyExists when its code is taken."""

    def parties(self) -> list[Party]:
        """Return every party, by id."""

    def party(self, party_id: int) -> Party:
        """Return one party. Raises NotFound."""

    def party_by_code(self, code: str) -> Party:
        """Return the party with local-government `code`. Raises NotFound."""

    def add_agreement(self, draft: Agreement) -> Agreement:
        """Store `draft` (its id is ignored) with its terms; return it with its new id."""

    def add_term(self, agreement_id: int, term: Term) -> None:
        """Store a further term. Raises AlreadyExists when its number is taken."""

    def agreement(self, agreement_id: int) -> Agreement:
        """Return one agreement with its terms. Raises NotFound."""

    def agreements(self, ids: Sequence[int] | None = None) -> list[Agreement]:
        """Return the agreements with `ids` (all when None), by id."""

    def agreements_of_urban_party(self, party_id: int) -> list[Agreement]:
        """Return the agreements `party_id` is the urban partner of, by id."""
