"""Forestry errors: offset.errors' tree, extended for stands, thinnings and certification.

    InvalidInput
    └── InvalidWork               a stand or thinning record breaks a rule of its own (422)
        ├── UnknownStand          the work names a stand that does not exist (422)
        │                         members: stand_id
        └── ImportRejected        a file's rows are refused, every bad row listed (422)
    Conflict
    └── ForestryConflict          stand and certification invariants (409)
        ├── DoubleCounting        the stand is credited to another agreement for those years
        │   │                     (409); members: stand_id, fiscal_years,
        │   │                     credited_agreement_id, thinning_id
        │   └── StandAreaExceeded a fiscal year would credit more than the stand's area (409)
        │                         members: stand_id, fiscal_year, credited_ha, stand_area_ha
        └── AlreadyCertified      the fiscal year already has a live certification (409)
                                  members: fiscal_year, entry_id
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar

from offset.errors import Conflict, FieldError, InvalidInput


class InvalidWork(InvalidInput):
    title = "Invalid forestry record"
    code = "invalid-forestry-record"


class UnknownStand(InvalidWork):
    """The work names stand `stand_id`, which does not exist: bad input, not a missing page."""

    title = "Unknown stand"
    code = "unknown-stand"
    members = ("stand_id",)

    def __init__(self, stand_id: int) -> None:
        super().__init__(field="stand_id")
        self.stand_id = stand_id

    @property
    def detail(self) -> str:
        return f"stand {self.stand_id} does not exist"


@dataclass(frozen=True)
class RowProblem:
    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}, column {self.column}: {self.reason}"


class ImportRejected(InvalidWork):
    title = "Import rejected"
    code = "import-rejected"
    # The detail already summarises the rows; the problem document lists every one.
    detail_lists_fields: ClassVar[bool] = False

    def __init__(self, problems: list[RowProblem]) -> None:
        super().__init__(field="file")
        self.problems = problems

    @property
    def detail(self) -> str:
        shown = "; ".join(str(p) for p in self.problems[:5])
        more = f" (and {len(self.problems) - 5} more)" if len(self.problems) > 5 else ""
        return f"{len(self.problems)} problem(s), nothing imported: {shown}{more}"

    def field_errors(self) -> list[FieldError]:
        """Return every bad row of the file: where (line, column) and why."""
        return [{"field": "file", "line": p.line, "column": p.column, "reason": p.reason}
                for p in self.problems]


class ForestryConflict(Conflict):
    title = "Forestry conflict"
    code = "forestry-conflict"


class DoubleCounting(ForestryConflict):
    """Stand `stand_id` is credited to agreement `credited_agreement_id` (by thinning
    `thinning_id`) in `fiscal_years`, which the new work would credit too."""

    title = "Area already credited"
    code = "double-counting"
    members: ClassVar[tuple[str, ...]] = (
        "stand_id", "fiscal_years", "credited_agreement_id", "thinning_id")

    def __init__(self, stand_id: int, fiscal_years: list[int], credited_agreement_id: int,
                 thinning_id: int) -> None:
        super().__init__(field="stand_id")
        self.stand_id = stand_id
        self.fiscal_years = fiscal_years
        self.credited_agreement_id = credited_agreement_id
        self.thinning_id = thinning_id

    @property
    def detail(self) -> str:
        return (f"the stand is credited to agreement {self.credited_agreement_id} for "
                f"FY{min(self.fiscal_years)} (thinning {self.thinning_id})")


class StandAreaExceeded(DoubleCounting):
    """FY `fiscal_year` would credit `credited_ha` of stand `stand_id`'s `stand_area_ha`."""

    title = "Stand area exceeded"
    code = "stand-area-exceeded"
    members = ("stand_id", "fiscal_year", "credited_ha", "stand_area_ha")

    def __init__(self, stand_id: int, fiscal_year: int, credited_ha: Decimal,
                 stand_area_ha: Decimal) -> None:
        ForestryConflict.__init__(self, field="area")  # not credited elsewhere: no agreement
        self.stand_id = stand_id
        self.fiscal_year = fiscal_year
        self.credited_ha = credited_ha
        self.stand_area_ha = stand_area_ha

    @property
    def detail(self) -> str:
        return (f"FY{self.fiscal_year} would credit {self.credited_ha} ha of a "
                f"{self.stand_area_ha} ha stand")


class EnrolledElsewhere(ForestryConflict):
    """Stand `stand_id` is enrolled in another crediting scheme's project for
    `fiscal_years`, which the work (or another enrollment) would credit too."""

    title = "Stand enrolled in another scheme"
    code = "enrolled-elsewhere"
    members = ("stand_id", "fiscal_years", "scheme", "project_number")

    def __init__(self, stand_id: int, fiscal_years: list[int], scheme: str,
                 project_number: str) -> None:
        ForestryConflict.__init__(self, field="stand_id")
        self.stand_id = stand_id
        self.fiscal_years = fiscal_years
        self.scheme = scheme
        self.project_number = project_number

    @property
    def detail(self) -> str:
        return (f"the stand is enrolled in {self.scheme} project {self.project_number} for "
                f"FY{min(self.fiscal_years)}–FY{max(self.fiscal_years)}: its tonnes cannot "
                "be credited twice")


class AlreadyCertified(ForestryConflict):
    title = "Fiscal year already certified"
    code = "already-certified"
    members = ("fiscal_year", "entry_id")

    def __init__(self, fiscal_year: int, entry_id: int) -> None:
        super().__init__(field="fiscal_year")
        self.fiscal_year = fiscal_year
        self.entry_id = entry_id

    @property
    def detail(self) -> str:
        return (f"FY{self.fiscal_year} already has certification entry {self.entry_id}; "
                "reverse it first")
