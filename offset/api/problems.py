"""The one translation of errors into RFC 9457 problem documents (application/problem+json).

Routes raise offset.errors; this module alone decides the HTTP status and the body:

    InvalidInput → 422    NotFound → 404    Conflict → 409
    Unauthenticated → 401 (with WWW-Authenticate: Bearer)    Forbidden → 403

Invalid input and conflicts that name a field list it in `errors`; a rejected import lists
every bad row there instead, with its line and column. Request validation by pydantic is a
422 as well, with the offending field paths.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.status import HTTP_500_INTERNAL_SERVER_ERROR

from offset.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    OffsetError,
    Unauthenticated,
)
from offset.forestry.errors import ImportRejected
from offset.ledger.errors import InvalidEntry

PROBLEM_JSON = "application/problem+json"
PROBLEM_BASE = "https://offset.example/problems/"
# Where in a request a field lives; a domain field without one of these is in the body.
# "file" is an uploaded file sent as the whole body (its errors name line and column).
LOCATIONS = ("body", "query", "path", "header", "file")

STATUS_OF: tuple[tuple[type[OffsetError], int], ...] = (
    (InvalidInput, 422),
    (NotFound, 404),
    (Conflict, 409),
    (Unauthenticated, 401),
    (Forbidden, 403),
)

log = logging.getLogger(__name__)


def problem(status: int, code: str | None, title: str, detail: str, *,
            errors: Sequence[dict[str, Any]] = (), headers: dict[str, str] | None = None,
            ) -> JSONResponse:
    """Return a problem document; `code` None gives the generic type about:blank."""
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + code if code else "about:blank",
        "title": title, "status": status, "detail": detail,
    }
    if errors:
        body["errors"] = list(errors)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def field_path(field: str, default: str = "body") -> str:
    """Return `field` as a dotted request path: "annual_target" → "body.annual_target"."""
    return field if field.split(".")[0] in LOCATIONS else f"{default}.{field}"


def status_of(error: OffsetError) -> int:
    """Return the HTTP status of a domain error (500 for one outside the known branches)."""
    return next((status for kind, status in STATUS_OF if isinstance(error, kind)), 500)


def _field_errors(error: OffsetError) -> list[dict[str, Any]]:
    if isinstance(error, ImportRejected):  # every bad row of the file, where and why
        return [{"field": "file", "line": p.line, "column": p.column, "reason": p.reason}
                for p in error.problems]
    if not isinstance(error, InvalidInput | Conflict) or error.field is None:
        return []
    reasons = error.problems if isinstance(error, InvalidEntry) else [error.detail]
    return [{"field": field_path(error.field), "reason": reason} for reason in reasons]


def _loc_path(loc: Iterable[int | str]) -> str:
    return ".".join(str(part) for part in loc)


async def _offset_error(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, OffsetError)
    status = status_of(error)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    errors = _field_errors(error)
    detail = error.detail if isinstance(error, ImportRejected) else "; ".join(
        f"{e['field']}: {e['reason']}" for e in errors) or error.detail
    return problem(status, error.code, error.title, detail, errors=errors, headers=headers)


async def _validation_error(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    errors = [{"field": _loc_path(item["loc"]), "reason": item["msg"]}
              for item in error.errors()]
    detail = "; ".join(f"{e['field']}: {e['reason']}" for e in errors)
    return problem(422, InvalidInput.code, InvalidInput.title, detail, errors=errors)


async def _http_error(_request: Request, error: Exception) -> JSONResponse:
    # Only the framework raises these (unknown path, wrong method); routes never do.
    assert isinstance(error, StarletteHTTPException)
    title = HTTPStatus(error.status_code).phrase
    return problem(error.status_code, None, title, str(error.detail),
                   headers=dict(error.headers or {}))


async def _unexpected_error(_request: Request, error: Exception) -> JSONResponse:
    log.exception("unexpected error", exc_info=error)
    return problem(HTTP_500_INTERNAL_SERVER_ERROR, None, "Internal Server Error",
                   "the server failed to handle this request")


def install(app: FastAPI) -> None:
    """Make every error of `app` a problem document."""
    app.add_exception_handler(OffsetError, _offset_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected_error)
