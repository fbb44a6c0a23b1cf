"""Errors of issued reports: offset.errors' tree, extended for the register.

    NotFound
    └── ReportNotIssued       no report of the agreement has this number (404); member: number
    Conflict
    ├── YearNotClosed         the report's fiscal year (a term's last year) is not closed yet
    │                         (409); members: fiscal_year, closed_through
    ├── AlreadyIssued         the report was issued already: re-issue it instead (409);
    │                         member: number (the issued one)
    └── AlreadyReplaced       a re-issue of a report already replaced (409); members: number,
                              replaced_by
"""

from __future__ import annotations

from offset.errors import Conflict, NotFound


class ReportNotIssued(NotFound):
    """Agreement `agreement_id` has issued no report numbered `number`."""

    title = "Report not issued"
    code = "report-not-issued"
    members = ("number",)

    def __init__(self, agreement_id: int, number: str) -> None:
        super().__init__(field="number")
        self.agreement_id = agreement_id
        self.number = number

    @property
    def detail(self) -> str:
        return f"agreement {self.agreement_id} has issued no report numbered {self.number!r}"


class YearNotClosed(Conflict):
    """FY `fiscal_year` of agreement `agreement_id` is not closed (years are closed through
    `closed_through`, None when none is), so its report cannot be issued."""

    title = "Fiscal year not closed"
    code = "year-not-closed"
    members = ("fiscal_year", "closed_through")

    def __init__(self, agreement_id: int, fiscal_year: int, closed_through: int | None) -> None:
        super().__init__(field="fiscal_year")
        self.agreement_id = agreement_id
        self.fiscal_year = fiscal_year
        self.closed_through = closed_through

    @property
    def detail(self) -> str:
        closed = ("no year is closed" if self.closed_through is None
                  else f"years are closed through FY{self.closed_through}")
        return (f"FY{self.fiscal_year} of agreement {self.agreement_id} is not closed "
                f"({closed}); a report is issued when its year closes")


class AlreadyIssued(Conflict):
    """The report asked for was issued already as `number`; a new one is a re-issue."""

    title = "Report already issued"
    code = "already-issued"
    members = ("number",)

    def __init__(self, what: str, number: str) -> None:
        super().__init__(field="number")
        self.what = what
        self.number = number

    @property
    def detail(self) -> str:
        return f"the {self.what} was issued as {self.number}; re-issue that one to replace it"


class AlreadyReplaced(Conflict):
    """Report `number` was replaced by `replaced_by`: only the current one is re-issued."""

    title = "Report already replaced"
    code = "already-replaced"
    members = ("number", "replaced_by")

    def __init__(self, number: str, replaced_by: str) -> None:
        super().__init__(field="number")
        self.number = number
        self.replaced_by = replaced_by

    @property
    def detail(self) -> str:
        return (f"report {self.number} was replaced by {self.replaced_by}; re-issue "
                f"{self.replaced_by} instead")
