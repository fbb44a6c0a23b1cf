"""The auditor's pages: issued and on-demand reports, verifying the chain, the journal browser and
the exports.
"""
from __future__ import annotations

from fastapi import APIRouter

from offset.web.pages import PageRoute

router = APIRouter(route_class=PageRoute)
