"""The council's certifications of partnerships: rows added and never changed."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime

from sqlalchemy import Connection, insert, select
from sqlalchemy.exc import IntegrityError

from offset.council.model import PartnershipCertification
from offset.db.tables import partnership_certifications as table
from offset.errors import AlreadyExists


class SqlCouncil:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def add_certification(self, certification: PartnershipCertification,
                          recorded_by: str) -> PartnershipCertification:
        """Store a certification; return it with its id. Raises AlreadyExists on its number."""
        taken = self._db.execute(select(table.c.id).where(
            table.c.number == certification.number)).first()
        if taken is not None:
            raise AlreadyExists("certification", certification.number, field="number")
        values = {"agreement_id": certification.agreement_id, "number": certification.number,
                  "certified_on": certification.certified_on,
                  "valid_until": certification.valid_until,
                  "conditions": json.dumps(list(certification.conditions), ensure_ascii=False),
                  "recorded_at": datetime.now(UTC), "recorded_by": recorded_by}
        try:
            with self._db.begin_nested():
                new_id = self._db.execute(
                    insert(table).returning(table.c.id).values(**values)).scalar_one()
        except IntegrityError:  # a concurrent writer took the number first
            raise AlreadyExists("certification", certification.number, field="number") from None
        return replace(certification, id=new_id)

    def certifications(self, agreement_ids: Iterable[int] | None = None
                       ) -> list[PartnershipCertification]:
        """Return the certifications of the agreements (all when None), by id."""
        query = select(table).order_by(table.c.id)
        if agreement_ids is not None:
            wanted = sorted(set(agreement_ids))
            if not wanted:
                return []
            query = query.where(table.c.agreement_id.in_(wanted))
        return [PartnershipCertification(row.agreement_id, row.number, row.certified_on,
                                         row.valid_until, tuple(json.loads(row.conditions)),
                                         row.id)
                for row in self._db.execute(query)]
