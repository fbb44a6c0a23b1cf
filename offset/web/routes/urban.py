"""The environment division's pages: the dashboard per fiscal year and term, money, emissions and
retiring credits.

Every figure comes from the use cases the API's routes call: the netting summaries
(offset.netting.services, behind GET …/summary), the emission factors and the credits still
available by vintage (offset.emissions.services), the journal's pages (offset.ledger.services).
Forms are validated with the API's own schemas (offset.api.urban_schemas) and stored once
through offset.web.pages.store. Admin may read these pages; only the urban partner's
environment division records (access.RECORDERS).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, ValidationError

from offset.access.model import Role
from offset.agreements import services as agreements
from offset.agreements.model import Agreement, Side
from offset.api.deps import MAX_BIG_ID, Work
from offset.api.urban_schemas import (
    CostCreate,
    CostRead,
    EmissionCreate,
    EmissionRead,
    RetirementCreate,
    RetirementRead,
    SubsidyCreate,
    SubsidyRead,
)
from offset.closing import services as closing
from offset.db.uow import UnitOfWork
from offset.emissions import services as emissions
from offset.errors import OffsetError
from offset.fiscal import MAX_YEAR, MIN_YEAR, FiscalYear, today_in_japan
from offset.ledger import services as ledger
from offset.ledger.errors import PeriodClosed
from offset.ledger.model import EntryKind, JournalEntry
from offset.money import services as money
from offset.money.model import CostCategory, SubsidyScheme
from offset.netting import services as netting
from offset.netting.errors import CreditsInsufficient, EmissionsExceeded
from offset.netting.model import activity_of
from offset.netting.party import party_share
from offset.web.pages import (
    AgreementPage,
    AgreementVisit,
    Form,
    PageRoute,
    PageWords,
    Submitted,
    body_of,
    form_key,
    refusal_status,
    render,
    submit,
)
from offset.web.routes.urban_chart import netting_chart
from offset.web.routes.urban_forms import (
    chosen_year,
    form_year,
    page_of,
    stored_entry,
    year_summaries,
    years_of,
)
from offset.web.words import Words
from reports import ACTIVITIES, STATUSES

router = APIRouter(route_class=PageRoute)

Reader = Annotated[AgreementVisit, Depends(AgreementPage(Role.URBAN, Role.ADMIN))]
Recorder = Annotated[AgreementVisit, Depends(AgreementPage(Role.URBAN))]
FyQuery = Annotated[int | None, Query(ge=MIN_YEAR, le=MAX_YEAR)]
TermQuery = Annotated[int | None, Query(ge=1, le=1000)]
DoneQuery = Annotated[int | None, Query(ge=1, le=MAX_BIG_ID)]

# The dashboard.

@router.get("/agreements/{agreement_id}/dashboard")
def dashboard(request: Request, visit: Reader, words: PageWords, work: Work,
              fy: FyQuery = None, term: TermQuery = None) -> Response:
    agreement = visit.agreement
    with work(read_only=True) as uow:
        share = None
        if term is not None and fy is None:
            summary = netting.term_summary(uow, agreement, term)
            shown = next(t for t in agreement.terms if t.number == term)
        else:
            year = chosen_year(agreement, fy)
            summary = netting.fiscal_year_summary(uow, agreement, year)
            share = party_share(uow, agreement, year, summary.carbon)
            found = agreement.term_of(year)
            assert found is not None  # chosen_year keeps to the terms
            shown = found
        per_year = year_summaries(uow, agreement,
                                  list(range(shown.first_fy, shown.last_fy + 1)))
    return render(request, words, "urban/dashboard.html", {
        "agreement": agreement, "here": "dashboard", "summary": summary, "term": term,
        "share": share, "shown_term": shown, "per_year": per_year, "chart": netting_chart(per_year),
        "years": years_of(agreement), "activities": ACTIVITIES, "activity_of": activity_of},
        visitor=visit.visitor)


# Money.

COST_FIELDS = ("fiscal_year", "category", "amount", "incurred_on", "description", "bearer")
SUBSIDY_FIELDS = ("fiscal_year", "scheme", "name", "amount", "received_on")


def money_page(request: Request, visit: AgreementVisit, words: Words, work: Work, year: int,
               *, done: int | None = None, cost: Form | None = None,
               subsidy: Form | None = None, status_code: int = 200) -> Response:
    agreement = visit.agreement
    with work(read_only=True) as uow:
        summary = netting.fiscal_year_summary(uow, agreement, year)
        parties = {Side.URBAN.value: agreements.party(uow, agreement.urban_party_id),
                   Side.FOREST.value: agreements.party(uow, agreement.forest_party_id)}
        stored = (stored_entry(uow, agreement, done, EntryKind.COST)
                  or stored_entry(uow, agreement, done, EntryKind.SUBSIDY))
    return render(request, words, "urban/money.html", {
        "agreement": agreement, "here": "money", "summary": summary, "year": year,
        "years": years_of(agreement), "done": done_money(words, stored),
        "cost": cost or Form(), "subsidy": subsidy or Form(), "key": form_key(),
        "categories": list(CostCategory), "schemes": list(SubsidyScheme),
        "may_record": visit.user.role is Role.URBAN, "Side": Side, "parties": parties},
        visitor=visit.visitor, status_code=status_code)


def done_money(words: Words, stored: JournalEntry | None) -> str:
    if stored is None:
        return ""
    if stored.entry.kind is EntryKind.COST:
        cost = CostRead.of(stored)
        return words(f"仕訳 #{stored.id} を記録しました（{cost.category_ja} "
                     f"{int(cost.amount):,} 円）。",
                     f"Stored as journal entry #{stored.id} ({cost.category}, "
                     f"¥{int(cost.amount):,}).")
    subsidy = SubsidyRead.of(stored)
    return words(f"仕訳 #{stored.id} を記録しました（{subsidy.name} "
                 f"{int(subsidy.amount):,} 円）。",
                 f"Stored as journal entry #{stored.id} ({subsidy.name}, "
                 f"¥{int(subsidy.amount):,}).")


@router.get("/agreements/{agreement_id}/money")
def money_view(request: Request, visit: Reader, words: PageWords, work: Work,
          fy: FyQuery = None, done: DoneQuery = None) -> Response:
    return money_page(request, visit, words, work, chosen_year(visit.agreement, fy), done=done)


@router.post("/agreements/{agreement_id}/money/costs")
def record_cost(request: Request, visit: Recorder, words: PageWords, work: Work,
                values: Submitted) -> Response:
    agreement = visit.agreement

    def act(uow: UnitOfWork, body: BaseModel) -> CostRead:
        assert isinstance(body, CostCreate)
        if body.bearer is not None:
            visit.user.require_recorder(EntryKind.COST, {body.bearer})
        return CostRead.of(money.record_cost(
            uow, agreements.visible_agreement(uow, visit.user, agreement.id), body.cost(),
            visit.user.name))
    stored, form, status = submit(request, work, visit, values,
                                  lambda: body_of(CostCreate, values, COST_FIELDS), act, CostRead)
    if stored is None:
        return money_page(request, visit, words, work, form_year(values, agreement), cost=form,
                          status_code=status)
    return RedirectResponse(page_of(agreement, "money", fy=stored.fiscal_year,
                                    done=stored.entry.id), status_code=303)


@router.post("/agreements/{agreement_id}/money/subsidies")
def record_subsidy(request: Request, visit: Recorder, words: PageWords, work: Work,
                   values: Submitted) -> Response:
    agreement = visit.agreement

    def act(uow: UnitOfWork, body: BaseModel) -> SubsidyRead:
        assert isinstance(body, SubsidyCreate)
        return SubsidyRead.of(money.record_subsidy(
            uow, agreements.visible_agreement(uow, visit.user, agreement.id),
            body.subsidy(Side.URBAN), visit.user.name))
    stored, form, status = submit(request, work, visit, values,
                                  lambda: body_of(SubsidyCreate, values, SUBSIDY_FIELDS), act,
                                  SubsidyRead)
    if stored is None:
        return money_page(request, visit, words, work, form_year(values, agreement),
                          subsidy=form, status_code=status)
    return RedirectResponse(page_of(agreement, "money", fy=stored.fiscal_year,
                                    done=stored.entry.id), status_code=303)


# Emissions.

EMISSION_FIELDS = ("fiscal_year", "activity_type", "activity", "factor_set", "source")


def emissions_of(uow: UnitOfWork, agreement: Agreement, year: int) -> list[EmissionRead]:
    """Return the year's emission entries not reversed, page by page of the journal."""
    found: list[EmissionRead] = []
    after = 0
    while True:
        page = ledger.journal_page(uow, agreement.id, fiscal_year=year, after_seq=after,
                                   limit=500)
        found += [EmissionRead.of(e) for e in page.entries
                  if e.entry.kind is EntryKind.EMISSION and e.id not in page.reversed_by]
        if page.next_after_seq is None:
            return found
        after = page.next_after_seq


