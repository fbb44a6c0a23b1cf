"""The web interface's routes, one module per group of people (and one for logging in)."""

from __future__ import annotations

from fastapi import APIRouter

from offset.web.routes import auth, home

ROUTERS: list[APIRouter] = [auth.router, home.router]
