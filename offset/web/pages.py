"""How a page is answered: the templates, the person viewing it, their language, and the one
place where errors become pages (the API's own mapping, offset.api.problems.status_of).

A route of the web interface uses PageRoute; an error it raises is answered as a page, never
as a problem document: not logged in (or the session has ended) → the login page; anything
else → an error page with the API's status (another agreement's page is a 404, as there).
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable, Coroutine, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, TypeVar
from urllib.parse import quote

from fastapi import Depends, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, ValidationError

from offset.access import services as access
from offset.access.logins import WebSession
from offset.access.model import Role, User
from offset.agreements import services as agreements
from offset.agreements.model import Agreement
from offset.api.deps import AgreementId, Work
from offset.api.idempotency import WriteRequest, writing
from offset.api.problems import status_of
from offset.db.uow import UnitOfWork, UnitOfWorkFactory
from offset.errors import Forbidden, OffsetError, Unauthenticated
from offset.web.words import Lang, Words, parse_lang

SESSION_COOKIE = "offset_session"
LANG_COOKIE = "offset_lang"
LOGIN_CSRF_COOKIE = "offset_login_csrf"

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
templates.env.trim_blocks = True
templates.env.lstrip_blocks = True
templates.env.globals["role_ja"] = {"urban": "環境部門", "forestry": "林務担当",
                                    "auditor": "監査", "admin": "管理者",
                                    "council": "連携推進協議会"}


def words_of(request: Request) -> Words:
    """Return the language asked for (?lang=, else the cookie, else Japanese)."""
    chosen = parse_lang(request.query_params.get("lang")) or parse_lang(
        request.cookies.get(LANG_COOKIE))
    return Words(chosen or Lang.JA)


PageWords = Annotated[Words, Depends(words_of)]


@dataclass(frozen=True)
class Visitor:
    """The person logged in, and their session (which carries the CSRF token)."""

    user: User
    session: WebSession


def now() -> datetime:
    return datetime.now(UTC)


def visitor(request: Request, work: Work) -> Visitor:
    """Return who is logged in, recording the request at most once a minute.

    Raises Unauthenticated (the route shows the login page) without a live session.
    """
    secret = request.cookies.get(SESSION_COOKIE)
    moment = now()
    with work(read_only=True) as uow:
        user, session = access.check_session(uow, secret, moment)
    if session.seen_due(moment):
        with writing(work) as uow:
            access.see_session(uow, session, moment)
    return Visitor(user, session)


LoggedIn = Annotated[Visitor, Depends(visitor)]


def check_csrf(visitor: Visitor, token: str | None) -> None:
    """Refuse a form whose CSRF token is not the session's. Raises Forbidden."""
    if not token or not hmac.compare_digest(token, visitor.session.csrf_token):
        raise Forbidden("the form's security token is missing or stale; reload the page "
                        "and send it again")


@dataclass
class Form:
    """A form as shown: the values typed (kept on a refused submission) and the error of
    each field, by the field's name (the API's problem field without its location)."""

    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    message: str = ""  # a refusal that names no field of the form

    def value(self, name: str, default: object = "") -> str:
        return self.values.get(name, str(default))

    @classmethod
    def refused(cls, values: Mapping[str, str], error: Exception) -> Form:
        """Return the form with `values` kept and `error` placed beside its fields."""
        form = cls({k: v for k, v in values.items() if k != "csrf"})
        if isinstance(error, ValidationError):
            for detail in error.errors():
                name = str(detail["loc"][-1]) if detail["loc"] else ""
                form.errors.setdefault(name, detail["msg"])
        elif isinstance(error, OffsetError):
            listed: list[dict[str, object]] = error.field_errors() or (
                [{"field": error.field, "reason": error.detail}] if error.field else [])
            for item in listed:
                name = str(item["field"]).split(".")[-1]
                form.errors.setdefault(name, str(item["reason"]))
            if not listed:
                form.message = error.detail or str(error)
        unplaced = [f"{k}: {v}" for k, v in form.errors.items() if k not in values]
        if unplaced and not form.message:
            form.message = "; ".join(unplaced)
        return form


def form_key() -> str:
    """Return a fresh idempotency key for a form: sending it twice stores it once."""
    return "web-" + secrets.token_urlsafe(16)


def render(request: Request, words: Words, template: str, context: Mapping[str, Any], *,
           visitor: Visitor | None = None, status_code: int = 200) -> Response:
    """Return the page `template` in the visitor's language."""
    response = templates.TemplateResponse(request, template, {
        "t": words, "words": words, "lang": words.lang.value, "visitor": visitor,
        "user": visitor.user if visitor else None,
        "csrf": visitor.session.csrf_token if visitor else "",
        "path": request.url.path, **context}, status_code=status_code)
    chosen = parse_lang(request.query_params.get("lang"))
    if chosen is not None:
        response.set_cookie(LANG_COOKIE, chosen.value, max_age=365 * 86400, httponly=True,
                            samesite="lax", secure=request.url.scheme == "https")
    return response


