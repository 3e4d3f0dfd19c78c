"""Sign-in: a server challenge signed with an enrolled actor key buys a short-lived bearer token.

``POST /auth/challenge`` hands out a random nonce (single use, two minutes, kept in this process's memory).
The actor signs ``AUTH_CONTEXT || origin || "\\n" || nonce bytes`` with its key; the origin in the signed
message keeps a challenge relayed from another ledger from being answered here. The token is a JWT in
compact form (RFC 7519) signed with EdDSA (RFC 8037) by the server's token key under ``LEDGER_HOME``:
header ``kid`` names the token key, claims are ``iss``/``aud`` (the ledger origin), ``sub`` (the actor),
``key`` (the actor's key id), ``iat``, ``exp`` and ``jti``. The token is refused once its key is revoked.
"""

from __future__ import annotations

import base64
import binascii
import json
import secrets
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from api.problems import BadNonce, BadToken, ExpiredToken
from ledger import keys
from ledger.errors import BadSignature, RevokedKey, UnknownKey
from ledger.settings import Settings
from ledger.store import Ledger

AUTH_CONTEXT = b"dangyuan-ledger/auth/v1\n"
TOKEN_KEY_FILE = "keys/token-key.pem"
NONCE_TTL = timedelta(minutes=2)
TOKEN_TTL = timedelta(minutes=15)
MAX_OUTSTANDING_NONCES = 10_000

Clock = Callable[[], datetime]


def auth_message(origin: str, nonce: str) -> bytes:
    """The bytes an actor signs to answer a challenge: context line, origin line, raw nonce bytes."""
    return AUTH_CONTEXT + origin.encode("utf-8") + b"\n" + _b64url_decode(nonce)


def sign_challenge(private_key: Ed25519PrivateKey, origin: str, nonce: str) -> str:
    """The standard-base64 signature answering a challenge (what the SDK and tests send)."""
    return base64.b64encode(private_key.sign(auth_message(origin, nonce))).decode("ascii")


def load_token_key(settings: Settings) -> Ed25519PrivateKey:
    """The server's token-signing key, made on first use; processes sharing LEDGER_HOME share it."""
    path = settings.home / TOKEN_KEY_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            keys.save_private_key(keys.generate(), path, None)
        except keys.KeyFileError:
            if not path.exists():
                raise
    return keys.load_private_key(path, None)


@dataclass(frozen=True)
class Session:
    """What a valid token says: who signed in, with which key, until when."""

    actor: str
    key: str
    expires_at: datetime


@dataclass(frozen=True)
class _Challenge:
    actor: str
    key: str
    expires_at: datetime


