"""OPTIONS on any path of the API: the methods that path really has, in an Allow header."""

from __future__ import annotations

from starlette.responses import Response
from starlette.routing import Match, Router
from starlette.types import ASGIApp, Receive, Scope, Send

from offset.api.problems import problem

METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


def allowed_methods(router: Router, scope: Scope) -> list[str]:
    """Return the methods some route of `router` answers on the path of `scope`, OPTIONS
    last; empty when no route has that path."""
    found = [method for method in METHODS
             if any(route.matches({**scope, "method": method})[0] is Match.FULL
                    for route in router.routes)]
    return [*found, "OPTIONS"] if found else []


class AllowedMethods:
    """Middleware answering OPTIONS with 204 and `Allow`; a path no route has is a 404."""

    def __init__(self, app: ASGIApp, router: Router) -> None:
        self.app = app
        self.router = router

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "OPTIONS":
            await self.app(scope, receive, send)
            return
        methods = allowed_methods(self.router, scope)
        response = (Response(status_code=204, headers={"Allow": ", ".join(methods)})
                    if methods else problem(404, None, "Not Found", "Not Found"))
        await response(scope, receive, send)
