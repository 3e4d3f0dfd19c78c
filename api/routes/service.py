"""Service endpoints: liveness and readiness.

Liveness (``/health``) never touches the database, so a restarting database does not get the process
killed; readiness (``/ready``) asks the database and answers 503 ``storage-unavailable`` when it does not
answer within ``READY_TIMEOUT`` seconds, so a load balancer stops sending writes that would fail.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as ProbeTimeout
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.deps import SystemDep
from api.problems import STORAGE_FAILURES, storage_unavailable
from ledger.system import LedgerSystem

router = APIRouter(tags=["service"])
READY_TIMEOUT = 2.0
# Probes run here so that one stuck on a dead connection (the pool waits up to its connect timeout) does
# not hold the request past READY_TIMEOUT; two workers are enough as probes are rare.
_probes = ThreadPoolExecutor(max_workers=2, thread_name_prefix="ready-probe")


@router.get("/health")
def health() -> dict[str, str]:
    """The process is up (服务运行中)."""
    return {"status": "ok"}


def _probe(system: LedgerSystem) -> dict[str, Any]:
    latest = system.log.latest_checkpoint()
    return {"status": "ready", "origin": system.ledger.origin, "tree_size": latest.tree_size if latest else 0}


@router.get(
    "/ready",
    response_model=None,
    responses={503: {"description": "storage-unavailable: the database does not answer now (Retry-After)"}},
)
def ready(system: SystemDep) -> dict[str, Any] | JSONResponse:
    """The database answers and the ledger is initialised (服务就绪); 503 while the database is down."""
    try:
        answer: dict[str, Any] = _probes.submit(_probe, system).result(timeout=READY_TIMEOUT)
    except ProbeTimeout:
        return storage_unavailable(f"the database did not answer within {READY_TIMEOUT:g} s")
    except STORAGE_FAILURES:
        return storage_unavailable("the database is not reachable now")
    return answer
