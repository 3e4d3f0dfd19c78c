"""kill -9 in the middle of appends and log batches: after restart nothing accepted is lost, nothing
half-written is visible, the log catches up and the ledger verifies."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from ledger import keys
from ledger.settings import Settings
from ledger.system import open_ledger
from ledger.verify import verify_ledger
from tests.reliability.scale import sized
from tests.world import World, make_world

KILLS = sized(3, 12)


@pytest.fixture
def world(settings: Settings) -> Iterator[World]:
    w = make_world(settings)
    yield w
    w.system.close()


def test_writer_killed_mid_append_loses_nothing_accepted(world: World, settings: Settings) -> None:
    clerk = world.enrol(["BST"])
    member = world.member()
    key_path = settings.home / "clerk.pem"
    keys.save_private_key(clerk.key, key_path, None)
    args = [settings.database_url, str(settings.home), world.origin, clerk.id, str(key_path), member]
    accepted = 0
    for _round in range(KILLS):
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.reliability.writer", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ},
        )
        assert process.stdout is not None
        deadline = time.monotonic() + 60
        confirmed = 0
        while confirmed < 15 and time.monotonic() < deadline:  # appends the writer saw accepted
            line = process.stdout.readline()
            if not line:
                break
            confirmed = int(line)
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        assert confirmed >= 15, process.stderr.read() if process.stderr else ""
        accepted += confirmed

    restarted = open_ledger(settings)
    try:
        stream = restarted.ledger.read_stream(member)
        assert len(stream) - 1 >= accepted  # every confirmed append is there (one more may have landed)
        assert [record.statement["seq"] for record in stream] == list(range(1, len(stream) + 1))
        restarted.bring_log_up_to_date()
        report = verify_ledger(
            restarted.ledger, restarted.log, ledger_public_key=restarted.ledger.ledger_public_key, workers=1
        )
        assert report.ok, report.failures[:5]
        assert report.pending == 0 and report.leaves == report.statements
    finally:
        restarted.close()
