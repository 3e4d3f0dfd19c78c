"""How refusals are documented on the OpenAPI page: every error answer is an RFC 9457 problem document.

The problem handlers (``api.problems``) answer every error of every route in one shape, served as
``application/problem+json``; ``document_problems`` says so in the OpenAPI document, once for all routes:
each 4xx/5xx response a route declares gets the ``Problem`` schema, and the refusals that come from the
app's own machinery rather than from one route are added where they can occur (422 ``validation`` where a
request has parameters or a body, 401 where a bearer token is read, 400 and 413 where a body is read,
503 where the database is asked). Routes declare only their own refusals, as ``{status: {"description": codes}}``.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

PROBLEM_MEDIA_TYPE = "application/problem+json"
REF = "#/components/schemas/{model}"
PROBLEM_REF = {"$ref": REF.format(model="Problem")}

WITHOUT_STORAGE = frozenset({("get", "/health")})
"""Operations that never ask the database (so never answer 503 ``storage-unavailable``)."""

APP_WIDE: dict[str, str] = {
    "400": "http-error: the body could not be parsed (bytes that are not JSON text)",
    "401": "unauthenticated, bad-token, expired-token: sign in (POST /auth/challenge, /auth/token)",
    "413": "payload-too-large",
    "422": "validation: a parameter or the body is malformed (`errors` names each field)",
    "503": "storage-unavailable: the database does not answer now; retry after `Retry-After` seconds",
}
"""Descriptions of the refusals added by ``document_problems`` where a route declares none."""


class FieldProblem(BaseModel):
    """One malformed field of a refused request: where (``body.items.0.seq``, ``query.page``) and why."""

    path: str
    message: str


class Problem(BaseModel):
    """An RFC 9457 problem document: the body of every error answer (问题说明).

    Refusals may add members: ``head`` (``stale-head``: the stream's head to rebuild on), ``index`` (the
    failing item of a batch), and others named in the route's description.
    """

    model_config = ConfigDict(extra="allow")

    type: str = Field(
        description="a stable code: stale-head, validation, out-of-scope, …", examples=["stale-head"]
    )
    title: str = Field(description="the Chinese label of the code", examples=["记录链头已变化"])
    status: int = Field(ge=400, le=599, description="the HTTP status, repeated")
    detail: str = Field(description="the explanation, in English")
    failures: list[str] = Field(description="every failing code (the guards report all at once)")
    errors: list[FieldProblem] = Field(
        default_factory=list, description="with `validation`: each malformed field of the request"
    )


def problem_schemas() -> dict[str, Any]:
    """The component schemas of ``Problem`` and what it refers to."""
    schema = Problem.model_json_schema(ref_template=REF)
    definitions: dict[str, Any] = schema.pop("$defs", {})
    return {**definitions, "Problem": schema}


def _problem_content() -> dict[str, Any]:
    return {PROBLEM_MEDIA_TYPE: {"schema": dict(PROBLEM_REF)}}


def _reads_token(operation: dict[str, Any]) -> bool:
    return any("HTTPBearer" in requirement for requirement in operation.get("security", []))


def _add(responses: dict[str, Any], status: str) -> None:
    responses.setdefault(status, {"description": APP_WIDE[status]})


def document_problems(schema: dict[str, Any]) -> None:
    """Document every error answer of the OpenAPI document ``schema`` as a problem (in place)."""
    schemas = schema.setdefault("components", {}).setdefault("schemas", {})
    for path, item in schema.get("paths", {}).items():
        for method, operation in item.items():
            responses: dict[str, Any] = operation.setdefault("responses", {})
            if operation.get("parameters") or operation.get("requestBody"):
                _add(responses, "422")
            if _reads_token(operation):
                _add(responses, "401")
            if operation.get("requestBody"):
                _add(responses, "400")
                _add(responses, "413")
            if (method, path) not in WITHOUT_STORAGE:
                _add(responses, "503")
            for status, response in responses.items():
                if status[0] in "45":
                    response["content"] = _problem_content()
                    if response.get("description") == "Validation Error":
                        response["description"] = APP_WIDE["422"]
            operation["responses"] = dict(sorted(responses.items()))
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    schemas.update(problem_schemas())