def emissions_page(request: Request, visit: AgreementVisit, words: Words, work: Work,
                   year: int, *, done: int | None = None, form: Form | None = None,
                   status_code: int = 200) -> Response:
    agreement = visit.agreement
    with work(read_only=True) as uow:
        recorded = emissions_of(uow, agreement, year)
        factors = emissions.factors(uow)
        summary = netting.fiscal_year_summary(uow, agreement, year)
        stored = stored_entry(uow, agreement, done, EntryKind.EMISSION)
        status = closing.year_status(uow, agreement, year)
    message = "" if stored is None else words(
        f"仕訳 #{stored.id} を記録しました（{stored.entry.details['activity']} → "
        f"{stored.entry.details['tonnes']} t-CO2）。",
        f"Stored as journal entry #{stored.id} ({stored.entry.details['activity']} → "
        f"{stored.entry.details['tonnes']} t-CO2).")
    return render(request, words, "urban/emissions.html", {
        "agreement": agreement, "here": "emissions", "year": year, "years": years_of(agreement),
        "recorded": recorded, "factors": factors, "summary": summary, "status": status,
        "sets": sorted({f.set_id for f in factors}),
        "activities_loaded": sorted({f.activity for f in factors}), "activities": ACTIVITIES,
        "statuses": STATUSES, "decimal": Decimal,
        "done": message, "form": form or Form(), "key": form_key(),
        "may_record": visit.user.role is Role.URBAN}, visitor=visit.visitor,
        status_code=status_code)


