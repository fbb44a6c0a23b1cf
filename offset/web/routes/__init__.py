"""The web interface's routes: logging in, the home page, then one module per group of people."""

from __future__ import annotations

from fastapi import APIRouter

from offset.web.routes import admin, auditor, auth, council, forestry, home, urban

ROUTERS: list[APIRouter] = [auth.router, home.router, forestry.router, urban.router,
                            auditor.router, admin.router, council.router]
