"""Generated requests against the OpenAPI contract, through the real ASGI app, on SQLite and PostgreSQL.

schemathesis generates each operation's requests from the app's own ``/openapi.json`` (valid ones, and
ones that break the schema on purpose) and checks every answer: no 5xx, a documented status, a documented
content type, a body that conforms to the documented schema, and invalid requests refused. Requests are
sent through the test client of a served ledger (the §7.0 story, signed in as 陈刚 of the county
organisation department, the administrator for the access log), so reads get past 401 and, with known
member and unit ids mixed in, answer 200s whose bodies are checked too. Generation is derandomised.

An in-house generator adds statement-shaped bodies (a valid example with fields replaced), which reach
the ledger's own checks deeper than schema-driven bodies do.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import psycopg
import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.app import create_app
from api.schemas import STATEMENT_MODELS
from ledger.settings import Settings
from tests.api.conftest import FakeClock, Served
from tests.api.story_served import StoryServed
from tests.conftest import PG_URL, require_postgres
from tests.domain.engine_world import A, U
from tests.projections.stories import build_story

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
SENT = ("method", "url", "headers", "params", "json", "content", "data", "files")
WRITE_EXAMPLES = 4
READ_EXAMPLES = 12
NOT_BY_KNOWN_ID = {"/members/{id}/dossier.pdf"}  # a real PDF takes Chromium seconds; random ids still run
PENDING: dict[tuple[str, str], str] = {}
"""Violations found in routes owned elsewhere: strict xfails, so a fix turns them into failures to delete."""


def _operations() -> list[Any]:
    """``(method, path, takes input)`` of every documented operation (collected without serving)."""
    unused = Settings(database_url="sqlite:///unused.sqlite", home=Path("unused"), cipher_key=None)
    found = []
    for path, item in create_app(unused, follow_log=False).openapi()["paths"].items():
        for method, operation in item.items():
            takes_input = bool(operation.get("parameters") or operation.get("requestBody"))
            pending = PENDING.get((method, path))
            marks = [pytest.mark.xfail(strict=True, reason=pending)] if pending else []
            found.append(pytest.param(method, path, takes_input, marks=marks, id=f"{method.upper()} {path}"))
    return found


OPERATIONS = _operations()


@dataclass
class Fuzzed:
    """The served story, the schema its app publishes, and the bearer headers to send."""

    client: TestClient
    schema: Any
    reader: dict[str, str]
    auditor: dict[str, str]
    members: list[str]
    streams: list[str]


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def fuzzed(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fuzzed]:
    """One story ledger per backend for the whole module (generated writes never verify: it stays put)."""
    tmp = tmp_path_factory.mktemp(f"fuzz-{request.param}")
    schema_name = None
    if request.param == "postgres":
        require_postgres()
        schema_name = f"t_{uuid.uuid4().hex[:16]}"
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{schema_name}"')
    url = f"{PG_URL}?schema={schema_name}" if schema_name else f"sqlite:///{tmp / 'ledger.sqlite'}"
    ledger = Settings(database_url=url, home=tmp / "home", origin="test.example.org/ledger", cipher_key=None)
    story = build_story(ledger)
    story.driver.system.bring_log_up_to_date()
    clock = FakeClock()
    try:
        with TestClient(create_app(ledger, follow_log=False, clock=clock)) as client:
            served = StoryServed(story, Served(None, client, clock))  # type: ignore[arg-type]
            members = [story.xie.stream, story.huang.stream, story.zhao.stream]
            yield Fuzzed(
                client=client,
                schema=schemathesis.openapi.from_dict(client.get("/openapi.json").json()),
                reader=served.headers("陈刚"),
                auditor=served.headers("admin"),
                members=members,
                streams=[*members, U["C1"], U["B1"], A["吴芳"]],
            )
    finally:
        story.driver.close()
        if schema_name is not None:
            with psycopg.connect(PG_URL, autocommit=True) as conn:
                conn.execute(f'DROP SCHEMA IF EXISTS "{schema_name}" CASCADE')


def _known_ids(fuzzed: Fuzzed, method: str, path: str) -> list[str]:
    if method != "get" or "{id}" not in path or path in NOT_BY_KNOWN_ID:
        return []
    if path.startswith("/units/"):
        return [U["D"], U["C1"], U["B1"]]
    return fuzzed.members if path.startswith("/members/") else fuzzed.streams


def _cases(fuzzed: Fuzzed, method: str, path: str, mode: GenerationMode) -> st.SearchStrategy[Any]:
    operation = fuzzed.schema[path][method.upper()]
    headers = fuzzed.auditor if path.startswith("/access-log") else fuzzed.reader
    cases: st.SearchStrategy[Any] = operation.as_strategy(mode, headers=headers)
    known = _known_ids(fuzzed, method, path)
    if mode is GenerationMode.POSITIVE and known:
        by_id = st.sampled_from(known).flatmap(partial(_with_id, operation, headers))
        cases = st.one_of(cases, by_id)
    return cases


def _with_id(operation: Any, headers: dict[str, str], id: str) -> st.SearchStrategy[Any]:
    cases: st.SearchStrategy[Any] = operation.as_strategy(
        GenerationMode.POSITIVE, headers=headers, path_parameters={"id": id}
    )
    return cases


@pytest.mark.parametrize(("method", "path", "takes_input"), OPERATIONS)
def test_every_operation_keeps_its_documented_contract(
    fuzzed: Fuzzed, method: str, path: str, takes_input: bool
) -> None:
    modes = [GenerationMode.POSITIVE] + ([GenerationMode.NEGATIVE] if takes_input else [])
    examples = READ_EXAMPLES if method == "get" else WRITE_EXAMPLES
    statuses: list[int] = []
    for mode in modes:

        @settings(
            max_examples=examples,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate, Phase.shrink],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=_cases(fuzzed, method, path, mode))
        def check(case: Any) -> None:
            sent = case.as_transport_kwargs(base_url="http://testserver")
            response = fuzzed.client.request(**{key: sent[key] for key in SENT if key in sent})
            statuses.append(response.status_code)
            case.validate_response(response, checks=CHECKS)

        check()
    assert statuses and max(statuses) < 500


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
EXAMPLES = [model.model_config["json_schema_extra"]["examples"][0] for model in STATEMENT_MODELS.values()]  # type: ignore[index]


@st.composite
def statement_like(draw: st.DrawFn) -> dict[str, Any]:
    """A valid example statement with up to three fields replaced by arbitrary JSON, and any signature."""
    statement = dict(draw(st.sampled_from(EXAMPLES)))
    for name in draw(st.lists(st.sampled_from(sorted(statement)), max_size=3)):
        statement[name] = draw(JSON)
    return {"statement": statement, "signature": draw(st.text(max_size=90))}


BODIES = (
    JSON
    | statement_like()
    | st.builds(lambda items: {"items": items}, st.lists(statement_like(), max_size=3))
)
POSTS = [
    "/streams/{id}/statements",
    "/statements/batch",
    "/auth/challenge",
    "/auth/token",
    "/actors/{id}/keys",
]
SEGMENT = st.uuids().map(str) | st.text(
    alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E, exclude_characters="/?#%\\"), max_size=12
)


@settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(route=st.sampled_from(POSTS), segment=SEGMENT, body=BODIES)
def test_statement_shaped_writes_are_refused_as_problems(
    served: Served, route: str, segment: str, body: Any
) -> None:
    response = served.client.post(route.replace("{id}", segment), json=body)
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        assert response.headers["content-type"] == "application/problem+json"
