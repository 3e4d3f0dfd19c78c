"""Whole-ledger verification (``ledger verify``): every layer of evidence, checked from the stored rows.

1. Statements, in commit order: each decodes, rehashes to its stored hash, is canonical, sits on the
   stream and seq it claims, names this ledger, extends its chain (seq, prev), was signed by a key enrolled
   for its actor and not revoked when recorded nor dated on or after the revocation, and its signature holds.
2. Leaves: each statement the log runner has passed is exactly one leaf, in order, with its hash and
   recorded_at; no leaf without its statement.
3. Tree and checkpoints: the stored complete-subtree nodes equal the ones recomputed from the leaves; each
   checkpoint is signed by the ledger key over the recomputed root of its size; each is consistent with the
   next by an RFC 9162 proof built from the stored nodes.

Every failure names the check, and the stream, seq, position or tree size it concerns; nothing raises.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import orjson
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from eventsourcing.persistence import MapperDeserialisationError

from ledger import merkle, note
from ledger.attachments import AttachmentStore
from ledger.canonical import CanonicalError, canonical
from ledger.enrolment import KEY_ENROLLED, KEY_REVOKED, ledger_actor_id
from ledger.events import StoredStatement, decode_stored
from ledger.keys import public_key_bytes
from ledger.logrunner import leaf_hash_of
from ledger.logstore import CheckpointRow, LeafRow, LogStore
from ledger.sigcheck import SignatureChecker
from ledger.statement import GENESIS_PREV
from ledger.store import Ledger

Progress = Callable[[int, int], None]
PAGE = 5000


@dataclass(frozen=True)
class Failure:
    """One failed check, located as precisely as the evidence allows."""

    check: str
    message: str
    stream: str | None = None
    seq: int | None = None
    position: int | None = None
    tree_size: int | None = None

    def where(self) -> str:
        """A short human-readable location."""
        parts = []
        if self.stream is not None:
            parts.append(f"stream {self.stream}")
        if self.seq is not None:
            parts.append(f"seq {self.seq}")
        if self.position is not None:
            parts.append(f"position {self.position}")
        if self.tree_size is not None:
            parts.append(f"tree size {self.tree_size}")
        return ", ".join(parts) or "ledger"


@dataclass
class VerifyReport:
    """What ``ledger verify`` found."""

    statements: int = 0
    leaves: int = 0
    checkpoints: int = 0
    pending: int = 0
    failures: list[Failure] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True only if every check held."""
        return not self.failures


@dataclass
class _KeyState:
    actor: str
    public_key: bytes
    revoked_at: str | None = None
    latest_occurred: str = ""


def _stream_and_seq(ledger: Ledger, notification_id: int) -> tuple[str, int]:
    """Where a stored statement sits, read again by its notification id (only for the few that fail:
    remembering it for every statement would hold the whole ledger in memory)."""
    found = ledger.app.recorder.select_notifications(start=notification_id, limit=1, inclusive_of_start=True)
    if not found or found[0].id != notification_id:
        return "?", 0
    return str(found[0].originator_id), int(found[0].originator_version)


class _TreeSweep:
    """Recomputes the tree from leaves in order and compares completed nodes with the stored ones."""

    def __init__(self, log: LogStore, report: VerifyReport, checkpoint_sizes: list[int]) -> None:
        self.log = log
        self.report = report
        self.stack: list[tuple[int, bytes]] = []  # (level, hash) of the compact range's subtrees
        self.size = 0
        self.completed: list[tuple[int, int, bytes]] = []
        self.roots: dict[int, bytes] = {}
        self.wanted = set(checkpoint_sizes)
        if 0 in self.wanted:
            self.roots[0] = merkle.root_from_leaves([])

    def add(self, leaf: bytes) -> None:
        index = self.size
        self.completed.append((0, index, leaf))
        level, digest = 0, leaf
        while self.stack and self.stack[-1][0] == level:
            _, left = self.stack.pop()
            digest = merkle.node_hash(left, digest)
            level += 1
            self.completed.append((level, index >> level, digest))
        self.stack.append((level, digest))
        self.size += 1
        if self.size in self.wanted:
            self.roots[self.size] = self.current_root()

    def current_root(self) -> bytes:
        digest = self.stack[-1][1]
        for _, left in reversed(self.stack[:-1]):
            digest = merkle.node_hash(left, digest)
        return digest

    def compare(self) -> None:
        by_level: dict[int, dict[int, bytes]] = {}
        for level, index, digest in self.completed:
            by_level.setdefault(level, {})[index] = digest
        self.completed = []
        for level, expected in by_level.items():
            stored = self.log.nodes_in(level, min(expected), max(expected))
            for index, digest in expected.items():
                if stored.get(index) != digest:
                    self.report.failures.append(
                        Failure(
                            "tree-node",
                            f"stored node (level {level}, index {index}) differs from the one recomputed "
                            "from the leaves"
                            if index in stored
                            else f"stored node (level {level}, index {index}) is missing",
                            position=index << level,
                        )
                    )


