"""The service around the routes: problem documents everywhere, size limits, access log, OpenAPI."""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.middleware import BATCH_LIMIT, SINGLE_LIMIT
from domain.statements import BODY_MODELS
from ledger.settings import Settings
from tests.api.conftest import Served, assert_problem


def test_unknown_routes_and_methods_are_problems(served: Served) -> None:
    assert_problem(served.client.get("/no/such/thing"), 404, "not-found")
    assert_problem(served.client.delete("/health"), 405, "method-not-allowed")
    assert_problem(served.client.post("/streams/not-a-uuid/statements", json={}), 422, "validation")


def test_a_body_that_is_not_json_is_a_validation_problem(served: Served) -> None:
    url = f"/streams/{uuid.uuid4()}/statements"
    for content in (b"", b"{", b"[1]", b"\xff\xfe", b'{"statement": 1e400}'):
        assert_problem(served.client.post(url, content=content), 422, "validation")


def test_bodies_over_the_limit_are_refused(served: Served) -> None:
    url = f"/streams/{uuid.uuid4()}/statements"
    big = b'{"x": "' + b"a" * SINGLE_LIMIT + b'"}'
    body = assert_problem(served.client.post(url, content=big), 413, "payload-too-large")
    assert body["limit"] == SINGLE_LIMIT

    def chunks() -> Iterator[bytes]:
        yield b'{"x": "'
        for _ in range(17):
            yield b"a" * 65536
        yield b'"}'

    assert_problem(served.client.post(url, content=chunks()), 413, "payload-too-large")
    assert_problem(served.client.post("/auth/token", content=chunks()), 413, "payload-too-large")
    batch = served.client.post(
        "/statements/batch", content=b'{"items": [], "x": "' + b"a" * SINGLE_LIMIT + b'"}'
    )
    assert_problem(batch, 422, "validation")  # a batch may be larger than one statement
    huge = b" " * (BATCH_LIMIT + 1)
    assert_problem(served.client.post("/statements/batch", content=huge), 413, "payload-too-large")


def test_an_unexpected_failure_is_a_problem_without_traceback(settings: Settings, served: Served) -> None:
    def broken(*_: object) -> None:
        raise RuntimeError("secret internals")

    with TestClient(create_app(settings, follow_log=False), raise_server_exceptions=False) as client:
        client.app.state.system.ledger.append_many = broken  # type: ignore[attr-defined]
        clerk = served.world.enrol(["BST"])
        statement, signature = served.world.statement(
            str(uuid.uuid4()), "ParticipationRecorded", {"kind": "org_life"}, clerk
        )
        response = client.post(
            f"/streams/{statement['stream']}/statements",
            json={"statement": statement, "signature": signature},
        )
    body = assert_problem(response, 500, "internal-error")
    assert "secret" not in response.text and "Traceback" not in json.dumps(body)


def test_each_request_leaves_one_json_log_line_without_ids(
    served: Served, caplog: pytest.LogCaptureFixture
) -> None:
    member = str(uuid.uuid4())
    with caplog.at_level(logging.INFO, logger="ledger.access"):
        served.client.get(f"/streams/{member}/head")
    lines = [json.loads(record.getMessage()) for record in caplog.records if record.name == "ledger.access"]
    assert len(lines) == 1
    assert lines[0]["route"] == "/streams/{id}/head" and lines[0]["status"] == 401
    assert member not in caplog.text


def test_the_openapi_page_documents_every_statement_type(served: Served) -> None:
    schema = served.client.get("/openapi.json").json()
    components = schema["components"]["schemas"]
    union = components["SignedStatement"]["properties"]["statement"]
    assert set(union["discriminator"]["mapping"]) == {*BODY_MODELS, "KeyEnrolled", "KeyRevoked"}
    for name in union["discriminator"]["mapping"]:
        variant = components[f"{name}Statement"]
        assert variant["properties"]["type"]["const"] == name
        assert variant["examples"][0]["type"] == name
    write = schema["paths"]["/streams/{id}/statements"]["post"]
    assert write["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/SignedStatement")
    assert "/statements/batch" in schema["paths"] and "/auth/token" in schema["paths"]


def test_transparency_can_require_a_token(settings: Settings, served: Served) -> None:
    closed = settings.model_copy(update={"public_transparency": False})
    with TestClient(create_app(closed, follow_log=False)) as client:
        assert_problem(client.get("/ledger/checkpoint"), 401, "unauthenticated")
    assert served.client.get("/ledger/checkpoint").status_code == 200
