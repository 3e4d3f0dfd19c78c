"""Export bundles: one stream's file that verifies offline with nothing but the ledger's verifier key.

Format ``dangyuan-ledger-bundle/1`` (DESIGN.md, "Verification, online and offline"): the latest
checkpoint, the stream's statements in ``seq`` order, and the whole streams of every actor whose key signed
any of them (their registration, enrolments and revocations), back to the genesis signed by the ledger key;
each entry carries its RFC 9162 inclusion proof in the checkpoint's tree.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from ledger import merkle, note
from ledger.canonical import CanonicalError, canonical
from ledger.enrolment import KEY_ENROLLED, KEY_REVOKED, ledger_actor_id
from ledger.errors import NotFound, NotInitialised
from ledger.keys import STATEMENT_CONTEXT, key_id, public_key_b64
from ledger.logrunner import leaf_hash_of
from ledger.statement import GENESIS_PREV
from ledger.system import LedgerSystem

BUNDLE_FORMAT = "dangyuan-ledger-bundle/1"


def export_bundle(system: LedgerSystem, stream_id: str) -> dict[str, Any]:
    """Build the bundle of one stream against the latest checkpoint (bring the log up to date first)."""
    checkpoint = system.log.latest_checkpoint()
    if checkpoint is None:
        raise NotInitialised("the log has no checkpoint yet; run `ledger checkpoint`")
    ledger = system.ledger
    genesis_actor = ledger.ledger_actor
    entries: list[dict[str, Any]] = []
    keys: dict[str, dict[str, str]] = {}
    included: set[str] = set()
    queue = [stream_id]
    while queue:
        current = queue.pop(0)
        if current in included:
            continue
        included.add(current)
        records = ledger.read_stream(current)
        leaves = system.log.leaves_of_stream(current)
        for record in records:
            seq = record.statement["seq"]
            leaf = leaves.get(seq)
            if leaf is None or leaf.position >= checkpoint.tree_size:
                raise NotFound(
                    f"stream {current} seq {seq} is not yet in the checkpoint; run `ledger checkpoint`"
                )
            entries.append(
                {
                    "statement": record.statement,
                    "hash": record.hash,
                    "signature": record.signature,
                    "position": leaf.position,
                    "recorded_at": leaf.recorded_at,
                    "proof": [
                        p.hex() for p in system.log.inclusion_proof(leaf.position, checkpoint.tree_size)
                    ],
                }
            )
            actor = record.statement["actor"]
            if actor != genesis_actor and actor not in included:
                queue.append(actor)
            if record.statement["type"] == KEY_ENROLLED and record.statement["body"].get("actor") == current:
                body = record.statement["body"]
                keys[body["key_id"]] = {"actor": body["actor"], "public_key": body["public_key"]}
    if ledger.ledger_public_key is not None:
        keys[key_id(ledger.ledger_public_key)] = {
            "actor": genesis_actor,
            "public_key": public_key_b64(ledger.ledger_public_key),
        }
    signing = {entry["statement"]["key"] for entry in entries}
    return {
        "format": BUNDLE_FORMAT,
        "origin": ledger.origin,
        "checkpoint": checkpoint.note,
        "entries": entries,
        "keys": {k: v for k, v in sorted(keys.items()) if k in signing},
    }


@dataclass
class BundleReport:
    """The outcome of checking a bundle offline."""

    entries: int = 0
    tree_size: int = 0
    failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True only if every check held."""
        return not self.failures


class _Stop(Exception):
    pass


def verify_bundle(bundle: object, verifier_key: str) -> BundleReport:
    """Check a bundle with nothing but the ledger's verifier key; failures in the order found."""
    report = BundleReport()
    with contextlib.suppress(_Stop):
        _verify(bundle, verifier_key, report)
    return report


def _fail(report: BundleReport, message: str, *, fatal: bool = False) -> None:
    report.failures.append(message)
    if fatal:
        raise _Stop


def _verify(bundle: object, verifier_key: str, report: BundleReport) -> None:
    if not isinstance(bundle, Mapping) or bundle.get("format") != BUNDLE_FORMAT:
        _fail(report, f"not a {BUNDLE_FORMAT} document", fatal=True)
        return
    try:
        verifier = note.VerifierKey.parse(verifier_key)
    except note.NoteError as problem:
        _fail(report, f"verifier key: {problem}", fatal=True)
        return
    origin = bundle.get("origin")
    if origin != verifier.name:
        _fail(
            report, f"the bundle's origin {origin!r} is not the verifier key's {verifier.name!r}", fatal=True
        )
    try:
        checkpoint = note.parse_checkpoint(str(bundle.get("checkpoint", "")), verifier)
    except note.NoteError as problem:
        _fail(report, f"checkpoint: {problem}", fatal=True)
        return
    if checkpoint.origin != origin:
        _fail(report, "checkpoint: its origin differs from the bundle's", fatal=True)
    report.tree_size = checkpoint.size
    keys = bundle.get("keys")
    entries = bundle.get("entries")
    if not isinstance(keys, Mapping) or not isinstance(entries, list) or not entries:
        _fail(report, "the bundle has no keys or no entries", fatal=True)
        return
    genesis_actor = ledger_actor_id(str(origin))
    ordered = sorted(
        (entry for entry in entries if isinstance(entry, Mapping)), key=lambda e: _int(e.get("position"))
    )
    if len(ordered) != len(entries):
        _fail(report, "an entry is not a JSON object", fatal=True)
    _check_chains(entries, report)
    context = _Context(
        checkpoint=checkpoint,
        keys=keys,
        verifier=verifier,
        genesis_actor=genesis_actor,
        origin=str(origin),
        revocations=_revocations(ordered),
    )
    for entry in ordered:
        report.entries += 1
        _check_entry(entry, context, report)


