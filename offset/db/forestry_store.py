"""The forestry repository: parameter sets, yield tables, versioned stands, thinning work."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import fields, replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Row, func, insert, select

from offset.db.bulk import allocate_ids, insert_rows
from offset.db.tables import (
    agreements,
    parameter_sets,
    parameter_species,
    parameter_values,
    stand_enrollments,
    stand_versions,
    stands,
    thinnings,
    yield_tables,
    yield_volumes,
)
from offset.errors import AlreadyExists, NotFound
from offset.forestry.model import Enrollment, Stand, StandVersion, Thinning
from offset.forestry.parameters import Loaded, ParameterSet, Species, Value, YieldTable

_THINNING_FIELDS = tuple(f.name for f in fields(Thinning))
_THINNING_COLUMNS = (*_THINNING_FIELDS, "recorded_at", "recorded_by")


class SqlForestry:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    # Parameter sets and yield tables: added under a new version, never changed.

    def add_parameter_set(self, parameters: ParameterSet) -> None:
        """Store a parameter set. Raises AlreadyExists for a taken name and version."""
        self._refuse_taken(parameter_sets, "parameter set", parameters.name, parameters.version)
        set_id = self._db.execute(insert(parameter_sets).returning(parameter_sets.c.id).values(
            name=parameters.name, version=parameters.version,
            loaded_at=datetime.now(UTC))).scalar_one()
        self._db.execute(insert(parameter_species), [
            {"set_id": set_id, "species_code": s.code, "name_ja": s.name_ja,
             "name_en": s.name_en} for s in parameters.species.values()])
        self._db.execute(insert(parameter_values), [
            {"set_id": set_id, "species_code": s.code, "parameter": name,
             "value": v.value, "status": v.status, "source": v.source}
            for s in parameters.species.values() for name, v in s.values.items()])

    def parameter_set(self, name: str | None = None,
                      version: str | None = None) -> ParameterSet:
        """Return the named set (newest version when `version` is None; newest set when
        `name` is None). Raises NotFound."""
        row = self._db.execute(_newest(parameter_sets, name, version)).one_or_none()
        if row is None:
            raise NotFound(_missing("parameter set", name, version), field="parameters")
        species_rows = self._db.execute(
            select(parameter_species).where(parameter_species.c.set_id == row.id)).all()
        values: dict[str, dict[str, Value]] = defaultdict(dict)
        for v in self._db.execute(select(parameter_values)
                                  .where(parameter_values.c.set_id == row.id)):
            values[v.species_code][v.parameter] = Value(_plain(v.value), v.status, v.source)
        return ParameterSet(row.name, row.version, {
            s.species_code: Species(s.species_code, s.name_ja, s.name_en,
                                    values[s.species_code]) for s in species_rows})

    def add_yield_table(self, table: YieldTable) -> None:
        """Store a yield table. Raises AlreadyExists for a taken name and version."""
        self._refuse_taken(yield_tables, "yield table", table.name, table.version)
        table_id = self._db.execute(insert(yield_tables).returning(yield_tables.c.id).values(
            name=table.name, version=table.version, illustrative=table.illustrative,
            loaded_at=datetime.now(UTC))).scalar_one()
        self._db.execute(insert(yield_volumes), [
            {"table_id": table_id, "species_code": species, "site_class": site,
             "age_class": age, "volume_m3_per_ha": volume}
            for (species, site, age), volume in table.volumes.items()])

    def yield_table(self, name: str | None = None, version: str | None = None) -> YieldTable:
        """Return the named table (newest when unnamed or unversioned). Raises NotFound."""
        row = self._db.execute(_newest(yield_tables, name, version)).one_or_none()
        if row is None:
            raise NotFound(_missing("yield table", name, version), field="yield_table")
        volumes = {(v.species_code, v.site_class, v.age_class): _plain(v.volume_m3_per_ha)
                   for v in self._db.execute(select(yield_volumes)
                                             .where(yield_volumes.c.table_id == row.id))}
        return YieldTable(row.name, row.version, row.illustrative, volumes)

    def parameter_sets(self) -> list[Loaded]:
        """Return every loaded parameter set, oldest first (the last is used by default)."""
        rows = self._db.execute(select(parameter_sets).order_by(
            parameter_sets.c.loaded_at, parameter_sets.c.id))
        return [Loaded(row.name, row.version, row.loaded_at) for row in rows]

    def yield_tables(self) -> list[Loaded]:
        """Return every loaded yield table, oldest first (the last is used by default)."""
        rows = self._db.execute(select(yield_tables).order_by(
            yield_tables.c.loaded_at, yield_tables.c.id))
        return [Loaded(row.name, row.version, row.loaded_at, row.illustrative) for row in rows]

    def _refuse_taken(self, table: Any, what: str, name: str, version: str) -> None:
        taken = self._db.execute(select(table.c.id).where(
            table.c.name == name, table.c.version == version)).first()
        if taken:
            raise AlreadyExists(what, f"{name}@{version}",
                                field="version",
                                wording="{key} is already loaded; use a new version")

    # Stands: a row for identity, a version row for every edit.

    def add_stand(self, forest_party_id: int, site: str, compartment: str,
                  stand_number: str, first: StandVersion, recorded_by: str) -> Stand:
        """Store a new stand with its first version. Raises AlreadyExists."""
        taken = self._db.execute(select(stands.c.id).where(
            stands.c.forest_party_id == forest_party_id, stands.c.site == site,
            stands.c.compartment == compartment, stands.c.stand_number == stand_number)).first()
        if taken:
            raise AlreadyExists("stand", f"{site} {compartment}-{stand_number}",
                                field="stand_number",
                                wording=f"{{what}} {{key}} already exists (id {taken.id})")
        stand_id = self._db.execute(insert(stands).returning(stands.c.id).values(
            forest_party_id=forest_party_id, site=site, compartment=compartment,
            stand_number=stand_number, created_at=datetime.now(UTC))).scalar_one()
        return self.add_stand_version(stand_id, first, recorded_by)

    def add_stand_version(self, stand_id: int, version: StandVersion,
                          recorded_by: str) -> Stand:
        """Store the next version of a stand and return the stand at it."""
        latest = self._db.execute(select(func.max(stand_versions.c.version))
                                  .where(stand_versions.c.stand_id == stand_id)).scalar()
        self._db.execute(insert(stand_versions).values(
            stand_id=stand_id, version=(latest or 0) + 1, area_ha=version.area_ha,
            species_code=version.species_code, planting_year=version.planting_year,
            site_class=version.site_class, measured_growth=version.measured_growth,
            recorded_at=datetime.now(UTC), recorded_by=recorded_by))
        return self.stand(stand_id)

    def lock_stand(self, stand_id: int) -> None:
        """Hold the stand's row until the transaction ends (serialises crediting checks)."""
        query = select(stands.c.id).where(stands.c.id == stand_id)
        if self._db.dialect.name == "postgresql":
            query = query.with_for_update()
        self._db.execute(query)

    def lock_stands(self, stand_ids: Iterable[int]) -> None:
        """Hold the rows of `stand_ids` until the transaction ends, locked in id order."""
        wanted = sorted(set(stand_ids))
        if self._db.dialect.name == "postgresql" and wanted:
            self._db.execute(select(stands.c.id).where(stands.c.id.in_(wanted))
                             .order_by(stands.c.id).with_for_update())

    def stand(self, stand_id: int, version: int | None = None) -> Stand:
        """Return a stand at `version` (the latest when None). Raises NotFound."""
        found = self._stands(stands.c.id == stand_id, version)
        if not found:
            raise NotFound(f"stand {stand_id} does not exist", field="stand_id")
        return found[0]

    def stands(self, forest_party_id: int) -> list[Stand]:
        return self._stands(stands.c.forest_party_id == forest_party_id, None)

    def _stands(self, condition: Any, version: int | None) -> list[Stand]:
        chosen = (select(stand_versions.c.stand_id,
                         func.max(stand_versions.c.version).label("version"))
                  .group_by(stand_versions.c.stand_id))
        if version is not None:
            chosen = chosen.where(stand_versions.c.version == version)
        picked = chosen.subquery()
        query = (select(stands, stand_versions)
                 .join(picked, picked.c.stand_id == stands.c.id)
                 .join(stand_versions, (stand_versions.c.stand_id == stands.c.id)
                       & (stand_versions.c.version == picked.c.version))
                 .where(condition).order_by(stands.c.id))
        return [_stand(row) for row in self._db.execute(query)]

    # Thinning work.

    def add_thinning(self, work: Thinning, recorded_by: str) -> Thinning:
        """Store `work` (its id is ignored) and return it with its id."""
        values = {k: v for k, v in work.__dict__.items() if k != "id"}
        thinning_id = self._db.execute(insert(thinnings).returning(thinnings.c.id).values(
            **values, recorded_at=datetime.now(UTC), recorded_by=recorded_by)).scalar_one()
        return Thinning(**{**work.__dict__, "id": thinning_id})

    def add_thinnings(self, works: Sequence[Thinning], recorded_by: str) -> list[Thinning]:
        """Store `works` (their ids are ignored) in one statement; return them with their ids."""
        if not works:
            return []
        now = datetime.now(UTC)
        # Ids drawn first and rows inserted in bulk: INSERT … RETURNING in parameter order
        # runs row by row on SQLite and as a sorted INSERT … SELECT on PostgreSQL.
        ids = allocate_ids(self._db, thinnings, len(works))
        stored = [replace(work, id=thinning_id) for work, thinning_id in zip(works, ids,
                                                                               strict=True)]
        insert_rows(self._db, thinnings, _THINNING_COLUMNS,
                    ([getattr(work, name) for name in _THINNING_FIELDS] + [now, recorded_by]
                     for work in stored))
        return stored

    def thinnings(self, agreement_id: int, fiscal_year: int | None = None, *,
                  recorded_until: datetime | None = None) -> list[Thinning]:
        condition = thinnings.c.agreement_id == agreement_id
        if fiscal_year is not None:
            condition &= thinnings.c.fiscal_year == fiscal_year
        if recorded_until is not None:
            condition &= thinnings.c.recorded_at <= recorded_until
        rows = self._db.execute(select(thinnings).where(condition).order_by(thinnings.c.id))
        return [_thinning(row) for row in rows]

    def areas_thinned(self, agreement_ids: Sequence[int] | None, fiscal_year: int
                      ) -> dict[int, Decimal]:
        """Return the area of each agreement's work of the fiscal year, in one grouped
        query (every agreement with work that year when `agreement_ids` is None)."""
        query = (select(thinnings.c.agreement_id, func.sum(thinnings.c.area_ha))
                 .where(thinnings.c.fiscal_year == fiscal_year)
                 .group_by(thinnings.c.agreement_id))
        found: dict[int, Decimal] = {}
        if agreement_ids is not None:
            wanted = sorted(set(agreement_ids))
            if not wanted:
                return {}
            found = dict.fromkeys(wanted, Decimal("0.0000"))
            query = query.where(thinnings.c.agreement_id.in_(wanted))
        for agreement_id, area in self._db.execute(query):
            found[agreement_id] = area
        return found

    def thinnings_crediting(self, agreement_id: int, fiscal_year: int,
                            window: int) -> list[Thinning]:
        """Return the agreement's work whose crediting window includes `fiscal_year`."""
        rows = self._db.execute(select(thinnings).where(
            thinnings.c.agreement_id == agreement_id,
            thinnings.c.fiscal_year.between(fiscal_year - window + 1, fiscal_year))
            .order_by(thinnings.c.id))
        return [_thinning(row) for row in rows]

    def thinnings_of_stand(self, stand_id: int) -> list[tuple[Thinning, int]]:
        """Return every piece of work on the stand with its agreement's crediting window."""
        rows = self._db.execute(
            select(thinnings, agreements.c.crediting_window).join(agreements)
            .where(thinnings.c.stand_id == stand_id).order_by(thinnings.c.id))
        return [(_thinning(row), row.crediting_window) for row in rows]

    def thinnings_of_stands(self, stand_ids: Iterable[int]) -> list[tuple[Thinning, int]]:
        """Return the work on any of `stand_ids` (in id order) with its agreement's window."""
        wanted = sorted(set(stand_ids))
        if not wanted:
            return []
        rows = self._db.execute(
            select(thinnings, agreements.c.crediting_window).join(agreements)
            .where(thinnings.c.stand_id.in_(wanted)).order_by(thinnings.c.id))
        return [(_thinning(row), row.crediting_window) for row in rows]

    def thinning(self, thinning_id: int) -> Thinning:
        row = self._db.execute(select(thinnings).where(thinnings.c.id == thinning_id)).first()
        if row is None:
            raise NotFound(f"thinning {thinning_id} does not exist", field="thinning_id")
        return _thinning(row)

    def add_enrollment(self, enrollment: Enrollment, recorded_by: str) -> Enrollment:
        """Store a stand's enrollment in another scheme's project; return it with its id."""
        values = {k: v for k, v in enrollment.__dict__.items() if k != "id"}
        enrollment_id = self._db.execute(
            insert(stand_enrollments).returning(stand_enrollments.c.id).values(
                **values, recorded_at=datetime.now(UTC), recorded_by=recorded_by)).scalar_one()
        return replace(enrollment, id=enrollment_id)

    def enrollments(self, stand_ids: Iterable[int]) -> list[Enrollment]:
        """Return the enrollments of any of the stands, by id."""
        wanted = sorted(set(stand_ids))
        if not wanted:
            return []
        rows = self._db.execute(select(stand_enrollments)
                                .where(stand_enrollments.c.stand_id.in_(wanted))
                                .order_by(stand_enrollments.c.id))
        return [Enrollment(row.stand_id, row.scheme, row.methodology, row.project_number,
                           row.first_fy, row.last_fy, row.id) for row in rows]


