"""The one translation of errors into RFC 9457 problem documents (application/problem+json).

Routes raise offset.errors; this module alone decides the HTTP status and the body:

    InvalidInput → 422 (TooLarge, a bound exceeded: 413)    NotFound → 404    Conflict → 409
    Unauthenticated → 401 (with WWW-Authenticate: Bearer)    Forbidden → 403
    Throttled → 429 (with Retry-After)

The type is PROBLEM_BASE + the error's `code`. The error itself says what else the document
holds, so this module knows no error below the branches above: its `extension_members()`
(RFC 9457 extension members: Decimal as text, yen as an integer, e.g. "available": "12.000")
and its `field_errors()`, listed in `errors` with each field as a request path (invalid
input and conflicts name their field; a rejected import lists every bad row with its line
and column); a field that is a path parameter of the route is `path.<name>`, one that is a
query parameter of the request `query.<name>`, any other `body.<name>`. Request validation
by pydantic is a 422 as well, with the offending field paths; so is a body that is not UTF-8
JSON giving each key once (offset.api.bodies, type invalid-body). OPTIONS is answered by
offset.api.options.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
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
    Throttled,
    TooLarge,
    Unauthenticated,
)

PROBLEM_JSON = "application/problem+json"
PROBLEM_BASE = "https://offset.example/problems/"
# Where in a request a field lives; a domain field without one of these is in the body.
# "file" is an uploaded file sent as the whole body (its errors name line and column).
LOCATIONS = ("body", "query", "path", "header", "file")

STATUS_OF: tuple[tuple[type[OffsetError], int], ...] = (
    (TooLarge, 413),  # before its base, InvalidInput
    (InvalidInput, 422),
    (NotFound, 404),
    (Conflict, 409),
    (Unauthenticated, 401),
    (Forbidden, 403),
    (Throttled, 429),
)

log = logging.getLogger(__name__)


def problem(status: int, code: str | None, title: str, detail: str, *,
            errors: Sequence[dict[str, Any]] = (), headers: dict[str, str] | None = None,
            members: Mapping[str, Any] | None = None) -> JSONResponse:
    """Return a problem document; `code` None gives the generic type about:blank.

    `members` are extension members, placed after the standard ones."""
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + code if code else "about:blank",
        "title": title, "status": status, "detail": detail, **(members or {}),
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


def json_value(value: object) -> Any:
    """Return an attribute as JSON: Decimal as text (exact), dates in ISO 8601, dataclasses as
    objects."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: json_value(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [json_value(item) for item in value]
    if isinstance(value, Mapping):
        return {str(key): json_value(item) for key, item in value.items()}
    return value


def request_field(field: str, path_params: Iterable[str] = (),
                  query_params: Iterable[str] = ()) -> str:
    """Return where a domain error's field is in the request: a path parameter of the route
    ("entry_id" of /v1/entries/{entry_id}/reversal → "path.entry_id"), a query parameter
    the request has ("as_of" → "query.as_of"), else field_path."""
    if field in set(path_params):
        return f"path.{field}"
    return f"query.{field}" if field in set(query_params) else field_path(field)


def _field_errors(error: OffsetError, path_params: Iterable[str] = (),
                  query_params: Iterable[str] = ()) -> list[dict[str, Any]]:
    return [{**json_value(e),
             "field": request_field(str(e["field"]), path_params, query_params)}
            for e in error.field_errors()]


def _loc_path(loc: Iterable[int | str]) -> str:
    return ".".join(str(part) for part in loc)


async def _offset_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, OffsetError)
    status = status_of(error)
    headers = ({"WWW-Authenticate": "Bearer"} if status == 401 else
               {"Retry-After": str(error.retry_after)} if isinstance(error, Throttled) else
               None)
    errors = _field_errors(error, request.path_params, request.query_params.keys())
    listed = "; ".join(f"{e['field']}: {e['reason']}" for e in errors)
    detail = (listed if error.detail_lists_fields else "") or error.detail
    members = {name: json_value(value) for name, value in error.extension_members().items()}
    return problem(status, error.code, error.title, detail, errors=errors, headers=headers,
                   members=members)


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
