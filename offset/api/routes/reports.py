"""/v1/agreements/{id}/reports/annual/{fy}.pdf|.xlsx and /reports/term/{n}.pdf|.xlsx: the
auditors' reports as PDF, and the same report data as an Excel workbook.

Every role that may see the agreement may download them; others get 404.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Response

from offset.agreements import services as agreements
from offset.api.bodies import JsonRoute
from offset.api.deps import AgreementId, AsOfQuery, CurrentUser, Work
from offset.api.files import attachment
from offset.fiscal import MAX_YEAR, MIN_YEAR
from reports import (
    XLSX_MEDIA_TYPE,
    ReportData,
    build_annual,
    build_term,
    render_pdf,
    render_xlsx,
    xlsx_filename,
)

router = APIRouter(prefix="/agreements/{agreement_id}/reports", tags=["reports"],
                   route_class=JsonRoute)

FiscalYearPath = Annotated[int, Path(ge=MIN_YEAR, le=MAX_YEAR, description="e.g. 2013")]
TermNumber = Annotated[int, Path(ge=1, le=1000, description="1 for the first term")]
PDF: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/pdf": {}}, "description": "The report (A4 PDF)"}}
XLSX: dict[int | str, dict[str, Any]] = {
    200: {"content": {XLSX_MEDIA_TYPE: {}}, "description": "The report's data (XLSX workbook)"}}


def _pdf(report: ReportData) -> Response:
    return attachment(render_pdf(report), "application/pdf", report.filename)


def _xlsx(report: ReportData) -> Response:
    return attachment(render_xlsx(report), XLSX_MEDIA_TYPE, xlsx_filename(report))


@router.get("/annual/{fiscal_year}.pdf", response_class=Response, responses=PDF)
def annual_report(agreement_id: AgreementId, fiscal_year: FiscalYearPath, user: CurrentUser,
                  work: Work, as_of: AsOfQuery) -> Response:
    """Return the annual report of one fiscal year, as of now or `as_of` (the PDF prints the
    head it was read at); 404 for a year outside the terms, 422 for an `as_of` past the
    head."""
    with work(read_only=True) as uow:
        agreement = agreements.visible_agreement(uow, user, agreement_id)
        report = build_annual(uow, agreement, fiscal_year, as_of=as_of,
                              prepared_by=user.name)
    return _pdf(report)


@router.get("/term/{term}.pdf", response_class=Response, responses=PDF)
def term_report(agreement_id: AgreementId, term: TermNumber, user: CurrentUser,
                work: Work, as_of: AsOfQuery) -> Response:
    """Return the report of one term, as of now or `as_of`; 404 for a term the agreement
    does not have, 422 for an `as_of` past the head."""
    with work(read_only=True) as uow:
        agreement = agreements.visible_agreement(uow, user, agreement_id)
        report = build_term(uow, agreement, term, as_of=as_of, prepared_by=user.name)
    return _pdf(report)


@router.get("/annual/{fiscal_year}.xlsx", response_class=Response, responses=XLSX)
def annual_workbook(agreement_id: AgreementId, fiscal_year: FiscalYearPath, user: CurrentUser,
                    work: Work, as_of: AsOfQuery) -> Response:
    """Return the annual report's data as an XLSX workbook (a sheet per section), as of now
    or `as_of`; the same errors as the PDF."""
    with work(read_only=True) as uow:
        agreement = agreements.visible_agreement(uow, user, agreement_id)
        report = build_annual(uow, agreement, fiscal_year, as_of=as_of,
                              prepared_by=user.name)
    return _xlsx(report)


@router.get("/term/{term}.xlsx", response_class=Response, responses=XLSX)
def term_workbook(agreement_id: AgreementId, term: TermNumber, user: CurrentUser,
                  work: Work, as_of: AsOfQuery) -> Response:
    """Return the term report's data as an XLSX workbook, as of now or `as_of`; the same
    errors as the PDF."""
    with work(read_only=True) as uow:
        agreement = agreements.visible_agreement(uow, user, agreement_id)
        report = build_term(uow, agreement, term, as_of=as_of, prepared_by=user.name)
    return _xlsx(report)