class Authenticator:
    """Issues challenges and tokens, and checks tokens, for one ledger origin."""

    def __init__(
        self,
        ledger: Ledger,
        token_key: Ed25519PrivateKey,
        *,
        clock: Clock | None = None,
        nonce_ttl: timedelta = NONCE_TTL,
        token_ttl: timedelta = TOKEN_TTL,
    ) -> None:
        self.ledger = ledger
        self.origin = ledger.origin
        self.clock: Clock = clock or (lambda: datetime.now(UTC))
        self.nonce_ttl = nonce_ttl
        self.token_ttl = token_ttl
        self._token_key = token_key
        self._token_public = token_key.public_key()
        self.token_key_id = keys.key_id(self._token_public)
        self._challenges: OrderedDict[str, _Challenge] = OrderedDict()
        self._lock = threading.Lock()

    def challenge(self, actor: str, key: str) -> tuple[str, datetime]:
        """A fresh nonce for ``actor`` signing with ``key``, and when it expires."""
        now = self.clock()
        nonce = _b64url(secrets.token_bytes(32))
        expires_at = now + self.nonce_ttl
        with self._lock:
            for old, pending in list(self._challenges.items()):
                if pending.expires_at > now and len(self._challenges) < MAX_OUTSTANDING_NONCES:
                    break
                del self._challenges[old]
            self._challenges[nonce] = _Challenge(actor, key, expires_at)
        return nonce, expires_at

    def issue(self, actor: str, key: str, nonce: str, signature: str) -> tuple[str, datetime]:
        """A token for an answered challenge; the nonce is spent whatever the outcome."""
        now = self.clock()
        with self._lock:
            pending = self._challenges.pop(nonce, None)
        if pending is None or pending.actor != actor or pending.key != key:
            raise BadNonce("no such challenge for this actor and key (unknown, or already used)")
        if pending.expires_at <= now:
            raise BadNonce("the challenge expired; ask for a new one")
        public_key = self._enrolled_key(actor, key)
        if not _verifies(public_key, _b64decode(signature), auth_message(self.origin, nonce)):
            raise BadSignature("the signature does not verify over the challenge with the named key")
        expires_at = now + self.token_ttl
        claims = {
            "iss": self.origin,
            "aud": self.origin,
            "sub": actor,
            "key": key,
            "iat": int(now.timestamp()),
            "exp": int(expires_at.timestamp()),
            "jti": _b64url(secrets.token_bytes(12)),
        }
        return self._encode(claims), expires_at

    def verify(self, token: str) -> Session:
        """The session a bearer token carries, or a refusal (``bad-token``, ``expired-token``, key refusals)."""
        header, claims, signed, signature = _split(token)
        if header.get("alg") != "EdDSA" or header.get("kid") != self.token_key_id:
            raise BadToken("the token is not signed by this server's token key")
        if not _verifies(self._token_public, signature, signed):
            raise BadToken("the token's signature does not verify")
        if claims.get("aud") != self.origin or claims.get("iss") != self.origin:
            raise BadToken(f"the token is for another audience, not {self.origin!r}")
        expires, actor, key = claims.get("exp"), claims.get("sub"), claims.get("key")
        if type(expires) is not int or not isinstance(actor, str) or not isinstance(key, str):
            raise BadToken("the token lacks exp, sub or key")
        if expires <= int(self.clock().timestamp()):
            raise ExpiredToken("the token has expired; sign in again")
        self._enrolled_key(actor, key)
        return Session(actor=actor, key=key, expires_at=datetime.fromtimestamp(expires, UTC))

    def _enrolled_key(self, actor: str, key: str) -> Ed25519PublicKey:
        try:
            stream = uuid.UUID(actor)
        except ValueError:
            raise UnknownKey(f"key {key} is not enrolled for actor {actor}") from None
        record = self.ledger.state(stream).key(key)
        if record is None:
            raise UnknownKey(f"key {key} is not enrolled for actor {actor}")
        if record.revoked_at is not None:
            raise RevokedKey(f"key {key} was revoked as of {record.revoked_at}")
        return record.verifier

    def _encode(self, claims: dict[str, Any]) -> str:
        header = {"alg": "EdDSA", "kid": self.token_key_id, "typ": "JWT"}
        signed = f"{_b64url(_json(header))}.{_b64url(_json(claims))}"
        return f"{signed}.{_b64url(self._token_key.sign(signed.encode('ascii')))}"


def _split(token: str) -> tuple[dict[str, Any], dict[str, Any], bytes, bytes]:
    parts = token.split(".")
    if len(parts) != 3:
        raise BadToken("a token has three dot-separated parts")
    try:
        header = json.loads(_b64url_decode(parts[0]))
        claims = json.loads(_b64url_decode(parts[1]))
        signature = _b64url_decode(parts[2])
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise BadToken("the token is not base64url JSON") from None
    if not isinstance(header, dict) or not isinstance(claims, dict):
        raise BadToken("the token's header and claims are JSON objects")
    return header, claims, f"{parts[0]}.{parts[1]}".encode("ascii"), signature


def _verifies(public_key: Ed25519PublicKey, signature: bytes, message: bytes) -> bool:
    try:
        public_key.verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True


def _json(value: dict[str, Any]) -> bytes:
    return json.dumps(value, separators=(",", ":"), sort_keys=True).encode("utf-8")


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64url_decode(text: str) -> bytes:
    if not text.isascii():
        raise ValueError("not base64url")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except binascii.Error as error:
        raise ValueError("not base64url") from error


def _b64decode(text: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return b""
