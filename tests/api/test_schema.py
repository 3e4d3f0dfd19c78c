"""The OpenAPI document as a contract: problems documented as problems, typed answers, no clashing names.

The fuzzing (``test_fuzz.py``) checks that answers keep what the document says; these tests check what
the document says: every error answer is an ``application/problem+json`` ``Problem``, the refusals the
app's own machinery makes are declared wherever they can happen, every read the SDK types has the
response model the SDK parses with, and no component schema is silently replaced by another of the same
name. The document is read over HTTP from the served app.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel

from api.app import create_app
from api.client_reads import ReadMethods
from api.read_schemas import Dossier, MemberPage, MemberStatus, OverduePage
from api.report_schemas import Lookback, Register, Statistics
from api.routes.problem_docs import PROBLEM_MEDIA_TYPE, Problem, problem_schemas
from api.routes.streams_read import StreamRecord
from api.routes.transparency import ConsistencyProof, InclusionProof, Leaves
from api.schemas import component_schemas
from ledger.settings import Settings
from tests.api.conftest import Served, assert_problem

TYPED_READS: dict[tuple[str, str], type[BaseModel]] = {
    ("/members", "members"): MemberPage,
    ("/members/{id}/status", "member_status"): MemberStatus,
    ("/members/{id}/dossier", "dossier"): Dossier,
    ("/overdue", "overdue"): OverduePage,
    ("/streams/{id}", "stream"): StreamRecord,
    ("/units/{id}/registers/{form}", "unit_register"): Register,
    ("/units/{id}/statistics", "unit_statistics"): Statistics,
    ("/units/{id}/lookback", "unit_lookback"): Lookback,
    ("/ledger/proof/inclusion", "inclusion_proof"): InclusionProof,
    ("/ledger/proof/consistency", "consistency_proof"): ConsistencyProof,
    ("/ledger/leaves", "leaves"): Leaves,
}
"""Each read the SDK parses into a model: its path, the SDK method, and the model."""
JSON = {"Content-Type": "application/json"}


def _operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(method, path, op) for path, item in schema["paths"].items() for method, op in item.items()]


@pytest.fixture
def schema(served: Served) -> dict[str, Any]:
    """The OpenAPI document the served app publishes."""
    document: dict[str, Any] = served.client.get("/openapi.json").json()
    return document


def test_every_error_answer_is_documented_as_a_problem(schema: dict[str, Any]) -> None:
    components = schema["components"]["schemas"]
    assert components["Problem"] == problem_schemas()["Problem"]
    assert components["Problem"]["properties"]["errors"]["items"] == {
        "$ref": "#/components/schemas/FieldProblem"
    }
    assert "HTTPValidationError" not in components
    errors = 0
    for method, path, operation in _operations(schema):
        for status, response in operation["responses"].items():
            if status[0] in "45":
                errors += 1
                content = response["content"]
                assert list(content) == [PROBLEM_MEDIA_TYPE], (method, path, status)
                assert content[PROBLEM_MEDIA_TYPE]["schema"] == {"$ref": "#/components/schemas/Problem"}
                assert response["description"], (method, path, status)
    assert errors > 100


def test_the_refusals_of_the_machinery_are_declared_where_they_happen(schema: dict[str, Any]) -> None:
    for method, path, operation in _operations(schema):
        statuses = set(operation["responses"])
        where = f"{method.upper()} {path}"
        if operation.get("parameters") or operation.get("requestBody"):
            assert "422" in statuses, where
        if operation.get("requestBody"):
            assert {"400", "413"} <= statuses, where
        if operation.get("security"):
            assert "401" in statuses, where
        assert ("503" in statuses) is (where != "GET /health"), where
    token = schema["paths"]["/auth/token"]["post"]["responses"]
    assert "bad-nonce" in token["401"]["description"]


def test_real_refusals_match_the_problem_schema(served: Served) -> None:
    answers = [
        assert_problem(served.client.get("/members"), 401, "unauthenticated"),
        assert_problem(
            served.client.get("/ledger/leaves", params={"start": -1, "end": 1}), 422, "validation"
        ),
        assert_problem(
            served.client.post("/auth/challenge", content=b"\xff", headers=JSON), 400, "http-error"
        ),
        assert_problem(served.client.get("/ledger/proof/consistency?first=5&second=9"), 404, "not-found"),
    ]
    for answer in answers:
        problem = Problem.model_validate(answer)
        assert problem.failures == [problem.type]
    assert Problem.model_validate(answers[1]).errors[0].path == "query.start"


def test_every_typed_sdk_read_has_its_response_model(schema: dict[str, Any]) -> None:
    for (path, method_name), model in TYPED_READS.items():
        assert callable(getattr(ReadMethods, method_name)), method_name
        content = schema["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
        assert content["schema"] == {"$ref": f"#/components/schemas/{model.__name__}"}, path
        assert set(schema["components"]["schemas"][model.__name__]["properties"]) == {
            field.alias or name for name, field in model.model_fields.items()
        }, path


def test_no_component_schema_is_replaced_by_another_of_the_same_name(settings: Settings) -> None:
    app = create_app(settings, follow_log=False)
    from_routes = get_openapi(title="t", version="0", routes=app.routes)["components"]["schemas"]
    from_bodies = component_schemas()
    for name in set(from_routes) & set(from_bodies):
        assert from_routes[name] == from_bodies[name], name
