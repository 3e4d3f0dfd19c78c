"""Fixtures for the page tests: a small demo ledger per backend (built once per module) behind the ASGI app,
and sign-in helpers that go through the same challenge, token and session cookie as the browser."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.auth import sign_challenge
from api.demo.run import run_demo
from ledger import keys
from ledger.settings import Settings
from tests.conftest import PG_URL, require_postgres

MEMBERS = 40
HTML = {"accept": "text/html,application/xhtml+xml"}


@dataclass
class Demo:
    """A demo ledger served by the ASGI app, and its keystore index."""

    settings: Settings
    client: TestClient
    index: list[dict[str, Any]]

    def actor(self, role: str, unit_name: str | None = None) -> dict[str, Any]:
        """The first demo actor holding ``role`` (in the named unit, when given)."""
        return next(
            a for a in self.index if role in a["roles"] and (unit_name is None or a["unit_name"] == unit_name)
        )

    def token(self, actor: dict[str, Any]) -> str:
        """A fresh token for a demo actor, signed with its key file."""
        key = keys.load_private_key(actor["key"], None)
        key_id = keys.key_id(key.public_key())
        challenge = self.client.post("/auth/challenge", json={"actor": actor["actor"], "key": key_id}).json()
        answer = self.client.post(
            "/auth/token",
            json={
                "actor": actor["actor"],
                "key": key_id,
                "nonce": challenge["nonce"],
                "signature": sign_challenge(key, challenge["origin"], challenge["nonce"]),
            },
        )
        assert answer.status_code == 200, answer.text
        return str(answer.json()["access_token"])

    def sign_in(self, actor: dict[str, Any]) -> None:
        """Open a page session (HttpOnly cookie) for ``actor``."""
        self.client.cookies.clear()
        response = self.client.post("/ui/session", json={"token": self.token(actor)})
        assert response.status_code == 204, response.text


def _schema() -> str:
    require_postgres()
    schema = f"t_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    return schema


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def demo(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    """A demo ledger of ``MEMBERS`` members on each backend, served by the real ASGI app."""
    tmp = tmp_path_factory.mktemp(f"pages-{request.param}")
    schema = _schema() if request.param == "postgres" else None
    url = f"{PG_URL}?schema={schema}" if schema else f"sqlite:///{tmp / 'ledger.sqlite'}"
    settings = Settings(
        database_url=url, home=tmp / "home", origin="pages.example.org/ledger", cipher_key=None
    )
    try:
        run_demo(settings, seed=4, members=MEMBERS)
        index = json.loads((Path(settings.home) / "demo-keys" / "index.json").read_text(encoding="utf-8"))
        with TestClient(create_app(settings, follow_log=False)) as client:
            yield Demo(settings, client, index)
    finally:
        if schema:
            with psycopg.connect(PG_URL, autocommit=True) as conn:
                conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
