"""The administrator's pages: parties, agreements and terms, users, reference data.

Every page is for the admin role alone (403 for anyone else). Parties, agreements and terms
are written as the API writes them (the same use cases and schemas, once per form key).
A user's first token and a one-time password link are secrets: they are shown once, in the
answer to the form that made them, never stored (only their hashes are), never put in a URL
or a redirect; so those forms, like the API's token route, take no idempotency key.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import RedirectResponse
from pydantic import Field, ValidationError

from offset.access import services as access
from offset.access.model import Role
from offset.agreements import services as agreements
from offset.agreements.model import AbsorptionMethod
from offset.api.access_schemas import TokenIssuedRead
from offset.api.deps import MAX_ID, AgreementId, Work
from offset.api.idempotency import writing
from offset.api.problems import status_of
from offset.api.schemas import (
    AgreementCreate,
    AgreementRead,
    Create,
    Line,
    Name,
    PartyCreate,
    PartyRead,
    TermCreate,
)
from offset.api.urban_schemas import FactorRead
from offset.emissions import services as emissions
from offset.errors import InvalidInput, NotFound, OffsetError
from offset.forestry import reference
from offset.forestry.absorption import METHOD_VERSION
from offset.settings import settings
from offset.web.pages import (
    Form,
    LoggedIn,
    PageRoute,
    PageWords,
    Submitted,
    Visitor,
    form_key,
    render,
    store,
)
from offset.web.words import Words

router = APIRouter(route_class=PageRoute, prefix="/admin")


def administrator(visitor: LoggedIn) -> Visitor:
    """Return the visitor if they are an administrator. Raises Forbidden (a 403 page)."""
    visitor.user.require(Role.ADMIN)
    return visitor


AdminVisitor = Annotated[Visitor, Depends(administrator)]
StoredId = Annotated[int | None, Query(ge=1, le=MAX_ID)]
UserName = Annotated[str, Query(min_length=1, max_length=100)]

NO_STORE = {"Cache-Control": "no-store"}  # a page showing a secret stays out of every cache


def page(request: Request, words: Words, visitor: Visitor, template: str,
         context: Mapping[str, Any], status_code: int = 200) -> Response:
    return render(request, words, f"admin/{template}", {"key": form_key(), **context},
                  visitor=visitor, status_code=status_code)


def refusal(values: Mapping[str, str], error: Exception) -> tuple[Form, int]:
    """Return the form refused, its values kept, and the status to answer with."""
    status = status_of(error) if isinstance(error, OffsetError) else 422
    return Form.refused(values, error), status


# --- overview --------------------------------------------------------------------------------

@router.get("")
def overview(request: Request, visitor: AdminVisitor, words: PageWords, work: Work) -> Response:
    with work(read_only=True) as uow:
        context = {"parties": agreements.parties(uow),
                   "agreements": agreements.all_agreements(uow),
                   "accounts": access.accounts(uow),
                   "factors": emissions.factors(uow)}
    return page(request, words, visitor, "overview.html", {"here": "overview", **context})


# --- parties ---------------------------------------------------------------------------------

def parties_page(request: Request, words: Words, visitor: Visitor, work: Work, form: Form,
                 done: str = "", status_code: int = 200) -> Response:
    with work(read_only=True) as uow:
        listed = [PartyRead.of(party) for party in agreements.parties(uow)]
    return page(request, words, visitor, "parties.html", {
        "here": "parties", "parties": listed, "form": form, "done": done},
        status_code=status_code)


@router.get("/parties")
def parties(request: Request, visitor: AdminVisitor, words: PageWords, work: Work,
            stored: StoredId = None) -> Response:
    done = ""
    if stored is not None:
        with work(read_only=True) as uow:
            party = agreements.party(uow, stored)
        done = words(f"団体 #{party.id}「{party.name_ja}」（{party.code}）を登録しました。",
                     f"Stored party #{party.id}, {party.name_en} ({party.code}).")
    return parties_page(request, words, visitor, work, Form(), done)


@router.post("/parties")
def create_party(request: Request, visitor: AdminVisitor, words: PageWords, work: Work,
                 values: Submitted) -> Response:
    try:
        body = PartyCreate.model_validate({name: values.get(name, "") for name in (
            "code", "name_ja", "name_en", "section_ja", "section_en")})
        stored = store(request, work, visitor, values, body, lambda uow: PartyRead.of(
            agreements.create_party(uow, body.code, body.name_ja, body.name_en,
                                    section_ja=body.section_ja, section_en=body.section_en)),
            PartyRead)
    except (ValidationError, OffsetError) as error:
        form, status = refusal(values, error)
        return parties_page(request, words, visitor, work, form, status_code=status)
    return RedirectResponse(f"/admin/parties?stored={stored.id}", status_code=303)


# --- agreements ------------------------------------------------------------------------------

def agreement_body(values: Mapping[str, str]) -> AgreementCreate:
    """Return the agreement the form describes (one term; renewals add the next ones).
    Raises ValidationError."""
    rate = values.get("per_area_rate", "").strip()
    return AgreementCreate.model_validate({
        **{name: values.get(name, "") for name in (
            "title_ja", "title_en", "urban_party_id", "forest_party_id", "signed_on",
            "annual_target", "crediting_window", "absorption_method")},
        "per_area_rate": rate or None,
        "cost_sharing": {"urban_percent": values.get("urban_percent", "").strip() or "100"},
        "terms": [{"first_fy": values.get("first_fy", ""), "last_fy": values.get("last_fy", "")}],
    })


def on_first_term(form: Form) -> Form:
    """Place an error about the form's one term ("terms", "terms.0") beside its first year."""
    for name in ("0", "terms"):
        if name in form.errors:
            form.errors.setdefault("first_fy", form.errors.pop(name))
            form.message = ""
    return form


