"""Transparency endpoints for inspectors and monitors: checkpoint, verifier key, proofs, leaves.

They carry no personal data and are public unless the ``public_transparency`` setting is off.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import PlainTextResponse, Response

from api.deps import SystemDep, transparency_reader
from ledger.errors import NotFound
from ledger.logrunner import leaf_hash_of

router = APIRouter(prefix="/ledger", tags=["transparency"], dependencies=[Depends(transparency_reader)])


@router.get("/checkpoint", response_class=PlainTextResponse)
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


@router.get("/proof/consistency")
def consistency(
    system: SystemDep, first: Annotated[int, Query(ge=1)], second: Annotated[int, Query(ge=1)]
) -> dict[str, Any]:
    """RFC 9162 §2.1.4 consistency proof between two tree sizes the ledger has reached (一致性证明)."""
    size = system.log.size()
    if first > second or second > size:
        raise NotFound(f"need 1 ≤ first ≤ second ≤ {size}")
    proof = system.log.consistency_proof(first, second)
    return {"first": first, "second": second, "proof": [p.hex() for p in proof]}


@router.get("/proof/inclusion")
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


@router.get("/leaves")
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
