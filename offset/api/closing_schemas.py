"""A fiscal year's state and a close, as JSON."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from offset.api.document_schemas import IssuedReportRead
from offset.api.schemas import AdjustmentRead, Name
from offset.closing.model import Consent, Problem, YearStatus
from offset.closing.services import Closed
from offset.fiscal import FiscalYear


class ProblemRead(BaseModel):
    code: str = Field(description="e.g. year-running, earlier-year-open, "
                                  "awaiting-certification")
    message: str
    blocking: bool = Field(description="true when it refuses the close")
    entry_id: int | None = None

    @classmethod
    def of(cls, problem: Problem) -> ProblemRead:
        return cls(code=problem.code, message=problem.message, blocking=problem.blocking,
                   entry_id=problem.entry_id)


class FiscalYearRead(BaseModel):
    agreement_id: int
    fiscal_year: int
    label: str = Field(examples=["平成25年度 / FY2013"])
    state: str = Field(description="open, settling (出納整理期間) or closed")
    starts_on: date
    ends_on: date
    settlement_ends_on: date = Field(description="payments of the year may be recorded "
                                                 "until this day, unless the year is closed")
    closed_on: date | None = None
    closed_by: str | None = None
    close_entry_id: int | None = None
    problems: list[ProblemRead] = Field(description="what a close now would meet; blocking "
                                                    "ones refuse it")
    adjusted_later: list[AdjustmentRead] = Field(
        description="prior-period adjustments posted in later years that correct entries of "
                    "this (closed) year: its figures stay as closed")

    @classmethod
    def of(cls, status: YearStatus) -> FiscalYearRead:
        fy = FiscalYear(status.fiscal_year)
        return cls(
            agreement_id=status.agreement_id, fiscal_year=status.fiscal_year,
            label=f"{fy.era_label} / {fy}", state=status.state.value,
            starts_on=status.starts_on, ends_on=status.ends_on,
            settlement_ends_on=status.settlement_ends_on, closed_on=status.closed_on,
            closed_by=status.closed_by, close_entry_id=status.close_entry_id,
            problems=[ProblemRead.of(p) for p in status.problems],
            adjusted_later=[AdjustmentRead.of(a) for a in status.adjusted_later])


class ConsentCreate(BaseModel):
    given_by: Name = Field(description="who consented for the forest party")
    given_on: date


class CloseCreate(BaseModel):
    forest_consent: ConsentCreate | None = Field(
        default=None, description="required when the agreement's closing rule asks for it")

    def consent(self) -> Consent | None:
        given = self.forest_consent
        return None if given is None else Consent(given.given_by, given.given_on)


class CloseRead(BaseModel):
    fiscal_year: FiscalYearRead
    entry_id: int = Field(description="the period-close entry in the chain")
    entry_hash: str
    reports: list[IssuedReportRead] = Field(
        description="the reports the close issued: the annual report, and the term report "
                    "when the year is the term's last")

    @classmethod
    def of(cls, closed: Closed) -> CloseRead:
        return cls(fiscal_year=FiscalYearRead.of(closed.status), entry_id=closed.entry.id,
                   entry_hash=closed.entry.hash,
                   reports=[IssuedReportRead.of(r) for r in closed.reports])
