"""The log runner: turns stored statements into Merkle leaves, in commit order, and signs checkpoints.

It follows the application's notification log with an eventsourcing tracking record written in the same
transaction as the leaves, nodes and checkpoint of each batch, so every statement becomes exactly one leaf
even across crashes, restarts and concurrent runners (a second runner's batch conflicts and is retried).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from eventsourcing.persistence import IntegrityError, MapperDeserialisationError, RecordConflictError

from ledger import merkle, note
from ledger.canonical import canonical
from ledger.errors import LedgerError
from ledger.events import STATEMENT_TOPIC, decode_stored
from ledger.logstore import CheckpointRow, Cursor, LeafRow, LogStore
from ledger.store import Ledger

Progress = Callable[[int, int], None]
CheckpointHook = Callable[[LogStore, Cursor, str, Ed25519PrivateKey], None]
CHECKPOINT_HOOKS: list[CheckpointHook] = []
"""Other heads the ledger key signs with each Merkle checkpoint, in its transaction: each hook gets the
log, the batch's cursor, the origin and the key. Higher layers register here (``api.accesslog`` anchors
the access log's head) because this layer cannot import them."""


def leaf_data(statement_hash: str, position: int, recorded_at: str) -> bytes:
    """The bytes a leaf hashes (DESIGN.md): ``JCS({"hash", "position", "recorded_at"})``.

    The three members are already in JCS key order; the strings are checked to need no escaping, so the
    fast form below equals the canonicaliser's output (a test proves it on random leaves).
    """
    if _PLAIN.fullmatch(statement_hash) and _PLAIN.fullmatch(recorded_at) and type(position) is int:
        return f'{{"hash":"{statement_hash}","position":{position},"recorded_at":"{recorded_at}"}}'.encode()
    return canonical({"hash": statement_hash, "position": position, "recorded_at": recorded_at})


_PLAIN = re.compile(r"[0-9A-Za-z:.-]*")


def leaf_hash_of(statement_hash: str, position: int, recorded_at: str) -> bytes:
    """RFC 9162 leaf hash of a statement's leaf data."""
    return merkle.leaf_hash(leaf_data(statement_hash, position, recorded_at))


class LogRunner:
    """Brings the Merkle log up to date with the event store and signs a checkpoint after each batch."""

    def __init__(
        self, ledger: Ledger, log: LogStore, signing_key: Ed25519PrivateKey, *, batch_size: int = 2000
    ):
        self.ledger = ledger
        self.log = log
        self.signing_key = signing_key
        self.batch_size = batch_size

    def pending(self) -> int:
        """How many stored statements are not yet leaves (an upper bound: ids can have gaps)."""
        return max(0, self.ledger.max_notification_id() - self.log.tracked_notification_id())

    def catch_up(self, progress: Progress | None = None) -> int:
        """Process every stored statement not yet in the log; return how many leaves were added."""
        added = 0
        while True:
            try:
                done = self._one_batch()
            except (IntegrityError, RecordConflictError):
                continue  # another runner took this batch; read the tracking record again
            if done == 0:
                return added
            added += done
            if progress is not None:
                progress(added, added + self.pending())

    def _one_batch(self) -> int:
        after = self.log.tracked_notification_id()
        notifications = self.ledger.app.recorder.select_notifications(
            start=after, limit=self.batch_size, inclusive_of_start=False, topics=[STATEMENT_TOPIC]
        )
        if not notifications:
            return 0
        mapper = self.ledger.app.mapper
        with self.log.transaction(commit=True) as cursor:
            self.log.claim_writer(cursor)
            size = self.log.size(cursor)
            leaves: list[LeafRow] = []
            hashes: list[bytes] = []
            for offset, notification in enumerate(notifications):
                try:
                    event = decode_stored(mapper, notification)
                except MapperDeserialisationError as error:
                    raise LedgerError(
                        f"stored statement {notification.originator_id} seq {notification.originator_version} "
                        f"cannot be read, so it cannot enter the log: {error}"
                    ) from None
                position = size + offset
                leaves.append(
                    LeafRow(
                        position=position,
                        notification_id=notification.id,
                        stream_id=str(notification.originator_id),
                        seq=notification.originator_version,
                        statement_hash=event.hash,
                        recorded_at=event.recorded_at,
                    )
                )
                hashes.append(leaf_hash_of(event.hash, position, event.recorded_at))
            fetch = self.log.fetcher(cursor)
            nodes = merkle.append_leaves(size, hashes, fetch)
            new_size = size + len(leaves)
            fresh = {(level, index): digest for level, index, digest in nodes}

            def fetch_with_fresh(addresses: Any) -> dict[tuple[int, int], bytes]:
                wanted = list(addresses)
                found = {address: fresh[address] for address in wanted if address in fresh}
                found.update(fetch([address for address in wanted if address not in fresh]))
                return found

            root = merkle.root(new_size, fetch_with_fresh)
            body = note.checkpoint_body(self.ledger.origin, new_size, root)
            signed = note.sign_note(body, self.ledger.origin, self.signing_key)
            checkpoint = CheckpointRow(tree_size=new_size, root_hash=root, note=signed)
            self.log.write_batch(cursor, leaves, nodes, checkpoint, notifications[-1].id)
            for hook in CHECKPOINT_HOOKS:
                hook(self.log, cursor, self.ledger.origin, self.signing_key)
        return len(leaves)
