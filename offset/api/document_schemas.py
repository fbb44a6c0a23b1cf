"""Bodies of the register of issued reports: a row as read, and a re-issue request."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import quote

from pydantic import BaseModel, Field

from offset.api.schemas import Create, Reason
from offset.documents.model import IssuedReport


class ReissueCreate(Create):
    reason: Reason = Field(description="why the report is issued again (再発行の理由)")


class IssuedReportRead(BaseModel):
    number: str = Field(description="the document number, e.g. 2014-新伊-001")
    agreement_id: int
    kind: str = Field(description="annual or term")
    fiscal_year: int = Field(description="the annual report's year; a term report's last year")
    term_number: int | None
    made_at_seq: int = Field(description="the entry count of the chain the report was made at")
    made_at_head: str = Field(description="the chain head hash the report was made at")
    generated_at: datetime = Field(description="when it was generated, in UTC")
    generated_at_jst: str = Field(description="the same time in Japan, as the PDF prints it")
    sha256: str = Field(description="SHA-256 (hex) of the PDF's bytes, as the chain records")
    issued_by: str
    entry_id: int = Field(description="the report-issue entry that records it in the chain")
    replaces: str | None = Field(description="the number this re-issue (再発行) replaces")
    reason: str | None = Field(description="why it was re-issued")
    replaced_by: str | None = Field(description="the number of the re-issue replacing it")
    pdf: str = Field(description="where to download the PDF")

    @classmethod
    def of(cls, report: IssuedReport) -> IssuedReportRead:
        return cls(
            number=report.number, agreement_id=report.agreement_id, kind=report.kind.value,
            fiscal_year=report.fiscal_year, term_number=report.term_number,
            made_at_seq=report.made_at_seq, made_at_head=report.made_at_head,
            generated_at=report.generated_at,
            generated_at_jst=report.generated_in_japan.strftime("%Y-%m-%d %H:%M:%S JST"),
            sha256=report.sha256, issued_by=report.issued_by, entry_id=report.entry_id,
            replaces=report.replaces, reason=report.reason, replaced_by=report.replaced_by,
            pdf=f"/v1/agreements/{report.agreement_id}/reports/{quote(report.number)}.pdf")
