"""Writers driving a served ledger through the SDK, and the checks every load test ends with.

Each writer appends dues payments to a member only it writes to and, every ``shared_every`` appends, to
one member all writers share. It keeps what the server acknowledged; the checks compare that with what
the database holds: every acknowledged statement exactly once, nothing stored that nobody was told of,
chains intact, the Merkle log complete without gap or duplicate, and ``ledger verify`` passing.
"""

from __future__ import annotations

import json
import os
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from api.client import LedgerApiError, LedgerClient
from ledger.settings import Settings
from ledger.system import open_ledger
from ledger.verify import verify_ledger
from tests.test_cli import LEDGER

DUES = {"kind": "dues", "period": "2026-01", "amount_fen": 2000}


def dues(writer: int, n: int) -> dict[str, object]:
    """A dues payment no other writer makes: byte-identical statements are one statement (a replay)."""
    return {**DUES, "period": f"20{10 + n // 12 % 16}-{n % 12 + 1:02d}", "amount_fen": 2000 + writer}


@dataclass
class Tally:
    """What the writers were told, shared between their threads."""

    acknowledged: dict[str, list[str]] = field(default_factory=dict)
    stale: int = 0
    failures: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    go: threading.Event = field(default_factory=threading.Event)
    parked: int = 0

    def __post_init__(self) -> None:
        self.go.set()

    def pause(self, writers: int, timeout: float = 60) -> None:
        """Hold every writer before its next append; return once all ``writers`` are parked."""
        self.go.clear()
        deadline = time.monotonic() + timeout
        while True:
            with self.lock:
                if self.parked == writers:
                    return
            assert time.monotonic() < deadline, "the writers did not pause"
            time.sleep(0.02)

    def park(self, stop: threading.Event) -> None:
        """Called by a writer before each append: wait while paused."""
        if self.go.is_set():
            return
        with self.lock:
            self.parked += 1
        while not self.go.wait(0.1) and not stop.is_set():
            pass
        with self.lock:
            self.parked -= 1

    def count(self) -> int:
        """How many appends were acknowledged so far."""
        with self.lock:
            return sum(len(hashes) for hashes in self.acknowledged.values())

    def wait_for(self, more: int, timeout: float = 90) -> None:
        """Block until ``more`` further appends are acknowledged (fails the test after ``timeout`` s)."""
        target = self.count() + more
        deadline = time.monotonic() + timeout
        while self.count() < target:
            assert not self.failures, self.failures[:3]
            assert time.monotonic() < deadline, f"only {self.count()} of {target} appends acknowledged"
            time.sleep(0.05)


@dataclass
class Writer:
    """One SDK client appending until stopped; errors other than a lost race are recorded as failures."""

    base: str
    number: int
    actor: str
    key_file: Path
    own: str
    shared: str
    tally: Tally
    stop: threading.Event
    shared_every: int = 3

    def run(self) -> None:
        """Append until ``stop`` is set."""
        with LedgerClient(self.base, self.actor, self.key_file) as sdk:
            n = 0
            while not self.stop.is_set():
                self.tally.park(self.stop)
                member = self.shared if n % self.shared_every == self.shared_every - 1 else self.own
                n += 1
                try:
                    body = dues(self.number, n)
                    receipt = sdk.append(member, "ParticipationRecorded", body, "2026-03-14")
                except LedgerApiError as refusal:
                    with self.tally.lock:
                        if refusal.type == "stale-head" and member == self.shared:
                            self.tally.stale += 1
                        else:
                            self.tally.failures.append(str(refusal))
                    continue
                except Exception as error:  # the test reports it; a writer thread must not die silently
                    with self.tally.lock:
                        self.tally.failures.append(f"{type(error).__name__}: {error}")
                    return
                with self.tally.lock:
                    self.tally.acknowledged.setdefault(member, []).append(receipt.hash)


def check_exactly_once(
    settings: Settings, tally: Tally, *, cli: bool = True, log_timeout: float = 60
) -> None:
    """Every acknowledged statement is stored once, nothing else was stored on the written members,
    chains are intact, the served log follower caught up without gap or duplicate, and verify passes
    (``ledger verify`` as an operator runs it, or its function in this process when ``cli`` is false)."""
    assert not tally.failures, tally.failures[:5]
    system = open_ledger(settings)
    report: dict[str, Any] = {}
    try:
        for member, hashes in tally.acknowledged.items():
            stored = [record.hash for record in system.ledger.read_stream(member)]
            unacknowledged = set(stored[1:]) - set(hashes)  # seq 1 is the registration
            lost = set(hashes) - set(stored)
            assert not lost and not unacknowledged, (member, len(stored), len(hashes), lost, unacknowledged)
            assert len(stored) - 1 == len(hashes), (member, "an acknowledgement repeated")
            assert len(set(stored)) == len(stored)
        deadline = time.monotonic() + log_timeout
        while system.log.tracked_notification_id() < system.ledger.max_notification_id():
            assert time.monotonic() < deadline, "the service's log follower did not catch up"
            time.sleep(0.2)
        size = system.log.size()
        leaves = system.log.leaves(0, size)
        assert [leaf.position for leaf in leaves] == list(range(size))
        assert len({leaf.statement_hash for leaf in leaves}) == size
        acknowledged = {h for hashes in tally.acknowledged.values() for h in hashes}
        assert acknowledged <= {leaf.statement_hash for leaf in leaves}
        if not cli:
            checked = verify_ledger(
                system.ledger, system.log, ledger_public_key=system.ledger.ledger_public_key, workers=1
            )
            report = {
                "ok": checked.ok,
                "failures": checked.failures,
                "pending": checked.pending,
                "leaves": checked.leaves,
                "statements": checked.statements,
            }
    finally:
        system.close()
    if cli:
        report = ledger_verify(settings)
    assert report["ok"], report["failures"][:5]
    assert report["pending"] == 0 and report["leaves"] == report["statements"] == size


def ledger_verify(settings: Settings) -> dict[str, Any]:
    """Run ``ledger verify --json`` as an operator would; its report."""
    env = {**os.environ, "LEDGER_DATABASE_URL": settings.database_url, "LEDGER_HOME": str(settings.home)}
    done = subprocess.run(
        [LEDGER, "verify", "--json", "--workers", "1"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert done.stdout.strip(), done.stderr
    report: dict[str, Any] = json.loads(done.stdout)
    assert (done.returncode == 0) == bool(report["ok"]), done.stderr
    return report
