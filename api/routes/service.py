"""Service endpoints: liveness and readiness."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from api.deps import SystemDep

router = APIRouter(tags=["service"])


@router.get("/health")
def health() -> dict[str, str]:
    """The process is up (服务运行中)."""
    return {"status": "ok"}


@router.get("/ready")
def ready(system: SystemDep) -> dict[str, Any]:
    """The database answers and the ledger is initialised (服务就绪)."""
    latest = system.log.latest_checkpoint()
    return {"status": "ready", "origin": system.ledger.origin, "tree_size": latest.tree_size if latest else 0}
