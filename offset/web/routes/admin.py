"""The administrator's pages: parties, agreements and terms, users, reference data."""

from __future__ import annotations

from fastapi import APIRouter

from offset.web.pages import PageRoute

router = APIRouter(route_class=PageRoute)