def verify_ledger(
    ledger: Ledger,
    log: LogStore,
    *,
    ledger_public_key: Ed25519PublicKey | None,
    progress: Progress | None = None,
    workers: int | None = None,
    attachments: AttachmentStore | None = None,
) -> VerifyReport:
    """Check the whole database; the report lists every failure (an empty list means all holds)."""
    report = VerifyReport()
    if ledger_public_key is None:
        report.failures.append(Failure("ledger-key", "the ledger key is missing; cannot check the genesis"))
        return report
    checkpoints = log.checkpoints()
    report.checkpoints = len(checkpoints)
    sweep = _TreeSweep(log, report, [c.tree_size for c in checkpoints])
    checker = SignatureChecker(workers=workers)
    tracked = log.tracked_notification_id()
    total = ledger.max_notification_id()
    chains: dict[str, tuple[int, str]] = {}
    keys: dict[str, _KeyState] = {}
    late: dict[str, str] = {}  # keys revoked as of a date some of their accepted statements reach
    origin = ledger.origin
    genesis_actor = ledger_actor_id(origin)
    ledger_raw = public_key_bytes(ledger_public_key)
    leaves = _LeafCursor(log)
    next_position = 0

    for notification, event, error in _stored_statements(ledger):
        report.statements += 1
        stream = str(notification.originator_id)
        version = notification.originator_version
        if error is not None or event is None:
            report.failures.append(
                Failure("decode", f"the stored statement cannot be read: {error}", stream, version)
            )
            continue
        text = event.statement.encode("utf-8")
        digest = hashlib.sha256(text).digest()
        if digest.hex() != event.hash:
            report.failures.append(
                Failure("hash", "the statement does not hash to its stored hash", stream, version)
            )
        try:
            statement = orjson.loads(text)
            if not isinstance(statement, dict):
                raise ValueError("not a JSON object")
            if orjson.dumps(statement, option=orjson.OPT_SORT_KEYS) != text and canonical(statement) != text:
                report.failures.append(
                    Failure("canonical", "the stored text is not canonical JSON", stream, version)
                )
        except (ValueError, CanonicalError) as problem:
            report.failures.append(
                Failure("decode", f"the statement is not valid JSON: {problem}", stream, version)
            )
            continue
        seq = statement.get("seq")
        if statement.get("stream") != stream or seq != version:
            report.failures.append(
                Failure(
                    "placement",
                    f"the statement claims stream {statement.get('stream')} seq {seq}",
                    stream,
                    version,
                )
            )
        if statement.get("ledger") != origin:
            report.failures.append(
                Failure("origin", f"the statement names ledger {statement.get('ledger')!r}", stream, version)
            )
        last_seq, last_hash = chains.get(stream, (0, GENESIS_PREV))
        if seq != last_seq + 1 or statement.get("prev") != last_hash:
            report.failures.append(
                Failure(
                    "chain",
                    f"expected seq {last_seq + 1} with prev {last_hash[:16]}…, found seq {seq} "
                    f"with prev {str(statement.get('prev'))[:16]}…",
                    stream,
                    version,
                )
            )
        chains[stream] = (seq if isinstance(seq, int) else last_seq + 1, event.hash)
        signer_key = _signing_key(statement, keys, report, stream, version, genesis_actor, ledger_raw)
        if signer_key is not None:
            checker.add((notification.id, signer_key, digest, event.signature))
        _apply_key_statement(statement, keys, late)

        # leaves: merge by notification id
        report.failures.extend(map(_orphan, leaves.before(notification.id)))
        leaf = leaves.take(notification.id)
        if leaf is None:
            if notification.id <= tracked:
                report.failures.append(
                    Failure(
                        "leaf-missing",
                        "the log runner passed this statement but it has no leaf",
                        stream,
                        version,
                    )
                )
            else:
                report.pending += 1
        else:
            if leaf.position != next_position:
                report.failures.append(
                    Failure(
                        "leaf-position",
                        f"expected leaf position {next_position}, found {leaf.position}",
                        stream,
                        version,
                        leaf.position,
                    )
                )
            next_position = leaf.position + 1
            if (leaf.statement_hash, leaf.recorded_at, leaf.stream_id, leaf.seq) != (
                event.hash,
                event.recorded_at,
                stream,
                version,
            ):
                report.failures.append(
                    Failure(
                        "leaf-mismatch",
                        "the leaf does not match its statement",
                        stream,
                        version,
                        leaf.position,
                    )
                )
            report.leaves += 1
            sweep.add(leaf_hash_of(leaf.statement_hash, leaf.position, leaf.recorded_at))
            if sweep.size % PAGE == 0:
                sweep.compare()
        if progress is not None and report.statements % 1000 == 0:
            progress(report.statements, total)

    report.failures.extend(map(_orphan, leaves.rest()))
    sweep.compare()
    expected_nodes = sum(sweep.size >> level for level in range(sweep.size.bit_length()))
    stored_nodes = log.count_nodes()
    if stored_nodes != expected_nodes:
        report.failures.append(
            Failure("tree-extra", f"{stored_nodes} tree nodes are stored where {expected_nodes} belong")
        )
    for reference in checker.finish():
        stream, seq = _stream_and_seq(ledger, reference)
        report.failures.append(Failure("signature", "the signature does not verify", stream, seq))
    _check_checkpoints(checkpoints, sweep, log, origin, ledger_public_key, report)
    if late:
        _report_backdated_revocations(ledger, late, report)
    if attachments is not None:
        for altered in attachments.altered():
            report.failures.append(Failure("attachment", f"attachment {altered} no longer matches its hash"))
    if progress is not None:
        progress(report.statements, total)
    report.failures.sort(
        key=lambda f: (f.position if f.position is not None else -1, f.stream or "", f.seq or 0)
    )
    return report