@router.get("/agreements/{agreement_id}/emissions")
def emissions_list(request: Request, visit: Reader, words: PageWords, work: Work,
                   fy: FyQuery = None, done: DoneQuery = None) -> Response:
    return emissions_page(request, visit, words, work, chosen_year(visit.agreement, fy),
                          done=done)


@router.post("/agreements/{agreement_id}/emissions")
def record_emission(request: Request, visit: Recorder, words: PageWords, work: Work,
                    values: Submitted) -> Response:
    agreement = visit.agreement

    def act(uow: UnitOfWork, body: BaseModel) -> EmissionRead:
        assert isinstance(body, EmissionCreate)
        return EmissionRead.of(emissions.record_emission(
            uow, agreements.visible_agreement(uow, visit.user, agreement.id), body.emission(),
            visit.user.name))
    stored, form, status = submit(request, work, visit, values,
                                  lambda: body_of(EmissionCreate, values, EMISSION_FIELDS), act,
                                  EmissionRead)
    if stored is None:
        return emissions_page(request, visit, words, work, form_year(values, agreement),
                              form=form, status_code=status)
    return RedirectResponse(page_of(agreement, "emissions", fy=stored.fiscal_year,
                                    done=stored.entry.id), status_code=303)


# Retiring credits.

RETIRE_FIELDS = ("fiscal_year", "quantity", "beneficiary", "purpose", "retired_on", "vintage")


def retire_page(request: Request, visit: AgreementVisit, words: Words, work: Work, year: int,
                *, done: int | None = None, form: Form | None = None,
                plan: emissions.RetirementPlan | None = None,
                status_code: int = 200) -> Response:
    agreement = visit.agreement
    with work(read_only=True) as uow:
        summary = netting.fiscal_year_summary(uow, agreement, year)
        # The vintages that may offset FY `year`: certified for it or before.
        by_vintage = [credits for credits in emissions.credits_by_vintage(uow, agreement.id)
                      if credits.vintage <= year]
        stored = stored_entry(uow, agreement, done, EntryKind.RETIREMENT)
        status = closing.year_status(uow, agreement, year)
        urban = agreements.party(uow, agreement.urban_party_id)
    fiscal = FiscalYear(year)
    window_end = fiscal.settlement_ends_on(agreement.closing.settlement_ends)
    today = today_in_japan()
    return render(request, words, "urban/retire.html", {
        "agreement": agreement, "here": "retire", "year": year, "years": years_of(agreement),
        "summary": summary, "vintages": by_vintage, "status": status, "plan": plan,
        "retired": None if stored is None else RetirementRead.of(stored),
        "done": "" if stored is None else words(
            f"仕訳 #{stored.id} を記録しました（{words.fy(stored.entry.fiscal_year)}の排出量に対し "
            f"{stored.entry.details['tonnes']} t-CO2 を無効化）。",
            f"Stored as journal entry #{stored.id} ({stored.entry.details['tonnes']} t-CO2 "
            f"retired against {words.fy(stored.entry.fiscal_year)}'s emissions)."),
        "form": form or Form(), "key": form_key(), "window": (fiscal.start, window_end),
        "default_date": today if fiscal.start <= today <= window_end else fiscal.end,
        "beneficiary": words(urban.name_ja, urban.name_en),
        "may_record": visit.user.role is Role.URBAN}, visitor=visit.visitor,
        status_code=status_code)


