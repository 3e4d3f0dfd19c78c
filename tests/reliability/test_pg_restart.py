"""PostgreSQL restarted under load, and the service killed with ``kill -9`` mid-append: writers see 503
problems (never a 500) or a dropped connection, the SDK rides each outage out without doubling a write,
and afterwards every acknowledged statement is stored exactly once, the log catches up, verify passes."""

from __future__ import annotations

import threading
import time
from dataclasses import asdict
from pathlib import Path

import httpx
import pytest

from api.client import LedgerApiError, LedgerClient
from ledger import keys
from ledger.settings import Settings
from tests.reliability.load import DUES, Tally, Writer, check_exactly_once
from tests.reliability.pgcluster import PrivateCluster
from tests.reliability.scale import sized
from tests.reliability.served import access_lines, serve
from tests.world import make_world

WRITERS = sized(4, 8)
BETWEEN = sized(8, 150)  # appends acknowledged between two outages
CYCLES = sized(1, 4)  # each: restart -m fast, restart -m immediate, a stop with checks while down, kill -9


def test_writers_ride_out_database_restarts_and_a_killed_service(
    private_pg: PrivateCluster, private_settings: Settings, tmp_path: Path
) -> None:
    settings = private_settings
    world = make_world(settings)
    clerk = world.enrol(["BST"])
    shared = world.member("共享")
    own = [world.member(f"党员{n}") for n in range(WRITERS)]
    probe_member = world.member("探测")
    world.system.close()
    key_file = tmp_path / "clerk.pem"
    keys.save_private_key(clerk.key, key_file, None)
    log = tmp_path / "serve.log"
    tally, stop = Tally(), threading.Event()

    with serve(settings, log) as service, LedgerClient(service.base, clerk.id, key_file) as probe:
        base = service.base
        writers = [Writer(base, n, clerk.id, key_file, own[n], shared, tally, stop) for n in range(WRITERS)]
        threads = [
            threading.Thread(target=writer.run, name=f"writer-{n}") for n, writer in enumerate(writers)
        ]
        for thread in threads:
            thread.start()
        try:
            for _cycle in range(CYCLES):
                tally.wait_for(BETWEEN)
                private_pg.restart("fast")
                tally.wait_for(BETWEEN)
                private_pg.restart("immediate")
                tally.wait_for(BETWEEN)
                head = probe.head(probe_member)
                item = probe.sign(
                    probe_member, "ParticipationRecorded", DUES, "2026-03-14", seq=head[0] + 1, prev=head[1]
                )
                # The writers pause so that the service's pool still holds connections the crash killed:
                # the probe's write meets one at once (a pool with none would wait its connect timeout).
                tally.pause(WRITERS)
                private_pg.stop("immediate")
                try:
                    _check_answers_while_down(base, item)
                finally:
                    private_pg.start()
                    tally.go.set()
                receipt = probe.submit(*item)  # the same signed statement, once the database is back
                with pytest.raises(LedgerApiError) as again:  # and again, as a new request: recognised
                    probe.submit(*item)
                assert again.value.type == "already-recorded"
                assert again.value.problem["receipts"] == [asdict(receipt)]
                tally.wait_for(BETWEEN)
                service.kill()  # mid-append, log runner included; the writers' connections drop
                service.spawn()
                service.wait_healthy()
                tally.wait_for(BETWEEN)
        finally:
            stop.set()
            for thread in threads:
                thread.join(timeout=120)
        assert not any(thread.is_alive() for thread in threads)

    statuses = [line["status"] for line in access_lines(log)]
    assert 500 not in statuses
    assert statuses.count(503) >= CYCLES  # the probes' writes at least: clients were told, not left hanging
    check_exactly_once(settings, tally)


def _check_answers_while_down(base: str, item: tuple[dict[str, object], str]) -> None:
    """With the database stopped: readiness says not ready, a write gets a 503 problem with Retry-After."""
    statement, signature = item
    write = httpx.post(
        f"{base}/streams/{statement['stream']}/statements",
        json={"statement": statement, "signature": signature},
        timeout=30,
    )
    assert write.status_code == 503, write.text
    assert write.headers["content-type"] == "application/problem+json"
    assert write.json()["type"] == "storage-unavailable"
    assert int(write.headers["Retry-After"]) >= 1
    started = time.monotonic()
    ready = httpx.get(f"{base}/ready", timeout=30)
    assert ready.status_code == 503, ready.text
    assert ready.json()["type"] == "storage-unavailable"
    assert time.monotonic() - started < 5  # readiness does not wait for the pool's connect timeout
    assert httpx.get(f"{base}/health", timeout=5).status_code == 200  # the process itself stays up