def _orphan(leaf: LeafRow) -> Failure:
    return Failure(
        "leaf-orphan", "a leaf names a statement that is not stored", leaf.stream_id, leaf.seq, leaf.position
    )


def _signing_key(
    statement: dict[str, Any],
    keys: dict[str, _KeyState],
    report: VerifyReport,
    stream: str,
    version: int,
    genesis_actor: str,
    ledger_raw: bytes,
) -> bytes | None:
    key = statement.get("key")
    actor = statement.get("actor")
    if report.statements == 1:
        if actor != genesis_actor or statement.get("type") != KEY_ENROLLED:
            report.failures.append(
                Failure(
                    "genesis",
                    "the first statement is not the genesis KeyEnrolled signed by the ledger key",
                    stream,
                    version,
                )
            )
            return None
        return ledger_raw
    if actor == genesis_actor:
        report.failures.append(Failure("key", "the ledger key signs only the genesis", stream, version))
        return None
    state = keys.get(str(key))
    if state is None or state.actor != actor:
        report.failures.append(
            Failure("key", f"key {key} was not enrolled for actor {actor} when recorded", stream, version)
        )
        return None
    if state.revoked_at is not None:
        report.failures.append(
            Failure("key", f"key {key} had been revoked when this was recorded", stream, version)
        )
        return None
    state.latest_occurred = max(state.latest_occurred, str(statement.get("occurred_at")))
    return state.public_key


def _apply_key_statement(statement: dict[str, Any], keys: dict[str, _KeyState], late: dict[str, str]) -> None:
    body = statement.get("body")
    if not isinstance(body, dict) or body.get("actor") != statement.get("stream"):
        return
    if statement.get("type") == KEY_ENROLLED:
        try:
            raw = base64.b64decode(body["public_key"], validate=True)
        except (KeyError, TypeError, ValueError):
            return
        keys[str(body.get("key_id"))] = _KeyState(actor=str(body["actor"]), public_key=raw)
    elif statement.get("type") == KEY_REVOKED:
        state = keys.get(str(body.get("key_id")))
        if state is not None and state.revoked_at is None:
            state.revoked_at = str(body.get("revoked_at"))
            if state.latest_occurred >= state.revoked_at:
                late[str(body.get("key_id"))] = state.revoked_at