@dataclass
class _Context:
    checkpoint: note.Checkpoint
    keys: Mapping[str, Any]
    verifier: note.VerifierKey
    genesis_actor: str
    origin: str
    revocations: dict[str, tuple[str, int]]  # key id -> (revoked_at, position)
    enrolled: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # key id -> (actor, raw key)


def _check_chains(entries: list[Any], report: BundleReport) -> None:
    chains: dict[str, tuple[int, str]] = {}
    for entry in entries:
        statement = entry.get("statement") if isinstance(entry, Mapping) else None
        if not isinstance(statement, Mapping):
            continue
        stream = str(statement.get("stream"))
        last_seq, last_hash = chains.get(stream, (0, GENESIS_PREV))
        if statement.get("seq") != last_seq + 1 or statement.get("prev") != last_hash:
            _fail(
                report,
                f"stream {stream} seq {statement.get('seq')}: breaks the chain of its stream "
                f"(expected seq {last_seq + 1} after {last_hash[:16]}…)",
            )
        chains[stream] = (_int(statement.get("seq")), str(entry.get("hash")))


def _revocations(ordered: list[Mapping[str, Any]]) -> dict[str, tuple[str, int]]:
    found: dict[str, tuple[str, int]] = {}
    for entry in ordered:
        statement = entry.get("statement")
        if not isinstance(statement, Mapping) or statement.get("type") != KEY_REVOKED:
            continue
        body = statement.get("body")
        if isinstance(body, Mapping) and body.get("actor") == statement.get("stream"):
            found.setdefault(
                str(body.get("key_id")), (str(body.get("revoked_at")), _int(entry.get("position")))
            )
    return found


def _int(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else -1


def _check_entry(entry: Mapping[str, Any], context: _Context, report: BundleReport) -> None:
    statement = entry.get("statement")
    position = _int(entry.get("position"))
    if not isinstance(statement, Mapping):
        _fail(report, f"position {position}: the entry has no statement")
        return
    where = f"stream {statement.get('stream')} seq {statement.get('seq')} (position {position})"
    try:
        digest = hashlib.sha256(canonical(dict(statement))).digest()
    except CanonicalError as problem:
        _fail(report, f"{where}: not canonicalisable: {problem}")
        return
    if digest.hex() != entry.get("hash"):
        _fail(report, f"{where}: the statement does not hash to the entry's hash")
    if statement.get("ledger") != context.origin:
        _fail(report, f"{where}: names another ledger")
    _check_signer(statement, digest, entry.get("signature"), position, where, context, report)
    recorded_at = entry.get("recorded_at")
    proof = entry.get("proof")
    try:
        leaf = leaf_hash_of(str(entry.get("hash")), position, str(recorded_at))
        hashes = [bytes.fromhex(p) for p in proof] if isinstance(proof, list) else None
    except (ValueError, TypeError, CanonicalError):
        hashes = None
    size, root = context.checkpoint.size, context.checkpoint.root
    if hashes is None or not merkle.verify_inclusion(position, size, leaf, hashes, root):
        _fail(report, f"{where}: not included in the checkpoint's tree (size {size})")
    body = statement.get("body")
    if (
        statement.get("type") == KEY_ENROLLED
        and isinstance(body, Mapping)
        and body.get("actor") == statement.get("stream")
    ):
        try:
            enrolled_raw = base64.b64decode(str(body.get("public_key")), validate=True)
        except (binascii.Error, ValueError):
            enrolled_raw = b""
        context.enrolled[str(body.get("key_id"))] = (str(body.get("actor")), enrolled_raw)


def _check_signer(
    statement: Mapping[str, Any],
    digest: bytes,
    signature: object,
    position: int,
    where: str,
    context: _Context,
    report: BundleReport,
) -> None:
    key = str(statement.get("key"))
    actor = statement.get("actor")
    record = context.keys.get(key)
    raw = _raw_key(record)
    if raw is None or not isinstance(record, Mapping) or record.get("actor") != actor:
        _fail(report, f"{where}: key {key} is not in the bundle's keys for actor {actor}")
        return
    _check_signature(raw, digest, signature, where, report)
    if actor == context.genesis_actor:
        if raw != context.verifier.public_key_bytes or position != 0 or statement.get("type") != KEY_ENROLLED:
            _fail(report, f"{where}: only the genesis (position 0) is signed by the ledger key")
        return
    if context.enrolled.get(key) != (actor, raw):
        _fail(report, f"{where}: key {key} was not enrolled for this actor before this statement")
    revocation = context.revocations.get(key)
    if revocation is not None:
        revoked_at, revoked_position = revocation
        if position > revoked_position:
            _fail(report, f"{where}: key {key} had been revoked when this was recorded")
        elif str(statement.get("occurred_at")) >= revoked_at:
            _fail(report, f"{where}: dated on or after the revocation of key {key} ({revoked_at})")


def _raw_key(record: object) -> bytes | None:
    if not isinstance(record, Mapping):
        return None
    try:
        raw = base64.b64decode(str(record.get("public_key")), validate=True)
    except (binascii.Error, ValueError):
        return None
    return raw if len(raw) == 32 else None


def _check_signature(raw: bytes, digest: bytes, signature: object, where: str, report: BundleReport) -> None:
    try:
        Ed25519PublicKey.from_public_bytes(raw).verify(
            base64.b64decode(str(signature), validate=True), STATEMENT_CONTEXT + digest
        )
    except (InvalidSignature, binascii.Error, ValueError):
        _fail(report, f"{where}: the signature does not verify")
