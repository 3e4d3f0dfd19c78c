"""Fixtures: every storage test runs on SQLite and on PostgreSQL (a fresh schema per test).

Under ``CI=true`` a PostgreSQL server that cannot be reached fails the run; elsewhere its tests are
skipped with the reason shown. The suite runs on two xdist workers (pyproject's addopts): every ledger here
is private to its test (its own SQLite file under the worker's tmp_path, its own PostgreSQL schema), so the
workers share nothing but the server.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from hypothesis import settings as hypothesis_settings

from ledger.settings import Settings

# No per-example deadline: property tests prove behaviour, not speed (speed belongs in bench/), and two
# workers on a shared machine make an example's wall time meaningless. Tests set their own sizes.
hypothesis_settings.register_profile("ledger", deadline=None)
hypothesis_settings.load_profile("ledger")

PG_URL = os.environ.get("LEDGER_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
_pg_checked: dict[str, str | None] = {}


def postgres_problem() -> str | None:
    """None when the test PostgreSQL server answers, else why not."""
    if "result" not in _pg_checked:
        try:
            with psycopg.connect(PG_URL, connect_timeout=3) as conn:
                conn.execute("SELECT 1")
            _pg_checked["result"] = None
        except psycopg.Error as error:
            _pg_checked["result"] = f"PostgreSQL at {PG_URL} is not reachable: {error}".splitlines()[0]
    return _pg_checked["result"]


def require_postgres() -> None:
    """Fail under CI, skip elsewhere, when PostgreSQL is missing."""
    problem = postgres_problem()
    if problem is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(problem)
    pytest.skip(problem)


@pytest.fixture
def pg_schema() -> Iterator[str]:
    """A fresh PostgreSQL schema, dropped afterwards."""
    require_postgres()
    schema = f"t_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield schema
    finally:
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def settings_for(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Settings:
    """Settings for a throwaway ledger on the given backend."""
    home = tmp_path / "home"
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'ledger.sqlite'}"
    else:
        schema = request.getfixturevalue("pg_schema")
        url = f"{PG_URL}?schema={schema}"
    return Settings(database_url=url, home=home, origin="test.example.org/ledger", cipher_key=None)


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request: pytest.FixtureRequest) -> str:
    """The storage engine under test."""
    return str(request.param)


@pytest.fixture
def settings(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Settings:
    """Settings of an empty ledger on the backend under test."""
    return settings_for(backend, tmp_path, request)
