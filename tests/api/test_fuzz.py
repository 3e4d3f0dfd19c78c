"""Generated requests over every route of the OpenAPI page: never a 5xx, always a problem document.

An in-house stand-in for schemathesis: arbitrary JSON, statement-shaped JSON with fields replaced by
arbitrary values, and odd path and query values.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.schemas import STATEMENT_MODELS
from tests.api.conftest import Served

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
GETS = [
    "/streams/{id}/head",
    "/streams/{id}",
    "/access-log",
    "/access-log/verify",
    "/members",
    "/members/{id}/status",
    "/members/{id}/dossier",
    "/members/{id}/bundle",
    "/members/{id}/dossier.pdf",
    "/units/{id}/registers/roster",
    "/units/{id}/registers/{id}",
    "/units/{id}/statistics",
    "/units/{id}/lookback",
    "/overdue",
    "/ledger/proof/inclusion",
    "/ledger/proof/consistency",
    "/ledger/leaves",
]
SEGMENT = st.uuids().map(str) | st.text(
    alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E, exclude_characters="/?#%\\"), max_size=12
)
QUERY = st.dictionaries(
    st.sampled_from(
        [
            *("hash", "position", "tree_size", "first", "second", "start", "end", "member", "since", "limit"),
            *("unit", "as_of", "basis", "page", "per_page", "name", "overdue", "cause", "format", "campaign"),
        ]
    ),
    st.integers(-5, 2**64) | st.text(max_size=70),
    max_size=3,
)


def _assert_handled(response: Any) -> None:
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        assert response.headers["content-type"] == "application/problem+json"


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(route=st.sampled_from(POSTS), segment=SEGMENT, body=BODIES)
def test_generated_writes_never_fail_the_server(served: Served, route: str, segment: str, body: Any) -> None:
    _assert_handled(served.client.post(route.replace("{id}", segment), json=body))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(route=st.sampled_from(GETS), segment=SEGMENT, query=QUERY)
def test_generated_reads_never_fail_the_server(
    served: Served, route: str, segment: str, query: dict[str, Any]
) -> None:
    _assert_handled(served.client.get(route.replace("{id}", segment), params=query))
