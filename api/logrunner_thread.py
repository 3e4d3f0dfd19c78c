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
        self._passes = threading.Condition()
        self._started = 0
        self._finished = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="log-follower", daemon=True)

    def start(self) -> None:
        """Start following."""
        self._thread.start()

    def poke(self) -> None:
        """Ask for a catch-up now (after a write)."""
        self._wake.set()

    def sync(self, timeout: float = 10.0) -> bool:
        """Wait until a pass begun after this call has finished: the log covers what was stored before it.

        False when no such pass finished within ``timeout`` seconds (the follower is stopped or slow).
        """
        with self._passes:
            target = self._started + 1
            self._wake.set()
            return self._passes.wait_for(lambda: self._finished >= target, timeout)

    def stop(self) -> None:
        """Finish the current batch and stop."""
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        while not self._stop.is_set():
            with self._passes:
                self._started += 1
            try:
                self.system.bring_log_up_to_date()
            except Exception:
                log.exception("log runner failed; retrying")
            with self._passes:
                self._finished += 1
                self._passes.notify_all()
            self._wake.wait(self.interval)
            self._wake.clear()
