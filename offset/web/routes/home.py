"""The first page after logging in: the agreements this person may see, by role."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from offset.agreements import services as agreements
from offset.api.deps import Work
from offset.web.pages import LoggedIn, PageRoute, PageWords, render

router = APIRouter(route_class=PageRoute)


@router.get("/")
def home(request: Request, visitor: LoggedIn, words: PageWords, work: Work) -> Response:
    with work(read_only=True) as uow:
        visible = agreements.visible_agreements(uow, visitor.user)
        parties = {party.id: party for party in agreements.parties(uow)}
    return render(request, words, "home.html", {"agreements": visible, "parties": parties},
                  visitor=visitor)
