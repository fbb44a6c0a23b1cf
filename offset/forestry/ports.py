"""What the forestry use cases need from persistence: reference data, stands and work."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Protocol

from offset.forestry.model import Enrollment, Stand, StandVersion, Thinning
from offset.forestry.parameters import Loaded, ParameterSet, YieldTable


class ForestryRepository(Protocol):
    """Parameter sets and yield tables (new versions only), versioned stands, thinning work."""

    def add_parameter_set(self, parameters: ParameterSet) -> None:
        """Store a parameter set. Raises AlreadyExists for a taken name and version."""

    def parameter_set(self, name: str | None = None,
                      version: str | None = None) -> ParameterSet:
        """Return the named set (newest version, or newest set, when not given).
        Raises NotFound."""

    def add_yield_table(self, table: YieldTable) -> None:
        """Store a yield table. Raises AlreadyExists for a taken name and version."""

    def yield_table(self, name: str | None = None, version: str | None = None) -> YieldTable:
        """Return the named table (newest when unnamed or unversioned). Raises NotFound."""

    def parameter_sets(self) -> list[Loaded]:
        """Return every loaded parameter set, oldest first."""

    def yield_tables(self) -> list[Loaded]:
        """Return every loaded yield table, oldest first."""

    def add_stand(self, forest_party_id: int, site: str, compartment: str,
                  stand_number: str, first: StandVersion, recorded_by: str) -> Stand:
        """Store a new stand with its first version. Raises AlreadyExists."""

    def add_stand_version(self, stand_id: int, version: StandVersion,
                          recorded_by: str) -> Stand:
        """Store the next version of a stand and return the stand at it."""

    def lock_stand(self, stand_id: int) -> None:
        """Hold the stand until the transaction ends (serialises crediting checks)."""

    def lock_stands(self, stand_ids: Iterable[int]) -> None:
        """Hold the stands until the transaction ends, locked in id order."""

    def stand(self, stand_id: int, version: int | None = None) -> Stand:
        """Return a stand at `version` (the latest when None). Raises NotFound."""

    def stands(self, forest_party_id: int) -> list[Stand]:
        """Return the party's stands at their latest versions, by id."""

    def add_thinning(self, work: Thinning, recorded_by: str) -> Thinning:
        """Store `work` (its id is ignored) and return it with its id."""

    def add_thinnings(self, works: Sequence[Thinning], recorded_by: str) -> list[Thinning]:
        """Store `works` (their ids are ignored) at once; return them with their ids."""

    def thinnings(self, agreement_id: int, fiscal_year: int | None = None, *,
                  recorded_until: datetime | None = None) -> list[Thinning]:
        """Return the agreement's work (of one fiscal year when given, recorded at or before
        `recorded_until` when given), by id."""

    def areas_thinned(self, agreement_ids: Sequence[int] | None, fiscal_year: int
                      ) -> dict[int, Decimal]:
        """Return the area of each agreement's work of the fiscal year (0 without any;
        every agreement with work that year when None)."""

    def thinnings_crediting(self, agreement_id: int, fiscal_year: int,
                            window: int) -> list[Thinning]:
        """Return the agreement's work whose crediting window includes `fiscal_year`."""

    def thinnings_of_stand(self, stand_id: int) -> list[tuple[Thinning, int]]:
        """Return every piece of work on the stand with its agreement's crediting window."""

    def thinnings_of_stands(self, stand_ids: Iterable[int]) -> list[tuple[Thinning, int]]:
        """Return the work on any of the stands, by id, with its agreement's crediting window."""

    def thinning(self, thinning_id: int) -> Thinning:
        """Return one piece of work. Raises NotFound."""

    def add_enrollment(self, enrollment: Enrollment, recorded_by: str) -> Enrollment:
        """Store a stand's enrollment in another scheme's project; return it with its id."""

    def enrollments(self, stand_ids: Iterable[int]) -> list[Enrollment]:
        """Return the enrollments of any of the stands, by id."""
