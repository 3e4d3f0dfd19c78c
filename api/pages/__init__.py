"""Reviewer web pages under ``/ui`` (server-rendered jinja2; static files under ``/ui/static``).

``install(app)`` mounts them on the service: the session router, the page router, the downloads of a
member's file (the PDF and the export bundle: the API's own endpoints, under ``/ui`` so that the session
cookie reaches them), the static files, the cookie-to-bearer middleware, and error handling that answers a browser (``Accept: text/html``) on a
``/ui`` path with an HTML page instead of a problem document; a missing or expired session sends the
browser to the sign-in page. Other clients keep the RFC 9457 problem documents.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.pages import reports, routes, session
from api.pages.render import page, wants_html
from ledger.errors import LedgerError

STATIC = Path(__file__).resolve().parents[1] / "static"
SIGN_IN_CODES = frozenset({"unauthenticated", "bad-token", "expired-token"})

Handler = Callable[[Request, Exception], Awaitable[Response]]


def _html_errors(original: Handler) -> Handler:
    async def handler(request: Request, error: Exception) -> Response:
        if not (request.url.path.startswith(session.PREFIX) and wants_html(request)):
            return await original(request, error)
        code = getattr(error, "code", "validation" if isinstance(error, RequestValidationError) else "error")
        if code in SIGN_IN_CODES:
            target = quote(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
            return RedirectResponse(f"{session.PREFIX}/sign-in?next={target}", status_code=303)
        status = int(getattr(error, "status", getattr(error, "status_code", 422)))
        if isinstance(error, RequestValidationError):
            first = error.errors()[0] if error.errors() else {"loc": ("?",), "msg": "invalid request"}
            detail = f"{'.'.join(str(part) for part in first['loc'])}: {first['msg']}"
        else:
            detail = getattr(error, "message", None) or str(getattr(error, "detail", error))
        title = getattr(error, "title_zh", "请求无法处理")
        return page(request, "error.html", http_status=status, code=code, title=title, detail=detail)

    return handler


def install(app: FastAPI) -> None:
    """Mount the pages on ``app`` (after ``install_problem_handlers``)."""
    from api.routes import members  # not at the top: the API's routes import api.pages.member_file

    app.include_router(session.router)
    app.include_router(routes.router)
    app.include_router(reports.router)
    for path, endpoint in (("dossier.pdf", members.dossier_pdf), ("bundle", members.bundle)):
        app.add_api_route(
            f"{session.PREFIX}/members/{{id}}/{path}", endpoint, methods=["GET"], include_in_schema=False
        )
    app.mount(f"{session.PREFIX}/static", StaticFiles(directory=STATIC), name="static")
    app.add_middleware(session.CookieBearer)
    for kind in (LedgerError, RequestValidationError, StarletteHTTPException):
        original = app.exception_handlers[kind]
        app.exception_handlers[kind] = _html_errors(original)  # type: ignore[arg-type]
