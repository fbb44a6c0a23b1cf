"""The OpenAPI document lists, on every /v1 operation, the problem documents it may return."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI

from offset.api.problems import PROBLEM_JSON

METHODS = {"get", "post", "put", "patch", "delete"}
EVERY_OPERATION = {"401", "403", "404", "409", "422"}


@pytest.fixture(scope="module")
def document(app: FastAPI) -> dict[str, Any]:
    return app.openapi()


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(method, path, operation) for path, item in document["paths"].items()
            if path.startswith("/v1/")
            for method, operation in item.items() if method in METHODS]


def test_every_v1_operation_lists_its_problems_as_problem_json(document):
    for method, path, operation in operations(document):
        responses = operation["responses"]
        assert EVERY_OPERATION <= set(responses), (method, path)
        # 2xx carry their answer, 3xx (a 304 to a conditional request) nothing.
        for status in (s for s in responses if s[0] not in "23"):
            content = responses[status]["content"]
            assert content == {PROBLEM_JSON: {"schema": {
                "$ref": "#/components/schemas/ProblemDocument"}}}, (method, path, status)


def test_the_problem_document_schema_is_a_component(document):
    schema = document["components"]["schemas"]["ProblemDocument"]
    assert set(schema["required"]) == {"type", "title", "status", "detail"}
    assert schema["properties"]["errors"]["anyOf"][0]["items"] == {
        "$ref": "#/components/schemas/FieldProblem"}
    assert "FieldProblem" in document["components"]["schemas"]



def test_the_import_documents_its_413(document):
    responses = document["paths"]["/v1/agreements/{agreement_id}/thinnings:import"]["post"][
        "responses"]
    assert responses["413"]["content"] == {PROBLEM_JSON: {"schema": {
        "$ref": "#/components/schemas/ProblemDocument"}}}
