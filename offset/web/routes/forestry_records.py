"""The forestry office's records besides the work: certifications received and timber sold."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import RedirectResponse

from offset.access.model import RECORDERS
from offset.api.deps import Work
from offset.api.forestry_schemas import CertificationCreate, CertificationRead
from offset.api.routes.money import side_of
from offset.api.urban_schemas import TimberSaleCreate, TimberSaleRead
from offset.db.uow import UnitOfWork
from offset.forestry import certification
from offset.ledger.model import EntryKind
from offset.money import services as money
from offset.web.pages import (
    AgreementPage,
    AgreementVisit,
    Form,
    PageRoute,
    PageWords,
    Submitted,
    body_of,
    form_key,
    render,
    submit,
)
from offset.web.routes.forestry_common import (
    FiscalYearQuery,
    Office,
    Reader,
    StoredQuery,
    asked_year,
    chosen_year,
    entries_of,
    term_years,
)

router = APIRouter(route_class=PageRoute)

# Who records a certification comes from the one table the API reads too.
Certifier = Annotated[AgreementVisit, Depends(AgreementPage(
    *sorted(RECORDERS[EntryKind.CERTIFICATION])))]


def _page(request: Request, words: PageWords, visit: AgreementVisit, template: str, here: str,
          context: dict[str, object], status_code: int = 200) -> Response:
    return render(request, words, f"forestry/{template}", {
        "agreement": visit.agreement, "here": here, "key": form_key(),
        "years": term_years(visit.agreement),
        "year_options": [(str(y), words.fy(y)) for y in term_years(visit.agreement)],
        **context}, visitor=visit.visitor, status_code=status_code)


# Certifications.

def _certifications_page(request: Request, words: PageWords, visit: AgreementVisit, work: Work,
                         form: Form | None = None, status_code: int = 200,
                         done: str = "") -> Response:
    with work(read_only=True) as uow:
        listed = [CertificationRead.of(e)
                  for e in certification.certifications(uow, visit.agreement.id)]
        year = chosen_year(uow, visit.agreement, None)
    return _page(request, words, visit, "certifications.html", "certifications", {
        "certifications": listed, "form": form or Form({"fiscal_year": str(year)}),
        "can_write": visit.user.role in RECORDERS[EntryKind.CERTIFICATION], "done": done},
        status_code)


@router.get("/agreements/{agreement_id}/certifications")
def certification_list(request: Request, visit: Reader, words: PageWords, work: Work,
                       stored: StoredQuery = None) -> Response:
    """The certifications that stand, and the form that records one."""
    done = "" if stored is None else words(f"認証を仕訳 #{stored} として記録しました。",
                                           f"Stored as journal entry #{stored}.")
    return _certifications_page(request, words, visit, work, done=done)


@router.post("/agreements/{agreement_id}/certifications")
def certify(request: Request, visit: Certifier, values: Submitted, words: PageWords,
            work: Work) -> Response:
    def act(uow: UnitOfWork, body: CertificationCreate) -> CertificationRead:
        return CertificationRead.of(certification.certify(uow, visit.agreement,
                                                          body.certificate(), visit.user.name))
    stored, form, status = submit(request, work, visit, values,
                                  lambda: body_of(CertificationCreate, values), act,
                                  CertificationRead)
    if stored is None:
        return _certifications_page(request, words, visit, work, form, status)
    return RedirectResponse(f"/agreements/{visit.agreement.id}/certifications?stored="
                            f"{stored.entry.id}", status_code=303)


# Timber sales.

def _timber_page(request: Request, words: PageWords, visit: AgreementVisit, work: Work,
                 fy: int | None, form: Form | None = None, status_code: int = 200,
                 done: str = "") -> Response:
    with work(read_only=True) as uow:
        year = chosen_year(uow, visit.agreement, fy)
        sales = [TimberSaleRead.of(e)
                 for e in entries_of(uow, visit.agreement.id, year, EntryKind.TIMBER_SALE)]
    return _page(request, words, visit, "timber.html", "timber", {
        "year": year, "sales": sales, "form": form or Form({"fiscal_year": str(year)}),
        "can_write": visit.user.role.value == "forestry", "done": done}, status_code)


@router.get("/agreements/{agreement_id}/timber")
def timber_sales(request: Request, visit: Reader, words: PageWords, work: Work,
                 fy: FiscalYearQuery = None, stored: StoredQuery = None) -> Response:
    """The timber sales of one fiscal year, and the form that records one."""
    done = "" if stored is None else words(f"木材販売を仕訳 #{stored} として記録しました。",
                                           f"Stored as journal entry #{stored}.")
    return _timber_page(request, words, visit, work, fy, done=done)


@router.post("/agreements/{agreement_id}/timber")
def record_timber_sale(request: Request, visit: Office, values: Submitted, words: PageWords,
                       work: Work) -> Response:
    def act(uow: UnitOfWork, body: TimberSaleCreate) -> TimberSaleRead:
        return TimberSaleRead.of(money.record_timber_sale(
            uow, visit.agreement, body.sale(side_of(visit.user)), visit.user.name))
    stored, form, status = submit(request, work, visit, values,
                                  lambda: body_of(TimberSaleCreate, values), act,
                                  TimberSaleRead)
    if stored is None:
        fy = asked_year(values, visit.agreement)
        return _timber_page(request, words, visit, work, fy, form, status)
    return RedirectResponse(f"/agreements/{visit.agreement.id}/timber?fy={stored.fiscal_year}"
                            f"&stored={stored.entry.id}", status_code=303)