def _newest(table: Any, name: str | None, version: str | None) -> Any:
    query = select(table).order_by(table.c.loaded_at.desc(), table.c.id.desc()).limit(1)
    if name is not None:
        query = query.where(table.c.name == name)
    if version is not None:
        query = query.where(table.c.version == version)
    return query


def _missing(what: str, name: str | None, version: str | None) -> str:
    if name is None:
        return f"no {what} is loaded"
    return f"{what} {name}{'@' + version if version else ''} is not loaded"


def _plain(stored: Decimal) -> Decimal:
    """Return a stored value without the padding zeros of its column, in plain notation.

    normalize() alone would turn 10.000 into 1E+1, which is how it would then be shown.
    """
    trimmed = stored.normalize()
    return trimmed.quantize(Decimal(1)) if trimmed == trimmed.to_integral_value() else trimmed


def _stand(row: Row[Any]) -> Stand:
    measured = _plain(row.measured_growth) if row.measured_growth is not None else None
    return Stand(row.id, row.forest_party_id, row.site, row.compartment, row.stand_number,
                 row.version, StandVersion(row.area_ha, row.species_code, row.planting_year,
                                           row.site_class, measured))


def _thinning(row: Row[Any]) -> Thinning:
    return Thinning(row.id, row.agreement_id, row.stand_id, row.stand_version, row.fiscal_year,
                    row.started_on, row.finished_on, row.area_ha, row.intensity_percent,
                    row.volume_m3, row.contractor, row.note)
