"""How every route reads a JSON body: strict UTF-8, strict JSON, no key given twice.

FastAPI would decode a body itself and let the last of two equal keys win silently; every
router of the API is built with `route_class=JsonRoute`, which reads the body first, so that
a body that is not UTF-8, not JSON or repeats a key is a 422 `invalid-body` problem naming
where, whatever the route.
"""

from __future__ import annotations

import email.message
import json
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute

from offset.errors import InvalidInput

Handler = Callable[[Request], Coroutine[Any, Any, Response]]


class InvalidBody(InvalidInput):
    """The request body is not UTF-8 JSON with each key once (422)."""

    title = "Invalid body"
    code = "invalid-body"


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise InvalidBody(f"key {key!r} is given more than once", field=f"body.{key}")
        seen[key] = value
    return seen


def parse_json(body: bytes) -> Any:
    """Return the JSON value of `body`. Raises InvalidBody naming the field."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as bad:
        raise InvalidBody(f"is not UTF-8 (byte {bad.start})", field="body") from None
    try:
        return json.loads(text, object_pairs_hook=_unique_keys)
    except json.JSONDecodeError as bad:
        raise InvalidBody(f"is not JSON: {bad.msg} at line {bad.lineno} column {bad.colno}",
                          field="body") from None


def is_json(content_type: str | None) -> bool:
    """Return whether a Content-Type names JSON, as FastAPI decides it (application/*json)."""
    if not content_type:
        return False
    message = email.message.Message()
    message["content-type"] = content_type
    subtype = message.get_content_subtype()
    return message.get_content_maintype() == "application" and (
        subtype == "json" or subtype.endswith("+json"))


class JsonRequest(Request):
    """A request whose JSON is parsed by parse_json (once; FastAPI then reads it from here)."""

    async def json(self) -> Any:
        if not hasattr(self, "_strict_json"):
            self._strict_json = parse_json(await self.body())
        return self._strict_json


class JsonRoute(APIRoute):
    """A route that refuses a bad JSON body before FastAPI decodes it."""

    def get_route_handler(self) -> Handler:
        handler = super().get_route_handler()
        reads_body = self.body_field is not None

        async def strict(request: Request) -> Response:
            request = JsonRequest(request.scope, request.receive)
            if reads_body and is_json(request.headers.get("content-type")):
                if await request.body():
                    await request.json()  # raises InvalidBody to the problem handler
            return await handler(request)
        return strict