def _report_backdated_revocations(ledger: Ledger, late: dict[str, str], report: VerifyReport) -> None:
    """Name the statements dated on or after their key's revocation date (a rare second pass)."""
    for notification, event, _ in _stored_statements(ledger):
        if event is None:
            continue
        statement = orjson.loads(event.statement)
        key = statement.get("key")
        if (
            key in late
            and str(statement.get("occurred_at")) >= late[key]
            and statement.get("type") != KEY_REVOKED
        ):
            report.failures.append(
                Failure(
                    "key",
                    f"dated on or after the revocation of key {key} (as of {late[key]})",
                    str(notification.originator_id),
                    notification.originator_version,
                )
            )


def _check_checkpoints(
    checkpoints: list[CheckpointRow],
    sweep: _TreeSweep,
    log: LogStore,
    origin: str,
    ledger_public_key: Ed25519PublicKey,
    report: VerifyReport,
) -> None:
    verifier = note.VerifierKey.from_public_key(origin, ledger_public_key)
    previous: note.Checkpoint | None = None
    for row in checkpoints:
        try:
            parsed = note.parse_checkpoint(row.note, verifier)
        except note.NoteError as problem:
            report.failures.append(Failure("checkpoint-signature", str(problem), tree_size=row.tree_size))
            continue
        if parsed.origin != origin or parsed.size != row.tree_size or parsed.root != row.root_hash:
            report.failures.append(
                Failure("checkpoint-row", "the signed note differs from its row", tree_size=row.tree_size)
            )
        expected = sweep.roots.get(parsed.size)
        if parsed.size > sweep.size:
            report.failures.append(
                Failure(
                    "checkpoint-beyond-log",
                    f"the checkpoint covers {parsed.size} leaves, the log holds {sweep.size}",
                    tree_size=parsed.size,
                )
            )
        elif expected is None or expected != parsed.root:
            report.failures.append(
                Failure(
                    "checkpoint-root",
                    "the signed root differs from the root of the stored leaves",
                    tree_size=parsed.size,
                )
            )
        if previous is not None and 0 < previous.size <= parsed.size <= sweep.size:
            try:
                proof = log.consistency_proof(previous.size, parsed.size)
                consistent = merkle.verify_consistency(
                    previous.size, parsed.size, previous.root, parsed.root, proof
                )
            except (KeyError, ValueError):
                consistent = False
            if not consistent:
                report.failures.append(
                    Failure(
                        "checkpoint-consistency",
                        f"no valid consistency proof from tree size {previous.size} to {parsed.size}",
                        tree_size=parsed.size,
                    )
                )
        previous = parsed


def _stored_statements(ledger: Ledger) -> Iterator[tuple[Any, StoredStatement | None, str | None]]:
    """Every stored statement in commit order, decoded straight from the stored event's state.

    ``decode_stored`` reads the same bytes as the library's mapper (decrypted when a cipher is configured)
    without building event objects; anything unexpected (another topic, a state that does not decrypt or
    parse) is kept as evidence, with the reason.
    """
    mapper = ledger.app.mapper
    start = 0
    while True:
        page = ledger.app.recorder.select_notifications(start=start, limit=PAGE, inclusive_of_start=False)
        if not page:
            return
        for notification in page:
            try:
                yield notification, decode_stored(mapper, notification), None
            except MapperDeserialisationError as problem:
                cause = problem.__cause__ or problem
                yield notification, None, f"{type(cause).__name__}: {cause}"
        start = page[-1].id


class _LeafCursor:
    """Leaves in position order, paged, consumed by notification id."""

    def __init__(self, log: LogStore) -> None:
        self.log = log
        self.buffer: list[LeafRow] = []
        self.next_position = 0
        self.exhausted = False

    def _peek(self) -> LeafRow | None:
        if not self.buffer and not self.exhausted:
            self.buffer = self.log.leaves(self.next_position, self.next_position + PAGE)
            self.buffer.reverse()
            if not self.buffer:
                self.exhausted = True
            else:
                self.next_position = self.buffer[0].position + 1
        return self.buffer[-1] if self.buffer else None

    def before(self, notification_id: int) -> Iterator[LeafRow]:
        """Leaves for notifications that precede this one (their statements are missing)."""
        while (leaf := self._peek()) is not None and leaf.notification_id < notification_id:
            yield self.buffer.pop()

    def take(self, notification_id: int) -> LeafRow | None:
        """The leaf of this notification, if it is next."""
        leaf = self._peek()
        if leaf is not None and leaf.notification_id == notification_id:
            return self.buffer.pop()
        return None

    def rest(self) -> Iterator[LeafRow]:
        """Every remaining leaf."""
        while self._peek() is not None:
            yield self.buffer.pop()
