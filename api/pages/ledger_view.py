"""The ledger page's data: the latest checkpoint, the tree size, and a pasted checkpoint checked.

A pasted checkpoint is verified with the ledger's verifier key, then proved consistent with the latest
checkpoint by an RFC 9162 §2.1.4 consistency proof, checked here on the server (``ledger.merkle``): a
rewritten or truncated history cannot pass.
"""

from __future__ import annotations

from typing import Any

from ledger import merkle, note
from ledger.system import LedgerSystem
from ledger.verifyruns import latest_run


def check_pasted(system: LedgerSystem, text: str) -> dict[str, Any]:
    """The verdict on an older checkpoint: ``ok``, the sizes, the proof, or the reason it fails."""
    latest = system.log.latest_checkpoint()
    if latest is None:
        return {"ok": False, "reason": "账本尚无检查点 (no checkpoint yet)"}
    text = text.replace("\r\n", "\n").strip("\n") + "\n"
    try:
        verifier = note.VerifierKey.parse(system.verifier_key())
        old = note.parse_checkpoint(text, verifier, origin=system.ledger.origin)
    except note.NoteError as error:
        return {"ok": False, "reason": f"检查点无法验证: {error}"}
    if old.size > latest.tree_size:
        return {
            "ok": False,
            "reason": f"检查点大小 {old.size} 超过最新检查点 {latest.tree_size}",
            "first": old.size,
        }
    if old.size == 0:
        return {"ok": True, "first": 0, "second": latest.tree_size, "proof": [], "reason": "空树与任何树一致"}
    proof = system.log.consistency_proof(old.size, latest.tree_size)
    ok = merkle.verify_consistency(old.size, latest.tree_size, old.root, latest.root_hash, proof)
    return {
        "ok": ok,
        "first": old.size,
        "second": latest.tree_size,
        "first_root": old.root.hex(),
        "second_root": latest.root_hash.hex(),
        "proof": [p.hex() for p in proof],
        "reason": "一致性证明通过" if ok else "一致性证明未通过：历史被改写或截断",
    }


def ledger_overview(system: LedgerSystem, pasted: str) -> dict[str, Any]:
    """What the ledger page shows."""
    latest = system.log.latest_checkpoint()
    return {
        "origin": system.ledger.origin,
        "verifier_key": system.verifier_key(),
        "log_size": system.log.size(),
        "checkpoint": latest,
        "root_hex": latest.root_hash.hex() if latest is not None else "",
        "checkpoints": len(system.log.checkpoints()),
        "result": check_pasted(system, pasted) if pasted.strip() else None,
        "last_run": latest_run(system.log),
    }
