"""What the OpenAPI document says about errors: the problem document and who returns which.

Every /v1 operation lists the problem documents it may answer with, as
application/problem+json with the ProblemDocument schema (never application/json, which
FastAPI would pick for a response `model`):

    401 no valid bearer token    403 role may not do this    404 not found or not visible
    409 conflicts with an invariant
    422 invalid input (body, path, query or header), or a body that is not UTF-8 JSON giving
        each key once (type invalid-body)

and a route adds those only it returns (the import's 413) with problem_responses().
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel, Field

from offset.api.problems import PROBLEM_JSON

COMPONENTS = "#/components/schemas/"


class FieldProblem(BaseModel):
    field: str = Field(description="dotted path, e.g. body.annual_target; 'file' for a row "
                                   "of an imported file")
    reason: str
    line: int | None = Field(None, description="an imported file's line")
    column: str | None = Field(None, description="an imported file's column, as headed there")


class ProblemDocument(BaseModel):
    """An RFC 9457 problem document (served as application/problem+json).

    Errors may add extension members (e.g. `available` for a retirement over the balance).
    """

    type: str = Field(description="a URI naming the kind of problem, or about:blank")
    title: str
    status: int
    detail: str
    errors: list[FieldProblem] | None = Field(None, description="the offending fields")


def problem_responses(*titled: tuple[int, str]) -> dict[int | str, dict[str, Any]]:
    """Return `responses=` entries: each status a problem document with its description."""
    schema = {"$ref": COMPONENTS + ProblemDocument.__name__}
    return {status: {"description": title, "content": {PROBLEM_JSON: {"schema": schema}}}
            for status, title in titled}


# Every /v1 operation (the v1 router's responses=).
PROBLEMS = problem_responses(
    (401, "No valid bearer token"), (403, "Role may not do this"),
    (404, "Not found, or not visible to the caller"),
    (409, "Conflicts with a ledger invariant"),
    (422, "Invalid input, or a body that is not UTF-8 JSON giving each key once "
          "(type invalid-body)"))


def install(app: FastAPI) -> None:
    """Make `app` serve an OpenAPI document whose components include ProblemDocument."""
    generate = app.openapi  # FastAPI's own, which keeps its document in app.openapi_schema

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        document = generate()
        document.setdefault("components", {}).setdefault("schemas", {}).update(
            _problem_schemas())
        return document

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented extension


def _problem_schemas() -> dict[str, Any]:
    schema = ProblemDocument.model_json_schema(ref_template=COMPONENTS + "{model}")
    nested: dict[str, Any] = schema.pop("$defs", {})
    return {**nested, ProblemDocument.__name__: schema}
