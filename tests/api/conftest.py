"""Fixtures for the HTTP tests: a served world on both backends, a fake sign-in clock, a signed-in client."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.auth import sign_challenge
from ledger.settings import Settings
from tests.world import Actor, World, make_world


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = datetime(2026, 3, 14, 8, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class Served:
    """A world, its HTTP client, and the sign-in clock."""

    world: World
    client: TestClient
    clock: FakeClock

    def sign_in(self, actor: Actor) -> dict[str, str]:
        """The Authorization header of a fresh token for ``actor``."""
        key = _key_id(actor)
        challenge = self.client.post("/auth/challenge", json={"actor": actor.id, "key": key}).json()
        signature = sign_challenge(actor.key, challenge["origin"], challenge["nonce"])
        answer = self.client.post(
            "/auth/token",
            json={"actor": actor.id, "key": key, "nonce": challenge["nonce"], "signature": signature},
        )
        assert answer.status_code == 200, answer.text
        return {"Authorization": f"Bearer {answer.json()['access_token']}"}

    def submit(self, statement: dict[str, Any], signature: str, **kw: Any) -> Any:
        """POST one signed statement to its stream."""
        return self.client.post(
            f"/streams/{statement['stream']}/statements",
            json={"statement": statement, "signature": signature},
            **kw,
        )


def _key_id(actor: Actor) -> str:
    from ledger.keys import key_id

    return key_id(actor.key.public_key())


@pytest.fixture
def served(settings: Settings) -> Iterator[Served]:
    """An initialised ledger behind the real ASGI app (no log thread; tests bring the log up to date)."""
    world = make_world(settings)
    clock = FakeClock()
    with TestClient(create_app(settings, follow_log=False, clock=clock)) as client:
        yield Served(world, client, clock)
    world.system.close()


def assert_problem(response: Any, status: int, code: str) -> dict[str, Any]:
    """The response is an RFC 9457 problem of this status and type; returns its body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["type"] == code and body["status"] == status
    assert body["title"] and body["detail"] and code in body["failures"]
    assert "Traceback" not in response.text
    return body
