"""RFC 9457 problem documents: the one shape of every HTTP error.

``type`` is a stable code (``stale-head``, ``validation``, a guard code of procedures §5.2, …), ``title`` the
Chinese label, ``detail`` the English explanation, ``failures`` every failing code, ``errors`` the field
problems of a validation failure. Bad input never reaches the catch-all (a 500 without traceback); a
database that does not answer is a 503 ``storage-unavailable`` with ``Retry-After``, never a 500.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import psycopg
from eventsourcing.persistence import InterfaceError as StoreInterfaceError
from eventsourcing.persistence import OperationalError as StoreOperationalError
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from ledger.errors import LedgerError

PROBLEM = "application/problem+json"
log = logging.getLogger("ledger.api")


class Unauthenticated(LedgerError):
    """The request needs a bearer token (sign in with ``/auth/challenge`` and ``/auth/token``)."""

    code = "unauthenticated"
    status = 401
    title_zh = "需要登录令牌"


class BadToken(LedgerError):
    """The bearer token is malformed, not signed by this server, or for another audience."""

    code = "bad-token"
    status = 401
    title_zh = "登录令牌无效"


class ExpiredToken(LedgerError):
    """The bearer token has expired: sign in again."""

    code = "expired-token"
    status = 401
    title_zh = "登录令牌已过期"


class BadNonce(LedgerError):
    """The sign-in nonce is unknown, expired, already used, or issued for another actor or key."""

    code = "bad-nonce"
    status = 401
    title_zh = "登录挑战无效或已使用"


class ActorMismatch(LedgerError):
    """A token was sent with a write, and its actor is not the statement's signer."""

    code = "actor-mismatch"
    status = 403
    title_zh = "登录身份与签名人不符"


class PayloadTooLarge(LedgerError):
    """The request body is larger than this endpoint accepts."""

    code = "payload-too-large"
    status = 413
    title_zh = "请求内容过大"


class StorageUnavailable(LedgerError):
    """The database cannot be reached now (restarting, overloaded, locked): nothing was decided, retry.

    A write that met this error may still have been committed just before the connection broke; sending
    the same signed statement again is safe: if it was, the repeat is refused as ``already-recorded``
    carrying the first ``receipts``, and nothing is stored twice.
    """

    code = "storage-unavailable"
    status = 503
    title_zh = "数据库暂时无法访问"


RETRY_AFTER_SECONDS = 1
STORAGE_FAILURES: tuple[type[Exception], ...] = (
    StoreOperationalError,
    StoreInterfaceError,
    psycopg.OperationalError,
    psycopg.InterfaceError,
)
"""Errors meaning the database did not answer (as opposed to a bug or a refusal): 503, not 500."""


def storage_unavailable(detail: str) -> JSONResponse:
    """The 503 problem of an unreachable database, with ``Retry-After``."""
    response = problem_of(StorageUnavailable(detail))
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


_HTTP_CODES: dict[int, tuple[str, str]] = {
    404: ("not-found", "未找到"),
    405: ("method-not-allowed", "不支持此请求方法"),
    406: ("not-acceptable", "无法提供所请求的格式"),
    413: (PayloadTooLarge.code, PayloadTooLarge.title_zh),
    415: ("unsupported-media-type", "不支持的内容类型"),
}
_TOKEN_CODES = frozenset({Unauthenticated.code, BadToken.code, ExpiredToken.code})
_PATH_PREFIX = re.compile(r"^([\w.\[\]$]+): (.*)$", re.DOTALL)


def problem(status: int, code: str, title: str, detail: str, **extra: Any) -> JSONResponse:
    """An RFC 9457 problem document with a stable ``type`` code and the list of failing codes."""
    body: dict[str, Any] = {"type": code, "title": title, "status": status, "detail": detail}
    body.update(extra)
    body.setdefault("failures", [code])
    headers = {"WWW-Authenticate": 'Bearer realm="ledger"'} if code in _TOKEN_CODES else None
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


def problem_of(error: LedgerError) -> JSONResponse:
    """The problem document of a named refusal; a validation refusal always lists its ``errors``."""
    extra = dict(error.details)
    if error.code == "validation" and not extra.get("errors"):
        found = _PATH_PREFIX.match(error.message)
        path, message = (found.group(1), found.group(2)) if found else ("$", error.message)
        extra["errors"] = [{"path": path, "message": message}]
    return problem(error.status, error.code, error.title_zh, error.message, **extra)


def install_problem_handlers(app: FastAPI) -> None:
    """Answer every error of ``app`` with a problem document."""

    @app.exception_handler(LedgerError)
    async def ledger_error(_: Request, error: LedgerError) -> JSONResponse:
        return problem_of(error)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, error: RequestValidationError) -> JSONResponse:
        errors = [
            {"path": ".".join(str(part) for part in item["loc"]), "message": str(item["msg"])}
            for item in error.errors()
        ] or [{"path": "$", "message": "invalid request"}]
        detail = f"{errors[0]['path']}: {errors[0]['message']}"
        return problem(422, "validation", "数据校验未通过", detail, errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, error: StarletteHTTPException) -> JSONResponse:
        code, title = _HTTP_CODES.get(error.status_code, ("http-error", "请求无法处理"))
        response = problem(error.status_code, code, title, str(error.detail))
        for name, value in (error.headers or {}).items():
            response.headers[name] = value
        return response

    async def storage_failure(request: Request, error: Exception) -> JSONResponse:
        route = getattr(request.scope.get("route"), "path", "?")
        first_line = (str(error).splitlines() or [type(error).__name__])[0]
        log.warning("database unavailable on %s %s: %s", request.method, route, first_line)
        system = getattr(request.app.state, "system", None)
        if system is not None:
            system.log.sweep_dead_connections()
        return storage_unavailable("the database is not reachable now; retry shortly")

    for failure in STORAGE_FAILURES:
        app.add_exception_handler(failure, storage_failure)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> JSONResponse:
        route = getattr(request.scope.get("route"), "path", "?")
        log.error("unexpected %s on %s %s", type(error).__name__, request.method, route, exc_info=error)
        return problem(500, "internal-error", "服务器内部错误", "the server failed; the error is logged")
