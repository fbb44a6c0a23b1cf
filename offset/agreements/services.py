"""Use cases for parties and agreements. Callers open the unit of work and commit."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from offset.agreements.model import (
    Agreement,
    Party,
    Term,
    check_agreement,
    check_local_government_code,
    check_terms,
)
from offset.errors import InvalidInput, NotFound
from offset.text import clean_text

# As many characters as the parties table keeps for a name or a section.
NAME_LIMIT = 100

if TYPE_CHECKING:
    from offset.access.model import User
    from offset.ports import UnitOfWork


def create_party(uow: UnitOfWork, code: str, name_ja: str, name_en: str, *,
                 section_ja: str = "", section_en: str = "") -> Party:
    """Register a municipality, with the section responsible for its agreements (所管課)
    when given. Raises InvalidInput, AlreadyExists."""
    check_local_government_code(code)
    for field, name in (("name_ja", name_ja), ("name_en", name_en)):
        if not name.strip():
            raise InvalidInput("must not be blank", field=field)
    for field, text in (("name_ja", name_ja), ("name_en", name_en),
                        ("section_ja", section_ja), ("section_en", section_en)):
        clean_text(text, field)
        if len(text.strip()) > NAME_LIMIT:
            raise InvalidInput(f"is longer than {NAME_LIMIT} characters", field=field)
    return uow.agreements.add_party(code, name_ja.strip(), name_en.strip(),
                                    section_ja.strip(), section_en.strip())


def create_agreement(uow: UnitOfWork, draft: Agreement) -> Agreement:
    """Register an agreement between two existing parties and open its journal chain.

    Raises InvalidInput for contradictory fields or an unknown party.
    """
    check_agreement(draft)
    for field, party_id in (("urban_party_id", draft.urban_party_id),
                            ("forest_party_id", draft.forest_party_id)):
        if party_id not in {p.id for p in uow.agreements.parties()}:
            raise InvalidInput(f"party {party_id} does not exist", field=field)
    agreement = uow.agreements.add_agreement(draft)
    uow.journal.open_chain(agreement.id)
    return agreement


def renew(uow: UnitOfWork, agreement: Agreement, first_fy: int, last_fy: int, *,
          field: str | None = None) -> Agreement:
    """Add the next term to `agreement`; it must start after the last term ends.

    Raises InvalidInput for a term that overlaps or runs backwards, naming `field` when the
    caller gave one for the new term's years, else the term's place ("terms.2").
    """
    term = Term(len(agreement.terms) + 1, first_fy, last_fy)
    terms = (*agreement.terms, term)
    check_terms(terms, agreement.signed_on, new_term_field=field)
    uow.journal.lock_head(agreement.id)  # serialises renewals of one agreement
    uow.agreements.add_term(agreement.id, term)
    return replace(agreement, terms=terms)


def parties(uow: UnitOfWork) -> list[Party]:
    """Return every party (municipality) registered."""
    return uow.agreements.parties()


def party(uow: UnitOfWork, party_id: int) -> Party:
    """Return the party with this id. Raises NotFound."""
    return uow.agreements.party(party_id)


def party_by_code(uow: UnitOfWork, code: str) -> Party:
    """Return the party with this 6-digit local-government code. Raises NotFound."""
    return uow.agreements.party_by_code(code)


def all_agreements(uow: UnitOfWork) -> list[Agreement]:
    """Return every agreement, whoever may see it (for entrypoints without a caller)."""
    return uow.agreements.agreements()


def agreement(uow: UnitOfWork, agreement_id: int) -> Agreement:
    """Return the agreement with this id, whoever may see it. Raises NotFound."""
    return uow.agreements.agreement(agreement_id)


def visible_agreements(uow: UnitOfWork, user: User) -> list[Agreement]:
    """Return the agreements `user` may see."""
    return [a for a in all_agreements(uow) if user.can_see(a)]


def visible_agreement(uow: UnitOfWork, user: User, agreement_id: int) -> Agreement:
    """Return the agreement if `user` may see it; otherwise NotFound, as if it did not exist."""
    agreement = uow.agreements.agreement(agreement_id)
    if not user.can_see(agreement):
        raise NotFound(f"agreement {agreement_id} does not exist", field="agreement_id")
    return agreement
