"""The PostgreSQL connection pool across a database restart and an outage.

After a restart every idle pooled connection is dead. A request that meets one is answered 503 and
sweeps the pool (``LogStore.sweep_dead_connections``), so the requests after it find live connections;
while the server is down, a request fails after ``storage_wait_seconds``, not after half a minute.
"""

from __future__ import annotations

import time

import pytest
from eventsourcing.persistence import OperationalError
from fastapi.testclient import TestClient

from api.app import create_app
from ledger.settings import Settings
from ledger.system import init_ledger, open_ledger
from tests.reliability.pgcluster import PrivateCluster


def test_a_sweep_replaces_the_connections_a_restart_killed(
    private_pg: PrivateCluster, private_settings: Settings
) -> None:
    system = open_ledger(private_settings)
    try:
        before = system.log.size()
        private_pg.restart("fast")
        system.log.sweep_dead_connections(wait=True)
        assert [system.log.size() for _ in range(8)] == [before] * 8
    finally:
        system.close()


def test_without_a_sweep_a_dead_pooled_connection_fails_a_read(
    private_pg: PrivateCluster, private_settings: Settings
) -> None:
    """The reason for the sweep: the pool hands out a connection the restart killed."""
    system = open_ledger(private_settings)
    try:
        system.log.size()
        private_pg.restart("fast")
        with pytest.raises(OperationalError, match="terminating connection"):
            system.log.size()
    finally:
        system.close()


def test_the_service_answers_503_once_then_recovers_after_a_restart(
    private_pg: PrivateCluster, private_settings: Settings
) -> None:
    init_ledger(private_settings)
    with TestClient(create_app(private_settings, follow_log=False)) as client:
        assert client.get("/ready").status_code == 200
        private_pg.restart("fast")
        answers = [client.get("/ledger/checkpoint").status_code for _ in range(6)]
    assert 503 not in answers[1:], answers
    assert answers[-1] in (200, 404), answers


def test_a_read_while_the_database_is_down_fails_after_the_configured_wait(
    private_pg: PrivateCluster, private_settings: Settings
) -> None:
    settings = private_settings.model_copy(update={"storage_wait_seconds": 1})
    system = open_ledger(settings)
    try:
        system.log.size()
        private_pg.stop("fast")
        with pytest.raises(OperationalError, match="terminating connection"):
            system.log.size()
        system.log.sweep_dead_connections(wait=True)
        started = time.monotonic()
        with pytest.raises(OperationalError, match="couldn't get a connection"):
            system.log.size()
        waited = time.monotonic() - started
        assert 0.9 < waited < 3, f"waited {waited:.1f} s for a connection"
    finally:
        private_pg.start()
        system.close()
