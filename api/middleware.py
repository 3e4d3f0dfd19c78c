"""ASGI middleware: request size limits, and one structured access-log line per request.

The access log holds no personal data: the route template (never the concrete path, whose ids name
members), the method, the status, the response size and the timing; no client address, no actor.
"""

from __future__ import annotations

import json
import logging
import sys
import time
import uuid
from typing import Any

from fastapi import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.problems import PayloadTooLarge, problem_of

SINGLE_LIMIT = 1 << 20
BATCH_LIMIT = 16 << 20
BATCH_PATHS = frozenset({"/statements/batch"})

access_log = logging.getLogger("ledger.access")


def body_limit(path: str) -> int:
    """The largest request body accepted on ``path``: 16 MiB for batches, 1 MiB elsewhere."""
    return BATCH_LIMIT if path in BATCH_PATHS else SINGLE_LIMIT


class BodyLimit:
    """Refuse bodies over the limit with a 413 problem: early by Content-Length, else while receiving."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = body_limit(scope["path"])
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            response = problem_of(PayloadTooLarge(f"the body exceeds {limit} bytes", limit=limit))
            await response(scope, receive, send)
            return
        received = 0

        async def limited() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    # An HTTPException passes through FastAPI's body reading unchanged (a 413 problem).
                    raise HTTPException(status_code=413, detail=f"the body exceeds {limit} bytes")
            return message

        await self.app(scope, limited, send)


class AccessLog:
    """Write one JSON line per request to the ``ledger.access`` logger."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        record: dict[str, Any] = {"request_id": uuid.uuid4().hex[:16], "method": scope["method"]}

        async def observe(message: Message) -> None:
            if message["type"] == "http.response.start":
                record["status"] = message["status"]
                headers = dict(message.get("headers", []))
                record["bytes_out"] = int(headers.get(b"content-length", b"0") or 0)
                message.setdefault("headers", []).append((b"x-request-id", record["request_id"].encode()))
            await send(message)

        try:
            await self.app(scope, receive, observe)
        finally:
            record["route"] = getattr(scope.get("route"), "path", None) or "(unmatched)"
            record.setdefault("status", 500)
            record["ms"] = round((time.perf_counter() - started) * 1000, 2)
            access_log.info(json.dumps(record, separators=(",", ":")))


def configure_access_log() -> None:
    """Send the access log, one JSON object per line, to stderr (used by ``ledger serve``)."""
    if not access_log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        access_log.addHandler(handler)
    access_log.setLevel(logging.INFO)
    access_log.propagate = False
