"""The signed statement: the one thing the ledger stores (DESIGN.md, "The one stored thing").

``hash = SHA-256(JCS(statement))`` and ``signature = Ed25519(key, context || hash)``. The envelope is
validated strictly (no coercion, no extra members) so that what is hashed is exactly what was meant.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from datetime import date
from typing import Annotated, Any, Literal

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from ledger.canonical import CanonicalError, canonical
from ledger.errors import ValidationFailed
from ledger.keys import key_id, sign_statement_hash

GENESIS_PREV = "0" * 64
STATEMENT_VERSION = 1

_UUID_RE = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"


def _real_date(value: str) -> str:
    date.fromisoformat(value)
    return value


HexHash = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
KeyId = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{16}$")]
UuidText = Annotated[str, StringConstraints(pattern=_UUID_RE)]
IsoDate = Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$"), AfterValidator(_real_date)]
TypeName = Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Za-z]{1,63}$")]


class Statement(BaseModel):
    """The envelope every actor signs: which ledger, which chain, where in it, what, when, who."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    v: Literal[1]
    ledger: Annotated[str, StringConstraints(min_length=1, max_length=255)]
    stream: UuidText
    seq: Annotated[int, Field(ge=1, le=2**53)]
    prev: HexHash
    type: TypeName
    occurred_at: IsoDate
    actor: UuidText
    key: KeyId
    body: dict[str, Any]


def parse_statement(data: object) -> Statement:
    """Validate a decoded JSON object as a statement envelope, or refuse with ``validation``."""
    if not isinstance(data, Mapping):
        raise ValidationFailed("a statement must be a JSON object")
    try:
        return Statement.model_validate(dict(data))
    except ValidationError as error:
        raise ValidationFailed(_describe(error), errors=_errors(error)) from None


def statement_bytes(statement: Mapping[str, Any]) -> bytes:
    """The RFC 8785 canonical bytes of a statement, refusing what JCS cannot represent exactly."""
    try:
        return canonical(dict(statement))
    except CanonicalError as error:
        raise ValidationFailed(str(error)) from None


def statement_hash(statement: Mapping[str, Any]) -> bytes:
    """SHA-256 of the statement's canonical bytes (DESIGN.md: ``hash = SHA-256(JCS(statement))``)."""
    return hashlib.sha256(statement_bytes(statement)).digest()


def sign_statement(statement: Mapping[str, Any], private_key: Ed25519PrivateKey) -> tuple[str, str]:
    """Hash and sign a statement with an actor's key; return ``(hash hex, signature base64)``."""
    digest = statement_hash(statement)
    return digest.hex(), sign_statement_hash(private_key, digest)


def new_statement(
    *,
    ledger: str,
    stream: str,
    seq: int,
    prev: str,
    type: str,
    occurred_at: str,
    actor: str,
    private_key: Ed25519PrivateKey,
    body: Mapping[str, Any],
) -> dict[str, Any]:
    """Build the envelope of a statement extending a stream head, with the key id of ``private_key``."""
    return {
        "v": STATEMENT_VERSION,
        "ledger": ledger,
        "stream": stream,
        "seq": seq,
        "prev": prev,
        "type": type,
        "occurred_at": occurred_at,
        "actor": actor,
        "key": key_id(private_key.public_key()),
        "body": dict(body),
    }


def _errors(error: ValidationError) -> list[dict[str, str]]:
    return [
        {"path": ".".join(str(part) for part in item["loc"]) or "$", "message": item["msg"]}
        for item in error.errors()
    ]


def _describe(error: ValidationError) -> str:
    first = _errors(error)[0]
    more = error.error_count() - 1
    suffix = f" (and {more} more)" if more else ""
    return f"{first['path']}: {first['message']}{suffix}"


def is_uuid(value: object) -> bool:
    """True for a canonical lowercase UUID string, the only form stream and actor ids take."""
    return isinstance(value, str) and re.fullmatch(_UUID_RE, value) is not None
