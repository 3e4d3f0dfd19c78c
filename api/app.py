"""The HTTP service (FastAPI). This slice serves health, readiness and the transparency endpoints.

Routes only translate: they call the ledger and render; errors are RFC 9457 problem documents.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, Response

from api.logrunner_thread import LogFollower
from ledger.errors import LedgerError, NotFound
from ledger.logrunner import leaf_hash_of
from ledger.settings import Settings
from ledger.system import LedgerSystem, open_ledger

PROBLEM = "application/problem+json"


def problem(status: int, code: str, title: str, detail: str, **extra: Any) -> JSONResponse:
    """An RFC 9457 problem document with a stable ``type`` code."""
    body = {"type": code, "title": title, "status": status, "detail": detail, **extra}
    return JSONResponse(body, status_code=status, media_type=PROBLEM)


def create_app(settings: Settings | None = None, *, follow_log: bool = True) -> FastAPI:
    """Build the ASGI application over the ledger the settings name."""
    settings = settings or Settings()
    state: dict[str, Any] = {}

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        system = open_ledger(settings)
        state["system"] = system
        follower = LogFollower(system) if follow_log and system.runner is not None else None
        if follower is not None:
            follower.start()
        try:
            yield
        finally:
            if follower is not None:
                follower.stop()
            system.close()

    app = FastAPI(
        title="失联党员查找处置全程纪实账本 · Disposition audit ledger",
        version="0.1.0",
        lifespan=lifespan,
    )

    def system_of() -> LedgerSystem:
        return state["system"]  # type: ignore[no-any-return]

    @app.exception_handler(LedgerError)
    async def ledger_error(_: Request, error: LedgerError) -> JSONResponse:
        return problem(error.status, error.code, error.title_zh, error.message, **error.details)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, error: RequestValidationError) -> JSONResponse:
        failures = [
            {"path": ".".join(str(p) for p in item["loc"]), "message": item["msg"]} for item in error.errors()
        ]
        return problem(422, "validation", "数据校验未通过", failures[0]["message"], errors=failures)

    @app.get("/health", tags=["service"])
    def health() -> dict[str, str]:
        """The process is up."""
        return {"status": "ok"}

    @app.get("/ready", tags=["service"])
    def ready() -> dict[str, Any]:
        """The database answers and the ledger is initialised."""
        system = system_of()
        latest = system.log.latest_checkpoint()
        return {
            "status": "ready",
            "origin": system.ledger.origin,
            "tree_size": latest.tree_size if latest else 0,
        }

    @app.get("/ledger/checkpoint", tags=["transparency"], response_class=PlainTextResponse)
    def checkpoint() -> Response:
        """The latest signed checkpoint (C2SP tlog-checkpoint as a signed note)."""
        latest = system_of().log.latest_checkpoint()
        if latest is None:
            raise NotFound("no checkpoint yet: the ledger is empty")
        return PlainTextResponse(latest.note, media_type="text/plain; charset=utf-8")

    @app.get("/ledger/verifier-key", tags=["transparency"], response_class=PlainTextResponse)
    def verifier_key() -> Response:
        """The ledger's verifier key in signed-note form."""
        return PlainTextResponse(system_of().verifier_key() + "\n")

    @app.get("/ledger/proof/consistency", tags=["transparency"])
    def consistency(
        first: Annotated[int, Query(ge=1)], second: Annotated[int, Query(ge=1)]
    ) -> dict[str, Any]:
        """RFC 9162 §2.1.4 consistency proof between two tree sizes the ledger has reached."""
        log = system_of().log
        size = log.size()
        if first > second or second > size:
            raise NotFound(f"need 1 ≤ first ≤ second ≤ {size}")
        proof = log.consistency_proof(first, second)
        return {"first": first, "second": second, "proof": [p.hex() for p in proof]}

    @app.get("/ledger/proof/inclusion", tags=["transparency"])
    def inclusion(
        tree_size: Annotated[int, Query(ge=1)],
        hash: Annotated[str | None, Query(pattern="^[0-9a-f]{64}$")] = None,
        position: Annotated[int | None, Query(ge=0)] = None,
    ) -> dict[str, Any]:
        """RFC 9162 §2.1.3 inclusion proof of a statement (by hash or position) in a tree size."""
        log = system_of().log
        if (hash is None) == (position is None):
            raise NotFound("give exactly one of hash or position")
        leaf = (
            log.leaf_by_hash(hash)
            if hash is not None
            else next(iter(log.leaves(position or 0, (position or 0) + 1)), None)
        )
        if leaf is None or leaf.position >= tree_size or tree_size > log.size():
            raise NotFound("no such leaf in a tree of that size")
        return {
            "index": leaf.position,
            "tree_size": tree_size,
            "leaf_hash": leaf_hash_of(leaf.statement_hash, leaf.position, leaf.recorded_at).hex(),
            "proof": [p.hex() for p in log.inclusion_proof(leaf.position, tree_size)],
        }

    @app.get("/ledger/leaves", tags=["transparency"])
    def leaves(start: Annotated[int, Query(ge=0)], end: Annotated[int, Query(ge=1)]) -> dict[str, Any]:
        """Leaves ``[start, end)`` (at most 1000) for independent monitors."""
        end = min(end, start + 1000)
        rows = system_of().log.leaves(start, end)
        return {
            "leaves": [
                {"position": r.position, "hash": r.statement_hash, "recorded_at": r.recorded_at} for r in rows
            ]
        }

    return app
