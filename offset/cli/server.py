"""`offset serve`: run the web interface (at /) and the HTTP API (under /v1) with uvicorn over
the command line's database."""

from __future__ import annotations

from typing import Annotated

import typer

from offset.cli.context import database
from offset.errors import OffsetError
from offset.runtime import settle


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(metavar="HOST", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(metavar="PORT", help="Port to listen on.")] = 8000,
) -> None:
    """Serve the web interface (at /) and the HTTP API (under /v1) until interrupted."""
    factory = database(ctx).units_of_work()  # refuses a missing or outdated schema first
    import uvicorn  # imported here so that other commands start fast

    try:
        from offset.api.app import create_app
    except ImportError as missing:
        raise OffsetError(f"the HTTP API cannot be loaded: {missing}", field="api") from None
    shown = f"[{host}]" if ":" in host else host
    typer.echo(f"offset: open http://{shown}:{port}/ in a browser (the API is under /v1)")
    served = create_app(uow_factory=factory)
    settle()  # the app's routes and templates live as long as the process, too
    uvicorn.run(served, host=host, port=port)
