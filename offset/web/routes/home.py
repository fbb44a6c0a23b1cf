"""The first page after logging in (the agreements this person may see), and an agreement's
own address, which opens the first page of the visitor's role."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import RedirectResponse

from offset.access.model import Role
from offset.agreements import services as agreements
from offset.api.deps import Work
from offset.web.pages import AgreementPage, AgreementVisit, LoggedIn, PageRoute, PageWords, render

router = APIRouter(route_class=PageRoute)

# The council reads an agreement as an auditor does: its reports, journal and exports.
FIRST_PAGE = {Role.FORESTRY: "forest", Role.URBAN: "dashboard", Role.AUDITOR: "audit",
              Role.COUNCIL: "audit"}

AnyRole = Annotated[AgreementVisit, Depends(AgreementPage(*Role))]


@router.get("/")
def home(request: Request, visitor: LoggedIn, words: PageWords, work: Work) -> Response:
    with work(read_only=True) as uow:
        visible = agreements.visible_agreements(uow, visitor.user)
        parties = {party.id: party for party in agreements.parties(uow)}
    return render(request, words, "home.html", {"agreements": visible, "parties": parties},
                  visitor=visitor)


@router.get("/agreements/{agreement_id}")
def agreement_home(visit: AnyRole) -> Response:
    page = FIRST_PAGE.get(visit.user.role)
    target = (f"/agreements/{visit.agreement.id}/{page}" if page
              else f"/admin/agreements/{visit.agreement.id}")
    return RedirectResponse(target, status_code=303)
