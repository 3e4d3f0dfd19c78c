"""Reading a stream with each statement's verification (记录链及逐条验证).

Every statement comes as signed (the statement, its hash and signature), with what the ledger added
(``recorded_at``, the log ``position``) and three checks made now: the signature verifies with the key
enrolled for its actor, the statement links to the one before it, and its leaf is included in the latest
checkpoint (with the RFC 9162 proof, so the client can recheck it against a checkpoint it trusts).
"""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from api.authz_deps import StreamId, StreamReadAccess
from api.deps import SystemDep
from ledger import keys, merkle
from ledger.errors import ValidationFailed
from ledger.logrunner import leaf_hash_of
from ledger.logstore import CheckpointRow, LeafRow
from ledger.statement import GENESIS_PREV, statement_hash
from ledger.store import RecordedStatement
from ledger.system import LedgerSystem

router = APIRouter(tags=["reads"])


class InclusionCheck(BaseModel):
    """The RFC 9162 proof that a statement's leaf is in the latest checkpoint, and whether it verified."""

    index: int
    tree_size: int
    leaf_hash: str
    proof: list[str]
    verified: bool


class Verification(BaseModel):
    """The three checks made on one statement now: signature, chain link, inclusion (逐条验证)."""

    signature: bool = Field(description="verifies with the key enrolled for its actor")
    chain: bool = Field(description="its seq and prev link it to the statement before it")
    included: bool = Field(description="its leaf is proved to be in the latest checkpoint")
    inclusion: InclusionCheck | None = Field(description="null until a checkpoint covers the statement")


class StreamEntry(BaseModel):
    """A statement as signed, with what the ledger added and its verification."""

    statement: dict[str, Any] = Field(description="the signed statement, as submitted")
    hash: str
    signature: str
    recorded_at: str
    position: int | None = Field(description="its log position (null until the log includes it)")
    verification: Verification


class TreeHead(BaseModel):
    """The checkpoint the inclusion proofs are made against."""

    tree_size: int
    root_hash: str


class StreamRecord(BaseModel):
    """One stream (member, unit or actor) with every statement verified (记录链及逐条验证)."""

    stream: str
    kind: str = Field(examples=["member"])
    checkpoint: TreeHead | None
    statements: list[StreamEntry]


def _signature_valid(system: LedgerSystem, record: RecordedStatement) -> bool:
    statement = record.statement
    ledger = system.ledger
    if statement.get("actor") == ledger.ledger_actor:
        public = ledger.ledger_public_key
    else:
        try:
            key = ledger.state(uuid.UUID(str(statement.get("actor")))).key(str(statement.get("key")))
        except ValueError:
            return False
        public = key.verifier if key is not None else None
    if public is None:
        return False
    try:
        digest = statement_hash(statement)
    except ValidationFailed:
        return False
    return digest.hex() == record.hash and keys.verify_statement_signature(public, digest, record.signature)


def _inclusion(
    system: LedgerSystem, leaf: LeafRow | None, checkpoint: CheckpointRow | None
) -> dict[str, Any] | None:
    if leaf is None or checkpoint is None or leaf.position >= checkpoint.tree_size:
        return None
    size = checkpoint.tree_size
    leaf_hash = leaf_hash_of(leaf.statement_hash, leaf.position, leaf.recorded_at)
    proof = system.log.inclusion_proof(leaf.position, size)
    return {
        "index": leaf.position,
        "tree_size": size,
        "leaf_hash": leaf_hash.hex(),
        "proof": [p.hex() for p in proof],
        "verified": merkle.verify_inclusion(leaf.position, size, leaf_hash, proof, checkpoint.root_hash),
    }


@router.get(
    "/streams/{id}",
    response_model=StreamRecord,
    responses={
        403: {"description": "role-not-allowed, out-of-scope"},
        404: {"description": "no such stream"},
    },
)
def read_stream(id: StreamId, system: SystemDep, access: StreamReadAccess) -> dict[str, Any]:
    """The stream's statements as signed, each with its verification (记录链及逐条验证).

    ``inclusion`` is null for a statement not yet covered by a checkpoint.
    """
    records = system.ledger.read_stream(access.target.stream)
    leaves = system.log.leaves_of_stream(access.target.stream)
    checkpoint = system.log.latest_checkpoint()
    prev, out = GENESIS_PREV, []
    for expected_seq, record in enumerate(records, start=1):
        statement = record.statement
        leaf = leaves.get(int(statement.get("seq", 0)))
        inclusion = _inclusion(system, leaf, checkpoint)
        out.append(
            {
                "statement": statement,
                "hash": record.hash,
                "signature": record.signature,
                "recorded_at": record.recorded_at,
                "position": leaf.position if leaf is not None else None,
                "verification": {
                    "signature": _signature_valid(system, record),
                    "chain": statement.get("seq") == expected_seq and statement.get("prev") == prev,
                    "included": bool(inclusion and inclusion["verified"]),
                    "inclusion": inclusion,
                },
            }
        )
        prev = record.hash
    return {
        "stream": access.target.stream,
        "kind": access.target.kind.value,
        "checkpoint": {"tree_size": checkpoint.tree_size, "root_hash": checkpoint.root_hash.hex()}
        if checkpoint is not None
        else None,
        "statements": out,
    }
