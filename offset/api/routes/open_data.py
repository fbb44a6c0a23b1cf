"""/v1/open-data/fiscal-years (JSON) and /v1/open-data/fiscal-years.csv: the figures of every
issued annual report, for anyone, without a token (docs/open-data.md holds the schema).

Cacheable: the ETag is the open data's version (it changes exactly when a report is issued or
re-issued) and Last-Modified the time of the newest report; a conditional request that
matches is answered 304 before any figure is read. Rate-limited per address (429 with
Retry-After beyond OFFSET_OPEN_DATA_PER_MINUTE requests a minute).
"""

from __future__ import annotations

import csv
import io
import threading
from datetime import datetime
from email.utils import format_datetime, parsedate_to_datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Request, Response

from offset.api.bodies import JsonRoute
from offset.api.open_data_schemas import COLUMNS, OpenDataRead, csv_row
from offset.api.openapi import problem_responses
from offset.api.rate_limit import RateLimit
from offset.db.uow import UnitOfWorkFactory
from offset.documents import open_data
from offset.settings import settings

router = APIRouter(prefix="/open-data", tags=["open data"], route_class=JsonRoute,
                   responses=problem_responses((429, "Too many requests from this address")))


def install(app: FastAPI) -> None:
    """Give the app its own budget per address and its own cache of the rows."""
    app.state.open_data_limit = RateLimit(lambda: settings().open_data_per_minute)
    app.state.open_data_cache = _Cache()


def _limit(request: Request) -> None:
    request.app.state.open_data_limit(request)


Limited = Annotated[None, Depends(_limit)]
# Anyone may cache the figures for a while: they change only when a report is issued.
CACHE_CONTROL = "public, max-age=300"
CACHING_HEADERS: dict[str, Any] = {
    "ETag": {"description": "the open data's version, quoted", "schema": {"type": "string"}},
    "Last-Modified": {"description": "when the newest report behind a row was issued",
                      "schema": {"type": "string"}}}
NOT_MODIFIED: dict[int | str, dict[str, Any]] = {
    304: {"description": "Not modified: the ETag or the time given is current"}}


class _Cache:
    """The rows of the last version read: every request of one version gets the same rows,
    read once (rows of a version never change: the reports behind them are fixed)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._held: open_data.OpenData | None = None

    def get(self, work: UnitOfWorkFactory, request: Request) -> open_data.OpenData:
        """Return the data; without rows when the request's condition says it is current
        (`current` set), so that nothing is read."""
        with work(read_only=True) as uow:
            version, last, _ = open_data.version_of(uow)
            if _not_modified(request, version, last):
                return open_data.OpenData((), version, last, current=True)
            with self._lock:
                if self._held is None or self._held.version != version:
                    self._held = open_data.open_data(uow)
                return self._held


def _work(request: Request) -> UnitOfWorkFactory:
    work: UnitOfWorkFactory = request.app.state.work
    return work


Work = Annotated[UnitOfWorkFactory, Depends(_work)]


def _etag(version: str) -> str:
    return f'"{version}"'


def _not_modified(request: Request, version: str, last: datetime | None) -> bool:
    match = request.headers.get("if-none-match")
    if match is not None:
        tags = {t.strip().removeprefix("W/") for t in match.split(",")}
        return "*" in tags or _etag(version) in tags
    since = request.headers.get("if-modified-since")
    if since is None or last is None:
        return False
    try:
        moment = parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False  # an unreadable date is ignored, as RFC 9110 says
    return moment.tzinfo is not None and last.replace(microsecond=0) <= moment


def _headers(data: open_data.OpenData) -> dict[str, str]:
    headers = {"ETag": _etag(data.version), "Cache-Control": CACHE_CONTROL}
    if data.last_modified is not None:
        headers["Last-Modified"] = format_datetime(data.last_modified.replace(microsecond=0),
                                                   usegmt=True)
    return headers


def _answer(request: Request, work: UnitOfWorkFactory) -> open_data.OpenData | Response:
    data: open_data.OpenData = request.app.state.open_data_cache.get(work, request)
    if data.current:
        return Response(status_code=304, headers=_headers(data))
    return data


@router.get("/fiscal-years", response_model=OpenDataRead,
            responses={200: {"headers": CACHING_HEADERS}, **NOT_MODIFIED})
def fiscal_years(request: Request, work: Work, _limited: Limited) -> Response:
    """Return one row per agreement and fiscal year whose annual report is issued, with the
    figures that report published and the chain head it was made at. No token needed."""
    data = _answer(request, work)
    if isinstance(data, Response):
        return data
    body = OpenDataRead.of(data).model_dump_json()
    return Response(body, media_type="application/json", headers=_headers(data))


@router.get("/fiscal-years.csv", response_class=Response,
            responses={200: {"content": {"text/csv": {}}, "headers": CACHING_HEADERS,
                             "description": "The same rows as CSV (UTF-8, a header row)"},
                       **NOT_MODIFIED})
def fiscal_years_csv(request: Request, work: Work, _limited: Limited) -> Response:
    """Return the rows of /open-data/fiscal-years as CSV, columns as docs/open-data.md
    lists them. No token needed."""
    data = _answer(request, work)
    if isinstance(data, Response):
        return data
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(csv_row(row) for row in data.rows)
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8", headers={
        **_headers(data),
        "Content-Disposition": 'attachment; filename="offset-open-data-fiscal-years.csv"'})
