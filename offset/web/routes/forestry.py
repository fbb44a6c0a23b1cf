"""The forestry office's pages: the agreement's home, stands, the thinning log, imports,
certifications and timber sales.
"""
from __future__ import annotations

from fastapi import APIRouter

from offset.web.pages import PageRoute

router = APIRouter(route_class=PageRoute)
