"""The environment division's pages: the dashboard per fiscal year and term, money, emissions and
retiring credits.
"""
from __future__ import annotations

from fastapi import APIRouter

from offset.web.pages import PageRoute

router = APIRouter(route_class=PageRoute)
