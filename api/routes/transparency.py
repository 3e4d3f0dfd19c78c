"""Transparency endpoints for inspectors and monitors: checkpoint, verifier key, proofs, leaves.

They carry no personal data and are public unless the ``public_transparency`` setting is off.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import PlainTextResponse, Response
from pydantic import BaseModel, Field

from api.deps import SystemDep, transparency_reader
from ledger.errors import NotFound
from ledger.logrunner import leaf_hash_of

router = APIRouter(prefix="/ledger", tags=["transparency"], dependencies=[Depends(transparency_reader)])
HexNode = Annotated[str, Field(pattern="^[0-9a-f]{64}$")]


class ConsistencyProof(BaseModel):
    """RFC 9162 consistency proof: the tree of size ``second`` extends the tree of size ``first``."""

    first: int
    second: int
    proof: list[HexNode] = Field(description="hex node hashes, in RFC 9162 order")


class InclusionProof(BaseModel):
    """RFC 9162 inclusion proof of the leaf at ``index`` in the tree of size ``tree_size``."""

    index: int = Field(description="the leaf's log position, from 0")
    tree_size: int
    leaf_hash: HexNode = Field(description="RFC 9162 leaf hash of (statement hash, position, recorded_at)")
    proof: list[HexNode]


class Leaf(BaseModel):
    """One log leaf: a statement hash at its position, with the time the ledger recorded it."""

    position: int
    hash: HexNode = Field(description="the statement hash")
    recorded_at: str


class Leaves(BaseModel):
    """A run of consecutive leaves, for monitors that rebuild the tree."""

    leaves: list[Leaf]


NO_LEAF: dict[int | str, dict[str, Any]] = {404: {"description": "not-found: no such leaf or tree size yet"}}


@router.get(
    "/checkpoint",
    response_class=PlainTextResponse,
    responses={404: {"description": "not-found: no checkpoint yet (the ledger is empty)"}},
)
def checkpoint(system: SystemDep) -> Response:
    """The latest signed checkpoint (C2SP tlog-checkpoint as a signed note) (最新检查点)."""
    latest = system.log.latest_checkpoint()
    if latest is None:
        raise NotFound("no checkpoint yet: the ledger is empty")
    return PlainTextResponse(latest.note, media_type="text/plain; charset=utf-8")


@router.get("/verifier-key", response_class=PlainTextResponse)
def verifier_key(system: SystemDep) -> Response:
    """The ledger's verifier key in signed-note form (账本验证公钥)."""
    return PlainTextResponse(system.verifier_key() + "\n")


@router.get("/proof/consistency", response_model=ConsistencyProof, responses=NO_LEAF)
def consistency(
    system: SystemDep, first: Annotated[int, Query(ge=1)], second: Annotated[int, Query(ge=1)]
) -> dict[str, Any]:
    """RFC 9162 §2.1.4 consistency proof between two tree sizes the ledger has reached (一致性证明)."""
    size = system.log.size()
    if first > second or second > size:
        raise NotFound(f"need 1 ≤ first ≤ second ≤ {size}")
    proof = system.log.consistency_proof(first, second)
    return {"first": first, "second": second, "proof": [p.hex() for p in proof]}


@router.get("/proof/inclusion", response_model=InclusionProof, responses=NO_LEAF)
def inclusion(
    system: SystemDep,
    tree_size: Annotated[int, Query(ge=1)],
    hash: Annotated[str | None, Query(pattern="^[0-9a-f]{64}$")] = None,
    position: Annotated[int | None, Query(ge=0)] = None,
) -> dict[str, Any]:
    """RFC 9162 §2.1.3 inclusion proof of a statement (by hash or position) in a tree size (包含证明)."""
    log = system.log
    if (hash is None) == (position is None):
        raise NotFound("give exactly one of hash or position")
    leaf = (
        log.leaf_by_hash(hash)
        if hash is not None
        else next(iter(log.leaves(position or 0, (position or 0) + 1)), None)
    )
    if leaf is None or leaf.position >= tree_size or tree_size > log.size():
        raise NotFound("no such leaf in a tree of that size")
    return {
        "index": leaf.position,
        "tree_size": tree_size,
        "leaf_hash": leaf_hash_of(leaf.statement_hash, leaf.position, leaf.recorded_at).hex(),
        "proof": [p.hex() for p in log.inclusion_proof(leaf.position, tree_size)],
    }


@router.get("/leaves", response_model=Leaves)
def leaves(
    system: SystemDep, start: Annotated[int, Query(ge=0)], end: Annotated[int, Query(ge=1)]
) -> dict[str, Any]:
    """Leaves ``[start, end)`` (at most 1000) for independent monitors (日志叶子)."""
    end = min(end, start + 1000)
    rows = system.log.leaves(start, end)
    return {
        "leaves": [
            {"position": r.position, "hash": r.statement_hash, "recorded_at": r.recorded_at} for r in rows
        ]
    }
