"""The HTTP service (FastAPI): sign-in, signed writes, member reads, transparency, health.

Routes only translate: they call the ledger and render; every error is an RFC 9457 problem document
(``api.problems``); request sizes are limited and each request leaves one JSON access-log line
(``api.middleware``). Reads from projections catch them up on the request (``api.read_models``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from api import accesslog
from api.auth import Authenticator, Clock, load_token_key
from api.logrunner_thread import LogFollower
from api.middleware import AccessLog, BodyLimit
from api.pages import install as install_pages
from api.problems import install_problem_handlers, problem
from api.read_models import ReadModels
from api.routes import access_log, auth, members, service, statements, streams_read, transparency, units
from api.routes.problem_docs import document_problems
from api.schemas import component_schemas
from ledger.settings import Settings
from ledger.system import open_ledger

__all__ = ["create_app", "problem"]

TITLE = "失联党员查找处置全程纪实账本 · Disposition audit ledger"
DESCRIPTION = (
    "Signed statements on per-member hash chains, a Merkle log with signed checkpoints. Writes are "
    "authenticated by the statement signature; reads need a bearer token from `/auth/token`; "
    "transparency endpoints are public by default. Errors are RFC 9457 problem documents whose `type` "
    "is a stable code."
)


def create_app(
    settings: Settings | None = None, *, follow_log: bool = True, clock: Clock | None = None
) -> FastAPI:
    """Build the ASGI application over the ledger the settings name.

    ``follow_log`` runs a thread keeping the Merkle log up to date; ``clock`` replaces the wall clock of
    sign-in (nonce and token expiry), for tests.
    """
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        system = open_ledger(settings)
        accesslog.create_table(system.log)
        follower = LogFollower(system) if follow_log and system.runner is not None else None
        app.state.settings = settings
        app.state.system = system
        app.state.read_models = ReadModels(system)
        app.state.follower = follower
        app.state.authenticator = Authenticator(system.ledger, load_token_key(settings), clock=clock)
        if follower is not None:
            follower.start()
        try:
            yield
        finally:
            if follower is not None:
                follower.stop()
            system.close()

    app = FastAPI(title=TITLE, description=DESCRIPTION, version="0.1.0", lifespan=lifespan)
    install_problem_handlers(app)
    app.add_middleware(BodyLimit)
    app.add_middleware(AccessLog)
    for module in (service, auth, statements, streams_read, members, units, access_log, transparency):
        app.include_router(module.router)
    install_pages(app)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(title=TITLE, version=app.version, description=DESCRIPTION, routes=app.routes)
            schema.setdefault("components", {}).setdefault("schemas", {}).update(component_schemas())
            document_problems(schema)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app
