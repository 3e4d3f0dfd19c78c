"""Who may sign: the key statements the kernel owns, and the key state they build on actor streams.

An actor's keys live on the actor's own stream: ``KeyEnrolled`` adds one, ``KeyRevoked`` ends it
(DESIGN.md, "Keys and identifiers"). The first statement of the whole ledger, the genesis, is a
``KeyEnrolled`` signed by the ledger key that enrols the root administrator.
"""

from __future__ import annotations

import base64
import binascii
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Annotated, Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError

from domain.member import MemberFile
from ledger.errors import StepNotAllowed, ValidationFailed
from ledger.keys import key_id, public_key_from_b64
from ledger.statement import IsoDate, KeyId, UuidText

ADMINISTRATOR = "ADM"
KEY_ENROLLED = "KeyEnrolled"
KEY_REVOKED = "KeyRevoked"
ACTOR_REGISTERED = "ActorRegistered"

Base64Key = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9+/]{43}=$")]


def ledger_actor_id(origin: str) -> str:
    """The actor id the ledger key signs as: a UUIDv5 of the origin, the same on every replica."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"dangyuan-ledger:{origin}"))


class KeyEnrolledBody(BaseModel):
    """密钥登记 — enrols an Ed25519 key for an actor (exact members fixed by DESIGN.md)."""

    model_config = ConfigDict(extra="allow", frozen=True, strict=True)

    actor: UuidText
    key_id: KeyId
    public_key: Base64Key


class KeyRevokedBody(BaseModel):
    """密钥吊销 — ends a key; nothing it signs is accepted once this is recorded."""

    model_config = ConfigDict(extra="allow", frozen=True, strict=True)

    actor: UuidText
    key_id: KeyId
    revoked_at: IsoDate


KERNEL_BODIES: Mapping[str, type[BaseModel]] = {KEY_ENROLLED: KeyEnrolledBody, KEY_REVOKED: KeyRevokedBody}


def validate_kernel_body(type_name: str, body: Mapping[str, Any]) -> BaseModel:
    """Validate the body of a kernel-owned statement type."""
    model = KERNEL_BODIES[type_name]
    try:
        return model.model_validate(dict(body))
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in ("body", *first["loc"]))
        raise ValidationFailed(f"{where}: {first['msg']}") from None


@dataclass(frozen=True)
class KeyRecord:
    """One enrolled key of an actor, and its revocation date once revoked."""

    public_key: bytes
    verifier: Ed25519PublicKey
    revoked_at: str | None = None


@dataclass(frozen=True)
class KernelState:
    """What the ledger knows of a stream: its head; for actor streams keys and roles; for member
    streams the domain's member file (一人一档) that the guards read."""

    seq: int = 0
    head: str = "0" * 64
    keys: Mapping[str, KeyRecord] = field(default_factory=dict)
    roles: frozenset[str] = frozenset()
    member: MemberFile | None = None

    def key(self, key_id: str) -> KeyRecord | None:
        """The enrolled key with this id on this actor stream, if any."""
        return self.keys.get(key_id)


def public_key_raw(body: KeyEnrolledBody) -> bytes:
    """The 32 raw bytes of an enrolled public key."""
    try:
        raw = base64.b64decode(body.public_key, validate=True)
    except (binascii.Error, ValueError):
        raise ValidationFailed("body.public_key: not base64") from None
    if len(raw) != 32:
        raise ValidationFailed("body.public_key: an Ed25519 public key has 32 bytes")
    return raw


def evolve_kernel(state: KernelState, statement: Mapping[str, Any], digest: str) -> KernelState:
    """Fold one accepted statement into a stream's kernel state."""
    body = statement["body"]
    kind = statement["type"]
    keys = state.keys
    roles = state.roles
    if kind == KEY_ENROLLED and body.get("actor") == statement["stream"]:
        raw = base64.b64decode(body["public_key"])
        record = KeyRecord(public_key=raw, verifier=Ed25519PublicKey.from_public_bytes(raw))
        keys = {**keys, body["key_id"]: record}
        if isinstance(body.get("roles"), list):
            roles = frozenset(str(role) for role in body["roles"])
    elif kind == KEY_REVOKED and body.get("key_id") in keys:
        keys = {**keys, body["key_id"]: replace(keys[body["key_id"]], revoked_at=body["revoked_at"])}
    elif kind == ACTOR_REGISTERED and isinstance(body.get("roles"), list):
        roles = frozenset(str(role) for role in body["roles"])
    return KernelState(seq=statement["seq"], head=digest, keys=keys, roles=roles, member=state.member)


def check_key_statement(
    statement: Mapping[str, Any], target: KernelState, signer: KernelState, *, genesis: bool
) -> None:
    """Kernel rules for ``KeyEnrolled`` / ``KeyRevoked``: on the actor's own stream, by an administrator."""
    kind = statement["type"]
    body = validate_kernel_body(kind, statement["body"])
    if body.actor != statement["stream"]:  # type: ignore[attr-defined]
        raise StepNotAllowed("a key statement belongs on the stream of the actor it names")
    if not genesis and ADMINISTRATOR not in signer.roles:
        raise StepNotAllowed("only an administrator (ADM) enrols or revokes keys")
    if isinstance(body, KeyEnrolledBody):
        public_key_raw(body)
        if key_id(public_key_from_b64(body.public_key)) != body.key_id:
            raise ValidationFailed("body.key_id: not the key id of body.public_key")
        if target.key(body.key_id) is not None:
            raise StepNotAllowed("this key is already enrolled for this actor")
    elif isinstance(body, KeyRevokedBody):
        record = target.key(body.key_id)
        if record is None:
            raise StepNotAllowed("this key is not enrolled for this actor")
        if record.revoked_at is not None:
            raise StepNotAllowed("this key is already revoked")
