"""HTTP appends with N concurrent clients against a real ``ledger serve`` subprocess.

A sandbox world (a branch, its clerk, members confirmed lost) is built on a fresh database; the service is
started on it; each of N threads signs in with the SDK (``api.client.LedgerClient``) as the clerk and submits
pre-signed search attempts for its own members (no stale heads: signing is client work and not timed),
one statement per request. Figures: statements/s over the whole run and p50/p99 request latency, beside
the raw eventsourcing save rate (one unsigned event per save) measured in the same run, before and after.
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from api.client import LedgerClient
from bench.kernel import Figure, fresh_scene, signed_statements
from ledger import keys
from ledger.canonical import canonical
from ledger.events import StatementRecorded
from ledger.settings import Settings
from ledger.store import LedgerApplication

CLIENTS = (1, 4, 16)
MEMBERS = 64
"""Members in the scene (a multiple of the largest client count: each thread owns its members)."""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(settings: Settings, port: int) -> subprocess.Popen[bytes]:
    """``ledger serve`` on ``settings``' database; returns once ``/ready`` answers."""
    env = {**os.environ, "LEDGER_DATABASE_URL": settings.database_url, "LEDGER_HOME": str(settings.home)}
    ledger_cli = Path(sys.executable).parent / "ledger"
    server = subprocess.Popen(
        [str(ledger_cli), "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"ledger serve exited with {server.returncode}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/ready", timeout=1).is_success:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    server.kill()
    raise RuntimeError("ledger serve did not become ready in 60 s")


def _raw_save_rate(settings: Settings, items: list[tuple[dict[str, Any], str]]) -> float:
    app = LedgerApplication(env={**settings.persistence_env()})
    try:
        events = [
            StatementRecorded(originator_id=uuid.uuid4(), originator_version=1, timestamp=datetime.now(UTC),
                              statement=canonical(s).decode(), hash="0" * 64, signature=sig,
                              recorded_at="2026-03-14T00:00:00.000000Z")
            for s, sig in items
        ]  # fmt: skip
        started = time.perf_counter()
        for event in events:
            app.save(event)
        return len(events) / (time.perf_counter() - started)
    finally:
        app.close()


def bench_http(settings: Settings, per_run: int, tick: Any = None) -> list[Figure]:
    """Statements/s and p50/p99 latency for 1, 4 and 16 clients, and the raw save rate of the same run."""
    figures: list[Figure] = []
    with fresh_scene(settings, members=MEMBERS) as scene:
        key_path = settings.home / "bench-clerk.pem"
        keys.save_private_key(scene.clerk.key, key_path, None, overwrite=True)
        raw_items = signed_statements(scene, per_run)  # never appended: only their payloads are saved raw
        raw_before = _raw_save_rate(settings, raw_items[: per_run // 2])
        port = _free_port()
        server = start_server(settings, port)
        try:
            runs = []
            for n in CLIENTS:
                rate, latencies = _run_clients(scene, f"http://127.0.0.1:{port}", key_path, n, per_run)
                runs.append((n, rate, latencies))
                if tick is not None:
                    tick(1)
        finally:
            server.terminate()
            server.wait(timeout=30)
        raw_after = _raw_save_rate(settings, raw_items[per_run // 2 :])
    raw = (raw_before + raw_after) / 2
    for n, rate, latencies in runs:
        latencies.sort()
        figures.append(Figure(f"HTTP append, {n} client{'s' if n > 1 else ''}", rate, "statements/s", raw))
        figures.append(Figure(f"  latency p50, {n} clients", _pct(latencies, 50) * 1e3, "ms"))
        figures.append(Figure(f"  latency p99, {n} clients", _pct(latencies, 99) * 1e3, "ms"))
    figures.append(Figure("  raw eventsourcing save, 1 per save", raw, "events/s"))
    return figures


def _pct(values: list[float], p: float) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1]


def _run_clients(scene: Any, base: str, key_path: Path, n: int, count: int) -> tuple[float, list[float]]:
    items = signed_statements(scene, count)
    order = {m: i for i, m in enumerate(scene.members)}
    shares: list[list[tuple[dict[str, Any], str]]] = [[] for _ in range(n)]
    for item in items:
        shares[order[item[0]["stream"]] % n].append(item)
    clients = [LedgerClient(base, scene.clerk.id, key_path) for _ in range(n)]
    for client in clients:
        client.sign_in()
    latencies: list[list[float]] = [[] for _ in range(n)]
    errors: list[BaseException] = []
    barrier = threading.Barrier(n + 1)

    def work(i: int) -> None:
        try:
            barrier.wait()
            for statement, signature in shares[i]:
                started = time.perf_counter()
                clients[i].submit(statement, signature)
                latencies[i].append(time.perf_counter() - started)
        except BaseException as error:  # reported after the join
            errors.append(error)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    for client in clients:
        client.close()
    if errors:
        raise RuntimeError(f"HTTP append failed: {errors[0]!r}")
    return count / elapsed, [x for share in latencies for x in share]
