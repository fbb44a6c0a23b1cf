"""The repository of emission factor sets (each set id one edition, never changed)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

from sqlalchemy import Connection, insert, select

from offset.db.tables import emission_factors
from offset.emissions.errors import FactorNotFound
from offset.emissions.model import Factor
from offset.errors import AlreadyExists


class SqlEmissions:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def add_factor_sets(self, sets: Mapping[str, Mapping[str, Factor]]) -> None:
        """Store new factor sets. Raises AlreadyExists when a set id is already loaded."""
        taken = set(self._db.execute(select(emission_factors.c.set_id).distinct()
                                     .where(emission_factors.c.set_id.in_(list(sets))))
                    .scalars())
        if taken:
            raise AlreadyExists("factor set", sorted(taken), field="set",
                                wording="{what}(s) {key} already loaded; give a new edition a "
                                        "new set id")
        now = datetime.now(UTC)
        self._db.execute(insert(emission_factors), [
            {"set_id": f.set_id, "activity": f.activity, "unit": f.unit,
             "t_co2_per_unit": f.t_co2_per_unit, "status": f.status, "source": f.source,
             "loaded_at": now}
            for factors in sets.values() for f in factors.values()])

    def factor(self, set_id: str, activity: str) -> Factor:
        """Return one factor. Raises FactorNotFound naming the set or activity when missing."""
        row = self._db.execute(select(emission_factors).where(
            emission_factors.c.set_id == set_id,
            emission_factors.c.activity == activity)).one_or_none()
        if row is None:
            known = self._db.execute(select(emission_factors.c.set_id).where(
                emission_factors.c.set_id == set_id)).first()
            if known is None:
                raise FactorNotFound(set_id)
            raise FactorNotFound(set_id, activity)
        return Factor(row.set_id, row.activity, row.unit, row.t_co2_per_unit.normalize(),
                      row.status, row.source)

    def factors(self) -> list[Factor]:
        rows = self._db.execute(select(emission_factors).order_by(
            emission_factors.c.set_id, emission_factors.c.activity))
        return [Factor(r.set_id, r.activity, r.unit, r.t_co2_per_unit.normalize(), r.status,
                       r.source) for r in rows]
