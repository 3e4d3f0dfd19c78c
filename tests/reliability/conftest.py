"""Fixtures of the reliability suite: a private PostgreSQL cluster that tests may stop and restart.

Under ``CI=true`` a machine that cannot run one (no server binaries) fails the run; elsewhere the tests
that need it are skipped with the reason shown.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from ledger.settings import Settings
from tests.reliability.pgcluster import ClusterUnavailable, PrivateCluster, private_cluster


@pytest.fixture(scope="session")
def private_pg() -> Iterator[PrivateCluster]:
    """A PostgreSQL cluster of this test session alone, removed at the end."""
    try:
        cluster = private_cluster()
    except ClusterUnavailable as missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"a private PostgreSQL cluster is needed: {missing}")
        pytest.skip(f"a private PostgreSQL cluster is needed: {missing}")
    try:
        yield cluster
    finally:
        cluster.remove()


@pytest.fixture
def private_settings(private_pg: PrivateCluster, tmp_path: Path) -> Iterator[Settings]:
    """Settings of an empty ledger in a fresh database of the private cluster."""
    if not private_pg.running():
        private_pg.start()  # a failed test may have left it stopped
    database = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(private_pg.url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{database}"')
    url = private_pg.url.rsplit("/", 1)[0] + f"/{database}"
    yield Settings(
        database_url=url, home=tmp_path / "home", origin="test.example.org/ledger", cipher_key=None
    )
    with psycopg.connect(private_pg.url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