ERROR_TITLES = {
    404: ("ページが見つかりません", "Page not found"),
    403: ("この操作は許可されていません", "Not allowed"),
    409: ("記録できません", "Cannot be recorded"),
    413: ("ファイルが大きすぎます", "File too large"),
    422: ("入力に誤りがあります", "Invalid input"),
    429: ("試行回数が多すぎます", "Too many attempts"),
}


def error_page(request: Request, status: int, detail: str) -> Response:
    words = words_of(request)
    ja, en = ERROR_TITLES.get(status, ("エラー", "Error"))
    return render(request, words, "error.html", {"status": status, "title": words(ja, en),
                                                 "detail": detail}, status_code=status)


def to_login(request: Request) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)


class PageRoute(APIRoute):
    """A route answered as a page, whatever it raises."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def answer(request: Request) -> Response:
            try:
                return await handler(request)
            except Unauthenticated:
                return to_login(request)
            except OffsetError as error:
                return error_page(request, status_of(error), error.detail or str(error))
            except RequestValidationError as error:
                # A malformed path (a word where an id goes) names no page: 404, as the API's
                # unknown paths; a malformed query is the visitor's input: 422.
                located = {str(item["loc"][0]) for item in error.errors() if item["loc"]}
                status = 404 if "path" in located else 422
                return error_page(request, status, "; ".join(
                    f"{'.'.join(map(str, item['loc'][1:]))}: {item['msg']}"
                    for item in error.errors()))

        return answer


@dataclass(frozen=True)
class AgreementVisit:
    """A visitor on a page of one agreement they may see, in a role the page admits."""

    visitor: Visitor
    agreement: Agreement

    @property
    def user(self) -> User:
        return self.visitor.user


class AgreementPage:
    """A dependency: the visitor, if they may see the agreement in the path and have a role
    given. As in the API, visibility comes first: another agreement's page is a 404 whatever
    the role; the visitor's own agreement in another role's page is a 403."""

    def __init__(self, *roles: Role) -> None:
        self.roles = roles

    def __call__(self, agreement_id: AgreementId, visitor: LoggedIn, work: Work
                 ) -> AgreementVisit:
        with work(read_only=True) as uow:
            agreement = agreements.visible_agreement(uow, visitor.user, agreement_id)
        visitor.user.require(*self.roles)
        return AgreementVisit(visitor, agreement)


async def form_values(request: Request) -> dict[str, str]:
    """Return the text fields of the form posted (files are read by the routes that take
    them)."""
    posted = await request.form()
    return {name: value for name, value in posted.items() if isinstance(value, str)}


def submitted(visitor: LoggedIn, values: Annotated[dict[str, str], Depends(form_values)]
              ) -> dict[str, str]:
    """Return the form's fields once its CSRF token is the session's. Raises Forbidden."""
    check_csrf(visitor, values.get("csrf"))
    return values


Submitted = Annotated[dict[str, str], Depends(submitted)]

Model = TypeVar("Model", bound=BaseModel)
Body = TypeVar("Body", bound=BaseModel)


def store(request: Request, work: UnitOfWorkFactory, visitor: Visitor, values: Mapping[str, str],
          payload: BaseModel, act: Callable[[UnitOfWork], Model], answer: type[Model]) -> Model:
    """Run a form's write once, as the API's idempotent POSTs do (offset.api.idempotency):
    the form's hidden key makes a second press of the button, or a reload, store nothing
    more and answer as the first did. Returns what was stored; raises what `act` raises."""
    key = values.get("idempotency_key") or None
    response = WriteRequest("POST", request.url.path, key).once(work, visitor.user, payload, act)
    return answer.model_validate_json(bytes(response.body))


def body_of(schema: type[Body], values: Mapping[str, str],
            names: Iterable[str] | None = None) -> Body:
    """Return a form's fields as the API's request body: the fields `names` (every field of
    `schema` when None), a field left blank left out, so that the schema's default (or its
    "required") applies. Raises ValidationError."""
    return schema.model_validate({name: text.strip()
                                  for name in (schema.model_fields if names is None else names)
                                  if (text := values.get(name, "")).strip()})


def refusal_status(error: Exception) -> int:
    """Return the status of a refused form: the API's for a domain error, else 422."""
    return status_of(error) if isinstance(error, OffsetError) else 422


def submit(request: Request, work: UnitOfWorkFactory, visit: AgreementVisit,
           values: Mapping[str, str], body: Callable[[], Body],
           act: Callable[[UnitOfWork, Body], Model], answer: type[Model], *,
           explain: Callable[[Exception, Form], Form] | None = None,
           ) -> tuple[Model | None, Form | None, int]:
    """Validate a posted form with the API's schema (`body`, usually body_of) and store it
    once (store).

    Returns (what was stored, None, 303) or (None, the form refused, its status), the values
    typed kept and the error beside its field (`explain` may reword it).
    """
    try:
        payload = body()
        stored = store(request, work, visit.visitor, values, payload,
                       lambda uow: act(uow, payload), answer)
    except (ValidationError, OffsetError) as error:
        form = Form.refused(values, error)
        return None, explain(error, form) if explain else form, refusal_status(error)
    return stored, None, 303


def unit_of_work(request: Request) -> UnitOfWorkFactory:
    factory: UnitOfWorkFactory = request.app.state.work
    return factory
