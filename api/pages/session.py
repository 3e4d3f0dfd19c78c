"""Browser sessions for the reviewer pages: the sign-in token kept in an HttpOnly cookie.

The browser signs the server's challenge itself (``api/static/signin.js``, WebCrypto Ed25519: the private
key never leaves the page), obtains a token from ``POST /auth/token``, and hands it to
``POST /ui/session``, which checks it and stores it in an HttpOnly, SameSite=Strict cookie scoped to
``/ui`` (so page scripts never hold it afterwards, and no other site can send it). ``CookieBearer`` turns
that cookie into the ``Authorization: Bearer`` header for ``/ui`` requests only, so the pages go through
exactly the same session and authorisation dependencies as the JSON API.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Request, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from api.auth import Authenticator, sign_challenge
from api.demo.links import spend
from api.deps import AuthenticatorDep, SettingsDep
from ledger import keys
from ledger.errors import NotFound

COOKIE = "ledger_session"
PREFIX = "/ui"

router = APIRouter(prefix=PREFIX, include_in_schema=False)


class CookieBearer:
    """ASGI middleware: for ``/ui`` paths without an Authorization header, send the session cookie as one."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and str(scope.get("path", "")).startswith(PREFIX):
            headers = list(scope.get("headers", []))
            if not any(name == b"authorization" for name, _ in headers):
                token = _cookie(headers, COOKIE)
                if token:
                    headers.append((b"authorization", b"Bearer " + token.encode("latin-1")))
                    scope = {**scope, "headers": headers}
        await self.app(scope, receive, send)


def _cookie(headers: list[tuple[bytes, bytes]], name: str) -> str | None:
    for key, value in headers:
        if key != b"cookie":
            continue
        for part in value.decode("latin-1").split(";"):
            cookie_name, _, cookie_value = part.strip().partition("=")
            if cookie_name == name and cookie_value:
                return cookie_value
    return None


@router.post("/session", status_code=204)
def open_session(
    token: Annotated[str, Body(embed=True, max_length=4096)],
    request: Request,
    authenticator: AuthenticatorDep,
) -> Response:
    """Check a token from ``/auth/token`` and keep it in the HttpOnly session cookie (登录)."""
    return _with_session(Response(status_code=204), token, request, authenticator)


@router.get("/demo-sign-in/{code}")
def demo_sign_in(
    code: str, request: Request, authenticator: AuthenticatorDep, settings: SettingsDep
) -> Response:
    """演示登录: spend a one-time link made by ``ledger demo-links`` and open that demo actor's session."""
    spent = spend(settings.home, code)
    if spent is None:
        raise NotFound("this sign-in link is unknown, used or expired; run `ledger demo-links` for new ones")
    actor, key_path = spent
    private_key = keys.load_private_key(key_path, None)
    key = keys.key_id(private_key.public_key())
    nonce, _ = authenticator.challenge(actor, key)
    token, _ = authenticator.issue(
        actor, key, nonce, sign_challenge(private_key, authenticator.origin, nonce)
    )
    return _with_session(
        Response(status_code=303, headers={"Location": f"{PREFIX}/members"}), token, request, authenticator
    )


def _with_session(response: Response, token: str, request: Request, authenticator: Authenticator) -> Response:
    session = authenticator.verify(token)
    lifetime = max(1, int((session.expires_at - authenticator.clock()).total_seconds()))
    response.set_cookie(
        COOKIE,
        token,
        max_age=lifetime,
        path=PREFIX,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    return response


@router.post("/session/end", status_code=303)
def end_session() -> Response:
    """Forget the session cookie (退出) and go back to the sign-in page."""
    response = Response(status_code=303, headers={"Location": f"{PREFIX}/sign-in"})
    response.delete_cookie(COOKIE, path=PREFIX)
    return response
