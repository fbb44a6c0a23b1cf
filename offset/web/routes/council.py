"""The national council's page (連携推進協議会): every partnership of a fiscal year, with
totals and a chart by prefecture, as `GET /v1/council/overview` and `offset council
overview` give them. The council and administrators see it; the agreements' own pages are
the auditor's read-only ones (the council reads every agreement)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from offset.access.model import Role
from offset.api.deps import Now, Work
from offset.council import services as council
from offset.fiscal import MAX_YEAR, MIN_YEAR, today_in_japan
from offset.web.pages import LoggedIn, PageRoute, PageWords, Visitor, render
from offset.web.routes.council_chart import prefecture_chart
from reports import XLSX_MEDIA_TYPE, national_filename, render_national_pdf, render_national_xlsx

router = APIRouter(route_class=PageRoute)


def council_member(visitor: LoggedIn) -> Visitor:
    """Return the visitor if they are the council or an administrator. Raises Forbidden."""
    visitor.user.require(Role.COUNCIL, Role.ADMIN)
    return visitor


CouncilVisitor = Annotated[Visitor, Depends(council_member)]
FiscalYearQuery = Annotated[int | None, Query(ge=MIN_YEAR, le=MAX_YEAR)]


@router.get("/council")
def overview(request: Request, visitor: CouncilVisitor, words: PageWords, work: Work,
             moment: Now, fy: FiscalYearQuery = None) -> Response:
    today = today_in_japan(moment)
    with work(read_only=True) as uow:
        years = council.fiscal_years(uow)
        year = fy if fy is not None else council.year_to_show(years, today)
        found = None if year is None else council.overview(uow, year, today)
    return render(request, words, "council/overview.html", {
        "years": years, "year": year, "overview": found,
        "chart": None if found is None else prefecture_chart(found)}, visitor=visitor)


@router.get("/council/reports/{fiscal_year}.{suffix}")
def national_report(visitor: CouncilVisitor, work: Work, moment: Now,
                    fiscal_year: Annotated[int, Path(ge=MIN_YEAR, le=MAX_YEAR)],
                    suffix: Annotated[str, Path(pattern="^(pdf|xlsx)$")]) -> Response:
    """The national report of the year, as the API gives it (standings read for today)."""
    with work(read_only=True) as uow:
        found = council.overview(uow, fiscal_year, today_in_japan(moment))
    pdf = suffix == "pdf"
    body = (render_national_pdf if pdf else render_national_xlsx)(found, moment)
    return Response(body, media_type="application/pdf" if pdf else XLSX_MEDIA_TYPE,
                    headers={"Content-Disposition":
                             f'attachment; filename="{national_filename(found, suffix)}"'})
