"""Per-entry verification (核验) for the dossier: actor signature, stream chain, inclusion in the checkpoint.

- signature: the statement hash recomputed from the stored text, and the Ed25519 signature checked with
  the key the statement names, as enrolled on the signer's actor stream;
- chain: ``seq`` follows the previous statement and ``prev`` is that statement's hash (64 zeros for seq 1);
- inclusion: the statement's leaf has an RFC 9162 inclusion proof to the root of the latest checkpoint,
  whose signed note verifies with the ledger key. "pending" when the log runner has not reached it yet.

What a read costs does not grow with the ledger beyond the proofs' log2 length: the nodes of every
entry's proof are fetched in one query, each signer's enrolled keys are read once per read, and the
latest checkpoint's note is verified once per note text (the result of a pure check, kept in memory).
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import orjson

from ledger import merkle, note
from ledger.enrolment import KernelState
from ledger.errors import LedgerError
from ledger.keys import verify_statement_signature
from ledger.logrunner import leaf_hash_of
from ledger.logstore import LeafRow
from ledger.statement import GENESIS_PREV
from ledger.system import LedgerSystem

PLACEHOLDER = bytes(merkle.HASH_SIZE)
"""A stand-in node hash for the pass that only learns which nodes the proofs need."""


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
    return checked_note(row.note, row.tree_size, system.verifier_key(), system.ledger.origin)


@lru_cache(maxsize=16)
def checked_note(text: str, stored_size: int, verifier_key: str, origin: str) -> CheckpointView:
    """A checkpoint note checked against the ledger's verifier key (kept: the same inputs, the same answer)."""
    try:
        verifier = note.VerifierKey.parse(verifier_key)
        parsed = note.parse_checkpoint(text, verifier, origin=origin)
    except (note.NoteError, ValueError, LedgerError) as error:
        return CheckpointView(stored_size, None, f"checkpoint does not verify: {error}")
    return CheckpointView(parsed.size, parsed.root)


def verify_entries(
    system: LedgerSystem, stream: str, entries: Sequence[StoredEntry]
) -> tuple[dict[int, dict[str, str]], CheckpointView]:
    """Verification of every entry of one stream (in seq order), keyed by seq, and the checkpoint used."""
    checkpoint = latest_checkpoint(system)
    leaves = system.log.leaves_of_stream(stream)
    proofs = _proofs(system, leaves.values(), checkpoint)
    signers: dict[str, KernelState | None] = {}
    out: dict[int, dict[str, str]] = {}
    previous = GENESIS_PREV
    expected_seq = 1
    for entry in entries:
        statement = orjson.loads(entry.text)
        digest_ok = hashlib.sha256(entry.text.encode()).hexdigest() == entry.hash
        out[entry.seq] = {
            "signature": "ok" if digest_ok and _signature_ok(system, entry, signers) else "failed",
            "chain": "ok" if digest_ok and statement.get("prev") == previous and entry.seq == expected_seq
            else "broken",
            "inclusion": _inclusion(leaves.get(entry.seq), entry, checkpoint, proofs),
        }  # fmt: skip
        previous, expected_seq = entry.hash, entry.seq + 1
    return out, checkpoint


def _proofs(system: LedgerSystem, leaves: Iterable[LeafRow], cp: CheckpointView) -> dict[int, list[bytes]]:
    """The inclusion proof of each leaf the checkpoint covers, by position, from one fetch of their nodes.

    ``merkle.inclusion_proof`` asks its fetcher once for every node one proof needs: a first pass with a
    fetcher that only notes the addresses (and answers stand-ins) learns them all, one query reads them,
    and a second pass assembles the real proofs from what was read.
    """
    if cp.root is None:
        return {}
    positions = sorted(leaf.position for leaf in leaves if leaf.position < cp.size)
    wanted: set[merkle.NodeAddress] = set()

    def note_addresses(addresses: Iterable[merkle.NodeAddress]) -> Mapping[merkle.NodeAddress, bytes]:
        asked = set(addresses)
        wanted.update(asked)
        return dict.fromkeys(asked, PLACEHOLDER)

    for position in positions:
        merkle.inclusion_proof(position, cp.size, note_addresses)
    nodes = system.log.fetcher()(wanted)
    return {position: merkle.inclusion_proof(position, cp.size, lambda _: nodes) for position in positions}


def _signature_ok(system: LedgerSystem, entry: StoredEntry, signers: dict[str, KernelState | None]) -> bool:
    """The entry's signature under the key its signer enrolled (each signer's stream read once per read)."""
    if entry.actor not in signers:
        try:
            signers[entry.actor] = system.ledger.state(uuid.UUID(entry.actor))
        except ValueError:
            signers[entry.actor] = None
    signer = signers[entry.actor]
    record = signer.key(entry.key_id) if signer is not None else None
    if record is None:
        return False
    return verify_statement_signature(record.verifier, bytes.fromhex(entry.hash), entry.signature)


def _inclusion(
    leaf: LeafRow | None, entry: StoredEntry, cp: CheckpointView, proofs: Mapping[int, list[bytes]]
) -> str:
    if leaf is None or cp.root is None or leaf.position >= cp.size:
        return "pending"
    if leaf.statement_hash != entry.hash:
        return "failed"
    leaf_hash = leaf_hash_of(entry.hash, leaf.position, leaf.recorded_at)
    proof = proofs[leaf.position]
    return "ok" if merkle.verify_inclusion(leaf.position, cp.size, leaf_hash, proof, cp.root) else "failed"
