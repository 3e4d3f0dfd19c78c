"""Real ``ledger serve`` processes for the reliability tests, and what their access logs say afterwards."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from ledger.settings import Settings
from tests.reliability.pgcluster import free_port
from tests.test_cli import LEDGER


@dataclass
class Service:
    """One ``ledger serve`` process on a fixed loopback port, which a test may kill and start again."""

    settings: Settings
    log: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        """Its base URL."""
        return f"http://127.0.0.1:{self.port}"

    def spawn(self) -> None:
        """Start the process (its output is appended to ``log``)."""
        env = {
            **os.environ,
            "LEDGER_DATABASE_URL": self.settings.database_url,
            "LEDGER_HOME": str(self.settings.home),
        }
        command = [LEDGER, "serve", "--host", "127.0.0.1", "--port", str(self.port)]
        with self.log.open("a") as sink:
            self.process = subprocess.Popen(command, env=env, stdout=sink, stderr=sink)

    def wait_healthy(self, timeout: float = 60) -> None:
        """Block until ``/health`` answers; fail with the log's tail if the process died or took too long."""
        assert self.process is not None
        deadline = time.monotonic() + timeout
        while True:
            try:
                if httpx.get(f"{self.base}/health", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            assert self.process.poll() is None and time.monotonic() < deadline, self.log.read_text()[-3000:]
            time.sleep(0.1)

    def kill(self) -> None:
        """``kill -9``: no shutdown, whatever the process was doing."""
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=20)

    def stop(self) -> None:
        """Terminate gracefully, if running."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)


@contextmanager
def serve_many(settings: Settings, logs: list[Path]) -> Iterator[list[Service]]:
    """One ``ledger serve`` per log file over the same database (as several API processes behind a load
    balancer would be), started together; stopped afterwards."""
    services = [Service(settings, log) for log in logs]
    try:
        for service in services:
            service.spawn()
        for service in services:
            service.wait_healthy()
        yield services
    finally:
        for service in services:
            service.stop()


@contextmanager
def serve(settings: Settings, log: Path) -> Iterator[Service]:
    """One ``ledger serve`` process over ``settings``."""
    with serve_many(settings, [log]) as services:
        yield services[0]


def access_lines(log: Path) -> list[dict[str, Any]]:
    """The JSON access-log lines served processes wrote (one per request); a line cut short by a
    ``kill -9`` is left out."""
    lines = []
    for line in log.read_text().splitlines():
        if line.startswith("{"):
            try:
                lines.append(json.loads(line))
            except json.JSONDecodeError:
                continue
    return lines
