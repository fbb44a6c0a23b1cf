"""The application factory: routers, error handling and the database it works on."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI

from offset import web
from offset.api import openapi, problems
from offset.api.database import LazyDatabase
from offset.api.options import AllowedMethods
from offset.api.routes import (
    agreements,
    certifications,
    closing,
    council,
    documents,
    emissions,
    exports,
    imports,
    journal,
    ledger,
    money,
    open_data,
    parties,
    reports,
    stands,
    summary,
    thinnings,
    users,
)
from offset.db.uow import UnitOfWorkFactory

DESCRIPTION = """System of record for municipal carbon-offset agreements.

Send `Authorization: Bearer <token>` with every /v1 request, and an `Idempotency-Key` with
writes you may retry. Errors are RFC 9457 problem documents (`application/problem+json`)."""

def create_app(uow_factory: UnitOfWorkFactory | None = None) -> FastAPI:
    """Return the API working through `uow_factory`.

    Without one, the app connects to the configured database (OFFSET_DATABASE_URL) on its
    first request, not before.
    """
    database = LazyDatabase() if uow_factory is None else None

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        if database is not None:
            database.dispose()

    app = FastAPI(title="offset", version="1", description=DESCRIPTION, lifespan=lifespan)
    app.state.work = uow_factory or database
    problems.install(app)
    open_data.install(app)
    app.add_api_route("/healthz", healthz, methods=["GET"], tags=["health"])
    v1 = APIRouter(prefix="/v1", responses=openapi.PROBLEMS)
    for routes in (parties, agreements, stands, thinnings, imports, certifications,
                   journal, ledger, money, emissions, summary, closing, exports, users, council):
        v1.include_router(routes.router)
    v1.include_router(reports.router)
    v1.include_router(documents.router)
    v1.include_router(open_data.router)
    app.include_router(v1)
    web.install(app)
    app.add_middleware(AllowedMethods, router=app.router)
    openapi.install(app)
    return app


def healthz() -> dict[str, str]:
    """Say the process is up (no database access, no token)."""
    return {"status": "ok"}
