"""Sign-in: a challenge, then a token for the signed challenge (登录)."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import AuthenticatorDep
from api.schemas import ChallengeAnswer, ChallengeRequest, TokenAnswer, TokenRequest
from ledger.timefmt import format_recorded_at

router = APIRouter(prefix="/auth", tags=["sign-in"])


@router.post("/challenge", responses={401: {"description": "unknown-key, revoked-key"}})
def challenge(request: ChallengeRequest, authenticator: AuthenticatorDep) -> ChallengeAnswer:
    """A single-use nonce, valid two minutes, to be signed with the actor's enrolled key (登录挑战)."""
    nonce, expires_at = authenticator.challenge(request.actor, request.key)
    return ChallengeAnswer(
        nonce=nonce, origin=authenticator.origin, expires_at=format_recorded_at(expires_at)
    )


@router.post("/token", responses={401: {"description": "bad-nonce, bad-signature, unknown-key, revoked-key"}})
def token(request: TokenRequest, authenticator: AuthenticatorDep) -> TokenAnswer:
    """A short-lived bearer token for an answered challenge; refused for unknown or revoked keys (登录令牌)."""
    value, expires_at = authenticator.issue(request.actor, request.key, request.nonce, request.signature)
    lifetime = int((expires_at - authenticator.clock()).total_seconds())
    return TokenAnswer(access_token=value, expires_at=format_recorded_at(expires_at), expires_in=lifetime)
