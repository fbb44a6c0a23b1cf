"""The forestry office's pages: the agreement's home, stands, the thinning log, imports,
certifications and timber sales.

Every figure comes from a use case (the report data of the year and of its term, the
API's read schemas); the routes only choose what to show. Forms are validated with the
API's own schemas and stored once through their idempotency key.
"""
from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse

from offset.agreements.model import Agreement
from offset.api.deps import StandId, Work
from offset.api.forestry_schemas import (
    EstimateRead,
    LoggedThinningRead,
    StandCreate,
    StandRead,
    StandVersionCreate,
    ThinningCreate,
    ThinningRead,
)
from offset.db.uow import UnitOfWork
from offset.errors import NotFound
from offset.fiscal import FiscalYear, today_in_japan
from offset.forestry import certification, reference, stands, thinnings
from offset.forestry.absorption import credited_years
from offset.forestry.model import Stand
from offset.forestry.parameters import ParameterSet
from offset.ledger import services as ledger
from offset.ledger.model import EntryKind
from offset.web.pages import (
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
from offset.web.routes import forestry_imports, forestry_records
from offset.web.routes.forestry_common import (
    FiscalYearQuery,
    Office,
    Reader,
    StoredQuery,
    asked_year,
    chosen_year,
    entries_of,
    estimates_by_thinning,
    term_years,
)
from reports import build_annual

router = APIRouter(route_class=PageRoute)
router.include_router(forestry_imports.router)
router.include_router(forestry_records.router)



def _page(request: Request, words: PageWords, visit: AgreementVisit, template: str, here: str,
          context: dict[str, object], status_code: int = 200) -> Response:
    return render(request, words, f"forestry/{template}", {
        "agreement": visit.agreement, "here": here, "key": form_key(),
        "can_write": visit.user.role.value == "forestry", "years": term_years(visit.agreement),
        "year_options": [(str(y), words.fy(y)) for y in term_years(visit.agreement)],
        **context}, visitor=visit.visitor, status_code=status_code)


# The agreement's home.

@router.get("/agreements/{agreement_id}/forest")
def forest_home(request: Request, visit: Reader, words: PageWords, work: Work,
                fy: FiscalYearQuery = None) -> Response:
    """This year's thinned area against the target, its estimates, and the years of the term
    still awaiting certification."""
    agreement = visit.agreement
    with work(read_only=True) as uow:
        year = chosen_year(uow, agreement, fy)
        report = build_annual(uow, agreement, year, prepared_by=visit.user.name)
        certified = {e.entry.fiscal_year: e.id
                     for e in certification.certifications(uow, agreement.id)}
        closed = ledger.head_as_of(uow, agreement.id).closed(year)
    term = agreement.term_of(year)
    assert term is not None  # chosen_year keeps to the terms
    begun = FiscalYear.of(today_in_japan()).year
    # The year's figures as its annual report states them; the years of the term that have
    # begun with no certification recorded are the ones awaiting one.
    facts = {(s.key, f.key): f.value for s in report.sections for f in s.facts}
    return _page(request, words, visit, "forest.html", "forest", {
        "year": year, "term": term, "target": agreement.annual_target_ha,
        "area": facts[("thinning", "area_ha")], "count": facts[("thinning", "count")],
        "area_to_date": facts[("thinning", "area_to_date")],
        "posted": facts[("absorption", "posted")],
        "certified": facts[("certification", "certified")], "entry_id": certified.get(year),
        "awaiting": [y for y in range(term.first_fy, min(term.last_fy, begun) + 1)
                     if y not in certified],
        "closed": closed})


# Stands.

def _stand_of(uow: UnitOfWork, agreement: Agreement, stand_id: int,
              version: int | None = None) -> Stand:
    """Return the stand if it is the agreement's forest party's; otherwise NotFound."""
    stand = stands.stand(uow, stand_id, version)
    if stand.forest_party_id != agreement.forest_party_id:
        raise NotFound(f"stand {stand_id} does not exist", field="stand_id")
    return stand


def _stands_page(request: Request, words: PageWords, visit: AgreementVisit, work: Work,
                 form: Form | None = None, status_code: int = 200) -> Response:
    with work(read_only=True) as uow:
        parameters = reference.current_parameter_set(uow)
        listed = [StandRead.of(s, parameters)
                  for s in stands.party_stands(uow, visit.agreement.forest_party_id)]
    return _page(request, words, visit, "stands.html", "stands", {
        "stands": listed, "species": _species(parameters), "form": form or Form()},
        status_code)


def _species(parameters: ParameterSet) -> list[tuple[str, str]]:
    return [(code, f"{s.name_ja} / {s.name_en} ({code})")
            for code, s in sorted(parameters.species.items())]


@router.get("/agreements/{agreement_id}/stands")
def stand_list(request: Request, visit: Reader, words: PageWords, work: Work) -> Response:
    """The forest party's stands, and the form that registers one."""
    return _stands_page(request, words, visit, work)


@router.post("/agreements/{agreement_id}/stands")
def register_stand(request: Request, visit: Office, values: Submitted, words: PageWords,
                   work: Work) -> Response:
    def act(uow: UnitOfWork, body: StandCreate) -> StandRead:
        stand = stands.register_stand(uow, visit.agreement.forest_party_id, body.input(),
                                      visit.user.name)
        return StandRead.of(stand, reference.current_parameter_set(uow))
    stored, form, status = submit(request, work, visit, values,
                                  lambda: body_of(StandCreate, values), act, StandRead)
    if stored is None:
        return _stands_page(request, words, visit, work, form, status)
    return RedirectResponse(f"/agreements/{visit.agreement.id}/stands/{stored.id}?stored="
                            f"{stored.version}", status_code=303)


def _stand_page(request: Request, words: PageWords, visit: AgreementVisit, work: Work,
                stand_id: int, form: Form | None = None, status_code: int = 200,
                done: str = "") -> Response:
    with work(read_only=True) as uow:
        parameters = reference.current_parameter_set(uow)
        latest = _stand_of(uow, visit.agreement, stand_id)
        versions = [StandRead.of(stands.stand(uow, stand_id, number), parameters)
                    for number in range(1, latest.version + 1)]
        enrollments = stands.stand_enrollments(uow, stand_id)
    current = versions[-1]
    if form is None:
        form = Form({"area": f"{current.area} {current.area_unit}", "species": current.species,
                     "planting_year": str(current.planting_year),
                     "site_class": "" if current.site_class is None else str(current.site_class),
                     "measured_growth": "" if current.measured_growth is None
                     else f"{current.measured_growth} m**3/ha/year"})
    return _page(request, words, visit, "stand.html", "stands", {
        "stand": current, "versions": versions, "species": _species(parameters),
        "enrollments": enrollments, "form": form, "done": done}, status_code)


@router.get("/agreements/{agreement_id}/stands/{stand_id}")
def stand_page(request: Request, stand_id: StandId, visit: Reader, words: PageWords,
               work: Work, stored: StoredQuery = None) -> Response:
    """A stand with every version recorded, and the form that records the next one."""
    done = "" if stored is None else words(
        f"林分 #{stand_id} の版 {stored} を記録しました。",
        f"Stored as version {stored} of stand #{stand_id}.")
    return _stand_page(request, words, visit, work, stand_id, done=done)


@router.post("/agreements/{agreement_id}/stands/{stand_id}/versions")
def revise_stand(request: Request, stand_id: StandId, visit: Office, values: Submitted,
                 words: PageWords, work: Work) -> Response:
    def act(uow: UnitOfWork, body: StandVersionCreate) -> StandRead:
        stand = _stand_of(uow, visit.agreement, stand_id)
        revised = stands.revise_stand(uow, stand, body.version(), visit.user.name)
        return StandRead.of(revised, reference.current_parameter_set(uow))
    stored, form, status = submit(request, work, visit, values,
                                  lambda: body_of(StandVersionCreate, values), act,
                                  StandRead)
    if stored is None:
        return _stand_page(request, words, visit, work, stand_id, form, status)
    return RedirectResponse(f"/agreements/{visit.agreement.id}/stands/{stand_id}?stored="
                            f"{stored.version}", status_code=303)


# The thinning log.

def _thinnings_page(request: Request, words: PageWords, visit: AgreementVisit, work: Work,
                    fy: int | None, logged: int | None = None, form: Form | None = None,
                    status_code: int = 200) -> Response:
    agreement = visit.agreement
    with work(read_only=True) as uow:
        year = chosen_year(uow, agreement, fy)
        parameters = reference.current_parameter_set(uow)
        party = {s.id: StandRead.of(s, parameters)
                 for s in stands.party_stands(uow, agreement.forest_party_id)}
        every = {t.id: t for t in thinnings.agreement_thinnings(uow, agreement.id)}
        estimates = estimates_by_thinning(entries_of(uow, agreement.id, year, EntryKind.ESTIMATE))
        shown = every.get(logged) if logged is not None else None
        posted = [] if shown is None else [
            e for y in credited_years(shown, agreement)
            for e in estimates_by_thinning(entries_of(uow, agreement.id, y,
                                                      EntryKind.ESTIMATE)).get(shown.id, [])]
    works = [ThinningRead.of(t) for t in every.values() if t.fiscal_year == year]
    earlier = [(ThinningRead.of(every[i]), found) for i, found in estimates.items()
               if i in every and every[i].fiscal_year != year]
    return _page(request, words, visit, "thinnings.html", "thinnings", {
        "year": year, "works": works, "stands": party, "estimates": estimates,
        "earlier": earlier, "logged": None if shown is None else ThinningRead.of(shown),
        "posted": posted, "form": form or Form({"fiscal_year": str(year)}),
        "done": "" if shown is None else _logged_message(words, shown.id, posted),
        "stand_options": [("", words("林分を選ぶ", "Choose a stand")), *(
            (str(i), f"{s.site} {s.compartment}-{s.stand_number} ({s.area} ha, #{i})")
            for i, s in party.items())],
        }, status_code)


def _logged_message(words: PageWords, thinning_id: int, posted: list[EstimateRead]) -> str:
    entries = ", ".join(f"#{e.entry_id}" for e in posted)
    if not posted:
        return words(f"間伐 #{thinning_id} を記録しました（推計の計上はありません）。",
                     f"Stored as thinning #{thinning_id}; no estimate was posted.")
    return words(f"間伐 #{thinning_id} を記録し、推計を仕訳 {entries} として計上しました。",
                 f"Stored as thinning #{thinning_id}; estimates posted as journal entry "
                 f"{entries}.")


@router.get("/agreements/{agreement_id}/thinnings")
def thinning_log(request: Request, visit: Reader, words: PageWords, work: Work,
                 fy: FiscalYearQuery = None, logged: StoredQuery = None) -> Response:
    """The thinning work of one fiscal year with the estimates posted into it."""
    return _thinnings_page(request, words, visit, work, fy, logged)


@router.post("/agreements/{agreement_id}/thinnings")
def log_thinning(request: Request, visit: Office, values: Submitted, words: PageWords,
                 work: Work) -> Response:
    def act(uow: UnitOfWork, body: ThinningCreate) -> LoggedThinningRead:
        return LoggedThinningRead.of(thinnings.log_thinning(uow, visit.agreement, body.input(),
                                                            visit.user.name))
    stored, form, status = submit(request, work, visit, values,
                                  lambda: body_of(ThinningCreate, values), act,
                                  LoggedThinningRead)
    if stored is None:
        fy = asked_year(values, visit.agreement)
        return _thinnings_page(request, words, visit, work, fy, form=form, status_code=status)
    return RedirectResponse(f"/agreements/{visit.agreement.id}/thinnings?fy="
                            f"{stored.thinning.fiscal_year}&logged={stored.thinning.id}",
                            status_code=303)
