"""The web interface: server-rendered pages for the people offset is for, at `/`.

Every page is thin over the same use cases as the API (offset.*.services and the forestry
use-case modules): no route here touches a repository or computes a figure itself. Forms are
plain HTML and work without JavaScript; a few lines of our own (static/offset.js) add
progress on long work.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

STATIC = Path(__file__).parent / "static"
# The reports' Japanese font (IPAex Gothic, shipped with its licence): the pages fall back to it
# where the viewer's machine has no Japanese font, as the PDFs embed it.
FONTS = Path(str(files("reports") / "fonts"))


def install(app: FastAPI) -> None:
    """Serve the web interface from `app`: the pages at `/`, their files at `/static`."""
    from offset.web.routes import ROUTERS

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.mount("/fonts", StaticFiles(directory=FONTS), name="fonts")
    for router in ROUTERS:
        app.include_router(router, include_in_schema=False)