def agreements_page(request: Request, words: Words, visitor: Visitor, work: Work, form: Form,
                    status_code: int = 200) -> Response:
    with work(read_only=True) as uow:
        listed = agreements.all_agreements(uow)
        by_id = {party.id: party for party in agreements.parties(uow)}
    return page(request, words, visitor, "agreements.html", {
        "here": "agreements", "agreements": listed, "parties": by_id, "form": form,
        "methods": list(AbsorptionMethod)}, status_code=status_code)


@router.get("/agreements")
def agreements_list(request: Request, visitor: AdminVisitor, words: PageWords,
                    work: Work) -> Response:
    return agreements_page(request, words, visitor, work, Form())


@router.post("/agreements")
def create_agreement(request: Request, visitor: AdminVisitor, words: PageWords, work: Work,
                     values: Submitted) -> Response:
    try:
        body = agreement_body(values)
        stored = store(request, work, visitor, values, body, lambda uow: AgreementRead.of(
            agreements.create_agreement(uow, body.draft())), AgreementRead)
    except (ValidationError, OffsetError) as error:
        form, status = refusal(values, error)
        return agreements_page(request, words, visitor, work, on_first_term(form),
                               status_code=status)
    return RedirectResponse(f"/admin/agreements/{stored.id}?stored=agreement", status_code=303)


def agreement_page(request: Request, words: Words, visitor: Visitor, work: Work,
                   agreement_id: int, form: Form, done: str = "",
                   status_code: int = 200) -> Response:
    with work(read_only=True) as uow:
        agreement = agreements.visible_agreement(uow, visitor.user, agreement_id)
        by_id = {party.id: party for party in agreements.parties(uow)}
        accounts = [account for account in access.accounts(uow)
                    if account.user.role is not Role.ADMIN and account.user.can_see(agreement)]
    return page(request, words, visitor, "agreement.html", {
        "here": "agreements", "agreement": agreement, "shown": AgreementRead.of(agreement),
        "parties": by_id, "accounts": accounts, "form": form, "done": done},
        status_code=status_code)


Stored = Annotated[str | None, Query(pattern="^(agreement|term)$")]


@router.get("/agreements/{agreement_id}")
def agreement(request: Request, agreement_id: AgreementId, visitor: AdminVisitor,
              words: PageWords, work: Work, stored: Stored = None) -> Response:
    done = ""
    if stored == "agreement":
        done = words(f"協定 #{agreement_id} を登録し、その仕訳帳を開きました。",
                     f"Stored agreement #{agreement_id} and opened its journal.")
    elif stored == "term":
        done = words(f"協定 #{agreement_id} に新しい期を加えました。",
                     f"Added a new term to agreement #{agreement_id}.")
    return agreement_page(request, words, visitor, work, agreement_id, Form(), done)


@router.post("/agreements/{agreement_id}/terms")
def renew(request: Request, agreement_id: AgreementId, visitor: AdminVisitor,
          words: PageWords, work: Work, values: Submitted) -> Response:
    user = visitor.user
    try:
        body = TermCreate.model_validate({"first_fy": values.get("first_fy", ""),
                                          "last_fy": values.get("last_fy", "")})
        store(request, work, visitor, values, body, lambda uow: AgreementRead.of(
            agreements.renew(uow, agreements.visible_agreement(uow, user, agreement_id),
                             body.first_fy, body.last_fy, field="first_fy")), AgreementRead)
    except (ValidationError, OffsetError) as error:
        form, status = refusal(values, error)
        return agreement_page(request, words, visitor, work, agreement_id, form,
                              status_code=status)
    return RedirectResponse(f"/admin/agreements/{agreement_id}?stored=term", status_code=303)


# --- users -----------------------------------------------------------------------------------

