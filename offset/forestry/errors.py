"""Forestry errors: offset.errors' tree, extended for stands, thinnings and certification.

    InvalidInput
    └── InvalidWork             a stand or thinning record breaks a rule of its own (422)
        └── ImportRejected      a file's rows are refused, every bad row listed (422)
    Conflict
    └── ForestryConflict
        ├── DoubleCounting      the area is already credited elsewhere for those years (409)
        └── AlreadyCertified    the fiscal year already has a live certification (409)
"""

from __future__ import annotations

from dataclasses import dataclass

from offset.errors import Conflict, InvalidInput


class InvalidWork(InvalidInput):
    title = "Invalid forestry record"
    code = "invalid-forestry-record"


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

    def __init__(self, problems: list[RowProblem]) -> None:
        shown = "; ".join(str(p) for p in problems[:5])
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        super().__init__(f"{len(problems)} problem(s), nothing imported: {shown}{more}",
                         field="file")
        self.problems = problems


class ForestryConflict(Conflict):
    title = "Forestry conflict"
    code = "forestry-conflict"


class DoubleCounting(ForestryConflict):
    title = "Area already credited"
    code = "double-counting"


class AlreadyCertified(ForestryConflict):
    title = "Fiscal year already certified"
    code = "already-certified"

    def __init__(self, fiscal_year: int, entry_id: int) -> None:
        super().__init__(f"FY{fiscal_year} already has certification entry {entry_id}; "
                         "reverse it first", field="fiscal_year")
        self.fiscal_year = fiscal_year
        self.entry_id = entry_id
