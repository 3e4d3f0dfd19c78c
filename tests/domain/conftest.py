"""The §7 scenario stories (tests/domain/test_engine_*.py) run three ways: on the pure engine, and
through a real ledger on SQLite and on PostgreSQL (tests/domain/ledger_driver.py)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from ledger.settings import Settings
from tests.conftest import PG_URL, require_postgres
from tests.domain import engine_world
from tests.domain.ledger_driver import LedgerDriver

STORY_BACKENDS = ["engine", "sqlite", "postgres"]
_SCHEMAS: list[str] = []


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Every story test gets the ``story_backend`` parameter."""
    if (
        metafunc.module.__name__.split(".")[-1].startswith("test_engine_")
        and "story_backend" in metafunc.fixturenames
    ):
        metafunc.parametrize("story_backend", STORY_BACKENDS, indirect=True)


@pytest.fixture(scope="session")
def _drivers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, LedgerDriver]]:
    drivers: dict[str, LedgerDriver] = {}
    yield drivers
    for driver in drivers.values():
        driver.close()
    if _SCHEMAS:
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            for schema in _SCHEMAS:
                conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def _driver(backend: str, drivers: dict[str, LedgerDriver], root: Path) -> LedgerDriver:
    if backend not in drivers:
        if backend == "sqlite":
            url = f"sqlite:///{root / 'stories.sqlite'}"
        else:
            require_postgres()
            schema = f"stories_{uuid.uuid4().hex[:12]}"
            with psycopg.connect(PG_URL, autocommit=True) as conn:
                conn.execute(f'CREATE SCHEMA "{schema}"')
            _SCHEMAS.append(schema)
            url = f"{PG_URL}?schema={schema}"
        settings = Settings(
            database_url=url, home=root / f"{backend}-home", origin=engine_world.ORIGIN, cipher_key=None
        )
        drivers[backend] = LedgerDriver(settings)
    return drivers[backend]


@pytest.fixture(autouse=True)
def story_backend(
    request: pytest.FixtureRequest,
    _drivers: dict[str, LedgerDriver],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[str]:
    """Route ``Member.add``/``try_`` to the chosen backend for the duration of one story."""
    backend = getattr(request, "param", "engine")
    if backend == "engine":
        yield backend
        return
    driver = _driver(backend, _drivers, tmp_path_factory.getbasetemp())
    engine_world.DRIVER = driver
    try:
        yield backend
    finally:
        engine_world.DRIVER = None
