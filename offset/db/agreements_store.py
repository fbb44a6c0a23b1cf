"""The repository of parties and agreements (master data: added to, never overwritten)."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Row, insert, select
from sqlalchemy.exc import IntegrityError

from offset.agreements.model import (
    AbsorptionMethod,
    Agreement,
    ClosingRules,
    CostSharing,
    Party,
    Term,
)
from offset.db.tables import agreement_terms, agreements, parties
from offset.errors import AlreadyExists, NotFound


class SqlAgreements:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def add_party(self, code: str, name_ja: str, name_en: str, section_ja: str = "",
                  section_en: str = "") -> Party:
        """Store a new party. Raises AlreadyExists when its code is taken."""
        if self._db.execute(select(parties.c.id).where(parties.c.code == code)).first():
            raise AlreadyExists("party", code, field="code",
                                wording="a {what} with code {key} already exists")
        party_id = self._db.execute(insert(parties).returning(parties.c.id).values(
            code=code, name_ja=name_ja, name_en=name_en, section_ja=section_ja,
            section_en=section_en, prefecture_code=code[:2],
            created_at=datetime.now(UTC))).scalar_one()
        return Party(party_id, code, name_ja, name_en, section_ja, section_en)

    def parties(self) -> list[Party]:
        rows = self._db.execute(select(*_PARTY).order_by(parties.c.id))
        return [Party(*r) for r in rows]  # the columns in Party's order: no lookups by name

    def party(self, party_id: int) -> Party:
        """Return one party. Raises NotFound."""
        row = self._db.execute(select(parties).where(parties.c.id == party_id)).one_or_none()
        if row is None:
            raise NotFound(f"party {party_id} does not exist", field="party_id")
        return _party(row)

    def party_by_code(self, code: str) -> Party:
        """Return the party with local-government `code`. Raises NotFound."""
        row = self._db.execute(select(parties).where(parties.c.code == code)).one_or_none()
        if row is None:
            raise NotFound(f"no party with code {code}", field="party")
        return _party(row)

    def add_agreement(self, draft: Agreement) -> Agreement:
        """Store `draft` (its id is ignored) with its terms; return it with its new id."""
        values = {
            "title_ja": draft.title_ja, "title_en": draft.title_en,
            "urban_party_id": draft.urban_party_id, "forest_party_id": draft.forest_party_id,
            "signed_on": draft.signed_on, "annual_target_ha": draft.annual_target_ha,
            "crediting_window": draft.crediting_window,
            "absorption_method": draft.absorption_method.value,
            "per_area_rate": draft.per_area_rate,
            "cost_sharing": json.dumps(draft.cost_sharing.as_data(), sort_keys=True),
            "emission_scope": draft.emission_scope,
            "closing_rules": json.dumps(draft.closing.as_data(), sort_keys=True,
                                        ensure_ascii=False),
            "created_at": datetime.now(UTC),
        }
        agreement_id = self._db.execute(
            insert(agreements).returning(agreements.c.id).values(**values)).scalar_one()
        for term in draft.terms:
            self.add_term(agreement_id, term)
        return self.agreement(agreement_id)

    def add_term(self, agreement_id: int, term: Term) -> None:
        """Store a further term. Raises AlreadyExists when its number is taken."""
        try:
            with self._db.begin_nested():
                self._db.execute(insert(agreement_terms).values(
                    agreement_id=agreement_id, number=term.number, first_fy=term.first_fy,
                    last_fy=term.last_fy, created_at=datetime.now(UTC)))
        except IntegrityError:
            raise AlreadyExists("term", term.number, field="terms") from None

    def agreement(self, agreement_id: int) -> Agreement:
        """Return one agreement with its terms. Raises NotFound."""
        found = self.agreements([agreement_id])
        if not found:
            raise NotFound(f"agreement {agreement_id} does not exist", field="agreement_id")
        return found[0]

    def agreements_of_urban_party(self, party_id: int) -> list[Agreement]:
        """Return the agreements `party_id` is the urban partner of, ordered by id (the
        urban_party_id index: a party's position reads its own agreements, not the
        nation's)."""
        ids = self._db.execute(select(agreements.c.id).where(
            agreements.c.urban_party_id == party_id)).scalars().all()
        return self.agreements(ids) if ids else []

    def agreements(self, ids: Sequence[int] | None = None) -> list[Agreement]:
        """Return the agreements with `ids` (all when None), ordered by id."""
        query = select(agreements).order_by(agreements.c.id)
        terms_query = select(agreement_terms).order_by(agreement_terms.c.number)
        if ids is not None:
            query = query.where(agreements.c.id.in_(list(ids)))
            terms_query = terms_query.where(agreement_terms.c.agreement_id.in_(list(ids)))
        terms: dict[int, list[Term]] = defaultdict(list)
        for t in self._db.execute(terms_query):
            terms[t.agreement_id].append(Term(t.number, t.first_fy, t.last_fy))
        return [_agreement(row, tuple(terms[row.id])) for row in self._db.execute(query)]


@lru_cache(maxsize=256)
def _cost_sharing(text: str) -> CostSharing:
    # Parsed and checked once per distinct text: most agreements share a handful, and a
    # national view loads every agreement. The value is never mutated once built.
    sharing = json.loads(text)
    return CostSharing(Decimal(sharing["urban_percent"]),
                       {name: Decimal(p) for name, p in sharing["by_category"].items()})


@lru_cache(maxsize=256)
def _closing_rules(text: str) -> ClosingRules:
    return ClosingRules.from_data(json.loads(text))


def _agreement(row: Row[Any], terms: tuple[Term, ...]) -> Agreement:
    return Agreement(
        id=row.id, title_ja=row.title_ja, title_en=row.title_en,
        urban_party_id=row.urban_party_id, forest_party_id=row.forest_party_id,
        signed_on=row.signed_on, annual_target_ha=row.annual_target_ha,
        crediting_window=row.crediting_window,
        absorption_method=AbsorptionMethod(row.absorption_method),
        per_area_rate=row.per_area_rate,
        cost_sharing=_cost_sharing(row.cost_sharing),
        terms=terms,
        emission_scope=row.emission_scope,
        closing=_closing_rules(row.closing_rules),
    )


_PARTY = (parties.c.id, parties.c.code, parties.c.name_ja, parties.c.name_en,
          parties.c.section_ja, parties.c.section_en)


def _party(row: Row[Any]) -> Party:
    return Party(row.id, row.code, row.name_ja, row.name_en, row.section_ja, row.section_en)