class UserCreate(Create):
    """A user as the form (and `offset users add`) gives it."""

    name: Name
    role: Role
    party: Line | None = Field(None, max_length=6, description="the party's 6-digit code")
    agreement: frozenset[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(
        default_factory=frozenset,
                                      description="agreements an auditor audits")


def user_body(values: Mapping[str, str]) -> UserCreate:
    """Return the user the form describes; each audited agreement is a checkbox
    `agreement_<id>`. Raises ValidationError."""
    audited = [name.removeprefix("agreement_") for name in values
               if name.startswith("agreement_")]
    return UserCreate.model_validate({"name": values.get("name", ""),
                                      "role": values.get("role", ""),
                                      "party": values.get("party", "").strip() or None,
                                      "agreement": audited})


def link_url(secret: str) -> str:
    """Return the one-time link as the CLI prints it (offset.cli.users)."""
    return f"{settings().public_url.rstrip('/')}/password/{secret}"


def users_page(request: Request, words: Words, visitor: Visitor, work: Work, form: Form,
               done: str = "", status_code: int = 200) -> Response:
    with work(read_only=True) as uow:
        accounts = access.accounts(uow)
        by_id = {party.id: party for party in agreements.parties(uow)}
        listed = agreements.all_agreements(uow)
    return page(request, words, visitor, "users.html", {
        "here": "users", "accounts": accounts, "parties": by_id, "agreements": listed,
        "roles": list(Role), "form": form, "done": done, "now": datetime.now(UTC)},
        status_code=status_code)


@router.get("/users")
def users(request: Request, visitor: AdminVisitor, words: PageWords, work: Work,
          revoked: Annotated[str | None, Query(max_length=100)] = None) -> Response:
    done = ""
    if revoked is not None:
        # The address names whom the last form revoked; say so only while it is true.
        with work(read_only=True) as uow:
            account = next((a for a in access.accounts(uow) if a.user.name == revoked), None)
        if account and not account.live_tokens(datetime.now(UTC)) and not account.password_set_at:
            done = words(f"ユーザー「{revoked}」を失効させました（トークンを無効化し、ブラウザの"
                         "セッションを終了し、パスワードを消去しました）。",
                         f"Revoked user {revoked!r}: their tokens no longer work, their browser "
                         "sessions ended and their password is cleared.")
    return users_page(request, words, visitor, work, Form(), done)


@router.post("/users")
def create_user(request: Request, visitor: AdminVisitor, words: PageWords, work: Work,
                values: Submitted) -> Response:
    try:
        body = user_body(values)
        with writing(work) as uow:
            issued = access.add_account(uow, body.name, body.role, party_code=body.party,
                                        agreement_ids=body.agreement)
            _, secret = access.password_link(uow, issued.user.name)
    except (ValidationError, OffsetError) as error:
        form, status = refusal(values, error)
        return users_page(request, words, visitor, work, form, status_code=status)
    response = page(request, words, visitor, "issued.html", {
        "here": "users", "name": issued.user.name, "created": True,
        "link": link_url(secret), "token": TokenIssuedRead.of(issued)}, status_code=201)
    response.headers.update(NO_STORE)
    return response


def named(values: Mapping[str, str]) -> str:
    """Return the user name a button's hidden field carries. Raises InvalidInput."""
    name = values.get("name", "")
    if not 1 <= len(name) <= 100:
        raise InvalidInput("must be 1..100 characters", field="name")
    return name


@router.post("/users/password")
def reset_password(request: Request, visitor: AdminVisitor, words: PageWords, work: Work,
                   values: Submitted) -> Response:
    with writing(work) as uow:
        user, secret = access.password_link(uow, named(values))
    response = page(request, words, visitor, "issued.html", {
        "here": "users", "name": user.name, "created": False, "link": link_url(secret),
        "token": None})
    response.headers.update(NO_STORE)
    return response


@router.get("/users/revoke")
def confirm_revoke(request: Request, visitor: AdminVisitor, words: PageWords, work: Work,
                   name: UserName) -> Response:
    with work(read_only=True) as uow:
        account = next((a for a in access.accounts(uow) if a.user.name == name), None)
    if account is None:
        raise NotFound(f"user {name!r} does not exist", field="name")
    return page(request, words, visitor, "revoke.html", {"here": "users", "account": account})


@router.post("/users/revoke")
def revoke(request: Request, visitor: AdminVisitor, work: Work, values: Submitted) -> Response:
    with writing(work) as uow:
        user, _ = access.revoke(uow, named(values))
    return RedirectResponse(f"/admin/users?revoked={quote(user.name, safe='')}",
                            status_code=303)


# --- reference data --------------------------------------------------------------------------

@router.get("/reference")
def reference_data(request: Request, visitor: AdminVisitor, words: PageWords,
                   work: Work) -> Response:
    with work(read_only=True) as uow:
        context = {"parameter_sets": reference.parameter_sets(uow),
                   "yield_tables": reference.yield_tables(uow),
                   "factors": [FactorRead.of(f) for f in emissions.factors(uow)]}
    return page(request, words, visitor, "reference.html", {
        "here": "reference", "method_version": METHOD_VERSION, **context})
