"""A real ``ledger serve`` process on a free loopback port, driven by the Python SDK."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from api.client import LedgerApiError, LedgerClient
from ledger import keys
from ledger.settings import Settings
from tests.test_cli import LEDGER
from tests.world import World, make_world


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def server(settings: Settings, tmp_path: Path) -> Iterator[tuple[str, World, Path]]:
    world = make_world(settings)
    port = free_port()
    env = {**os.environ, "LEDGER_DATABASE_URL": settings.database_url, "LEDGER_HOME": str(settings.home)}
    log = tmp_path / "serve.log"
    with log.open("w") as sink:
        process = subprocess.Popen(
            [LEDGER, "serve", "--host", "127.0.0.1", "--port", str(port)], env=env, stdout=sink, stderr=sink
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
        yield base, world, log
    finally:
        process.terminate()
        process.wait(timeout=20)
        world.system.close()


def test_the_sdk_drives_a_served_ledger(server: tuple[str, World, Path], tmp_path: Path) -> None:
    base, world, log = server
    clerk = world.enrol(["BST"])
    member = world.member()
    key_file = tmp_path / "clerk.pem"
    keys.save_private_key(clerk.key, key_file, None)
    with LedgerClient(base, clerk.id, key_file, verifier_key=world.system.verifier_key()) as sdk:
        receipts = [
            sdk.append(
                member,
                "ParticipationRecorded",
                {"kind": "dues", "period": p, "amount_fen": 2000},
                "2026-03-14",
            )
            for p in ("2026-01", "2026-02")
        ]
        assert [r.seq for r in receipts] == [2, 3]
        inclusion = sdk.verify_inclusion(receipts[-1].hash, wait=15)
        assert inclusion.tree_size >= inclusion.position + 1
        with pytest.raises(LedgerApiError) as refused:
            sdk.submit(
                *sdk.sign(
                    member, "ParticipationRecorded", {"kind": "org_life"}, "2026-03-14", seq=2, prev="0" * 64
                )
            )
        assert refused.value.type == "stale-head"
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    assert any(line["route"] == "/streams/{id}/statements" and line["status"] == 201 for line in lines)
    assert member not in log.read_text()
