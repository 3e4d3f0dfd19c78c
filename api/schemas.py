"""The HTTP shapes: signed-statement submissions typed per statement type, receipts, sign-in messages.

The submission models exist for the OpenAPI page (one variant per statement type, discriminated by
``type``, each with an example). Requests are not parsed through them: the server hashes exactly the JSON
the client sent (``parse_statement_json`` on the raw body) and the ledger validates it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, create_model
from pydantic.json_schema import models_json_schema

from domain.statements import BODY_MODELS, STATEMENT_LABELS
from ledger.enrolment import KERNEL_BODIES
from ledger.statement import GENESIS_PREV, HexHash, IsoDate, KeyId, UuidText

Signature = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9+/]{86}==$")]
Nonce = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{43}$")]
REF = "#/components/schemas/{model}"
UUID_PATTERN = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"

_EXAMPLE_ACTOR = "a0c70000-0000-4000-8000-000000000003"
_KERNEL_EXAMPLES: dict[str, dict[str, Any]] = {
    "KeyEnrolled": {
        "actor": _EXAMPLE_ACTOR,
        "key_id": "3f5e0c1b2a4d6e8f",
        "public_key": "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=",
        "roles": ["BST"],
    },
    "KeyRevoked": {"actor": _EXAMPLE_ACTOR, "key_id": "3f5e0c1b2a4d6e8f", "revoked_at": "2026-03-20"},
}
_KERNEL_LABELS = {"KeyEnrolled": "密钥登记", "KeyRevoked": "密钥吊销"}


class Envelope(BaseModel):
    """The signed envelope (DESIGN.md "The one stored thing"); ``type`` and ``body`` vary per variant."""

    model_config = ConfigDict(extra="forbid", strict=True)

    v: Literal[1]
    ledger: Annotated[str, StringConstraints(min_length=1, max_length=255)]
    stream: UuidText
    seq: Annotated[int, Field(ge=1, le=2**53 - 1)]
    prev: HexHash
    occurred_at: IsoDate
    actor: UuidText
    key: KeyId


def _example_body(type_name: str, model: type[BaseModel]) -> dict[str, Any]:
    if type_name in _KERNEL_EXAMPLES:
        return _KERNEL_EXAMPLES[type_name]
    extra = model.model_config.get("json_schema_extra")
    found = extra.get("examples") if isinstance(extra, dict) else None
    return dict(found[0]) if isinstance(found, list) and found and isinstance(found[0], dict) else {}


def _statement_model(type_name: str, body: type[BaseModel]) -> type[BaseModel]:
    label = {**_KERNEL_LABELS, **STATEMENT_LABELS}.get(type_name, type_name)
    example = {
        "v": 1,
        "ledger": "ledger.example.org/dangyuan",
        "stream": _EXAMPLE_ACTOR if type_name in _KERNEL_EXAMPLES else "3e3b0000-0000-4000-8000-000000000001",
        "seq": 1,
        "prev": GENESIS_PREV,
        "type": type_name,
        "occurred_at": "2026-03-14",
        "actor": _EXAMPLE_ACTOR,
        "key": "3f5e0c1b2a4d6e8f",
        "body": _example_body(type_name, body),
    }
    fields: dict[str, Any] = {"type": (Literal[type_name], ...), "body": (body, ...)}
    model = create_model(
        f"{type_name}Statement",
        __base__=Envelope,
        __doc__=f"{label} — a signed {type_name} statement.",
        **fields,
    )
    extra: Any = {"examples": [example]}
    model.model_config = {**model.model_config, "json_schema_extra": extra}
    return model


STATEMENT_MODELS: dict[str, type[BaseModel]] = {}
for _name, _body in {**KERNEL_BODIES, **BODY_MODELS}.items():
    STATEMENT_MODELS[_name] = _statement_model(_name, _body)


def submission_model(name: str, types: Iterable[str], doc: str) -> type[BaseModel]:
    """``{statement, signature}`` where the statement is one of ``types`` (a discriminated union)."""
    variants = tuple(STATEMENT_MODELS[type_name] for type_name in types)
    statement: Any = variants[0] if len(variants) == 1 else Union[variants]  # noqa: UP007
    fields: dict[str, Any] = {
        "statement": (
            Annotated[statement, Field(discriminator="type")] if len(variants) > 1 else statement,
            ...,
        ),
        "signature": (
            Signature,
            Field(description="standard base64 Ed25519 signature over the statement hash"),
        ),
    }
    return create_model(name, __doc__=doc, **fields)


_DOCUMENTED: dict[str, type[BaseModel]] = {}


def request_body(model: type[BaseModel]) -> dict[str, Any]:
    """``openapi_extra`` documenting ``model`` as a route's JSON request body (read raw by the route)."""
    _DOCUMENTED[model.__name__] = model
    schema = {"$ref": REF.format(model=model.__name__)}
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


def component_schemas() -> dict[str, Any]:
    """The JSON schemas of every documented request body and what they refer to, for the OpenAPI page."""
    if not _DOCUMENTED:
        return {}
    _, top = models_json_schema([(model, "validation") for model in _DOCUMENTED.values()], ref_template=REF)
    return dict(top.get("$defs", {}))


SignedStatement = submission_model(
    "SignedStatement", STATEMENT_MODELS, "A statement of any type, signed by its actor (签名的记录)."
)
_batch_fields: dict[str, Any] = {
    "items": (Annotated[list[SignedStatement], Field(min_length=1, max_length=10_000)], ...),  # type: ignore[valid-type]
}
StatementBatch = create_model(
    "StatementBatch",
    __doc__="Signed statements appended in one transaction: all of them or none (批量提交).",
    **_batch_fields,
)


class Receipt(BaseModel):
    """The ledger's answer for an accepted statement (记录回执)."""

    hash: HexHash
    stream: UuidText
    seq: int
    recorded_at: str = Field(description="RFC 3339 UTC with microseconds, set by the server")
    order: int = Field(description="global commit order (the store's notification id; may have gaps)")


class BatchReceipt(BaseModel):
    """Receipts of a batch, in the order submitted."""

    receipts: list[Receipt]


class Head(BaseModel):
    """A stream's current head: the next statement has ``seq + 1`` and ``prev = hash``."""

    seq: int
    hash: HexHash


class ChallengeRequest(BaseModel):
    """Ask to sign in as ``actor`` with its enrolled ``key``."""

    model_config = ConfigDict(extra="forbid", strict=True)

    actor: UuidText
    key: KeyId


class ChallengeAnswer(BaseModel):
    """A single-use nonce; sign ``"dangyuan-ledger/auth/v1\\n" || origin || "\\n" || nonce bytes``."""

    nonce: Nonce
    origin: str
    expires_at: str


class TokenRequest(BaseModel):
    """The signed answer to a challenge."""

    model_config = ConfigDict(extra="forbid", strict=True)

    actor: UuidText
    key: KeyId
    nonce: Nonce
    signature: Annotated[str, StringConstraints(max_length=200)]


class TokenAnswer(BaseModel):
    """A bearer token for reads (and to bind writes to the signed-in actor)."""

    access_token: str
    token_type: Literal["Bearer"] = "Bearer"
    expires_at: str
    expires_in: int
