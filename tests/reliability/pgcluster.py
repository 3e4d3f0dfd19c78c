"""A private PostgreSQL cluster that a test may stop, crash and restart without touching anyone else's.

The shared server on 127.0.0.1:5432 serves other tests running at the same time, so outage tests get a
cluster of their own: ``initdb`` into a temporary folder, trust authentication, a free loopback port.
As root the server programs run as the ``postgres`` user (``initdb`` refuses to run as root).
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg

BIN_GLOB = "/usr/lib/postgresql/*/bin"


class ClusterUnavailable(Exception):
    """This machine cannot run a private cluster (no server binaries, no ``postgres`` user)."""


def server_bin() -> Path:
    """The newest installed PostgreSQL server's ``bin`` folder, found at run time."""
    found = sorted(
        (path for path in Path("/").glob(BIN_GLOB.lstrip("/")) if (path / "initdb").exists()),
        key=lambda path: [int(part) for part in re.findall(r"\d+", path.parent.name)],
    )
    if not found:
        raise ClusterUnavailable(f"no PostgreSQL server binaries under {BIN_GLOB}")
    return found[-1]


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class PrivateCluster:
    """One throwaway PostgreSQL cluster: start, stop (``fast`` or ``immediate``), restart, remove."""

    bin: Path
    root: Path
    port: int

    @property
    def data(self) -> Path:
        """The cluster's data directory."""
        return self.root / "data"

    @property
    def url(self) -> str:
        """The URL of its ``postgres`` database."""
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str, timeout: float = 60) -> str:
        command = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"{args[0]} {args[1] if len(args) > 1 else ''} failed: {done.stderr.strip()}")
        return done.stdout

    def create(self) -> None:
        """``initdb`` with trust authentication; durability settings off (no test here survives the OS)."""
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync")
        options = {
            "port": str(self.port),
            "listen_addresses": "'127.0.0.1'",
            "unix_socket_directories": f"'{self.root}'",
            # Process kills and immediate shutdowns keep what reached the OS: fsync guards only against an
            # OS crash, which no test simulates, and costs seconds on a shared disk.
            "fsync": "off",
            "max_connections": "100",
        }
        with (self.data / "postgresql.conf").open("a", encoding="utf-8") as conf:
            conf.writelines(f"{name} = {value}\n" for name, value in options.items())

    def start(self) -> None:
        """Start and wait until it accepts connections."""
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "server.log"), "-w", "start")
        self.wait_ready()

    def stop(self, mode: str = "fast") -> None:
        """Stop: ``fast`` rolls back open transactions and closes sessions; ``immediate`` is a crash."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def restart(self, mode: str = "fast") -> None:
        """Stop in ``mode`` and start again."""
        self._run(
            "pg_ctl", "-D", str(self.data), "-m", mode, "-l", str(self.root / "server.log"), "-w", "restart"
        )
        self.wait_ready()

    def running(self) -> bool:
        """Whether the server process is up."""
        command = [str(self.bin / "pg_ctl"), "-D", str(self.data), "status"]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, capture_output=True, check=False).returncode == 0

    def wait_ready(self, timeout: float = 30) -> None:
        """Block until a connection succeeds (crash recovery may follow an immediate stop)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                with psycopg.connect(self.url, connect_timeout=2) as conn:
                    conn.execute("SELECT 1")
                return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def remove(self) -> None:
        """Stop if running and delete every file."""
        if self.data.exists() and self.running():
            self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)


def private_cluster() -> PrivateCluster:
    """Create and start a new private cluster (the caller removes it)."""
    binaries = server_bin()
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            raise ClusterUnavailable("running as root needs a 'postgres' user to own the cluster") from None
    root = Path(tempfile.mkdtemp(prefix="ledger-pg-"))
    cluster = PrivateCluster(bin=binaries, root=root, port=free_port())
    try:
        cluster.create()
        cluster.start()
    except BaseException:
        cluster.remove()
        raise
    return cluster