@router.get("/agreements/{agreement_id}/retire")
def retire(request: Request, visit: Reader, words: PageWords, work: Work,
           fy: FyQuery = None, done: DoneQuery = None) -> Response:
    return retire_page(request, visit, words, work, chosen_year(visit.agreement, fy),
                       done=done)


def in_words(words: Words, error: Exception, form: Form) -> Form:
    """Return the refused retirement form saying the conflicts people meet in their
    language (the API's own detail stays behind, in English)."""
    if isinstance(error, CreditsInsufficient):
        form.errors["quantity"] = words(
            f"{words.fy(error.fiscal_year)}に使える認証クレジットは {error.available:,} t-CO2 "
            f"です（{error.requested:,} t-CO2 を指定）。", error.detail)
    elif isinstance(error, EmissionsExceeded):
        form.errors["quantity"] = words(
            f"{words.fy(error.fiscal_year)}の未相殺の排出量は {error.unoffset:,} t-CO2 です"
            f"（{error.requested:,} t-CO2 を指定）。", error.detail)
    elif isinstance(error, PeriodClosed):
        form.errors["fiscal_year"] = words(
            f"{words.fy(error.fiscal_year)}は締め済みです（{words.fy(error.closed_through)}"
            "まで締め済み）。締め済みの年度には記録できません。", error.detail)
    return form


T_CO2 = " t_CO2"


def with_unit(values: Mapping[str, str]) -> dict[str, str]:
    """Return the values with a plain number of tonnes given its unit, as the API takes it
    ("40" → "40 t_CO2"); text with a unit of its own is left as typed."""
    quantity = values.get("quantity", "").strip()
    plain = quantity.replace(".", "", 1).isdigit()
    return {**values, "quantity": quantity + T_CO2 if plain else quantity}


@router.post("/agreements/{agreement_id}/retire/preview")
def preview_retirement(request: Request, visit: Recorder, words: PageWords, work: Work,
                       values: Submitted) -> Response:
    """What the retirement typed would draw from each vintage and leave, storing nothing; the
    form comes back filled in, to be sent as it is or changed."""
    agreement = visit.agreement
    year = form_year(values, agreement)
    try:
        body = body_of(RetirementCreate, with_unit(values), RETIRE_FIELDS)
        with work(read_only=True) as uow:
            plan = emissions.plan_retirement(uow, agreement, body.retirement())
    except (ValidationError, OffsetError) as error:
        form = in_words(words, error, Form.refused(values, error))
        return retire_page(request, visit, words, work, year, form=form,
                           status_code=refusal_status(error))
    return retire_page(request, visit, words, work, plan.fiscal_year, plan=plan,
                       form=Form({k: v for k, v in values.items() if k != "csrf"}))


@router.post("/agreements/{agreement_id}/retire")
def record_retirement(request: Request, visit: Recorder, words: PageWords, work: Work,
                      values: Submitted) -> Response:
    agreement = visit.agreement

    def act(uow: UnitOfWork, body: BaseModel) -> RetirementRead:
        assert isinstance(body, RetirementCreate)
        return RetirementRead.of(emissions.retire(
            uow, agreements.visible_agreement(uow, visit.user, agreement.id), body.retirement(),
            visit.user.name))
    stored, form, status = submit(
        request, work, visit, values,
        lambda: body_of(RetirementCreate, with_unit(values), RETIRE_FIELDS), act,
        RetirementRead, explain=lambda error, form: in_words(words, error, form))
    if stored is None:
        return retire_page(request, visit, words, work, form_year(values, agreement),
                           form=form, status_code=status)
    return RedirectResponse(page_of(agreement, "retire", fy=stored.fiscal_year,
                                    done=stored.entry.id), status_code=303)
