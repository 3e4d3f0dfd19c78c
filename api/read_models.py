"""Keeping the projections (读模型) up to date for the reads the service answers.

Every read that answers from a projection first catches the projections up with the notification log,
on the request (no follower thread): an answer always reflects every statement stored before the request,
including those written by other processes. One lock per process keeps two requests from applying the
same batch twice here; several processes are kept honest by the projections' tracking records. The
export bundle needs the Merkle log instead: ``LoggedSystem`` waits for a pass of the log follower.
"""

from __future__ import annotations

import threading
from typing import Annotated

from fastapi import Depends, Request

from api.logrunner_thread import LogFollower
from ledger.system import LedgerSystem
from projections.base import Projection
from projections.registry import open_projections


class ReadModels:
    """The projections of one service process, caught up under a lock."""

    def __init__(self, system: LedgerSystem) -> None:
        self.system = system
        self._lock = threading.Lock()
        self._projections: list[Projection] | None = None

    def catch_up(self) -> int:
        """Apply every statement stored so far to every projection; how many were applied in all.

        When nothing is new this costs one ``MAX`` query per projection (``Projection.refresh``).
        """
        with self._lock:
            if self._projections is None:
                self._projections = open_projections(self.system)
            return sum(projection.refresh() for projection in self._projections)


def fresh_system(request: Request) -> LedgerSystem:
    """A dependency: the ledger, with its projections brought up to date first."""
    models: ReadModels = request.app.state.read_models
    models.catch_up()
    return models.system


FreshSystem = Annotated[LedgerSystem, Depends(fresh_system)]
"""The ledger whose projections reflect every statement stored before this request."""


def logged_system(request: Request) -> LedgerSystem:
    """A dependency: the ledger, with its Merkle log covering every statement stored before this request.

    The service's log follower is asked for a fresh pass (and awaited, a few seconds at most); a service
    running without one brings the log up to date itself.
    """
    system: LedgerSystem = request.app.state.system
    follower: LogFollower | None = request.app.state.follower
    if follower is not None:
        follower.sync()
    elif system.runner is not None:
        system.bring_log_up_to_date()
    return system


LoggedSystem = Annotated[LedgerSystem, Depends(logged_system)]
"""The ledger whose latest checkpoint covers every statement stored before this request."""
