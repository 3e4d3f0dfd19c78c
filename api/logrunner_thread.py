"""Keeps the Merkle log up to date inside the service process (a thread following the event store)."""

from __future__ import annotations

import logging
import threading

from ledger.system import LedgerSystem

log = logging.getLogger("ledger.log")


class LogFollower:
    """Runs the log runner every ``interval`` seconds, or sooner when poked after a write."""

    def __init__(self, system: LedgerSystem, interval: float = 1.0) -> None:
        self.system = system
        self.interval = interval
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="log-follower", daemon=True)

    def start(self) -> None:
        """Start following."""
        self._thread.start()

    def poke(self) -> None:
        """Ask for a catch-up now (after a write)."""
        self._wake.set()

    def stop(self) -> None:
        """Finish the current batch and stop."""
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.system.bring_log_up_to_date()
            except Exception:
                log.exception("log runner failed; retrying")
            self._wake.wait(self.interval)
            self._wake.clear()
