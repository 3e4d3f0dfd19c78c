"""Typed dependencies: each route's signature says what it needs (the ledger, a session, a raw body).

Dependencies that only read ``app.state`` are ``async``: FastAPI runs a plain ``def`` dependency in its
thread pool, and those hops (one per dependency, per request) cost more than the reads themselves.
Dependencies that touch the database stay plain functions, off the event loop.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.auth import Authenticator, Session
from api.logrunner_thread import LogFollower
from api.problems import Unauthenticated
from ledger.canonical import CanonicalError, parse_statement_json
from ledger.errors import ValidationFailed
from ledger.settings import Settings
from ledger.system import LedgerSystem

_bearer = HTTPBearer(auto_error=False, description="a token from POST /auth/token")


async def get_system(request: Request) -> LedgerSystem:
    """The open ledger of this process."""
    system: LedgerSystem = request.app.state.system
    return system


async def get_settings(request: Request) -> Settings:
    """The settings the service was started with."""
    settings: Settings = request.app.state.settings
    return settings


async def get_authenticator(request: Request) -> Authenticator:
    """The sign-in service of this process (its nonces live in this process's memory)."""
    authenticator: Authenticator = request.app.state.authenticator
    return authenticator


async def get_follower(request: Request) -> LogFollower | None:
    """The thread keeping the Merkle log up to date, if this process runs one."""
    follower: LogFollower | None = request.app.state.follower
    return follower


SystemDep = Annotated[LedgerSystem, Depends(get_system)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
AuthenticatorDep = Annotated[Authenticator, Depends(get_authenticator)]
FollowerDep = Annotated[LogFollower | None, Depends(get_follower)]


def optional_session(
    authenticator: AuthenticatorDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Session | None:
    """The session of the bearer token sent, if one was; a bad token is refused, never ignored."""
    if credentials is None:
        return None
    return authenticator.verify(credentials.credentials)


def required_session(session: Annotated[Session | None, Depends(optional_session)]) -> Session:
    """The signed-in actor; reads other than transparency need one."""
    if session is None:
        raise Unauthenticated("sign in first: POST /auth/challenge, then POST /auth/token")
    return session


def transparency_reader(
    settings: SettingsDep, session: Annotated[Session | None, Depends(optional_session)]
) -> None:
    """Checkpoints, proofs and leaves are public unless the ``public_transparency`` setting is off."""
    if not settings.public_transparency and session is None:
        raise Unauthenticated("this ledger serves transparency data to signed-in actors only")


OptionalSession = Annotated[Session | None, Depends(optional_session)]
CurrentSession = Annotated[Session, Depends(required_session)]


async def raw_json_body(request: Request) -> dict[str, Any]:
    """The request body parsed exactly as sent (no floats, no duplicate keys), for hashing what was signed.

    The size limit is enforced while the body is received (see ``api.middleware``).
    """
    data = await request.body()
    try:
        parsed: dict[str, Any] = parse_statement_json(data)
    except CanonicalError as error:
        raise ValidationFailed(str(error)) from None
    return parsed


RawJson = Annotated[dict[str, Any], Depends(raw_json_body)]
