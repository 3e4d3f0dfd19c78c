"""Per-entry verification (核验) for the dossier: actor signature, stream chain, inclusion in the checkpoint.

- signature: the statement hash recomputed from the stored text, and the Ed25519 signature checked with
  the key the statement names, as enrolled on the signer's actor stream;
- chain: ``seq`` follows the previous statement and ``prev`` is that statement's hash (64 zeros for seq 1);
- inclusion: the statement's leaf has an RFC 9162 inclusion proof to the root of the latest checkpoint,
  whose signed note verifies with the ledger key. "pending" when the log runner has not reached it yet.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import orjson

from ledger import merkle, note
from ledger.errors import LedgerError
from ledger.keys import verify_statement_signature
from ledger.logrunner import leaf_hash_of
from ledger.logstore import LeafRow
from ledger.statement import GENESIS_PREV
from ledger.system import LedgerSystem


@dataclass(frozen=True)
class StoredEntry:
    """What verification needs of one stored statement."""

    seq: int
    hash: str
    actor: str
    key_id: str
    signature: str
    text: str


@dataclass(frozen=True)
class CheckpointView:
    """The latest checkpoint, checked against the ledger key: its tree size and root, or why not."""

    size: int
    root: bytes | None
    problem: str | None = None

    def as_json(self) -> dict[str, Any]:
        """JSON for the dossier header."""
        return {
            "tree_size": self.size,
            "root": self.root.hex() if self.root else None,
            "problem": self.problem,
        }


def latest_checkpoint(system: LedgerSystem) -> CheckpointView:
    """The latest stored checkpoint, with its signature verified."""
    row = system.log.latest_checkpoint()
    if row is None:
        return CheckpointView(0, None, "no checkpoint yet")
    try:
        verifier = note.VerifierKey.parse(system.verifier_key())
        parsed = note.parse_checkpoint(row.note, verifier, origin=system.ledger.origin)
    except (note.NoteError, ValueError, LedgerError) as error:
        return CheckpointView(row.tree_size, None, f"checkpoint does not verify: {error}")
    return CheckpointView(parsed.size, parsed.root)


def verify_entries(
    system: LedgerSystem, stream: str, entries: Sequence[StoredEntry]
) -> tuple[dict[int, dict[str, str]], CheckpointView]:
    """Verification of every entry of one stream (in seq order), keyed by seq, and the checkpoint used."""
    checkpoint = latest_checkpoint(system)
    leaves = system.log.leaves_of_stream(stream)
    out: dict[int, dict[str, str]] = {}
    previous = GENESIS_PREV
    expected_seq = 1
    for entry in entries:
        statement = orjson.loads(entry.text)
        digest_ok = hashlib.sha256(entry.text.encode()).hexdigest() == entry.hash
        out[entry.seq] = {
            "signature": "ok" if digest_ok and _signature_ok(system, entry) else "failed",
            "chain": "ok" if digest_ok and statement.get("prev") == previous and entry.seq == expected_seq
            else "broken",
            "inclusion": _inclusion(system, leaves.get(entry.seq), entry, checkpoint),
        }  # fmt: skip
        previous, expected_seq = entry.hash, entry.seq + 1
    return out, checkpoint


def _signature_ok(system: LedgerSystem, entry: StoredEntry) -> bool:
    try:
        signer = system.ledger.state(uuid.UUID(entry.actor))
    except ValueError:
        return False
    record = signer.key(entry.key_id)
    if record is None:
        return False
    return verify_statement_signature(record.verifier, bytes.fromhex(entry.hash), entry.signature)


def _inclusion(system: LedgerSystem, leaf: LeafRow | None, entry: StoredEntry, cp: CheckpointView) -> str:
    if leaf is None or cp.root is None or leaf.position >= cp.size:
        return "pending"
    if leaf.statement_hash != entry.hash:
        return "failed"
    proof = system.log.inclusion_proof(leaf.position, cp.size)
    leaf_hash = leaf_hash_of(entry.hash, leaf.position, leaf.recorded_at)
    return "ok" if merkle.verify_inclusion(leaf.position, cp.size, leaf_hash, proof, cp.root) else "failed"
