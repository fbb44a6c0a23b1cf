"""Logging in and out, and setting a password from a one-time link."""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse

from offset.access import services as access
from offset.api.deps import Work
from offset.api.idempotency import writing
from offset.errors import Forbidden, InvalidInput
from offset.web.pages import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    LoggedIn,
    PageRoute,
    PageWords,
    check_csrf,
    render,
)
from offset.web.words import Words

router = APIRouter(route_class=PageRoute)

Text = Annotated[str, Form(max_length=300)]


def safe_next(target: str | None) -> str:
    """Return where to go after logging in: a path of this site only (never another host)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


def login_page(request: Request, words: Words, *, name: str = "", error: str = "",
               status_code: int = 200, next_path: str = "/") -> Response:
    token = secrets.token_urlsafe(24)
    response = render(request, words, "login.html", {
        "name": name, "error": error, "login_csrf": token, "next": next_path},
        status_code=status_code)
    # Before a session exists, the form's CSRF token is checked against a cookie (the
    # double-submit pattern): another site can make a browser post, not read the cookie.
    response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict",
                        secure=request.url.scheme == "https", path="/login")
    return response


@router.get("/login")
def login_form(request: Request, words: PageWords, next: str | None = None) -> Response:
    return login_page(request, words, next_path=safe_next(next))


@router.post("/login")
def log_in(request: Request, words: PageWords, work: Work, name: Text = "",
           password: Text = "", csrf: Text = "", next: Text = "/") -> Response:
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not hmac.compare_digest(expected, csrf):
        raise Forbidden("the login form's security token is missing or stale; reload the page")
    address = request.client.host if request.client else "unknown"
    with writing(work) as uow:
        opened = access.log_in(uow, name.strip(), password, address)
    if opened is None:
        return login_page(request, words, name=name, status_code=401, next_path=safe_next(next),
                          error=words("ユーザー名またはパスワードが違います。",
                                      "The user name or password is wrong."))
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(SESSION_COOKIE, opened.secret, httponly=True, samesite="lax",
                        secure=request.url.scheme == "https", path="/")
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return response


@router.post("/logout")
def log_out(request: Request, visitor: LoggedIn, work: Work, csrf: Text = "") -> Response:
    check_csrf(visitor, csrf)
    with writing(work) as uow:
        access.log_out(uow, visitor.session)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/password/{secret}")
def password_form(request: Request, secret: str, words: PageWords, work: Work) -> Response:
    with work(read_only=True) as uow:
        user = access.link_user(uow, secret)
    return render(request, words, "password.html", {"name": user.name, "errors": {}})


@router.post("/password/{secret}")
def set_password(request: Request, secret: str, words: PageWords, work: Work,
                 password: Text = "", repeated: Text = "") -> Response:
    # The link's secret in the path is the form's proof of origin: another site cannot know it.
    with work(read_only=True) as uow:
        user = access.link_user(uow, secret)
    try:
        if password != repeated:
            raise InvalidInput(words("2回の入力が一致しません", "the two entries differ"),
                               field="repeated")
        with writing(work) as uow:
            access.set_password_by_link(uow, secret, password)
    except InvalidInput as refused:
        return render(request, words, "password.html", {
            "name": user.name, "errors": {refused.field: refused.detail}}, status_code=422)
    return RedirectResponse("/login?password=set", status_code=303)
